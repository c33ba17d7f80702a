import t from 'tap';
import { sql } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { createRatingsRepository } from '../../src/ratings/repository.ts';
import { BURST_VOTES } from '../../src/ratings/stuffing.ts';
import { post, published, ratingRows, voterCookie } from './fixtures.ts';

/** n fresh voters (no cookie) from one address: what a script clearing its cookie looks like. */
async function flood(app: Parameters<typeof post>[0], url: string, n: number, ip: string, form: Record<string, string> = { value: 'dissatisfied' }) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await post(app, url, form, { ip }));
  return out;
}

t.test('a flood from one address is flagged, held out of the figures, and shown as awaiting review', async (t) => {
  const app = await build(t, { MIN_RATINGS: '3' });
  const f = await seed(app);
  const id = published(app, f);
  const repo = createRatingsRepository(app.db);
  // Three ordinary voters from different addresses.
  for (const [i, v] of ['satisfied', 'satisfied', 'basically_satisfied'].entries()) await post(app, `/pledges/${id}/rating`, { value: v }, { ip: `198.51.100.${i + 1}` });

  const answers = await flood(app, `/pledges/${id}/rating`, BURST_VOTES + 5, '2001:db8:1:2::7');
  t.ok(answers.every((r) => r.statusCode === 303 && r.headers.location === `/pledges/${id}?voted=1#rating`), 'every stuffer gets the normal thank-you redirect');

  const flags = app.db.all<{ id: number; status: string; voteCount: number; addressKey: string }>(sql`SELECT id, status, vote_count AS voteCount, address_key AS addressKey FROM vote_flags`);
  t.equal(flags.length, 1, 'one flag for the burst');
  t.equal(flags[0].status, 'open');
  t.equal(flags[0].addressKey, '2001:db8:1:2::/64', 'IPv6 grouped by /64');
  t.equal(flags[0].voteCount, BURST_VOTES + 5, 'every vote of the burst, the first ones included');
  const rows = ratingRows(app, `p:${id}`);
  t.equal(rows.length, 3 + BURST_VOTES + 5, 'stored, not dropped');
  t.equal(rows.filter((r) => r.flagId === flags[0].id).length, BURST_VOTES + 5);

  // Another address in the same /64 joins the same flag.
  await flood(app, `/pledges/${id}/rating`, 1, '2001:db8:1:2:ffff::1');
  t.equal(app.db.get<{ n: number }>(sql`SELECT vote_count AS n FROM vote_flags`).n, BURST_VOTES + 6);

  const figures = await repo.figuresFor({ pledgeId: id });
  t.equal(figures.web.total, 3, 'held votes are in no figure');
  t.equal(figures.web.dissatisfied, 0);
  t.equal(figures.held, BURST_VOTES + 6);
  const page = await app.inject({ url: `/pledges/${id}` });
  t.match(page.body, `另有 ${BURST_VOTES + 6} 票待核查`);
  t.match(page.body, '满意率 100%');
  t.equal((await repo.unitSatisfaction())[0].total, 3, 'nor in the league table');

  // The office accepts: the votes count.
  const admin = await login(app, 'admin');
  const queue = await admin.request({ url: '/admin/ratings' });
  t.equal(queue.statusCode, 200);
  t.match(queue.body, '2001:db8:1:2::/64');
  t.match(queue.body, `/admin/ratings/flags/${flags[0].id}`);
  const accepted = await admin.request({ method: 'POST', url: `/admin/ratings/flags/${flags[0].id}`, form: { decision: 'accept', note: '学校组织的集体评价，属实' } });
  t.equal(accepted.statusCode, 303);
  const counted = await repo.figuresFor({ pledgeId: id });
  t.equal(counted.web.total, 3 + BURST_VOTES + 6);
  t.equal(counted.held, 0);
  const audit = app.db.all<{ action: string; after: string }>(sql`SELECT action, after FROM audit_log WHERE entity = 'vote_flag'`);
  t.equal(audit.length, 1);
  t.equal(audit[0].action, 'vote_flag.accept');
  t.match(audit[0].after, '学校组织');
  const twice = await admin.request({ method: 'POST', url: `/admin/ratings/flags/${flags[0].id}`, form: { decision: 'discount' } });
  t.equal(twice.headers.location, '/admin/ratings?done=already_decided#flags', 'a decided flag stays decided');
  t.equal((await repo.figuresFor({ pledgeId: id })).web.total, 3 + BURST_VOTES + 6);
});

