import t from 'tap';
import { campaigns } from '../../db/schema.ts';
import { build, seed } from '../helpers.ts';
import { addAmendment, addDays, addDeadlineChange, addUpdate, listedIds, makePledge } from './fixtures.ts';
import { createPledgeQueries } from '../../src/pledges/queries.ts';

t.test('pledge page shows the whole pledge in both languages', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, {
    title: '冬季供暖保障',
    tier: 'major',
    commitment: '确保全市居民冬季室温不低于18度',
    standard: '抽查室温达标率100%',
    leadOfficial: '张副市长',
    responsiblePerson: '李处长',
    categoryId: fx.categoryId,
    districtUnitId: fx.districtId,
    startOn: '2025-01-10',
    dueOn: addDays(fx.today, 40),
    progress: 35,
    coUnitIds: [fx.unitB.id],
  });
  const zh = await app.inject(`/pledges/${id}`);
  t.equal(zh.statusCode, 200);
  for (const s of [
    '<h1>冬季供暖保障</h1>',
    '市级重点实事',
    '推进中',
    '35%',
    '确保全市居民冬季室温不低于18度',
    '抽查室温达标率100%',
    '<a href="/units/water-bureau">市水务局</a>',
    '<a href="/units/traffic-police">市交警支队</a>',
    '张副市长',
    '李处长',
    '供水供气供暖',
    '<a href="/units/lixia">历下区</a>',
    '2025年1月10日',
    '深入基层、服务群众',
    '进展时间线',
    '完成时限调整记录',
    '承诺内容修改记录',
    '<meta name="description" content="确保全市居民冬季室温不低于18度">',
    `<link rel="canonical" href="https://pledges.example.gov.cn/pledges/${id}">`,
  ]) {
    t.match(zh.body, s, `zh: ${s}`);
  }
  t.match(zh.body, /class="breadcrumbs"[\s\S]*承诺事项[\s\S]*冬季供暖保障/);
  const en = await app.inject(`/pledges/${id}?lang=en`);
  t.equal(en.statusCode, 200);
  for (const s of ['City-level major item', 'In progress', 'Standard of done', 'Lead unit', 'Co-units', 'Lead official', 'Responsible person', 'Water, gas and heating', 'Progress timeline', 'Due date changes', 'Changes to the commitment', '10 Jan 2025']) {
    t.match(en.body, s, `en: ${s}`);
  }
});

t.test('drafts, unknown ids and ids that are not integers are 404', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const draft = makePledge(app, fx, { title: '草稿', status: 'draft' });
  for (const url of [`/pledges/${draft}`, '/pledges/999', '/pledges/abc', '/pledges/1.5', '/pledges/-1', '/pledges/0', '/pledges/99999999999999', '/pledges/1e3']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 404, url);
  }
  const res = await app.inject(`/pledges/${draft}?lang=en`);
  t.match(res.body, 'Page not found');
});

t.test('overdue is derived: due yesterday in Asia/Shanghai and not done shows 逾期 / Overdue', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const late = makePledge(app, fx, { dueOn: addDays(fx.today, -1), status: 'in_progress' });
  const dueToday = makePledge(app, fx, { dueOn: fx.today, status: 'in_progress' });
  const zh = await app.inject(`/pledges/${late}`);
  t.match(zh.body, '<span class="status status-overdue">逾期</span>');
  t.match(zh.body, '已超过完成时限 1 天');
  const en = await app.inject(`/pledges/${late}?lang=en`);
  t.match(en.body, '<span class="status status-overdue">Overdue</span>');
  const today = await app.inject(`/pledges/${dueToday}`);
  t.notMatch(today.body, 'status-overdue', 'due today is not overdue yet');
});

t.test('completed pledges are never overdue, and on time is told apart from late', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const onTime = makePledge(app, fx, { status: 'completed', progress: 100, dueOn: addDays(fx.today, -10), completedOn: addDays(fx.today, -10) });
  const late = makePledge(app, fx, { status: 'completed', progress: 100, dueOn: addDays(fx.today, -10), completedOn: addDays(fx.today, -7) });
  const cancelled = makePledge(app, fx, { status: 'cancelled', statusReason: '与其他事项合并办理', dueOn: addDays(fx.today, -10) });
  const a = await app.inject(`/pledges/${onTime}`);
  t.notMatch(a.body, 'status-overdue');
  t.match(a.body, '在完成时限内');
  t.match(a.body, '按期完成');
  const b = await app.inject(`/pledges/${late}`);
  t.notMatch(b.body, 'status-overdue');
  t.match(b.body, '晚于完成时限 3 天');
  t.match(b.body, '>逾期完成<');
  const bEn = await app.inject(`/pledges/${late}?lang=en`);
  t.match(bEn.body, '>Completed late<');
  t.match(bEn.body, '3 days after its due date');
  const c = await app.inject(`/pledges/${cancelled}`);
  t.notMatch(c.body, 'status-overdue');
  t.match(c.body, '撤销原因');
  t.match(c.body, '与其他事项合并办理');
});

