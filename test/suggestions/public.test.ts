import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { FORM, auditFor, post, row, rows, startedField, suggestionForm } from './fixtures.ts';
import { SUGGESTIONS_PER_DAY, SUGGESTIONS_PER_HOUR } from '../../src/suggestions/public-routes.ts';
import { addressKey } from '../../src/app.ts';
import { suggestions } from '../../db/schema.ts';

t.test('the form page serves a signed time and a honeypot, and sets no cookie', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f, { title: '老旧小区供水管网改造' });
  for (const url of [`/suggest?pledge=${pledgeId}`, `/suggest?unit=${f.unitA.slug}`, '/suggest']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200, url);
    t.same(res.cookies, [], `${url}: no cookie on view, the page can be cached`);
    t.match(res.body, /name="started" value="[^"]+"/);
    t.match(res.body, 'name="website"');
    t.notMatch(res.body, 'name="_csrf"', 'no per-visitor token');
  }
  t.match((await app.inject({ url: `/suggest?pledge=${pledgeId}` })).body, `name="pledgeId" value="${pledgeId}"`);
  t.match((await app.inject({ url: `/suggest?unit=${f.unitA.slug}` })).body, `name="unit" value="${f.unitA.slug}"`);
  t.match((await app.inject({ url: '/suggest?lang=en' })).body, 'What happens to your suggestion');
});

