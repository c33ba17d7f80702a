import t from 'tap';
import { eq } from 'drizzle-orm';
import { parseFeed } from '@rowanmanning/feed-parser';
import { unzipSync } from 'fflate';
import { parse } from 'csv-parse/sync';
import { build, seed, login } from '../helpers.ts';
import { pledges, publications } from '../../db/schema.ts';
import { addDays, addOutlets, makePledge, publish } from '../press/fixtures.ts';
import { digest } from '../../src/notices/digest.ts';
import { doc, row } from '../press/doc-fixture.ts';

t.test('public notices: list, page, corrections, pledge pages, feed and API', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  const a = makePledge(app, f, { title: '老旧管网改造' });
  const b = makePledge(app, f, { title: '学校周边交通疏导', leadUnitId: f.unitB.id });
  const press = await login(app, 'press');
  const first = await publish(press, `outlet=${o.daily}`, { noticeNo: '第1号' });
  const firstId = Number((first.headers.location as string).split('/').pop());
  const fix = await publish(press, `outlet=${o.daily}&unit=${f.unitA.slug}`, { noticeNo: '第2号', corrects: String(firstId) });
  t.equal(fix.statusCode, 303);
  const fixId = Number((fix.headers.location as string).split('/').pop());
  t.equal(app.db.select().from(publications).where(eq(publications.id, fixId)).get()!.correctsId, firstId);
  const tvFirst = await publish(press, `outlet=${o.tv}`, { noticeNo: 'TV-1' });
  const tvId = Number((tvFirst.headers.location as string).split('/').pop());
  const wrong = await publish(press, `outlet=${o.daily}`, { noticeNo: '第3号', corrects: String(tvId) });
  t.equal(wrong.statusCode, 400, 'a correction names a notice of the same outlet');
  t.match(wrong.body, '只能更正同一媒体以前的公告');

  const list = await app.inject('/notices');
  t.equal(list.statusCode, 200);
  t.match(list.body, '济南日报 第1号');
  t.match(list.body, '济南电视台 TV-1');
  t.match(list.body, '本公告更正第1号公告');
  t.match(list.body, `href="/notices/${firstId}/files/pdf_a4"`);
  t.match(list.body, '<link rel="alternate" type="application/atom+xml"');
  t.notMatch(list.headers['set-cookie'] ?? '', /./, 'no cookie on a public page');

  const page = await app.inject(`/notices/${firstId}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, '本公告已被更正');
  t.match(page.body, `href="/notices/${fixId}"`);
  t.match(page.body, `href="/pledges/${a}"`);
  t.match(page.body, `href="/pledges/${b}"`);
  const fixPage = await app.inject(`/notices/${fixId}`);
  t.match(fixPage.body, '本公告更正第1号公告');
  t.equal((await app.inject('/notices/0')).statusCode, 404);
  t.equal((await app.inject('/notices/abc')).statusCode, 404);
  t.equal((await app.inject('/notices/9999')).statusCode, 404);

  const home = await app.inject('/');
  t.match(home.body, '最新媒体公告');
  t.match(home.body, `href="/notices/${tvId}"`);

  const pledgePage = await app.inject(`/pledges/${a}`);
  t.match(pledgePage.body, '刊登过本事项的媒体公告');
  t.match(pledgePage.body, `href="/notices/${fixId}"`);
  t.match(pledgePage.body, `href="/notices/${firstId}"`);
  const other = makePledge(app, f, { title: '从未刊登' });
  t.notMatch((await app.inject(`/pledges/${other}`)).body, '刊登过本事项的媒体公告');

  const feed = await app.inject('/feeds/notices.atom');
  t.equal(feed.statusCode, 200);
  t.match(feed.headers['content-type'], 'application/atom+xml');
  const parsed = parseFeed(feed.body);
  t.equal(parsed.items.length, 3);
  t.match(parsed.items[0].title, '济南电视台 TV-1');
  t.equal(parsed.items[0].url, `https://pledges.example.gov.cn/notices/${tvId}`);
  t.match((await app.inject('/feeds')).body, '/feeds/notices.atom');

  const api = await app.inject('/api/v1/notices');
  t.equal(api.statusCode, 200);
  const body = api.json();
  t.equal(body.pagination.total, 3);
  const one = body.data.find((n: { id: number }) => n.id === fixId);
  t.equal(one.corrects.id, firstId);
  t.equal(one.files.length, 8);
  t.equal(one.files[0].url, `https://pledges.example.gov.cn/notices/${fixId}/files/${one.files[0].format}`);
  const detail = await app.inject(`/api/v1/notices/${firstId}`);
  t.equal(detail.statusCode, 200);
  t.same(detail.json().data.pledges.map((p: { pledgeId: number }) => p.pledgeId), [a, b]);
  t.same(detail.json().data.correctedBy.map((c: { id: number }) => c.id), [fixId]);
  t.equal((await app.inject('/api/v1/notices/9999')).statusCode, 404);
  t.equal((await app.inject('/api/v1/notices?bogus=1')).statusCode, 400);

  const bundle = unzipSync(new Uint8Array((await app.inject('/open-data/bundle.zip')).rawPayload));
  const csvRows = parse(Buffer.from(bundle['notices.csv']).toString('utf8'), { bom: true, columns: true }) as Record<string, string>[];
  t.same(csvRows.map((r) => r.notice_no), ['第1号', '第2号', 'TV-1']);
  t.equal(csvRows[0].pledge_ids, `${a} ${b}`);
  t.equal(csvRows[1].corrects_id, String(firstId));
  const json = JSON.parse(Buffer.from(bundle['notices.json']).toString('utf8'));
  t.equal(json[2].url, `https://pledges.example.gov.cn/notices/${tvId}`);
});

