// The bulk-update spreadsheet: one format for download and upload (what a unit downloads is what
// it fills in and sends back). Headings are recognised in either language or as their keys;
// a missing column, a column we do not know or an unreadable file is refused as a whole.
import type ExcelJS from 'exceljs';
import { loadExcel } from '../exports/excel.ts';
import { parse as parseCsv } from 'csv-parse/sync';
import { unzipSync } from 'fflate';
import { dictionaries, type Translate } from '../i18n/index.ts';
import { PUBLISHED_STATUSES } from '../../db/schema.ts';
import type { Cell } from '../exports/csv.ts';

export const SHEET_COLUMNS = ['id', 'version', 'title', 'lead_unit', 'due_on', 'status', 'progress', 'happened_on', 'body', 'reason'] as const;
export type SheetColumnKey = (typeof SHEET_COLUMNS)[number];
/** Columns an upload must have; the others are there for the reader and are ignored. */
export const REQUIRED_COLUMNS: readonly SheetColumnKey[] = ['id', 'version', 'status', 'progress', 'happened_on', 'body', 'reason'];
/** More rows than any unit has pledges; bounds the work one upload can cause. */
export const MAX_ROWS = 5000;
/** A sheet of MAX_ROWS rows is well under this; it bounds memory while the file is read. */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** What an XLSX (a ZIP) may unpack to: a small file that unpacks to gigabytes is refused unread. */
const MAX_UNPACKED_BYTES = 50 * 1024 * 1024;

/** A row as typed: its spreadsheet row number, its cells by column, and whether cells spill past the headings. */
export type RawRow = { row: number; spill?: boolean } & Partial<Record<SheetColumnKey, string>>;

export type SheetProblem = { key: string; params?: Record<string, string | number> };
export type ParsedSheet = { ok: true; rows: RawRow[] } | { ok: false; problem: SheetProblem };

const normalise = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** Every way a heading may be written: the key and its label in each language. */
const HEADINGS = new Map<string, SheetColumnKey>();
for (const key of SHEET_COLUMNS) {
  HEADINGS.set(normalise(key), key);
  for (const dict of Object.values(dictionaries)) HEADINGS.set(normalise(dict[`bulk.col.${key}`]), key);
}

/** Status labels in either language (and the codes) to the status. */
const STATUS_WORDS = new Map<string, string>();
for (const status of PUBLISHED_STATUSES) {
  STATUS_WORDS.set(status, status);
  for (const dict of Object.values(dictionaries)) STATUS_WORDS.set(normalise(dict[`status.${status}`]), status);
}

/** A status as typed in the sheet (label or code), or undefined when it is none we know. */
export function statusFromSheet(text: string): string | undefined {
  return STATUS_WORDS.get(normalise(text)) ?? STATUS_WORDS.get(text.trim());
}

export function sheetHeaders(t: Translate): string[] {
  return SHEET_COLUMNS.map((key) => t(`bulk.col.${key}`));
}

/** Our own exports put an apostrophe before formula-like text; a sheet sent back gets it removed. */
function unNeutralise(text: string): string {
  return /^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** What a spreadsheet cell holds, as the text a person would read in it. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) {
    // Excel keeps days as dates without a zone; exceljs hands them over as UTC midnight.
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return value;
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('result' in value) return cellText((value.result ?? null) as ExcelJS.CellValue);
  if ('text' in value) return String(value.text);
  return '';
}

