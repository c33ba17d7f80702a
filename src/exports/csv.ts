// CSV as spreadsheets expect it: UTF-8 with a byte order mark (so Excel reads Chinese), CRLF line
// ends and RFC 4180 quoting. A text cell that a spreadsheet would take for a formula (starting
// with = + - @, a tab or a carriage return) is prefixed with an apostrophe, so opening an export
// never runs anything someone typed into a pledge.

export const BOM = '\uFEFF';

export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export function csvCell(value: Cell): string {
  if (value === null || value === undefined) return '';
  // Numbers are written as numbers: a negative one is a value, not a formula.
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  const text = neutralise(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: Cell[]): string {
  return cells.map(csvCell).join(',') + '\r\n';
}
