import t from 'tap';
import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import exifr from 'exifr';
import { build, seed, login } from '../helpers.ts';
import { makeDraft, makePublished, pledgeRow } from '../manage/fixtures.ts';
import { evidence, progressUpdates } from '../../db/schema.ts';
import { jpegWithGps, pdf, png, postProgress } from './helpers.ts';

const stored = (app: Awaited<ReturnType<typeof build>>, pledgeId: number) => app.db.select().from(evidence).where(eq(evidence.pledgeId, pledgeId)).all();

t.test('a PNG named .pdf is stored and served as a PNG, with safe headers, on both timelines', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const res = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '管网铺设现场照片' }, [
    { filename: 'report.pdf', type: 'application/pdf', data: await png() },
    { filename: 'scan.pdf', type: 'application/pdf', data: pdf() },
  ]);
  t.equal(res.statusCode, 303);
  const rows = stored(app, p.id);
  t.equal(rows.length, 2);
  t.match(rows[0], { kind: 'image', mime: 'image/png', originalName: 'report.pdf', width: 40, height: 30, position: 0 });
  t.match(rows[1], { kind: 'pdf', mime: 'application/pdf', position: 1 });

  const img = await app.inject(`/evidence/${rows[0].id}`);
  t.equal(img.statusCode, 200);
  t.equal(img.headers['content-type'], 'image/png');
  t.equal(img.headers['content-disposition'], `inline; filename="evidence-${rows[0].id}.png"`, 'a generated name, never the uploaded one');
  t.equal(img.headers['x-content-type-options'], 'nosniff');
  t.equal(img.headers['content-security-policy'], "default-src 'none'; sandbox");
  t.match(img.headers['cache-control'], /max-age=\d+/);
  t.equal((await sharp(img.rawPayload).metadata()).format, 'png', 'the bytes served are a real PNG');
  const again = await app.inject({ url: `/evidence/${rows[0].id}`, headers: { 'if-none-match': String(img.headers.etag) } });
  t.equal(again.statusCode, 304);

  const doc = await app.inject(`/evidence/${rows[1].id}`);
  t.equal(doc.headers['content-type'], 'application/pdf');
  t.equal(doc.headers['content-disposition'], `attachment; filename="evidence-${rows[1].id}.pdf"`, 'a PDF is downloaded, never shown inline');
  t.equal(doc.headers['content-security-policy'], "default-src 'none'; sandbox");

  const publicPage = await app.inject(`/pledges/${p.id}`);
  t.match(publicPage.body, `<img class="evidence-thumb" src="/evidence/${rows[0].id}"`);
  t.match(publicPage.body, `href="/evidence/${rows[1].id}"`);
  const workspace = await editor.request({ url: `/manage/pledges/${p.id}` });
  t.match(workspace.body, `src="/evidence/${rows[0].id}"`);
  t.match(workspace.body, 'enctype="multipart/form-data"');
});

t.test('a text file named .jpg is refused by its content; the typed text is kept and nothing is stored', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const res = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '伪装的照片' }, [{ filename: 'photo.jpg', type: 'image/jpeg', data: Buffer.from('<script>alert(1)</script>') }], { lang: 'en' });
  t.equal(res.statusCode, 400);
  t.match(res.body, 'is not a JPEG, PNG or WebP photo or a PDF');
  t.match(res.body, '伪装的照片');
  t.equal(stored(app, p.id).length, 0);
  t.equal(app.db.select().from(progressUpdates).all().length, 0, 'no update either');
  // JPEG magic bytes followed by garbage: announced as an image, not decodable as one.
  const fake = await postProgress(app, editor, p.id, { happenedOn: f.today, body: 'x' }, [{ filename: 'a.jpg', type: 'image/jpeg', data: Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7)]) }], { lang: 'en' });
  t.equal(fake.statusCode, 400);
  t.match(fake.body, 'cannot be read as an image');
});

t.test('the location and camera metadata of a photo are removed', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const original = await jpegWithGps();
  t.ok((await exifr.gps(original))?.latitude, 'the test photo does carry a position');
  const res = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '现场' }, [{ filename: 'IMG_0001.JPG', type: 'image/jpeg', data: original }]);
  t.equal(res.statusCode, 303);
  const [row] = stored(app, p.id);
  const served = await app.inject(`/evidence/${row.id}`);
  t.equal(served.headers['content-type'], 'image/jpeg');
  const tags = await exifr.parse(served.rawPayload, { gps: true, tiff: true, xmp: true });
  t.notOk(tags?.latitude, 'no GPS position');
  t.notOk(tags?.GPSLatitude, 'no GPS tags');
  t.notOk(tags?.Make, 'no camera make');
  const meta = await sharp(served.rawPayload).metadata();
  t.same([meta.format, meta.width, meta.height], ['jpeg', 64, 48], 'still the same picture');
});

