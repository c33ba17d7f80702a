// Issue 7: with the page cache on, every kind of write — a pledge edit, a deadline change,
// progress, a rating, suggestion moderation, an import, a publication — shows on the very next
// public read. Each case first proves the public views are being served from the cache (a hit),
// then writes through the real route as the real role, then reads again: a page replayed from
// before the write fails the case.
//
// Everyone who writes signs in before the cache is filled, so the only write between the cached
// read and the read after is the one under test.
import t, { type Test } from 'tap';
import { parse } from 'csv-parse/sync';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { build, seed, login, type Fixtures } from '../helpers.ts';
import { addDays, makePublished, publishedFields } from '../manage/fixtures.ts';
import { listedIds, makePledge } from '../public/fixtures.ts';
import { post as vote } from '../ratings/fixtures.ts';
import { post as postSuggestion, rows as suggestionRows, suggestionForm } from '../suggestions/fixtures.ts';
import { csvText, hotlineRows, HEADER_ZH, multipart, utf8Bom } from '../demands/upload.ts';
import { addOutlets, previewForm } from '../press/fixtures.ts';
import { createTokenRepository } from '../../src/intake/token-repository.ts';
import { BURST_VOTES } from '../../src/ratings/stuffing.ts';
import { bodiesOf, primeCache, readAfterWrite } from './cached-reads.ts';


const json = (body: string) => JSON.parse(body);

/** The league API's row for a unit. */
function leagueRow(body: string, slug: string) {
  return json(body).data.find((r: { unit: { slug: string } }) => r.unit.slug === slug);
}

/** The units table's figures for a unit (the API's). */
function unitFigures(body: string, slug: string) {
  return json(body).data.find((u: { slug: string }) => u.slug === slug).figures;
}

t.test('a pledge edit by its unit (title and standard) shows on the pledge page, the lists, the unit page and the API', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f, { title: '老旧小区供水管网改造', standard: '12 个小区全部通水验收' });
  const editor = await login(app, 'editor-a');
  // The search goes through the Chinese bigram index, which the edit must bring up to date too.
  const search = `/pledges?q=${encodeURIComponent('城区')}`;
  const urls = [`/pledges/${p.id}`, '/pledges', `/units/${f.unitA.slug}`, `/api/v1/pledges/${p.id}`, '/api/v1/pledges', { url: `/pledges/${p.id}`, language: 'en' }, search];
  const cached = await primeCache(t, app, urls);
  const before = bodiesOf(cached);
  for (const [label, body] of Object.entries(before)) t.notMatch(body, '城区供水主管网更新', `${label}: not there before`);
  t.same(listedIds(before[search]), [], 'the search finds nothing yet');

  const res = await editor.request({
    method: 'POST',
    url: `/manage/pledges/${p.id}/edit`,
    form: publishedFields(p, { title: '城区供水主管网更新', standard: '20 个小区通水验收，水压达标', amendmentReason: '群众意见：范围应扩大' }),
  });
  t.equal(res.statusCode, 303, res.body.slice(0, 300));

  const after = await readAfterWrite(t, app, cached);
  for (const [label, body] of Object.entries(after)) t.match(body, '城区供水主管网更新', `${label}: the new title`);
  t.same(listedIds(after[search]), [p.id], 'the search finds the pledge by its new title');
  t.match(after[`/pledges/${p.id}`], '20 个小区通水验收，水压达标', 'the new standard on the pledge page');
  t.match(after[`/pledges/${p.id}`], '群众意见：范围应扩大', 'with the reason in the amendment history');
  t.equal(json(after[`/api/v1/pledges/${p.id}`]).data.standard, '20 个小区通水验收，水压达标');
});

/** The deadline in a pledge page's facts. */
const dueShown = (html: string) => /<dt>完成时限<\/dt>\s*<dd><time datetime="([^"]+)"/.exec(html)?.[1];

