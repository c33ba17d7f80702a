// CSV for people to open in Excel: UTF-8 with a BOM (Excel guesses GBK without one), CRLF
// line ends, and cells that Excel would run as a formula (= + - @, or a leading tab or CR)
// prefixed with an apostrophe so they show as the text they are.

const FORMULA_START = /^[=+\-@\t\r]/;

export function neutralise(cell: string): string {
  return FORMULA_START.test(cell) ? `'${cell}` : cell;
}

function quote(cell: string): string {
  const safe = neutralise(cell);
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: (string | number)[][]): Buffer {
  const body = rows.map((r) => r.map((c) => quote(String(c))).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body, 'utf8')]);
}
