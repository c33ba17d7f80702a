// Multipart bodies and small real files for the evidence tests.
import sharp from 'sharp';
import type { FastifyInstance } from 'fastify';
import type { Agent } from '../helpers.ts';

export interface FilePart {
  filename: string;
  type: string;
  data: Buffer;
  field?: string;
}

/** A multipart/form-data body: text fields first (the _csrf among them), then the files. */
export function multipart(fields: Record<string, string>, files: FilePart[]) {
  const boundary = '----evidence-test-boundary-7d1f';
  const chunks: Buffer[] = [];
  for (const [name, value] of Object.entries(fields)) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`));
  }
  for (const f of files) {
    chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${f.field ?? 'evidence'}"; filename="${f.filename}"\r\nContent-Type: ${f.type}\r\n\r\n`));
    chunks.push(f.data, Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export async function postProgress(app: FastifyInstance, agent: Agent, pledgeId: number, fields: Record<string, string>, files: FilePart[], opts: { csrf?: boolean; lang?: string } = {}) {
  const body = multipart({ ...(opts.csrf === false ? {} : { _csrf: agent.csrf }), ...fields }, files);
  return app.inject({
    method: 'POST',
    url: `/manage/pledges/${pledgeId}/progress${opts.lang ? `?lang=${opts.lang}` : ''}`,
    headers: { ...body.headers, cookie: agent.cookie },
    payload: body.payload,
  });
}

export function png(width = 40, height = 30): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 10, g: 107, b: 116 } } }).png().toBuffer();
}

/** A JPEG carrying a camera make and a GPS position in its EXIF, as a phone photo does. */
export function jpegWithGps(): Promise<Buffer> {
  return sharp({ create: { width: 64, height: 48, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg()
    .withExif({
      IFD0: { Make: 'TestCam', Model: 'X1' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 40/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '117/1 0/1 0/1' },
    })
    .toBuffer();
}

/** A minimal one-page PDF. */
export function pdf(): Buffer {
  return Buffer.from(
    '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
    'latin1',
  );
}
