import t from 'tap';
import { createHash } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { auditLog, publicationFiles, publicationPledges, publications, PUBLICATION_FORMATS } from '../../db/schema.ts';
import { appendAudit, currentChainHead } from '../../src/audit/repository.ts';
import { addOutlets, makePledge, publish } from './fixtures.ts';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

t.test('roles: public, unit editors and the desk', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  makePledge(app, f, { title: '老旧管网改造' });
  for (const url of ['/press', '/press/preview', '/press/preview/files/csv']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 302, `anonymous ${url} goes to sign-in`);
    t.match(res.headers.location, /^\/login\?next=/);
    const editor = await login(app, 'editor-a');
    t.equal((await editor.request({ url })).statusCode, 403, `a unit editor cannot open ${url}`);
  }
  const editor = await login(app, 'editor-a');
  const refused = await editor.request({ method: 'POST', url: '/press/publish', form: { outlet: String(o.daily), noticeNo: '第1号', publishedOn: '2026-05-01' } });
  t.equal(refused.statusCode, 403);
  const anon = await app.inject({ method: 'POST', url: '/press/publish', payload: { noticeNo: 'x' } });
  t.ok([302, 403].includes(anon.statusCode), 'anonymous cannot publish');
  t.equal(app.db.select().from(publications).all().length, 0, 'nothing was published');
  for (const who of ['press', 'admin']) {
    const agent = await login(app, who);
    t.equal((await agent.request({ url: '/press' })).statusCode, 200, `${who} opens the builder`);
    t.equal((await agent.request({ url: '/press/preview' })).statusCode, 200, `${who} previews`);
    const file = await agent.request({ url: '/press/preview/files/csv' });
    t.equal(file.statusCode, 200, `${who} downloads a preview file`);
    t.match(file.headers['content-disposition'], /^attachment; filename="preview-csv\.csv"$/);
    t.match(file.body, '老旧管网改造');
  }
  t.equal(app.db.select().from(publicationFiles).all().length, 0, 'preview files are never stored');
  const press = await login(app, 'press');
  t.equal((await press.request({ url: '/press/preview/files/exe' })).statusCode, 404);
});

t.test('a selection with no rows is refused with a clear message', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  makePledge(app, f, { title: '未逾期事项' });
  const press = await login(app, 'press');
  const preview = await press.request({ url: `/press/preview?outlet=${o.daily}&status=overdue` });
  t.match(preview.body, '没有符合条件的事项，公告不能为空');
  t.notMatch(preview.body, 'action="/press/publish"', 'no publish form');
  const post = await press.request({ method: 'POST', url: '/press/publish', form: { outlet: String(o.daily), status: 'overdue', noticeNo: '第1号', publishedOn: '2026-05-01' } });
  t.equal(post.statusCode, 400);
  t.match(post.body, '公告不能为空');
  t.equal(app.db.select().from(publications).all().length, 0);
  const unitSet = await press.request({ url: `/press/preview?outlet=${o.daily}&set=unit` });
  t.match(unitSet.body, '需要先选择牵头单位');
  t.equal((await press.request({ url: '/press/preview/files/pdf_a4?status=overdue' })).statusCode, 400);
});