t.test('files over the size limit and more than five files are refused', async (t) => {
  const app = await build(t, { UPLOAD_LIMIT_MB: '1' });
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const big = Buffer.concat([pdf(), Buffer.alloc(1024 * 1024 + 10, 0x20)]);
  const tooBig = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '大文件' }, [{ filename: 'big.pdf', type: 'application/pdf', data: big }], { lang: 'en' });
  t.equal(tooBig.statusCode, 400);
  t.match(tooBig.body, 'Each file can be at most 1 MB.');
  const six = await Promise.all(Array.from({ length: 6 }, () => png()));
  const tooMany = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '六张照片' }, six.map((data, i) => ({ filename: `p${i}.png`, type: 'image/png', data })), { lang: 'en' });
  t.equal(tooMany.statusCode, 400);
  t.match(tooMany.body, 'At most 5 files can be uploaded at once.');
  t.match(tooMany.body, '六张照片', 'the text is kept');
  t.equal(stored(app, p.id).length, 0);
  const five = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '五张照片' }, six.slice(0, 5).map((data, i) => ({ filename: `p${i}.png`, type: 'image/png', data })));
  t.equal(five.statusCode, 303, 'five is fine');
  t.equal(stored(app, p.id).length, 5);
});

t.test('an upload without the session token is refused before anything is stored', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const res = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '无令牌' }, [{ filename: 'a.png', type: 'image/png', data: await png() }], { csrf: false });
  t.equal(res.statusCode, 403);
  t.equal(stored(app, p.id).length, 0);
  const other = await login(app, 'editor-b');
  const forbidden = await postProgress(app, other, p.id, { happenedOn: f.today, body: '别的单位' }, [{ filename: 'a.png', type: 'image/png', data: await png() }]);
  t.equal(forbidden.statusCode, 403, 'another unit cannot post evidence on this pledge');
  t.equal(stored(app, p.id).length, 0);
});

t.test('evidence of a draft pledge is not public; unknown ids are 404', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const draft = await makeDraft(app, f);
  const update = app.db.insert(progressUpdates).values({ pledgeId: draft.id, unitId: f.unitA.id, happenedOn: f.today, body: '草稿' }).returning().get();
  const data = await png();
  const row = app.db
    .insert(evidence)
    .values({ progressUpdateId: update.id, pledgeId: draft.id, kind: 'image', mime: 'image/png', bytes: data, size: data.length, sha256: 'x' })
    .returning()
    .get();
  t.equal((await app.inject(`/evidence/${row.id}`)).statusCode, 404);
  t.equal((await app.inject('/evidence/999999')).statusCode, 404);
  t.equal((await app.inject('/evidence/abc')).statusCode, 404);
  t.equal((await app.inject('/evidence/1e3')).statusCode, 404);
});

t.test('completing needs evidence or a written reason', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const bare = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '全部完工', status: 'completed', reason: '' }, [], { lang: 'en' });
  t.equal(bare.statusCode, 400);
  t.match(bare.body, 'Marking a pledge completed needs at least one piece of evidence or a written reason.');
  t.match(bare.body, '全部完工', 'input kept');
  t.equal(pledgeRow(app, p.id).status, 'pledged');
  const urlencoded = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '全部完工', status: 'completed' } });
  t.equal(urlencoded.statusCode, 400, 'the plain form obeys the same rule');

  const withPhoto = await postProgress(app, editor, p.id, { happenedOn: f.today, body: '全部完工', status: 'completed', reason: '' }, [{ filename: 'done.png', type: 'image/png', data: await png() }]);
  t.equal(withPhoto.statusCode, 303);
  t.match(pledgeRow(app, p.id), { status: 'completed', progress: 100 });
  const [u] = app.db.select().from(progressUpdates).where(eq(progressUpdates.pledgeId, p.id)).all();
  t.equal(stored(app, p.id)[0].progressUpdateId, u.id, 'the evidence belongs to the completing update');
});

t.test('a malformed multipart body is the sender\'s error (400), not the server\'s', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  for (const [contentType, payload] of [
    ['multipart/form-data', '--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n' + editor.csrf + '\r\n--x--\r\n'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n' + editor.csrf + '\r\n--x\r\nContent-Disposition: form-data; name="evidence"; filename="a.png"\r\n\r\nabc'],
  ]) {
    const res = await app.inject({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, headers: { cookie: editor.cookie, 'content-type': contentType }, payload });
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${contentType}: ${res.statusCode}`);
  }
});