t.test('a suggestion on a pledge is stored pending and is not public', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f, { leadUnitId: f.unitB.id });
  const res = await post(app, suggestionForm(app, { pledgeId: String(pledgeId) }));
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/suggestions/received?pledge=${pledgeId}`);
  const [s] = rows(app);
  t.equal(s.status, 'pending');
  t.equal(s.targetKind, 'pledge');
  t.equal(s.pledgeId, pledgeId);
  t.equal(s.unitId, f.unitB.id, "addressed to the pledge's lead unit");
  t.equal(s.campaignId, f.campaignId);
  t.equal(s.authorName, '老王');
  t.equal(s.authorContact, '13912345678');
  t.equal(s.addressKey, addressKey('127.0.0.1'));

  const received = await app.inject({ url: res.headers.location as string });
  t.equal(received.statusCode, 200);
  t.match(received.body, '等待活动办公室审核');
  for (const url of [`/pledges/${pledgeId}`, '/suggestions', `/suggestions?pledge=${pledgeId}`]) {
    const page = await app.inject({ url });
    t.equal(page.statusCode, 200, url);
    t.notMatch(page.body, '增设公交站牌', `${url}: a pending suggestion is not shown`);
  }
  const audit = auditFor(app, s.id);
  t.equal(audit.length, 1);
  t.equal(audit[0].action, 'suggestion.create');
  t.equal(audit[0].ip, '', "the author's address is not in the permanent log");
  t.notMatch(JSON.stringify(audit[0]), '13912345678');
});

t.test('suggestions on a unit and on the campaign', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const unit = await post(app, suggestionForm(app, { unit: f.unitA.slug }));
  t.equal(unit.statusCode, 303);
  t.equal(unit.headers.location, `/suggestions/received?unit=${f.unitA.slug}`);
  const campaign = await post(app, suggestionForm(app));
  t.equal(campaign.statusCode, 303);
  t.equal(campaign.headers.location, '/suggestions/received');
  const [a, b] = rows(app);
  t.same([a.targetKind, a.unitId, a.pledgeId], ['unit', f.unitA.id, null]);
  t.same([b.targetKind, b.unitId, b.pledgeId, b.campaignId], ['campaign', null, null, f.campaignId]);
});

t.test('unknown and draft targets: 404 for the form and for a post, nothing stored', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const draft = makePledge(app, f, { status: 'draft' });
  t.equal((await app.inject({ url: `/suggest?pledge=${draft}` })).statusCode, 404, 'a draft is not public');
  t.equal((await app.inject({ url: '/suggest?pledge=999999' })).statusCode, 404);
  t.equal((await app.inject({ url: '/suggest?unit=no-such-unit' })).statusCode, 404);
  t.equal((await app.inject({ url: '/suggest?pledge=abc' })).statusCode, 400, 'a malformed id is a bad request');
  t.equal((await post(app, suggestionForm(app, { pledgeId: String(draft) }))).statusCode, 404);
  t.equal((await post(app, suggestionForm(app, { pledgeId: '999999' }))).statusCode, 404);
  t.equal((await post(app, suggestionForm(app, { pledgeId: 'x' }))).statusCode, 404);
  t.equal((await post(app, suggestionForm(app, { unit: 'no-such-unit' }))).statusCode, 404);
  t.equal((await post(app, suggestionForm(app, { unit: f.unitA.slug, pledgeId: String(makePledge(app, f)) }))).statusCode, 404, 'two targets at once');
  t.equal((await app.inject({ url: '/suggestions?pledge=999999' })).statusCode, 400);
  t.equal(rows(app).length, 0);
});

t.test('a 10,000-character text is refused with a message and the input kept; so are short, empty and unknown fields', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f);
  const long = '很长的建议'.repeat(2000);
  const res = await post(app, suggestionForm(app, { pledgeId: String(pledgeId), body: long, name: '张三<b>' }));
  t.equal(res.statusCode, 400);
  t.match(res.body, /id="f-body-error"/);
  t.match(res.body, '不能超过 1000 个字符');
  t.match(res.body, long, 'the text is shown again as typed');
  t.match(res.body, 'value="张三&lt;b&gt;"', 'and the name, escaped');
  t.match(res.body, `name="pledgeId" value="${pledgeId}"`, 'still about the same pledge');
  t.match(res.body, /name="started" value="[^"]+"/, 'with a fresh time');

  const short = await post(app, suggestionForm(app, { body: '太短' }));
  t.equal(short.statusCode, 400);
  t.match(short.body, /id="f-body-error"/);
  const empty = await post(app, suggestionForm(app, { body: '   ' }));
  t.equal(empty.statusCode, 400);
  const extra = await post(app, { ...suggestionForm(app), status: 'published' });
  t.equal(extra.statusCode, 400, 'an unknown field');
  const en = await app.inject({ method: 'POST', url: '/suggestions?lang=en', headers: FORM, payload: new URLSearchParams(suggestionForm(app, { body: long })).toString() });
  t.match(en.body, 'at most 1000', 'the message in the page language');
  t.equal(rows(app).length, 0);
});

t.test('robots are turned away: honeypot, too fast, forged or stale time, another site', async (t) => {
  const app = await build(t);
  await seed(app);
  const honeypot = await post(app, suggestionForm(app, { website: 'http://spam.example' }));
  t.equal(honeypot.statusCode, 400);
  t.match(honeypot.body, '提交未被接受');
  const fast = await post(app, suggestionForm(app, { started: startedField(app, 500) }));
  t.equal(fast.statusCode, 400);
  t.match(fast.body, '请核对填写内容后再提交一次');
  t.match(fast.body, '增设公交站牌', 'the text is kept to send again');
  t.equal((await post(app, suggestionForm(app, { started: String(Date.now() - 60_000) }))).statusCode, 400, 'an unsigned time');
  t.equal((await post(app, suggestionForm(app, { started: startedField(app, 2 * 86_400_000) }))).statusCode, 400, 'a form served two days ago');
  t.equal((await post(app, { ...suggestionForm(app), started: '' })).statusCode, 400, 'no time');
  const crossSite = await post(app, suggestionForm(app), { headers: { ...FORM, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
  t.equal(crossSite.statusCode, 403);
  t.equal(rows(app).length, 0, 'nothing was stored');
});

t.test('one address may send only so many an hour (IPv6 by /64), and so many a day across restarts', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  for (let i = 0; i < SUGGESTIONS_PER_HOUR; i++) t.equal((await post(app, suggestionForm(app), { ip: `2001:db8:1:2::${i + 1}` })).statusCode, 303);
  t.equal((await post(app, suggestionForm(app), { ip: '2001:db8:1:2:ffff::1' })).statusCode, 429, 'the same /64 is the same subscriber');
  t.equal((await post(app, suggestionForm(app), { ip: '2001:db8:1:3::1' })).statusCode, 303, 'the next /64 is someone else');
  t.equal((await app.inject({ url: '/suggest', remoteAddress: '2001:db8:1:2::1' })).statusCode, 200, 'reading the form is not limited');

  // The daily cap counts what is stored, so it holds after the in-memory limiter forgets.
  const key = addressKey('198.51.100.7');
  const values = Array.from({ length: SUGGESTIONS_PER_DAY }, () => ({ campaignId: f.campaignId, targetKind: 'campaign' as const, body: '早先的一条建议内容', addressKey: key }));
  app.db.transaction((tx) => {
    for (const v of values) tx.insert(suggestions).values(v).run();
  });
  const capped = await post(app, suggestionForm(app), { ip: '198.51.100.7' });
  t.equal(capped.statusCode, 429);
  t.match(capped.body, '请明天再试');
  t.match(capped.body, '增设公交站牌', 'the text is kept');
  t.equal(rows(app).filter((r) => r.addressKey === key).length, SUGGESTIONS_PER_DAY, 'nothing more stored');
});

t.test('a suggestion with markup shows as text everywhere', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f);
  await post(app, suggestionForm(app, { pledgeId: String(pledgeId), body: '<script>alert(1)</script> 请修路灯 <img src=x onerror=alert(1)>', name: '<b>王</b>' }));
  const s = rows(app)[0];
  app.db.$client.prepare("UPDATE suggestions SET status = 'published', reply = '<a href=x>回复</a>', reply_unit_id = ?, replied_at = ? WHERE id = ?").run(f.unitA.id, new Date().toISOString(), s.id);
  t.equal(row(app, s.id).body, '<script>alert(1)</script> 请修路灯 <img src=x onerror=alert(1)>', 'stored as sent');
  for (const url of [`/pledges/${pledgeId}`, '/suggestions', `/suggestions?pledge=${pledgeId}`, '/']) {
    const page = await app.inject({ url });
    t.equal(page.statusCode, 200, url);
    t.notMatch(page.body, '<script>alert(1)</script>', url);
    t.notMatch(page.body, '<img src=x', url);
    t.notMatch(page.body, '<b>王</b>', url);
    t.notMatch(page.body, '<a href=x>', url);
    t.match(page.body, '&lt;script&gt;alert(1)&lt;/script&gt;', url);
  }
});
