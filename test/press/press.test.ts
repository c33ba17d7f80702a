import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { pledges } from '../../db/schema.ts';
import type { Fixtures } from '../helpers.ts';
import type { FastifyInstance } from 'fastify';

function addPledges(app: FastifyInstance, f: Fixtures) {
  const base = { campaignId: f.campaignId, startOn: '2020-01-01' };
  app.db
    .insert(pledges)
    .values([
      { ...base, leadUnitId: f.unitA.id, title: '<script>alert(1)</script>', status: 'in_progress', dueOn: '2020-06-30', progress: 40 },
      { ...base, leadUnitId: f.unitA.id, title: '老旧管网改造', status: 'completed', dueOn: '2020-06-30', completedOn: '2020-06-01', progress: 100 },
      { ...base, leadUnitId: f.unitB.id, title: '缓解学校周边拥堵', status: 'pledged', dueOn: '2999-12-31' },
      { ...base, leadUnitId: f.unitB.id, title: '草稿不公开', status: 'draft', dueOn: '2999-12-31' },
    ])
    .run();
}

t.test('the press desk page is for press and office admins only', async (t) => {
  const app = await build(t);
  await seed(app);
  const anonymous = await app.inject('/press');
  t.equal(anonymous.statusCode, 302);
  t.equal(anonymous.headers.location, '/login?next=%2Fpress');
  for (const who of ['editor-a', 'editor-b']) {
    t.equal((await (await login(app, who)).request({ url: '/press' })).statusCode, 403, `${who} is refused`);
  }
  for (const who of ['press', 'admin']) {
    t.equal((await (await login(app, who)).request({ url: '/press' })).statusCode, 200, `${who} gets in`);
  }
});

t.test('press lists the published pledges of the current campaign, linking to the public pages, never drafts', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  addPledges(app, f);
  const press = await login(app, 'press');
  const res = await press.request({ url: '/press' });
  t.equal(res.statusCode, 200);
  t.match(res.body, '老旧管网改造');
  t.match(res.body, '缓解学校周边拥堵');
  t.notMatch(res.body, '草稿不公开');
  t.match(res.body, /href="\/pledges\/\d+"/);
  t.match(res.body, `href="/units/${f.unitA.slug}"`);
  t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;', 'titles are shown as text');
  t.notMatch(res.body, '<script>alert(1)</script>');
  t.match(res.body, 'status-overdue', 'overdue is derived and shown');
  t.match(res.body, '即将上线', 'says notice export comes later');
  const en = await press.request({ url: '/press?lang=en' });
  t.match(en.body, 'Press desk');
  t.match(en.body, 'coming soon');
});

t.test('press filters by unit and status, overdue included; bad values are a 400 page', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  addPledges(app, f);
  const press = await login(app, 'press');
  const byUnit = await press.request({ url: `/press?unit=${f.unitB.id}&utm_campaign=x` });
  t.match(byUnit.body, '缓解学校周边拥堵');
  t.notMatch(byUnit.body, '老旧管网改造');
  const overdue = await press.request({ url: '/press?status=overdue' });
  t.match(overdue.body, 'alert(1)');
  t.notMatch(overdue.body, '老旧管网改造', 'completed is not overdue');
  t.notMatch(overdue.body, '缓解学校周边拥堵', 'not yet due is not overdue');
  const completed = await press.request({ url: '/press?status=completed' });
  t.match(completed.body, '老旧管网改造');
  t.equal((await press.request({ url: '/press?status=draft' })).statusCode, 400, 'drafts cannot be asked for');
  t.equal((await press.request({ url: '/press?unit=abc' })).statusCode, 400);
  t.equal((await press.request({ url: '/press?page=999999999' })).statusCode, 200, 'a page past the end is clamped');
});

t.test('press page without any campaign says so', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  app.db.$client.prepare('DELETE FROM campaigns WHERE id = ?').run(f.campaignId);
  const agent = await login(app, 'press');
  const res = await agent.request({ url: '/press' });
  t.equal(res.statusCode, 200);
  t.match(res.body, '目前没有活动。');
});
