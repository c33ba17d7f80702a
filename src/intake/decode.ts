// Turning an uploaded hotline export into a table of text cells: which format it is (CSV or
// XLSX; legacy .xls refused), which encoding a CSV is in (UTF-8 with or without BOM, UTF-16 with
// BOM, else GBK/GB18030), which delimiter it uses, and every way the file can be broken.
import iconv from 'iconv-lite';
import { parse } from 'csv-parse/sync';
import type ExcelJS from 'exceljs';
import { loadExcel } from '../exports/excel.ts';

export interface Table {
  headers: string[];
  /** Data rows, cells as text; the first data row is spreadsheet row 2. */
  rows: string[][];
}

export type DecodeResult =
  | { ok: true; format: 'csv' | 'xlsx'; encoding: string; table: Table }
  | { ok: false; error: string; params?: Record<string, string | number> };

/** More rows than this in one file is not a hotline export we should take in one request. */
export const MAX_ROWS = 100_000;

const XLS_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function fail(error: string, params?: Record<string, string | number>): DecodeResult {
  return { ok: false, error, params };
}

/** Strict UTF-8, tolerating only a multi-byte character cut off by a truncated upload at the very end. */
function decodeUtf8(buffer: Buffer): string | undefined {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(buffer);
  } catch {
    for (let cut = 1; cut <= 3 && cut < buffer.length; cut++) {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(buffer.subarray(0, buffer.length - cut));
      } catch {
        // keep trying shorter
      }
    }
    return undefined;
  }
}

export function decodeText(buffer: Buffer): { text: string; encoding: string } | undefined {
  if (buffer.subarray(0, 3).equals(UTF8_BOM)) {
    const text = decodeUtf8(buffer.subarray(3));
    return text === undefined ? undefined : { text, encoding: 'UTF-8 (BOM)' };
  }
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return { text: iconv.decode(buffer.subarray(2), 'utf-16le'), encoding: 'UTF-16LE' };
  if (buffer[0] === 0xfe && buffer[1] === 0xff) return { text: iconv.decode(buffer.subarray(2), 'utf-16be'), encoding: 'UTF-16BE' };
  const utf8 = decodeUtf8(buffer);
  if (utf8 !== undefined) return { text: utf8, encoding: 'UTF-8' };
  // Not UTF-8: Chinese Excel and most hotline systems write GBK; GB18030 is its superset.
  const gbk = iconv.decode(buffer, 'gb18030');
  const replaced = (gbk.match(/\uFFFD/g) ?? []).length;
  if (replaced > Math.max(2, gbk.length / 1000)) return undefined;
  return { text: gbk, encoding: 'GBK' };
}

/** The delimiter the header line uses most: comma, tab (Excel's "Unicode text") or semicolon. */
function delimiterOf(text: string): string {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', '\t', ';'].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ',';
}

function tableFrom(records: string[][]): DecodeResult {
  const nonEmpty = (r: string[]) => r.some((c) => c.trim() !== '');
  const rows = records.filter(nonEmpty);
  if (rows.length === 0) return fail('intake.error.empty');
  const [headers, ...data] = rows;
  if (data.length === 0) return fail('intake.error.header_only');
  if (data.length > MAX_ROWS) return fail('intake.error.too_many_rows', { max: MAX_ROWS });
  return { ok: true, format: 'csv', encoding: '', table: { headers: headers.map((h) => h.replace(/^\uFEFF/, '').trim()), rows: data } };
}

export function parseCsvText(text: string): DecodeResult {
  let records: string[][];
  try {
    records = parse(text, { delimiter: delimiterOf(text), relax_column_count: true, skip_empty_lines: true, bom: true, max_record_size: 1_000_000 });
  } catch (error) {
    const e = error as { code?: string; lines?: number };
    // An unclosed quote at the end is what a file cut off mid-upload looks like.
    if (e.code === 'CSV_QUOTE_NOT_CLOSED') return fail('intake.error.truncated', { line: e.lines ?? 0 });
    return fail('intake.error.csv', { line: e.lines ?? 0 });
  }
  return tableFrom(records);
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel dates have no zone: exceljs puts the wall-clock time in the UTC fields.
    return value.toISOString().slice(0, 19).replace('T', ' ');
  }
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('formula' in value || 'sharedFormula' in value) {
      const v = value as ExcelJS.CellFormulaValue;
      // What the sheet showed, when it was saved with results; else the formula itself, as text.
      if (v.result !== undefined && v.result !== null && typeof v.result !== 'object') return String(v.result);
      if (v.result instanceof Date) return cellText(v.result);
      return `=${v.formula ?? ''}`;
    }
    if ('text' in value && typeof (value as { text: unknown }).text === 'string') return (value as { text: string }).text;
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

async function parseXlsx(buffer: Buffer): Promise<DecodeResult> {
  const workbook = new (await loadExcel()).Workbook();
  try {
    await workbook.xlsx.load(buffer as any);
  } catch {
    return fail('intake.error.xlsx_damaged');
  }
  const sheet = workbook.worksheets[0];
  if (!sheet) return fail('intake.error.empty');
  if (sheet.rowCount > MAX_ROWS + 1) return fail('intake.error.too_many_rows', { max: MAX_ROWS });
  const records: string[][] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: true }, (row) => {
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    records.push(cells);
  });
  const result = tableFrom(records);
  return result.ok ? { ...result, format: 'xlsx', encoding: '' } : result;
}

function nulCount(buffer: Buffer): number {
  let n = 0;
  for (let i = buffer.indexOf(0); i !== -1; i = buffer.indexOf(0, i + 1)) n++;
  return n;
}

/** Reads an uploaded file. The file's name only breaks ties: the bytes decide the format. */
export async function readUpload(buffer: Buffer, fileName: string): Promise<DecodeResult> {
  if (buffer.length === 0) return fail('intake.error.empty');
  if (buffer.subarray(0, 4).equals(XLS_MAGIC)) return fail('intake.error.xls');
  if (buffer.subarray(0, 4).equals(ZIP_MAGIC)) return parseXlsx(buffer);
  if (/\.xlsx$/i.test(fileName)) return fail('intake.error.xlsx_damaged');
  if (/\.(xls|et|numbers|ods)$/i.test(fileName)) return fail('intake.error.xls');
  // A stray NUL is a control character to strip; many of them are a binary file (or UTF-16 without a BOM).
  if (!(buffer[0] === 0xff || buffer[0] === 0xfe) && nulCount(buffer) > buffer.length / 100) return fail('intake.error.binary');
  const decoded = decodeText(buffer);
  if (!decoded) return fail('intake.error.encoding');
  const result = parseCsvText(decoded.text);
  return result.ok ? { ...result, encoding: decoded.encoding } : result;
}