t.test('overdue follows the campaign\'s own time zone around midnight', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const east = app.db.insert(campaigns).values({ slug: 'east', name: '东', startsOn: '2025-01-01', endsOn: '2025-12-31', timeZone: 'Pacific/Kiritimati' }).returning().get();
  const shanghai = makePledge(app, fx, { dueOn: '2025-03-01' });
  const kiritimati = makePledge(app, fx, { campaignId: east.id, dueOn: '2025-03-01' });
  // 15:30 UTC: 23:30 on 1 March in Shanghai, already 05:30 on 2 March in Kiritimati (UTC+14).
  const queries = createPledgeQueries(app.db, { now: () => new Date('2025-03-01T15:30:00Z') });
  t.equal((await queries.detail(shanghai))!.pledge.display.overdue, false, 'still the due day in Shanghai');
  t.equal((await queries.detail(kiritimati))!.pledge.display.overdue, true, 'past the due day in Kiritimati');
  const overdue = await queries.list({ status: 'overdue' });
  t.same(overdue.rows.map((r) => r.id), [kiritimati], 'the overdue filter agrees');
  const later = createPledgeQueries(app.db, { now: () => new Date('2025-03-01T16:00:00Z') });
  t.equal((await later.detail(shanghai))!.pledge.display.overdue, true, 'midnight in Shanghai makes it overdue');
});

t.test('timeline lists every update newest first with unit, progress, status change and reason', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { status: 'delayed', statusReason: '管材供货延迟', coUnitIds: [fx.unitB.id] });
  addUpdate(app, id, { unitId: fx.unitA.id, happenedOn: '2025-03-01', body: '完成勘察设计', progress: 20, status: 'in_progress' });
  addUpdate(app, id, { unitId: fx.unitB.id, happenedOn: '2025-04-01', body: '配合完成交通疏导方案', progress: 40 });
  addUpdate(app, id, { unitId: fx.unitA.id, happenedOn: '2025-05-01', body: '管材未能按期到货', status: 'delayed', reason: '管材供货延迟' });
  const res = await app.inject(`/pledges/${id}`);
  const timeline = res.body.slice(res.body.indexOf('id="h-timeline"'), res.body.indexOf('id="h-deadlines"'));
  const order = ['管材未能按期到货', '配合完成交通疏导方案', '完成勘察设计'].map((s) => timeline.indexOf(s));
  t.ok(order.every((i) => i > 0), 'every update is shown');
  t.ok(order[0] < order[1] && order[1] < order[2], 'newest first');
  t.match(timeline, '2025年5月1日');
  t.match(timeline, '<a href="/units/traffic-police">市交警支队</a>', 'a co-unit\'s update names that unit');
  t.match(timeline, '进度更新为 40%');
  t.match(timeline, /状态改为 <span class="status status-delayed">滞后<\/span>/);
  t.match(timeline, '原因：管材供货延迟');
  t.match(res.body, '滞后原因');
});

t.test('every deadline change and amendment is shown with its reason', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { dueOn: '2025-06-30', commitment: '新承诺内容' });
  addDeadlineChange(app, id, { oldDueOn: '2025-06-30', newDueOn: '2025-09-30', reason: '汛期无法施工' });
  addDeadlineChange(app, id, { oldDueOn: '2025-09-30', newDueOn: '2025-10-31', reason: '设备到货推迟' });
  addAmendment(app, id, { field: 'commitment', oldValue: '旧承诺内容', newValue: '新承诺内容', reason: '按群众意见扩大范围' });
  const res = await app.inject(`/pledges/${id}`);
  t.equal(res.statusCode, 200);
  const deadlines = res.body.slice(res.body.indexOf('id="h-deadlines"'), res.body.indexOf('id="h-amendments"'));
  for (const s of ['2025年6月30日', '2025年9月30日', '2025年10月31日', '汛期无法施工', '设备到货推迟']) t.match(deadlines, s);
  t.match(deadlines, /<del><time[^>]* datetime="2025-06-30">[^<]*<\/time><\/del> → <ins><time[^>]* datetime="2025-09-30">/);
  const amendments = res.body.slice(res.body.indexOf('id="h-amendments"'));
  for (const s of ['承诺内容修改于', '旧承诺内容', '新承诺内容', '按群众意见扩大范围']) t.match(amendments, s);
  const en = await app.inject(`/pledges/${id}?lang=en`);
  t.match(en.body, 'Commitment changed on');
  t.match(en.body, 'Reason: 按群众意见扩大范围');
});

t.test('sub-tasks roll up on the parent, drafts left out, and a sub-task links to its parent', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const parent = makePledge(app, fx, { title: '城区道路拥堵治理', tier: 'major' });
  const done = makePledge(app, fx, { title: '信号灯优化', parentId: parent, status: 'completed', progress: 100, completedOn: fx.today });
  const half = makePledge(app, fx, { title: '停车泊位增设', parentId: parent, progress: 40, leadUnitId: fx.unitB.id });
  const cancelled = makePledge(app, fx, { title: '已撤销子任务', parentId: parent, status: 'cancelled', statusReason: '并入他项', progress: 10 });
  makePledge(app, fx, { title: '草稿子任务', parentId: parent, status: 'draft' });
  const res = await app.inject(`/pledges/${parent}`);
  t.same(listedIds(res.body).sort(), [done, half, cancelled].sort());
  t.notMatch(res.body, '草稿子任务');
  t.match(res.body, '1 / 2 项已完成，平均进度 70%');
  t.match(res.body, '已撤销的子任务不计入汇总');
  const child = await app.inject(`/pledges/${half}`);
  t.match(child.body, `<a href="/pledges/${parent}">城区道路拥堵治理</a>`);
  t.match(child.body, /class="breadcrumbs"[\s\S]*城区道路拥堵治理[\s\S]*停车泊位增设/);
});