t.test('digest between two notices of one outlet, from their snapshots', async (t) => {
  const older = doc([
    row({ pledgeId: 1, title: '将完成' }),
    row({ pledgeId: 2, title: '将逾期' }),
    row({ pledgeId: 3, title: '改期限', dueOn: '2026-06-30' }),
    row({ pledgeId: 4, title: '不再列入' }),
    row({ pledgeId: 6, title: '一直逾期', overdue: true }),
  ]);
  const newer = doc([
    row({ pledgeId: 1, title: '将完成', status: 'completed', statusLabel: '已完成' }),
    row({ pledgeId: 2, title: '将逾期', overdue: true }),
    row({ pledgeId: 3, title: '改期限', dueOn: '2026-09-30' }),
    row({ pledgeId: 5, title: '新列入' }),
    row({ pledgeId: 6, title: '一直逾期', overdue: true }),
  ]);
  const d = digest(older, newer);
  t.same(d.completed.map((e) => e.pledgeId), [1]);
  t.same(d.newlyOverdue.map((e) => e.pledgeId), [2], 'overdue in both is not newly overdue');
  t.same(d.deadlineMoved.map((e) => [e.pledgeId, e.before!.dueOn, e.after!.dueOn]), [[3, '2026-06-30', '2026-09-30']]);
  t.same(d.added.map((e) => e.pledgeId), [5]);
  t.same(d.dropped.map((e) => e.pledgeId), [4]);
});

t.test('digest page compares with the outlet’s previous notice by default', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  const p1 = makePledge(app, f, { title: '期限将变' });
  const press = await login(app, 'press');
  const first = Number(((await publish(press, `outlet=${o.radio}`, { noticeNo: '1' })).headers.location as string).split('/').pop());
  t.match((await app.inject(`/notices/${first}/digest`)).body, '该媒体没有更早的公告可比较');
  app.db.update(pledges).set({ dueOn: addDays(f.today, 90) }).where(eq(pledges.id, p1)).run();
  makePledge(app, f, { title: '后来新增' });
  const second = Number(((await publish(press, `outlet=${o.radio}`, { noticeNo: '2' })).headers.location as string).split('/').pop());
  const tv = Number(((await publish(press, `outlet=${o.tv}`, { noticeNo: '1' })).headers.location as string).split('/').pop());
  const page = await app.inject(`/notices/${second}/digest`);
  t.equal(page.statusCode, 200);
  t.match(page.body, '完成时限有变更的事项');
  t.match(page.body, /新列入的事项 <span class="meta">\(1\)/);
  t.match(page.body, '后来新增');
  t.match(page.body, /完成时限有变更的事项 <span class="meta">\(1\)/);
  t.equal((await app.inject(`/notices/${second}/digest?against=${first}`)).statusCode, 200);
  t.equal((await app.inject(`/notices/${second}/digest?against=${tv}`)).statusCode, 400, 'another outlet');
  t.equal((await app.inject(`/notices/${second}/digest?against=abc`)).statusCode, 400);
  t.equal((await app.inject(`/notices/${second}/digest?against=9999`)).statusCode, 404);
});