t.test('a deadline change approved by the office shows on the pledge page, the lists, the unit page, the figures and the API', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  // Overdue now: the new date takes it off every overdue count, which are figures kept per data version.
  const p = await makePublished(app, f, { startOn: addDays(f.today, -90), dueOn: addDays(f.today, -3) });
  const editor = await login(app, 'editor-a');
  const admin = await login(app, 'admin');
  const newDue = addDays(f.today, 40);
  const requested = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/deadline-requests`, form: { requestedDueOn: newDue, requestReason: '管材供应延迟' } });
  t.equal(requested.statusCode, 303, requested.body.slice(0, 300));
  const request = app.db.get<{ id: number }>(sql`SELECT id FROM deadline_requests WHERE pledge_id = ${p.id}`)!;
  const overdueList = '/pledges?status=overdue';
  const views = [`/pledges/${p.id}`, '/pledges', `/units/${f.unitA.slug}`, `/api/v1/pledges/${p.id}`, overdueList, '/api/v1/units', '/units', '/api/v1/league', '/'];
  const cached = await primeCache(t, app, views);
  const before = bodiesOf(cached);
  t.match(before[`/pledges/${p.id}`], '待办公室审批', 'the request is public while it waits');
  t.equal(dueShown(before[`/pledges/${p.id}`]), p.dueOn, 'and the date stands');
  for (const url of ['/pledges', `/units/${f.unitA.slug}`, `/api/v1/pledges/${p.id}`]) t.notMatch(before[url], newDue, `${url}: the requested date is not the deadline yet`);
  t.same(listedIds(before[overdueList]), [p.id], 'overdue before the decision');
  t.equal(unitFigures(before['/api/v1/units'], f.unitA.slug).overdue, 1);
  t.equal(leagueRow(before['/api/v1/league'], f.unitA.slug).overdue, 1);

  const decided = await admin.request({ method: 'POST', url: `/admin/deadlines/${request.id}/decide`, form: { decision: 'approved', note: '' } });
  t.equal(decided.statusCode, 303, decided.body.slice(0, 300));

  const after = await readAfterWrite(t, app, cached);
  t.equal(dueShown(after[`/pledges/${p.id}`]), newDue, 'the pledge page shows the new deadline');
  t.match(after[`/pledges/${p.id}`], '已批准');
  t.notMatch(after[`/pledges/${p.id}`], '待办公室审批');
  for (const url of ['/pledges', `/units/${f.unitA.slug}`]) t.match(after[url], newDue, `${url}: the new deadline`);
  const api = json(after[`/api/v1/pledges/${p.id}`]).data;
  t.equal(api.dueOn, newDue);
  t.match(api.deadlineChanges, [{ oldDueOn: p.dueOn, newDueOn: newDue, reason: '管材供应延迟' }]);
  t.same(listedIds(after[overdueList]), [], 'no longer overdue');
  t.equal(unitFigures(after['/api/v1/units'], f.unitA.slug).overdue, 0, 'the units table counts it no longer');
  t.equal(leagueRow(after['/api/v1/league'], f.unitA.slug).overdue, 0, 'nor does the league table');
});

/** The progress a page's bars show (the pledge tables draw one bar per pledge). */
const barWidths = (html: string) => [...html.matchAll(/<progress class="progress-bar" max="100" value="(\d+)"/g)].map((m) => Number(m[1]));

t.test('a progress update shows on the pledge page, the lists, the unit page, the API and the updates feed', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const inProgress = '/pledges?status=in_progress';
  const views = [`/pledges/${p.id}`, '/pledges', `/units/${f.unitA.slug}`, `/api/v1/pledges/${p.id}`, '/api/v1/pledges', '/api/v1/updates', '/feeds/updates.atom', { url: '/pledges', language: 'en' }, inProgress, '/'];
  const cached = await primeCache(t, app, views);
  const before = bodiesOf(cached);
  t.same(barWidths(before['/pledges']), [0], 'the list shows no progress yet');
  t.same(listedIds(before[inProgress]), [], 'nothing is in progress yet');

  const posted = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { body: '管网改造已完成第一段', happenedOn: f.today, progress: '40', status: 'in_progress' } });
  t.equal(posted.statusCode, 303, posted.body.slice(0, 300));

  const after = await readAfterWrite(t, app, cached);
  for (const url of [`/pledges/${p.id}`, '/api/v1/updates', '/feeds/updates.atom', '/']) t.match(after[url], '管网改造已完成第一段', `${url}: the update`);
  t.same(listedIds(after[inProgress]), [p.id], 'the status filter finds it');
  for (const label of ['/pledges', '/pledges [en]', `/units/${f.unitA.slug}`]) t.same(barWidths(after[label]), [40], `${label}: the new progress`);
  t.match(json(after[`/api/v1/pledges/${p.id}`]).data, { progress: 40, status: 'in_progress' });
  t.match(json(after['/api/v1/pledges']).data, [{ id: p.id, progress: 40 }]);
});

t.test('an anonymous rating shows on the pledge page, the league table and the home page', async (t) => {
  const app = await build(t, { MIN_RATINGS: '2' });
  const f = await seed(app);
  const id = makePledge(app, f);
  t.equal((await vote(app, `/pledges/${id}/rating`, { value: 'satisfied' }, { ip: '198.51.100.1' })).statusCode, 303);
  const views = [`/pledges/${id}`, '/league', '/api/v1/league', '/'];
  const cached = await primeCache(t, app, views);
  const before = bodiesOf(cached);
  t.match(before[`/pledges/${id}`], '评价太少（1 票）');
  t.match(leagueRow(before['/api/v1/league'], f.unitA.slug).satisfaction, { satisfied: 1, dissatisfied: 0, total: 1 });

  const voted = await vote(app, `/pledges/${id}/rating`, { value: 'dissatisfied' }, { ip: '198.51.100.2' });
  t.equal(voted.statusCode, 303);

  const after = await readAfterWrite(t, app, cached);
  t.match(after[`/pledges/${id}`], '满意率 50%', 'the rate, now that the minimum sample is reached');
  t.match(after[`/pledges/${id}`], '（样本 2 票）');
  t.match(leagueRow(after['/api/v1/league'], f.unitA.slug).satisfaction, { satisfied: 1, dissatisfied: 1, total: 2, rate: 0.5 });
  t.match(after['/'], '群众满意度（2 票）');
  t.match(after['/'], '满意率 50%');
});

t.test('a rating comment the office publishes shows on the pledge page', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = makePledge(app, f);
  await vote(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: '水压终于正常了' }, { ip: '198.51.100.1' });
  const admin = await login(app, 'admin');
  const queue = await admin.request({ url: '/admin/ratings' });
  const [, ratingId, seen] = /action="\/admin\/ratings\/comments\/rating\/(\d+)"[\s\S]*?name="seen" value="([^"]+)"/.exec(queue.body)!;
  const cached = await primeCache(t, app, [`/pledges/${id}`]);
  t.notMatch(bodiesOf(cached)[`/pledges/${id}`], '水压终于正常了', 'not shown while it waits');

  const res = await admin.request({ method: 'POST', url: `/admin/ratings/comments/rating/${ratingId}`, form: { action: 'publish', seen } });
  t.equal(res.statusCode, 303);
  t.match(res.headers.location, 'done=published');

  const after = await readAfterWrite(t, app, cached);
  t.match(after[`/pledges/${id}`], '水压终于正常了');
});

/** A burst of new votes from one address: held for the office as suspected stuffing. */
async function burst(app: FastifyInstance, pledgeId: number, ip: string) {
  for (let i = 0; i < BURST_VOTES + 1; i++) await vote(app, `/pledges/${pledgeId}/rating`, { value: 'dissatisfied' }, { ip });
}

/** Three ordinary voters from three addresses, then a held burst. Returns the pledge, the office's agent and the flag's id as the office's queue links it. */
async function heldVotes(t: Test, app: FastifyInstance, f: Fixtures) {
  const id = makePledge(app, f);
  for (const [i, value] of ['satisfied', 'satisfied', 'basically_satisfied'].entries()) await vote(app, `/pledges/${id}/rating`, { value }, { ip: `198.51.100.${i + 1}` });
  await burst(app, id, '192.0.2.9');
  const admin = await login(app, 'admin');
  const queue = await admin.request({ url: '/admin/ratings' });
  const flagId = /action="\/admin\/ratings\/flags\/(\d+)"/.exec(queue.body)?.[1];
  t.ok(flagId, 'the burst is in the office’s queue');
  return { id, admin, flagId };
}

t.test('a vote flag the office discounts: the pledge page no longer shows the votes awaiting review', async (t) => {
  const app = await build(t, { MIN_RATINGS: '3' });
  const f = await seed(app);
  const { id, admin, flagId } = await heldVotes(t, app, f);
  const cached = await primeCache(t, app, [`/pledges/${id}`]);
  t.match(bodiesOf(cached)[`/pledges/${id}`], `另有 ${BURST_VOTES + 1} 票待核查`);

  const res = await admin.request({ method: 'POST', url: `/admin/ratings/flags/${flagId}`, form: { decision: 'discount', note: '脚本刷票' } });
  t.equal(res.statusCode, 303);

  const after = await readAfterWrite(t, app, cached);
  t.notMatch(after[`/pledges/${id}`], '票待核查');
  t.match(after[`/pledges/${id}`], '满意率 100%', 'the discounted votes stay out of the rate');
});

t.test('a vote flag the office accepts: the votes count on the pledge page, the league table and the home page', async (t) => {
  const app = await build(t, { MIN_RATINGS: '3' });
  const f = await seed(app);
  const { id, admin, flagId } = await heldVotes(t, app, f);
  const views = [`/pledges/${id}`, '/api/v1/league', '/league', '/'];
  const cached = await primeCache(t, app, views);
  t.match(bodiesOf(cached)[`/pledges/${id}`], '满意率 100%');
  t.match(leagueRow(bodiesOf(cached)['/api/v1/league'], f.unitA.slug).satisfaction, { total: 3, dissatisfied: 0 });

  const res = await admin.request({ method: 'POST', url: `/admin/ratings/flags/${flagId}`, form: { decision: 'accept', note: '学校组织的集体评价' } });
  t.equal(res.statusCode, 303);

  const after = await readAfterWrite(t, app, cached);
  const total = 3 + BURST_VOTES + 1;
  t.notMatch(after[`/pledges/${id}`], '票待核查');
  t.match(after[`/pledges/${id}`], `（样本 ${total} 票）`);
  t.match(leagueRow(after['/api/v1/league'], f.unitA.slug).satisfaction, { total, dissatisfied: BURST_VOTES + 1 });
  t.match(after['/'], `群众满意度（${total} 票）`);
});

t.test('a suggestion the office publishes, then the unit’s answer, show on the suggestions list, the pledge page, the API and the feed', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f);
  const admin = await login(app, 'admin');
  const editor = await login(app, 'editor-a');
  t.equal((await postSuggestion(app, suggestionForm(app, { pledgeId: String(pledgeId) }))).statusCode, 303);
  const [suggestion] = suggestionRows(app);
  const views = ['/suggestions', `/pledges/${pledgeId}`, '/api/v1/suggestions', '/feeds/suggestions.atom', '/'];
  const pending = await primeCache(t, app, views);
  for (const [url, body] of Object.entries(bodiesOf(pending))) t.notMatch(body, '增设公交站牌', `${url}: nothing before moderation`);

  const published = await admin.request({ method: 'POST', url: `/admin/suggestions/${suggestion.id}/publish`, form: {} });
  t.equal(published.statusCode, 303);

  const shown = await readAfterWrite(t, app, pending);
  for (const [url, body] of Object.entries(shown)) t.match(body, '增设公交站牌', `${url}: the published suggestion`);
  t.match(json(shown['/api/v1/suggestions']).data, [{ id: suggestion.id, pledge: { id: pledgeId }, reply: null }]);

  // The unit answers it: the pages that show the suggestion show the answer.
  const answered = await primeCache(t, app, ['/suggestions', `/pledges/${pledgeId}`, '/api/v1/suggestions']);
  const replied = await editor.request({ method: 'POST', url: `/manage/suggestions/${suggestion.id}/reply`, form: { reply: '已协调公交公司增设站牌。' } });
  t.equal(replied.statusCode, 303);
  const after = await readAfterWrite(t, app, answered);
  t.match(after[`/pledges/${pledgeId}`], '已协调公交公司增设站牌');
  t.match(after[`/pledges/${pledgeId}`], '市水务局 答复');
  t.match(after['/suggestions'], '已协调公交公司增设站牌');
  t.match(json(after['/api/v1/suggestions']).data, [{ id: suggestion.id, reply: { text: '已协调公交公司增设站牌。', unit: { slug: f.unitA.slug } } }]);
});

/** The home page's count of demands collected. */
const demandsCollected = (html: string) => /<a class="figure" href="\/demands"><span class="value">([^<]+)<\/span>/.exec(html)?.[1];

t.test('a hotline file the office imports shows on the public demands board and its statistics', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const cached = await primeCache(t, app, ['/demands', '/api/v1/demands/stats', '/']);
  t.equal(json(bodiesOf(cached)['/api/v1/demands/stats']).data.totals.reports, 0);
  t.equal(demandsCollected(bodiesOf(cached)['/']), '0');

  const body = multipart([['_csrf', admin.csrf]], { filename: 'hotline.csv', content: utf8Bom(csvText([HEADER_ZH, ...hotlineRows(3)])) });
  const res = await app.inject({ method: 'POST', url: '/admin/demands/import', headers: { ...body.headers, cookie: admin.cookie }, payload: body.payload });
  t.equal(res.statusCode, 303, res.body.slice(0, 300));

  const after = await readAfterWrite(t, app, cached);
  t.match(after['/demands'], '共 3 条');
  t.equal(after['/demands'].split('小区供水水压不足，高层住户用水困难').length - 1, 3, 'each imported ticket is listed');
  t.notMatch(after['/demands'], '13910000001', 'and still no reporter contact');
  t.match(json(after['/api/v1/demands/stats']).data.totals, { reports: 3 });
  t.match(json(after['/api/v1/demands/stats']).data.byChannel, [{ key: 'hotline_12345', count: 3 }]);
  t.equal(demandsCollected(after['/']), '3', 'the home page counts them');
});

t.test('a ticket the hotline system posts through the intake API shows on the public demands board and its statistics', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const { token } = await createTokenRepository(app.db).create({ userId: f.users.admin, username: 'admin' }, '市12345热线');
  const cached = await primeCache(t, app, ['/demands', '/api/v1/demands/stats', '/']);

  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/requests',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ service_code: 'water', description: '小区自来水发黄，有异味', address_string: '历下区文化东路12号', external_id: 'RX-API-1', district: 'lixia', phone: '13800000000' }),
  });
  t.equal(res.statusCode, 201, res.body.slice(0, 300));

  const after = await readAfterWrite(t, app, cached);
  t.match(after['/demands'], '小区自来水发黄');
  t.match(after['/demands'], '共 1 条');
  t.match(json(after['/api/v1/demands/stats']).data.totals, { reports: 1 });
  t.equal(demandsCollected(after['/']), '1', 'the home page counts it');
});

t.test('a bulk progress upload the unit applies shows on the pledge page, the list and the API', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const a1 = await makePublished(app, f, { title: '一号事项' });
  await makePublished(app, f, { title: '二号事项' }); // left as it is: the list must show both rows right
  const editor = await login(app, 'editor-a');
  // The unit's sheet as downloaded, filled in for one pledge and uploaded for the preview.
  const sheet: string[][] = parse((await editor.request({ url: '/manage/bulk/pledges.csv' })).body, { bom: true });
  const [heading, ...rows] = sheet;
  const column = (name: string) => heading.indexOf(name);
  for (const row of rows) {
    if (Number(row[0]) !== a1.id) continue;
    row[column('进度（%）')] = '60';
    row[column('进展情况')] = '完成第一批十个小区';
  }
  const upload = multipart([['_csrf', editor.csrf]], { filename: 'progress.csv', content: utf8Bom(csvText([heading, ...rows])), type: 'text/csv' });
  const previewed = await editor.request({ method: 'POST', url: '/manage/bulk/preview', payload: upload.payload, headers: upload.headers });
  t.equal(previewed.statusCode, 303, previewed.body.slice(0, 300));
  const preview = String(previewed.headers.location);
  t.match((await editor.request({ url: preview })).body, '确认更新这 1 个事项');

  const views = [`/pledges/${a1.id}`, '/pledges', `/units/${f.unitA.slug}`, `/api/v1/pledges/${a1.id}`, '/api/v1/updates', '/'];
  const cached = await primeCache(t, app, views);
  t.same(barWidths(bodiesOf(cached)['/pledges']), [0, 0]);

  const applied = await editor.request({ method: 'POST', url: `${preview}/apply`, form: {} });
  t.equal(applied.statusCode, 303, applied.body.slice(0, 300));
  t.equal(applied.headers.location, '/manage/bulk?applied=1');

  const after = await readAfterWrite(t, app, cached);
  t.match(after[`/pledges/${a1.id}`], '完成第一批十个小区');
  for (const url of ['/api/v1/updates', '/']) t.match(after[url], '完成第一批十个小区', `${url}: the update`);
  t.same(barWidths(after['/pledges']).sort((x, y) => x - y), [0, 60], 'the list shows the new progress');
  t.same(barWidths(after[`/units/${f.unitA.slug}`]).sort((x, y) => x - y), [0, 60]);
  t.match(json(after[`/api/v1/pledges/${a1.id}`]).data, { progress: 60 });
});

t.test('a notice the press desk publishes shows on /notices, the pledge page, the notices feed and the API', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  const id = makePledge(app, f, { title: '老旧管网改造' });
  const press = await login(app, 'press');
  const preview = await press.request({ url: `/press/preview?outlet=${o.daily}` });
  t.equal(preview.statusCode, 200);
  const views = ['/notices', `/pledges/${id}`, '/feeds/notices.atom', '/api/v1/notices', '/'];
  const cached = await primeCache(t, app, views);
  t.notMatch(bodiesOf(cached)[`/pledges/${id}`], '刊登过本事项的媒体公告');
  t.equal(json(bodiesOf(cached)['/api/v1/notices']).pagination.total, 0);

  const res = await press.request({ method: 'POST', url: '/press/publish', form: { ...previewForm(preview.body), publishedOn: f.today, noticeNo: '第1号' } });
  t.equal(res.statusCode, 303, res.body.slice(0, 300));
  const noticeId = Number(String(res.headers.location).split('/').pop());

  const after = await readAfterWrite(t, app, cached);
  t.match(after['/notices'], '济南日报 第1号');
  t.match(after[`/pledges/${id}`], '刊登过本事项的媒体公告');
  t.match(after[`/pledges/${id}`], `href="/notices/${noticeId}"`);
  t.match(after['/feeds/notices.atom'], `https://pledges.example.gov.cn/notices/${noticeId}`);
  t.match(json(after['/api/v1/notices']), { pagination: { total: 1 }, data: [{ id: noticeId }] });
  t.match(after['/'], `href="/notices/${noticeId}"`, 'the home page lists the latest notices');
});
