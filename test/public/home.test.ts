import t from 'tap';
import { build, seed } from '../helpers.ts';
import { addDays, addUpdate, makePledge, makeUnit } from './fixtures.ts';
import { createStatsRepository } from '../../src/stats/repository.ts';

/** The figure tile's value for a label, as the home page prints it. */
function figure(html: string, label: string): string | undefined {
  const m = new RegExp(`<span class="value">([^<]*)</span><span class="label">${label}`).exec(html);
  return m?.[1];
}

t.test('home page with no campaign shows a friendly empty state in both languages', async (t) => {
  const app = await build(t);
  const zh = await app.inject('/');
  t.equal(zh.statusCode, 200);
  t.match(zh.body, '暂无活动');
  const en = await app.inject('/?lang=en');
  t.equal(en.statusCode, 200);
  t.match(en.body, 'No campaign yet');
});

t.test('home page shows the current campaign, its figures and sections in both languages', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { title: '冬季供暖保障', tier: 'major', categoryId: fx.categoryId, districtUnitId: fx.districtId });
  const zh = await app.inject('/');
  t.equal(zh.statusCode, 200);
  for (const s of ['深入基层、服务群众', '总体情况', '参与单位', '按期完成率', '市级重点实事', '最新进展', '各类别完成情况', '各区县完成情况', '冬季供暖保障', '供水供气供暖', '历下区']) {
    t.match(zh.body, s, `zh shows ${s}`);
  }
  t.match(zh.body, '<meta name="description"');
  const en = await app.inject('/?lang=en');
  t.equal(en.statusCode, 200);
  for (const s of ['At a glance', 'Units taking part', 'Completed on time', 'City-level major items', 'Latest progress', 'Completion by category', 'Completion by district', 'Water, gas and heating']) {
    t.match(en.body, s, `en shows ${s}`);
  }
});

t.test('headline figures and the on-time rate are computed from a known set, drafts left out', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const d = (n: number) => addDays(fx.today, n);
  const unitC = makeUnit(app, { slug: 'unit-c', name: '丙单位', kind: 'enterprise' });
  makePledge(app, fx, { status: 'completed', progress: 100, dueOn: d(-10), completedOn: d(-12) }); // on time
  makePledge(app, fx, { status: 'completed', progress: 100, dueOn: d(-10), completedOn: d(-5) }); // late
  makePledge(app, fx, { status: 'in_progress', dueOn: d(-1) }); // overdue
  makePledge(app, fx, { status: 'delayed', statusReason: '缺材料', dueOn: d(-3) }); // delayed and overdue
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'in_progress', dueOn: d(10) }); // open
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'pledged', dueOn: d(0) }); // due today: not overdue yet
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'cancelled', statusReason: '合并', dueOn: d(-2) }); // left out of the rate
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'draft', dueOn: d(-1) });
  makePledge(app, fx, { leadUnitId: unitC.id, status: 'draft', dueOn: d(-1) });

  const stats = createStatsRepository(app.db);
  const h = await stats.headline(fx.campaignId);
  t.same(
    { units: h.units, pledges: h.pledges, completed: h.completed, open: h.open, overdue: h.overdue, cancelled: h.cancelled, onTime: h.completedOnTime, due: h.dueOrCompleted },
    { units: 2, pledges: 7, completed: 2, open: 2, overdue: 2, cancelled: 1, onTime: 1, due: 4 },
  );
  t.equal(h.onTimeRate, 0.25);

  const res = await app.inject('/');
  t.equal(figure(res.body, '参与单位'), '2');
  t.equal(figure(res.body, '公开承诺'), '7');
  t.equal(figure(res.body, '已完成'), '2');
  t.equal(figure(res.body, '推进中'), '2');
  t.equal(figure(res.body, '逾期'), '2');
  t.equal(figure(res.body, '按期完成率'), '25%');
  t.match(res.body, '1 / 4 项');
  t.match(res.body, '另有 1 项已撤销');
});

t.test('the on-time rate shows a dash when nothing is due yet', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { dueOn: addDays(fx.today, 5) });
  const res = await app.inject('/');
  t.equal(figure(res.body, '按期完成率'), '—');
  t.match(res.body, '尚无到期事项');
  const en = await app.inject('/?lang=en');
  t.equal(figure(en.body, 'Completed on time'), '—');
});

