import t from 'tap';
import zlib from 'node:zlib';
import { eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { build, login, seed } from '../helpers.ts';
import { staffCards, units } from '../../db/schema.ts';
import { checkPhoto, sniffImage } from '../../src/windows/photo.ts';

function crc32(buf: Buffer): number {
  return zlib.crc32 ? zlib.crc32(buf) : 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body) >>> 0);
  return Buffer.concat([len, body, crc]);
}

/** A real 4×4 PNG (pngjs) with a text chunk carrying a location, inserted after IHDR. */
function pngWithText(): Buffer {
  const png = new PNG({ width: 4, height: 4 });
  png.data.fill(200);
  const bytes = PNG.sync.write(png);
  const ihdrEnd = 8 + 12 + 13;
  return Buffer.concat([bytes.subarray(0, ihdrEnd), chunk('tEXt', Buffer.from('Location\u000036.65N 117.12E', 'latin1')), bytes.subarray(ihdrEnd)]);
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A JPEG's structure: SOI, JFIF, an EXIF block with GPS text, a quantisation table, scan data, EOI. */
function jpegWithExif(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\u0000\u0001\u0001\u0000\u0000\u0001\u0000\u0001\u0000\u0000', 'latin1')),
    segment(0xe1, Buffer.from('Exif\u0000\u0000GPS 36.65N 117.12E', 'latin1')),
    segment(0xdb, Buffer.alloc(65, 1)),
    segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
  ]);
}

function multipart(fields: Array<{ name: string; value: string | Buffer; filename?: string; type?: string }>) {
  const boundary = '----windowtest' + Math.random().toString(16).slice(2);
  const parts = fields.map((f) => {
    const disposition = `form-data; name="${f.name}"${f.filename ? `; filename="${f.filename}"` : ''}`;
    const head = `--${boundary}\r\nContent-Disposition: ${disposition}\r\n${f.filename ? `Content-Type: ${f.type ?? 'application/octet-stream'}\r\n` : ''}\r\n`;
    return Buffer.concat([Buffer.from(head), Buffer.isBuffer(f.value) ? f.value : Buffer.from(f.value), Buffer.from('\r\n')]);
  });
  return { payload: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]), contentType: `multipart/form-data; boundary=${boundary}` };
}

t.test('photos are told by content and lose their metadata', async (t) => {
  const png = pngWithText();
  t.equal(sniffImage(png), 'image/png');
  const p = checkPhoto(png, 1 << 20);
  t.ok(p.ok);
  if (p.ok) {
    t.notOk(p.bytes.includes(Buffer.from('36.65N')), 'PNG text chunk removed');
    const decoded = PNG.sync.read(p.bytes);
    t.equal(decoded.width, 4, 'still a valid PNG');
  }
  const jpeg = jpegWithExif();
  const j = checkPhoto(jpeg, 1 << 20);
  t.ok(j.ok);
  if (j.ok) {
    t.equal(j.mime, 'image/jpeg');
    t.notOk(j.bytes.includes(Buffer.from('Exif')), 'EXIF removed');
    t.ok(j.bytes.includes(Buffer.from('JFIF')), 'JFIF kept');
    t.ok(j.bytes.subarray(-5).equals(Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9])), 'scan data kept');
  }
  t.same(checkPhoto(Buffer.from('<svg onload="alert(1)"></svg>'), 1 << 20), { ok: false, reason: 'not_image' });
  t.same(checkPhoto(Buffer.from('GIF89a...'), 1 << 20), { ok: false, reason: 'not_image' });
  t.same(checkPhoto(png.subarray(0, 30), 1 << 20), { ok: false, reason: 'damaged' });
  t.same(checkPhoto(png, 10), { ok: false, reason: 'too_large' });
  t.same(checkPhoto(Buffer.alloc(0), 10), { ok: false, reason: 'empty' });
});

t.test('uploading a staff photo: own unit only, checked by content, served with safe headers', async (t) => {
  const app = await build(t, { UPLOAD_LIMIT_MB: '1' });
  const fx = await seed(app);
  app.db.update(units).set({ isServiceWindow: true }).where(eq(units.id, fx.unitA.id)).run();
  const id = app.db.insert(staffCards).values({ unitId: fx.unitA.id, name: '张晓燕', post: '营业厅 2 号窗口' }).returning().get().id;
  const a = await login(app, 'editor-a');
  const upload = (agent: typeof a, file: { value: Buffer; filename: string; type?: string }, csrf = agent.csrf) => {
    const body = multipart([
      { name: '_csrf', value: csrf },
      { name: 'photo', ...file },
    ]);
    return app.inject({ method: 'POST', url: `/manage/window/staff/${id}/photo`, headers: { cookie: agent.cookie, 'content-type': body.contentType }, payload: body.payload });
  };
  const stored = () => app.db.select({ photo: staffCards.photo, mime: staffCards.photoMime }).from(staffCards).where(eq(staffCards.id, id)).get()!;

  const fake = await upload(a, { value: Buffer.from('<html><script>alert(1)</script></html>'), filename: 'me.png', type: 'image/png' });
  t.equal(fake.statusCode, 400, 'a .png name does not make an image');
  t.match(fake.body, /只能上传 JPEG 或 PNG/);
  t.equal(stored().photo, null);

  t.equal((await upload(a, { value: pngWithText(), filename: 'me.png' }, 'wrong-token')).statusCode, 403, 'CSRF checked before the file');
  t.equal(stored().photo, null);

  const b = await login(app, 'editor-b');
  t.equal((await upload(b, { value: pngWithText(), filename: 'me.png' })).statusCode, 403, 'another unit');
  t.equal(stored().photo, null);

  const big = await upload(a, { value: Buffer.concat([pngWithText(), Buffer.alloc(1024 * 1024 + 10)]), filename: 'big.png' });
  t.equal(big.statusCode, 400);
  t.match(big.body, /照片不能超过 1 MB/);

  const ok = await upload(a, { value: jpegWithExif(), filename: 'photo.txt', type: 'text/plain' });
  t.equal(ok.statusCode, 303);
  t.equal(stored().mime, 'image/jpeg', 'type from content, not from name or header');

  const served = await app.inject(`/windows/staff/${id}/photo`);
  t.equal(served.statusCode, 200);
  t.equal(served.headers['content-type'], 'image/jpeg');
  t.equal(served.headers['x-content-type-options'], 'nosniff');
  t.match(served.headers['content-security-policy'], /sandbox/);
  t.notOk(served.rawPayload.includes(Buffer.from('Exif')), 'no EXIF served');
  t.match((await app.inject(`/units/${fx.unitA.slug}`)).body, new RegExp(`src="/windows/staff/${id}/photo`));

  t.equal((await a.request({ method: 'POST', url: `/manage/window/staff/${id}/photo/remove`, form: {} })).statusCode, 303);
  t.equal(stored().photo, null);
  t.equal((await app.inject(`/windows/staff/${id}/photo`)).statusCode, 404);
  t.equal((await app.inject('/windows/staff/abc/photo')).statusCode, 404);
});