t.test('publishing stores the snapshot, every file and the pledges, permanently', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  const a = makePledge(app, f, { title: '老旧管网改造', progress: 40 });
  const b = makePledge(app, f, { title: '学校周边交通疏导', leadUnitId: f.unitB.id });
  makePledge(app, f, { title: '草稿不发布', status: 'draft' });
  appendAudit(app.db, { userId: null, username: 'test' }, { action: 'test', entity: 'test' });
  const head = currentChainHead(app.db)!;
  const press = await login(app, 'press');
  const res = await publish(press, `outlet=${o.daily}`, { noticeNo: '第1号', edition: 'A3' });
  t.equal(res.statusCode, 303);
  const id = Number(/^\/notices\/(\d+)$/.exec(res.headers.location as string)![1]);
  const pub = app.db.select().from(publications).where(eq(publications.id, id)).get()!;
  t.equal(pub.rowCount, 2);
  t.equal(pub.noticeNo, '第1号');
  t.equal(pub.edition, 'A3');
  t.equal(pub.kind, 'newspaper');
  t.equal(pub.createdBy, f.users.press);
  t.equal(pub.chainHead, head.hash, 'the audit chain head at publication is recorded');
  const snapshot = JSON.parse(pub.snapshot);
  t.same(snapshot.groups.flatMap((g: { rows: { title: string }[] }) => g.rows.map((r) => r.title)), ['老旧管网改造', '学校周边交通疏导']);
  t.equal(snapshot.groups[0].rows[0].url, `https://pledges.example.gov.cn/pledges/${a}`, 'QR targets come from PUBLIC_URL');
  t.same(JSON.parse(pub.selection).outletId, o.daily);
  const pp = app.db.select().from(publicationPledges).where(eq(publicationPledges.publicationId, id)).all();
  t.same(pp.map((p) => [p.pledgeId, p.position]), [[a, 1], [b, 2]]);
  const files = app.db.select().from(publicationFiles).where(eq(publicationFiles.publicationId, id)).all();
  t.same(files.map((x) => x.format).sort(), [...PUBLICATION_FORMATS].sort(), 'every format, whatever the outlet kind');
  for (const file of files) {
    t.equal(file.sha256, sha(file.bytes), `${file.format} hash`);
    t.equal(file.size, file.bytes.length);
    t.match(file.fileName, new RegExp(`^notice-${id}-[a-z0-9-]+\\.(pdf|html|docx|txt|zip|csv)$`), 'server-made file name');
  }
  t.ok(files.find((x) => x.format === 'pdf_a4')!.bytes.subarray(0, 5).equals(Buffer.from('%PDF-')));
  const audit = app.db.select().from(auditLog).where(eq(auditLog.entity, 'publication')).all();
  t.equal(audit.length, 1);
  t.equal(audit[0].entityId, String(id));

  // Permanent: the triggers refuse any change, whoever asks.
  const sqlite = app.db.$client;
  t.throws(() => sqlite.prepare('UPDATE publications SET title = ? WHERE id = ?').run('x', id), /permanent/);
  t.throws(() => sqlite.prepare('DELETE FROM publications WHERE id = ?').run(id), /permanent/);
  t.throws(() => sqlite.prepare('UPDATE publication_files SET bytes = ? WHERE publication_id = ?').run(Buffer.from('x'), id), /permanent/);
  t.throws(() => sqlite.prepare('DELETE FROM publication_files WHERE publication_id = ?').run(id), /permanent/);
  t.throws(() => sqlite.prepare('DELETE FROM publication_pledges WHERE publication_id = ?').run(id), /permanent/);
  t.throws(() => sqlite.prepare('UPDATE publication_pledges SET position = 9 WHERE publication_id = ?').run(id), /permanent/);

  // Every download is the stored file, byte for byte.
  for (const file of files) {
    const first = await app.inject(`/notices/${id}/files/${file.format}`);
    const second = await app.inject(`/notices/${id}/files/${file.format}`);
    t.equal(first.statusCode, 200);
    t.equal(sha(first.rawPayload), file.sha256, `${file.format}: the download is the stored file`);
    t.equal(sha(second.rawPayload), sha(first.rawPayload), `${file.format}: two downloads are identical`);
    t.equal(first.headers.etag, `"${file.sha256}"`);
    t.equal(first.headers['content-disposition'], `attachment; filename="${file.fileName}"`);
    const again = await app.inject({ url: `/notices/${id}/files/${file.format}`, headers: { 'if-none-match': `"${file.sha256}"` } });
    t.equal(again.statusCode, 304);
  }
  const html = await app.inject(`/notices/${id}/files/html`);
  t.match(html.headers['content-security-policy'], "default-src 'none'");
  t.match(html.headers['content-security-policy'], "style-src 'unsafe-inline'");
  t.notMatch(html.headers['content-security-policy'], /script-src/);
  t.equal((await app.inject(`/notices/${id}/files/nope`)).statusCode, 404);
  t.equal((await app.inject(`/notices/999/files/csv`)).statusCode, 404);

  // The number cannot be used twice by the same outlet.
  const twice = await publish(press, `outlet=${o.daily}`, { noticeNo: '第1号' });
  t.equal(twice.statusCode, 400);
  t.match(twice.body, '该媒体已有这个编号的公告');
});

t.test('the publish form re-renders with messages; a record changed since the preview is refused', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  makePledge(app, f, { title: '事项一' });
  const press = await login(app, 'press');
  const bad = await publish(press, `outlet=${o.daily}`, { noticeNo: '', publishedOn: '2026-02-30', crawlWidth: '5' });
  t.equal(bad.statusCode, 400);
  t.match(bad.body, 'error-summary');
  t.match(bad.body, 'id="f-noticeNo-error"');
  t.match(bad.body, 'id="f-publishedOn-error"');
  t.match(bad.body, 'id="f-crawlWidth-error"');
  const extra = await publish(press, `outlet=${o.daily}`, { noticeNo: '第1号', sneaky: '1' });
  t.equal(extra.statusCode, 400, 'strict body');

  const preview = await press.request({ url: `/press/preview?outlet=${o.daily}` });
  makePledge(app, f, { title: '预览之后新公开' });
  const { previewForm } = await import('./fixtures.ts');
  const changed = await press.request({ method: 'POST', url: '/press/publish', form: { ...previewForm(preview.body), noticeNo: '第1号', publishedOn: '2026-05-01' } });
  t.equal(changed.statusCode, 409);
  t.match(changed.body, '预览之后记录有了变化');
  t.match(changed.body, '预览之后新公开', 'the updated preview is shown');
  t.equal(app.db.select().from(publications).all().length, 0);
});
