import t from 'tap';
import { eq } from 'drizzle-orm';
import { units } from '../../db/schema.ts';
import { build, seed } from '../helpers.ts';
import { makeUnit } from '../public/fixtures.ts';
import { post, published, ratingRows, voterCookie, makeWindow, VOTER } from './fixtures.ts';

t.test('a visitor rates a published pledge, sees the thank-you and the count; the cookie is set only on voting', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  const page = await app.inject({ url: `/pledges/${id}` });
  t.equal(page.statusCode, 200);
  t.same(page.cookies.filter((c) => c.name === VOTER), [], 'no voter cookie on a page view');
  t.match(page.body, 'action="/pledges/' + id + '/rating"');
  t.notMatch(page.body, 'name="_csrf"', 'no per-visitor token on the public page');

  const res = await post(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: '' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/pledges/${id}?voted=1#rating`);
  const cookie = res.cookies.find((c) => c.name === VOTER)!;
  t.ok(cookie, 'the voter cookie is set');
  t.equal(cookie.httpOnly, true);
  t.equal(cookie.secure, true, 'secure over https');
  t.equal(cookie.sameSite, 'Lax');
  t.equal(cookie.path, '/');
  t.ok((cookie.maxAge ?? 0) > 300 * 86400, 'kept for a long time');
  t.match(cookie.value, /\./, 'signed');

  const after = await app.inject({ url: `/pledges/${id}?voted=1` });
  t.match(after.body, '感谢您的评价');
  t.match(after.body, '评价太少（1 票）');
  t.equal(ratingRows(app).length, 1);
});

t.test('one standing vote per voter: voting again changes the one row', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  const first = await post(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: '进展很快' });
  const cookie = voterCookie(first)!;
  const second = await post(app, `/pledges/${id}/rating`, { value: 'dissatisfied', comment: '' }, { cookie });
  t.equal(second.statusCode, 303);
  const rows = ratingRows(app);
  t.equal(rows.length, 1);
  t.equal(rows[0].value, 'dissatisfied');
  t.equal(rows[0].comment, '进展很快', 'an empty comment keeps the earlier one');
  t.equal(rows[0].commentStatus, 'pending');
  await post(app, `/pledges/${id}/rating`, { value: 'basically_satisfied', comment: '改一下留言' }, { cookie });
  const again = ratingRows(app);
  t.equal(again.length, 1);
  t.equal(again[0].comment, '改一下留言');
  t.equal(again[0].value, 'basically_satisfied');
});

t.test('fifty parallel votes from one voter leave exactly one row', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  const cookie = voterCookie(await post(app, `/pledges/${id}/rating`, { value: 'satisfied' }))!;
  const values = ['satisfied', 'basically_satisfied', 'dissatisfied'];
  const results = await Promise.all(Array.from({ length: 50 }, (_, i) => post(app, `/pledges/${id}/rating`, { value: values[i % 3] }, { cookie })));
  t.ok(results.every((r) => r.statusCode === 303), 'all accepted');
  t.equal(ratingRows(app).length, 1);
});

t.test('a forged or tampered cookie is a new voter and never overwrites another voter', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  const alice = voterCookie(await post(app, `/pledges/${id}/rating`, { value: 'satisfied' }))!;
  const aliceId = alice.split('.')[0];
  const unsigned = await post(app, `/pledges/${id}/rating`, { value: 'dissatisfied' }, { cookie: aliceId });
  const tampered = await post(app, `/pledges/${id}/rating`, { value: 'dissatisfied' }, { cookie: `${aliceId}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA` });
  const garbage = await post(app, `/pledges/${id}/rating`, { value: 'dissatisfied' }, { cookie: 'code:1' });
  for (const r of [unsigned, tampered, garbage]) t.equal(r.statusCode, 303);
  const rows = ratingRows(app);
  t.equal(rows.length, 4, 'three new voters');
  t.equal(rows[0].value, 'satisfied', "alice's vote is untouched");
  t.equal(rows[0].voterId, aliceId);
  t.equal(new Set(rows.map((r) => r.voterId)).size, 4);
  t.notOk(rows.some((r) => r.voterId.startsWith('code:') && !r.verified), 'no web vote posing as a code vote');
  t.not(voterCookie(unsigned)!.split('.')[0], aliceId, 'the new voter gets an id of their own');
});

