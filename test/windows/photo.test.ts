import t from 'tap';
import zlib from 'node:zlib';
import { eq } from 'drizzle-orm';
import { PNG } from 'pngjs';
import { build, login, seed } from '../helpers.ts';
import { staffCards, units } from '../../db/schema.ts';
import sharp from 'sharp';
import exifr from 'exifr';
import { checkPhoto } from '../../src/windows/photo.ts';

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

/** A JPEG with a camera make and a GPS position in its EXIF, as a phone photo has. */
function jpegWithExif(): Promise<Buffer> {
  return sharp({ create: { width: 8, height: 6, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'TestCam' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 40/1 1234/100', GPSLongitudeRef: 'E', GPSLongitude: '117/1 0/1 0/1' } })
    .toBuffer();
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
  const p = await checkPhoto(png, 1 << 20);
  t.ok(p.ok);
  if (p.ok) {
    t.equal(p.mime, 'image/png');
    t.notOk(p.bytes.includes(Buffer.from('36.65N')), 'PNG text chunk removed');
    t.equal(PNG.sync.read(p.bytes).width, 4, 'still a valid PNG');
  }
  const jpeg = await jpegWithExif();
  t.ok((await exifr.parse(jpeg, { gps: true }))?.latitude, 'the original carries a position');
  const j = await checkPhoto(jpeg, 1 << 20);
  t.ok(j.ok);
  if (j.ok) {
    t.equal(j.mime, 'image/jpeg');
    const tags = await exifr.parse(j.bytes, { gps: true }).catch(() => undefined);
    t.notOk(tags?.latitude, 'no GPS position');
    t.notOk(tags?.Make, 'no camera');
    t.equal((await sharp(j.bytes).metadata()).width, 8, 'still the picture');
  }
  t.same(await checkPhoto(Buffer.from('<svg onload="alert(1)"></svg>'), 1 << 20), { ok: false, reason: 'not_image' });
  t.same(await checkPhoto(Buffer.from('GIF89a...'), 1 << 20), { ok: false, reason: 'not_image' });
  t.same(await checkPhoto(png.subarray(0, 30), 1 << 20), { ok: false, reason: 'damaged' });
  t.same(await checkPhoto(png, 10), { ok: false, reason: 'too_large' });
  t.same(await checkPhoto(Buffer.alloc(0), 10), { ok: false, reason: 'empty' });
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

  const ok = await upload(a, { value: await jpegWithExif(), filename: 'photo.txt', type: 'text/plain' });
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
