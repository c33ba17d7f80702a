// ExcelJS holds ~27 MB once loaded: the server loads it on the first spreadsheet it reads or
// writes, not at start, so an instance that never exports XLSX never pays for it.
import type ExcelJSModule from 'exceljs';

let loaded: Promise<typeof ExcelJSModule> | undefined;

export function loadExcel(): Promise<typeof ExcelJSModule> {
  loaded ??= import('exceljs').then((m) => (m.default ?? m) as typeof ExcelJSModule);
  return loaded;
}
