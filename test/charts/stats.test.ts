import t from 'tap';
import { build, seed } from '../helpers.ts';
import { addDays, makePledge, makeCategory } from '../public/fixtures.ts';
import { createStatsRepository } from '../../src/stats/repository.ts';

t.test('status counts put every published pledge in one part, overdue apart, drafts left out', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const d = (n: number) => addDays(fx.today, n);
  makePledge(app, fx, { status: 'pledged' });
  makePledge(app, fx, { status: 'in_progress' });
  makePledge(app, fx, { status: 'in_progress', dueOn: d(-1) });
  makePledge(app, fx, { status: 'delayed', statusReason: '缺材料', dueOn: d(-3) });
  makePledge(app, fx, { status: 'delayed', statusReason: '缺材料' });
  makePledge(app, fx, { status: 'completed', dueOn: d(-10), completedOn: d(-12) });
  makePledge(app, fx, { status: 'completed', dueOn: d(-10), completedOn: d(-2) });
  makePledge(app, fx, { status: 'cancelled', statusReason: '合并', dueOn: d(-2) });
  makePledge(app, fx, { status: 'draft', dueOn: d(-2) });
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'pledged' });
  const stats = createStatsRepository(app.db);
  t.same(await stats.statusCounts({ campaignId: fx.campaignId, leadUnitId: fx.unitA.id }), {
    pledged: 1,
    in_progress: 1,
    delayed: 1,
    overdue: 2,
    completed_on_time: 1,
    completed_late: 1,
    cancelled: 1,
  });
  t.equal((await stats.statusCounts({ leadUnitId: fx.unitB.id })).pledged, 1, 'a scope narrows to one unit');
});

t.test('monthly counts due pledges by due month and completions by completion month', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { dueOn: '2026-03-10' });
  makePledge(app, fx, { dueOn: '2026-03-31', status: 'completed', completedOn: '2026-03-20' });
  makePledge(app, fx, { dueOn: '2026-03-15', status: 'completed', completedOn: '2026-04-02' });
  makePledge(app, fx, { dueOn: '2026-03-12', status: 'cancelled', statusReason: '合并' });
  makePledge(app, fx, { dueOn: '2026-03-12', status: 'draft' });
  const cat = makeCategory(app, { slug: 'traffic', nameZh: '交通', nameEn: 'Traffic' });
  makePledge(app, fx, { dueOn: '2026-05-01', categoryId: cat });
  const stats = createStatsRepository(app.db);
  t.same(await stats.monthly({ campaignId: fx.campaignId }), [
    { month: '2026-03', due: 3, completedOnTime: 1, completedLate: 0 },
    { month: '2026-04', due: 0, completedOnTime: 0, completedLate: 1 },
    { month: '2026-05', due: 1, completedOnTime: 0, completedLate: 0 },
  ]);
  t.same(await stats.monthly({ categoryId: cat }), [{ month: '2026-05', due: 1, completedOnTime: 0, completedLate: 0 }], 'a category narrows it');
});

t.test('completion by district can be narrowed to a category', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const cat = makeCategory(app, { slug: 'traffic', nameZh: '交通', nameEn: 'Traffic' });
  makePledge(app, fx, { districtUnitId: fx.districtId, categoryId: fx.categoryId, status: 'completed', completedOn: fx.today });
  makePledge(app, fx, { districtUnitId: fx.districtId, categoryId: cat });
  const stats = createStatsRepository(app.db);
  t.same((await stats.byDistrict(fx.campaignId)).map((r) => [r.slug, r.pledges]), [['lixia', 2]]);
  t.same((await stats.byDistrict(fx.campaignId, { categoryId: cat })).map((r) => [r.slug, r.pledges, r.completed]), [['lixia', 1, 0]]);
  t.equal((await stats.scopeFigures({ categoryId: fx.categoryId })).completed, 1);
});

t.test('home and unit pages carry the status and monthly charts with their tables', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { title: '<script>alert(1)</script>', categoryId: fx.categoryId, districtUnitId: fx.districtId, status: 'completed', completedOn: fx.today });
  makePledge(app, fx, { categoryId: fx.categoryId });
  for (const url of ['/', `/units/${fx.unitA.slug}`]) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200);
    t.match(res.body, '<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-bars"', `${url} draws the status chart`);
    t.match(res.body, '<title id="chart-status-title">事项状态分布</title>');
    t.match(res.body, 'id="chart-monthly-desc"', `${url} describes the monthly chart`);
    t.match(res.body, '<summary>查看数据表</summary>', `${url} has the numbers one click away`);
    t.notMatch(res.body, '<script>alert(1)</script>');
    t.notMatch(res.body, / style="/, 'no inline style attribute anywhere');
  }
  const home = await app.inject('/?lang=en');
  t.match(home.body, 'Pledges by status');
  t.match(home.body, '<a href="/categories/water">Water, gas and heating</a>', 'category rows link to the category page');
});

t.test('a unit with no published pledge shows no charts', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const res = await app.inject(`/units/${fx.unitB.slug}`);
  t.equal(res.statusCode, 200);
  t.notMatch(res.body, 'class="chart ');
});