t.test('draft, cancelled, unknown targets and non-window units are refused and store nothing', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const draft = published(app, f, { status: 'draft' });
  const cancelled = published(app, f, { status: 'cancelled', statusReason: '合并' });
  const inProgress = published(app, f);
  const cases: [string, number][] = [
    [`/pledges/${draft}/rating`, 404],
    [`/pledges/${cancelled}/rating`, 400],
    ['/pledges/999999/rating', 404],
    ['/pledges/abc/rating', 404],
    ['/pledges/1e3/rating', 404],
    [`/units/${f.unitA.slug}/rating`, 400],
    ['/units/nowhere/rating', 404],
    [`/pledges/${inProgress}/check`, 400],
    [`/pledges/${draft}/check`, 404],
  ];
  for (const [url, status] of cases) {
    const res = await post(app, url, { value: 'satisfied', verdict: 'confirm' });
    t.equal(res.statusCode, status, url);
    t.same(res.cookies.filter((c) => c.name === VOTER), [], `${url}: no cookie`);
  }
  const cancelledRes = await post(app, `/pledges/${cancelled}/rating`, { value: 'satisfied' });
  t.match(cancelledRes.body, '已撤销');
  t.equal(ratingRows(app).length, 0);
  const draftPage = await app.inject({ url: `/pledges/${cancelled}` });
  t.notMatch(draftPage.body, `/pledges/${cancelled}/rating`, 'a cancelled pledge shows no vote form');
});

t.test('bad values and long or marked-up comments: a clear 400 with the form again; markup is stored as text and escaped', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  const missing = await post(app, `/pledges/${id}/rating`, { comment: 'hi' });
  t.equal(missing.statusCode, 400);
  t.match(missing.body, '请选择有效选项');
  t.match(missing.body, 'href="#f-value"', 'the summary links to the answers');
  t.match(missing.body, '>hi</textarea>', 'what was typed comes back');
  const wrong = await post(app, `/pledges/${id}/rating`, { value: 'ecstatic' });
  t.equal(wrong.statusCode, 400);
  const long = await post(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: '长'.repeat(10_000) });
  t.equal(long.statusCode, 400);
  t.match(long.body, '300');
  const extra = await post(app, `/pledges/${id}/rating`, { value: 'satisfied', voterId: 'x' });
  t.equal(extra.statusCode, 400, 'strict body');
  t.equal(ratingRows(app).length, 0);

  const markup = '<script>alert(1)</script><b>好</b>';
  t.equal((await post(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: markup })).statusCode, 303);
  t.equal(ratingRows(app)[0].comment, markup, 'stored as typed');
  app.db.$client.prepare(`UPDATE ratings SET comment_status = 'published'`).run();
  const page = await app.inject({ url: `/pledges/${id}` });
  t.notMatch(page.body, '<script>alert(1)</script>');
  t.match(page.body, '&lt;script&gt;alert(1)&lt;/script&gt;&lt;b&gt;好&lt;/b&gt;');
});

t.test('a cross-site post is refused', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  const res = await post(app, `/pledges/${id}/rating`, { value: 'satisfied' }, { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  t.equal(res.statusCode, 403);
  t.equal(ratingRows(app).length, 0);
});

t.test('a deactivated window keeps its page but takes no ratings or suggestions there', async (t) => {
  const app = await build(t);
  await seed(app);
  const hall = makeWindow(app);
  const before = (await app.inject({ url: `/units/${hall.slug}` })).body;
  t.match(before, `action="/units/${hall.slug}/rating"`);
  t.match(before, `<input type="hidden" name="unit" value="${hall.slug}">`);
  app.db.update(units).set({ active: false }).where(eq(units.id, hall.id)).run();
  const page = await app.inject({ url: `/units/${hall.slug}` });
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, '/rating"', 'no rating panel');
  t.notMatch(page.body, 'name="unit"', 'no suggestion form');
});

t.test('a service window takes ratings on its unit page; other units show no panel', async (t) => {
  const app = await build(t);
  await seed(app);
  const hall = makeWindow(app);
  const plain = makeUnit(app, { slug: 'plain', name: '普通单位', kind: 'city_department' });
  const page = await app.inject({ url: `/units/${hall.slug}` });
  t.match(page.body, `action="/units/${hall.slug}/rating"`);
  t.notMatch((await app.inject({ url: `/units/${plain.slug}` })).body, '/rating"');
  const res = await post(app, `/units/${hall.slug}/rating`, { value: 'basically_satisfied', comment: '排队时间有点长' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/units/${hall.slug}?voted=1#rating`);
  const rows = ratingRows(app, `u:${hall.id}`);
  t.equal(rows.length, 1);
  t.equal(rows[0].verified, 0);
  const after = await app.inject({ url: `/units/${hall.slug}?voted=1` });
  t.match(after.body, '感谢您的评价');
  t.match(after.body, '网上评价');
  t.match(after.body, '窗口验证评价');
});