t.test('major items are the published top-level city-level items with lead unit, status and progress', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const major = makePledge(app, fx, { title: '城区道路拥堵治理', tier: 'major', leadUnitId: fx.unitB.id, progress: 40, dueOn: addDays(fx.today, -1) });
  makePledge(app, fx, { title: '子任务不在首页', tier: 'major', parentId: major });
  makePledge(app, fx, { title: '草稿重点实事', tier: 'major', status: 'draft' });
  makePledge(app, fx, { title: '单位认领事项', tier: 'unit' });
  const res = await app.inject('/');
  const section = res.body.slice(res.body.indexOf('id="h-major"'), res.body.indexOf('id="h-latest"'));
  t.match(section, `<a href="/pledges/${major}">城区道路拥堵治理</a>`);
  t.match(section, '<a href="/units/traffic-police">市交警支队</a>');
  t.match(section, '40%');
  t.match(section, 'status-overdue');
  t.notMatch(section, '子任务不在首页');
  t.notMatch(section, '草稿重点实事');
  t.notMatch(section, '单位认领事项');
});

t.test('latest updates list the newest ten on published pledges, with links', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const published = makePledge(app, fx, { title: '公开事项' });
  const draft = makePledge(app, fx, { title: '草稿事项', status: 'draft' });
  for (let i = 1; i <= 12; i++) {
    addUpdate(app, published, { unitId: fx.unitA.id, body: `第${i}次进展`, progress: i * 5, createdAt: `2025-01-${String(i).padStart(2, '0')}T00:00:00.000Z` });
  }
  addUpdate(app, draft, { unitId: fx.unitA.id, body: '草稿的进展', createdAt: '2025-02-01T00:00:00.000Z' });
  const res = await app.inject('/');
  const section = res.body.slice(res.body.indexOf('id="h-latest"'), res.body.indexOf('id="h-by-category"'));
  t.match(section, `<a href="/pledges/${published}">公开事项</a>`);
  t.match(section, '第12次进展');
  t.match(section, '第3次进展');
  t.notMatch(section, '第2次进展', 'only ten are shown');
  t.notMatch(section, '草稿的进展');
  t.ok(section.indexOf('第12次进展') < section.indexOf('第11次进展'), 'newest first');
});

t.test('a long update is cut short on the home page and shown whole on the pledge page', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx);
  addUpdate(app, id, { unitId: fx.unitA.id, body: '长'.repeat(200) });
  const home = await app.inject('/');
  t.match(home.body, '长'.repeat(120) + '…');
  t.notMatch(home.body, '长'.repeat(121));
  const page = await app.inject(`/pledges/${id}`);
  t.match(page.body, '长'.repeat(200));
});

t.test('completion by category and by district count published pledges only', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: fx.districtId, status: 'completed', progress: 100, completedOn: fx.today });
  makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: fx.districtId });
  makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: fx.districtId, status: 'draft' });
  const stats = createStatsRepository(app.db);
  const [cat] = await stats.byCategory(fx.campaignId);
  t.same([cat.slug, cat.pledges, cat.completed], ['water', 2, 1]);
  const [district] = await stats.byDistrict(fx.campaignId);
  t.same([district.slug, district.pledges, district.completed], ['lixia', 2, 1]);
  const res = await app.inject('/');
  t.match(res.body, '<span class="visually-hidden">完成比例 </span>50%');
});

t.test('the home page stays bounded: twelve major items and a link to all of them', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  for (let i = 0; i < 15; i++) makePledge(app, fx, { title: `重点实事${String(i).padStart(2, '0')}`, tier: 'major' });
  const res = await app.inject('/');
  const section = res.body.slice(res.body.indexOf('id="h-major"'), res.body.indexOf('id="h-latest"'));
  t.equal((section.match(/class="card major-item"/g) ?? []).length, 12);
  t.match(section, `href="/pledges?campaign=${fx.campaignId}&amp;tier=major">查看全部 15 项市级重点实事`);
  const few = await build(t);
  const fewFx = await seed(few);
  makePledge(few, fewFx, { title: '唯一重点实事', tier: 'major' });
  t.notMatch((await few.inject('/')).body, /查看全部 \d+ 项市级重点实事/, 'no link when every item is shown');
});