t.test('a discounted flag leaves its votes out for good; a later burst opens a new flag', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  const repo = createRatingsRepository(app.db);
  await flood(app, `/pledges/${id}/rating`, BURST_VOTES + 1, '192.0.2.9');
  const flag = app.db.get<{ id: number }>(sql`SELECT id FROM vote_flags`);
  const admin = await login(app, 'admin');
  t.equal((await admin.request({ method: 'POST', url: `/admin/ratings/flags/${flag.id}`, form: { decision: 'discount', note: '脚本刷票' } })).statusCode, 303);
  const figures = await repo.figuresFor({ pledgeId: id });
  t.equal(figures.web.total, 0);
  t.equal(figures.held, 0, 'discounted votes are not "awaiting review"');
  await flood(app, `/pledges/${id}/rating`, BURST_VOTES + 1, '192.0.2.9');
  const flags = app.db.all<{ status: string }>(sql`SELECT status FROM vote_flags ORDER BY id`);
  t.same(flags.map((x) => x.status), ['discounted', 'open']);
});

t.test('ordinary traffic is not flagged: a shared address under the threshold, vote changes, other targets', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const a = published(app, f);
  const b = published(app, f);
  await flood(app, `/pledges/${a}/rating`, BURST_VOTES, '100.64.0.1');
  await flood(app, `/pledges/${b}/rating`, BURST_VOTES, '100.64.0.1');
  const cookie = voterCookie(await post(app, `/pledges/${a}/rating`, { value: 'satisfied' }, { ip: '100.64.0.2' }))!;
  for (let i = 0; i < 30; i++) await post(app, `/pledges/${a}/rating`, { value: i % 2 ? 'satisfied' : 'dissatisfied' }, { ip: '100.64.0.2', cookie });
  t.equal(app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM vote_flags`).n, 0);
});

t.test('completion checks are flagged the same way', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f, { status: 'completed', progress: 100, completedOn: f.today });
  const repo = createRatingsRepository(app.db);
  await flood(app, `/pledges/${id}/check`, BURST_VOTES + 2, '192.0.2.44', { verdict: 'dispute' });
  await post(app, `/pledges/${id}/check`, { verdict: 'confirm' }, { ip: '192.0.2.45' });
  const checks = await repo.checksFor(id);
  t.same(checks, { confirm: 1, dispute: 0, held: BURST_VOTES + 2 });
});

t.test('roles on /admin/ratings: the office only', async (t) => {
  const app = await build(t);
  await seed(app);
  const anon = await app.inject({ url: '/admin/ratings' });
  t.equal(anon.statusCode, 302);
  for (const who of ['editor-a', 'press']) {
    const agent = await login(app, who);
    t.equal((await agent.request({ url: '/admin/ratings' })).statusCode, 403, who);
    t.equal((await agent.request({ method: 'POST', url: '/admin/ratings/flags/1', form: { decision: 'accept' } })).statusCode, 403, `${who} post`);
  }
  const admin = await login(app, 'admin');
  t.equal((await admin.request({ method: 'POST', url: '/admin/ratings/flags/999', form: { decision: 'accept' } })).statusCode, 404);
  t.equal((await admin.request({ method: 'POST', url: '/admin/ratings/flags/1', form: { decision: 'maybe' } })).statusCode, 400);
  const noToken = await app.inject({ method: 'POST', url: '/admin/ratings/flags/1', headers: { cookie: admin.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'decision=accept' });
  t.equal(noToken.statusCode, 403, 'the office form needs its session token');
});
