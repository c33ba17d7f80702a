// Building multipart/form-data bodies for the import tests, the way a browser sends them:
// the _csrf field first, then the file.
import { randomBytes } from 'node:crypto';
import iconv from 'iconv-lite';
import ExcelJS from 'exceljs';

export function multipart(fields: [string, string][], file?: { filename: string; content: Buffer; type?: string }) {
  const boundary = `----test${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  if (file) {
    parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: ${file.type ?? 'application/octet-stream'}\r\n\r\n`));
    parts.push(file.content);
    parts.push(Buffer.from('\r\n'));
  }
  parts.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export const HEADER_ZH = ['工单编号', '来电时间', '诉求内容', '所属区县', '问题类别', '联系电话', '来电人', '地址'];

export function csvText(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}

export function hotlineRows(n: number, opts: { from?: number; district?: string; category?: string } = {}): string[][] {
  const from = opts.from ?? 1;
  const rows: string[][] = [];
  for (let i = from; i < from + n; i++) {
    rows.push([
      `RX2025${String(i).padStart(6, '0')}`,
      `2025-03-${String((i % 28) + 1).padStart(2, '0')} 09:${String(i % 60).padStart(2, '0')}:00`,
      `第${i}号工单：小区供水水压不足，高层住户用水困难`,
      opts.district ?? '历下区',
      opts.category ?? '供水',
      `139${String(10000000 + i).slice(-8)}`,
      `市民${i}`,
      `文化东路${i}号`,
    ]);
  }
  return rows;
}

export const utf8 = (text: string) => Buffer.from(text, 'utf8');
export const utf8Bom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
export const gbk = (text: string) => iconv.encode(text, 'gbk');

export async function xlsx(rows: (string | number | Date | { formula: string; result?: string })[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('工单');
  for (const r of rows) ws.addRow(r as any);
  return Buffer.from(await wb.xlsx.writeBuffer());
}
