// A small hotline export as the office would upload it (UTF-8 with BOM, the hotline's Chinese
// headers), every ticket number unique to one upload, and the multipart body a browser sends
// for it (the _csrf field before the file, as the import route requires).
import { randomBytes } from 'node:crypto';

const HEADER = ['工单编号', '来电时间', '诉求内容', '所属区县', '问题类别', '联系电话', '来电人', '地址'];

function cell(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The ticket number of row `i` of the upload named `tag`. */
export function ticket(tag: string, i: number): string {
  return `${tag}-${String(i).padStart(4, '0')}`;
}

export function hotlineCsv(tag: string, rows: number): Buffer {
  const lines = [HEADER];
  for (let i = 0; i < rows; i++) {
    lines.push([
      ticket(tag, i),
      `2025-03-${String((i % 28) + 1).padStart(2, '0')} 09:${String(i % 60).padStart(2, '0')}:00`,
      `第${i}号工单（${tag}）：小区供水水压不足，高层住户用水困难`,
      '历下区',
      '供水',
      `139${String(10_000_000 + i).slice(-8)}`,
      `市民${i}`,
      `文化东路${i}号`,
    ]);
  }
  const text = lines.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
  return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);
}

export function multipartBody(fields: [string, string][], file: { filename: string; content: Buffer }): { body: Buffer; contentType: string } {
  const boundary = `----crash${randomBytes(8).toString('hex')}`;
  const parts: Buffer[] = [];
  for (const [name, value] of fields) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${file.filename}"\r\nContent-Type: text/csv\r\n\r\n`));
  parts.push(file.content, Buffer.from(`\r\n--${boundary}--\r\n`));
  return { body: Buffer.concat(parts), contentType: `multipart/form-data; boundary=${boundary}` };
}
