// XLSX written row by row with exceljs's streaming writer, so a large export never sits in
// memory as a whole workbook. Text goes in as text cells: a spreadsheet never evaluates those,
// whatever they start with, so unlike CSV nothing needs an apostrophe.
import { PassThrough, type Readable } from 'node:stream';
import { loadExcel } from './excel.ts';
import type { Cell } from './csv.ts';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export interface SheetColumn {
  header: string;
  width?: number;
  /** Restrict the column to these values in Excel (a drop-down list). */
  choices?: string[];
}

export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>;
}

/** Excel breaks lines in a cell with LF; XML would turn a CR into one anyway. */
function xlsxValue(c: Cell): string | number | boolean | null {
  if (c === undefined) return null;
  return typeof c === 'string' ? c.replace(/\r\n?/g, '\n') : c;
}

/** Streams a workbook; the caller sends the returned stream while the rows are still being read. */
export function xlsxStream(sheets: SheetSpec[]): Readable {
  const out = new PassThrough();
  (async () => {
    const ExcelJS = await loadExcel();
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    for (const sheet of sheets) {
      const ws = workbook.addWorksheet(sheet.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
      ws.columns = sheet.columns.map((c, i) => ({ header: c.header, key: String(i), width: c.width ?? 14 }));
      ws.getRow(1).font = { bold: true };
      ws.getRow(1).commit();
      let rowNumber = 1;
      for await (const cells of sheet.rows) {
        rowNumber++;
        const row = ws.addRow(cells.map(xlsxValue));
        sheet.columns.forEach((col, i) => {
          if (col.choices) row.getCell(i + 1).dataValidation = { type: 'list', allowBlank: true, formulae: [`"${col.choices.join(',')}"`] };
        });
        row.commit();
      }
      ws.commit();
    }
    await workbook.commit();
  })().catch((error) => out.destroy(error));
  return out;
}