function fromGrid(grid: string[][]): ParsedSheet {
  const [header = [], ...body] = grid;
  const keys: (SheetColumnKey | null)[] = [];
  const unknown: string[] = [];
  const seen = new Set<SheetColumnKey>();
  header.forEach((h, i) => {
    const text = h.trim();
    if (!text) {
      // A blank heading over a blank column is Excel's leftover formatting, not a column.
      if (body.some((r) => (r[i] ?? '').trim())) unknown.push(`#${i + 1}`);
      keys.push(null);
      return;
    }
    const key = HEADINGS.get(normalise(text));
    if (!key) unknown.push(text.slice(0, 40));
    else if (seen.has(key)) unknown.push(`${text.slice(0, 40)} (×2)`);
    if (key) seen.add(key);
    keys.push(key ?? null);
  });
  if (unknown.length) return { ok: false, problem: { key: 'bulk.error.unknown_columns', params: { columns: unknown.join(', ') } } };
  const missing = REQUIRED_COLUMNS.filter((k) => !seen.has(k));
  if (missing.length) {
    return { ok: false, problem: { key: 'bulk.error.missing_columns', params: { columns: missing.map((k) => dictionaries['zh-CN'][`bulk.col.${k}`] + ' / ' + dictionaries.en[`bulk.col.${k}`]).join('; ') } } };
  }
  const rows: RawRow[] = [];
  body.forEach((cells, i) => {
    if (!cells.some((c) => c.trim())) return;
    const row: RawRow = { row: i + 2 };
    keys.forEach((key, j) => {
      if (key) row[key] = unNeutralise((cells[j] ?? '').trim());
    });
    if (cells.length > keys.length && cells.slice(keys.length).some((c) => c.trim())) row.spill = true;
    rows.push(row);
  });
  if (rows.length > MAX_ROWS) return { ok: false, problem: { key: 'bulk.error.too_many_rows', params: { max: MAX_ROWS } } };
  if (!rows.length) return { ok: false, problem: { key: 'bulk.error.no_rows' } };
  return { ok: true, rows };
}

/** CSV from Excel is UTF-8 when saved as "CSV UTF-8" and GB18030/GBK otherwise (on Chinese systems). */
function decodeText(buffer: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buffer).replace(/^\uFEFF/, '');
  } catch {
    return new TextDecoder('gb18030').decode(buffer);
  }
}

/** The sizes the ZIP's directory declares for its entries, summed (nothing is inflated). */
function declaredUnpackedSize(buffer: Buffer): number {
  let total = 0;
  unzipSync(new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.length), {
    filter: (entry) => {
      total += entry.originalSize;
      return false;
    },
  });
  return total;
}

async function xlsxGrid(buffer: Buffer): Promise<string[][]> {
  if (declaredUnpackedSize(buffer) > MAX_UNPACKED_BYTES) throw new Error('too large when unpacked');
  const workbook = new (await loadExcel()).Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) return [];
  const grid: string[][] = [];
  const width = sheet.columnCount;
  sheet.eachRow({ includeEmpty: true }, (row, rowNumber) => {
    if (rowNumber > MAX_ROWS + 2) return;
    const cells: string[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellText(row.getCell(c).value));
    grid[rowNumber - 1] = cells;
  });
  for (let i = 0; i < grid.length; i++) grid[i] ??= [];
  return grid;
}

export async function parseSheet(buffer: Buffer): Promise<ParsedSheet> {
  if (!buffer.length) return { ok: false, problem: { key: 'bulk.error.no_file' } };
  const isZip = buffer.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  try {
    if (isZip) return fromGrid(await xlsxGrid(buffer));
    const text = decodeText(buffer);
    const grid = parseCsv(text, { relax_column_count: true, skip_empty_lines: false, bom: true, to: MAX_ROWS + 2 }) as string[][];
    return fromGrid(grid);
  } catch {
    return { ok: false, problem: { key: isZip ? 'bulk.error.unreadable_xlsx' : 'bulk.error.unreadable_csv' } };
  }
}

/** One downloaded row, in sheet column order (the fill-in columns start blank). */
export function sheetRow(p: { id: number; revision: number; title: string; leadUnit: string; dueOn: string; status: string; progress: number }, t: Translate): Cell[] {
  return [p.id, p.revision, p.title, p.leadUnit, p.dueOn, t(`status.${p.status}`), p.progress, '', '', ''];
}
