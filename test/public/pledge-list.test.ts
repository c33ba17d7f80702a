import t from 'tap';
import { campaigns } from '../../db/schema.ts';
import { build, seed } from '../helpers.ts';
import { addDays, listedIds, makeCategory, makePledge, makeUnit, renameUnitSlug } from './fixtures.ts';

t.test('pledge list renders in both languages with its count, breadcrumbs and filter form', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '老旧小区改造', categoryId: fx.categoryId, districtUnitId: fx.districtId });
  const zh = await app.inject('/pledges');
  t.equal(zh.statusCode, 200);
  for (const s of ['承诺事项', '共 1 条', '老旧小区改造', '市水务局', '供水供气供暖', '历下区', '推进中', 'class="breadcrumbs"', 'data-autosubmit', 'method="get"']) t.match(zh.body, s);
  t.match(zh.body, 'data-label="完成时限"', 'cells carry labels for phones');
  t.same(listedIds(zh.body), [id]);
  const en = await app.inject('/pledges?lang=en');
  t.equal(en.statusCode, 200);
  for (const s of ['Pledges', '1 results', 'Lead unit', 'Water, gas and heating', 'In progress', 'Clear filters']) t.match(en.body, s);
});

t.test('drafts are never listed or counted', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const visible = makePledge(app, fx, { title: '已公布' });
  makePledge(app, fx, { title: '内部草稿', status: 'draft' });
  const res = await app.inject('/pledges');
  t.same(listedIds(res.body), [visible]);
  t.match(res.body, '共 1 条');
  t.notMatch(res.body, '内部草稿');
  const drafts = await app.inject('/pledges?status=draft');
  t.equal(drafts.statusCode, 400, 'draft is not a status the public can ask for');
});

t.test('each filter narrows the list', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const d = (n: number) => addDays(fx.today, n);
  const otherCategory = makeCategory(app, { slug: 'traffic', nameZh: '交通出行', nameEn: 'Traffic' });
  const county = makeUnit(app, { slug: 'pingyin', name: '平阴县', kind: 'county' });
  const second = app.db.insert(campaigns).values({ slug: 'earlier', name: '往年活动', startsOn: '2020-01-01', endsOn: '2020-12-31' }).returning().get();

  const a = makePledge(app, fx, { tier: 'major', categoryId: fx.categoryId, districtUnitId: fx.districtId, status: 'in_progress', dueOn: d(5) });
  const b = makePledge(app, fx, { leadUnitId: fx.unitB.id, categoryId: otherCategory, districtUnitId: county.id, status: 'delayed', statusReason: '原因', dueOn: d(-2) });
  const c = makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'completed', progress: 100, dueOn: d(-3), completedOn: d(-4) });
  const e = makePledge(app, fx, { status: 'cancelled', statusReason: '合并', dueOn: d(-1) });
  const f = makePledge(app, fx, { campaignId: second.id, status: 'pledged', dueOn: '2020-06-01' });

  const ids = async (query: string) => {
    const res = await app.inject(`/pledges?${query}`);
    t.equal(res.statusCode, 200, query);
    return listedIds(res.body).sort((x, y) => x - y);
  };
  t.same(await ids(''), [a, b, c, e, f]);
  t.same(await ids('unit=water-bureau'), [a, e, f]);
  t.same(await ids('unit=traffic-police'), [b, c]);
  t.same(await ids('category=traffic'), [b]);
  t.same(await ids('category=water'), [a]);
  t.same(await ids('district=pingyin'), [b]);
  t.same(await ids('district=lixia'), [a]);
  t.same(await ids('tier=major'), [a]);
  t.same(await ids('tier=unit'), [b, c, e, f]);
  t.same(await ids('status=delayed'), [b]);
  t.same(await ids('status=completed'), [c]);
  t.same(await ids('status=cancelled'), [e]);
  t.same(await ids('status=pledged'), [f]);
  t.same(await ids('status=overdue'), [b, f], 'overdue is derived: past due, neither completed nor cancelled');
  t.same(await ids(`campaign=${second.id}`), [f]);
  t.same(await ids(`campaign=${fx.campaignId}&unit=traffic-police&status=overdue`), [b], 'filters combine');
  const filtered = await app.inject('/pledges?unit=traffic-police&status=completed');
  t.match(filtered.body, '<option value="traffic-police" selected>', 'the filter state is shown in the form');
  t.match(filtered.body, '<option value="completed" selected>');
});

t.test('a renamed unit\'s old slug still filters the list', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { leadUnitId: fx.unitB.id });
  makePledge(app, fx);
  renameUnitSlug(app, fx.unitB.id, 'traffic-police', 'jiaojing');
  const res = await app.inject('/pledges?unit=traffic-police');
  t.equal(res.statusCode, 200);
  t.same(listedIds(res.body), [id]);
  t.match(res.body, '<option value="jiaojing" selected>');
});

t.test('sort orders the list', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const d = (n: number) => addDays(fx.today, n);
  const x = makePledge(app, fx, { title: 'B 事项', dueOn: d(10), progress: 50, updatedAt: '2025-01-02T00:00:00.000Z' });
  const y = makePledge(app, fx, { title: 'A 事项', dueOn: d(20), progress: 10, updatedAt: '2025-01-03T00:00:00.000Z' });
  const z = makePledge(app, fx, { title: 'C 事项', dueOn: d(5), progress: 90, updatedAt: '2025-01-01T00:00:00.000Z' });
  const order = async (sort: string) => listedIds((await app.inject(`/pledges?sort=${sort}`)).body);
  t.same(await order('due_asc'), [z, x, y]);
  t.same(listedIds((await app.inject('/pledges')).body), [z, x, y], 'due date ascending is the default');
  t.same(await order('due_desc'), [y, x, z]);
  t.same(await order('progress_desc'), [z, x, y]);
  t.same(await order('progress_asc'), [y, x, z]);
  t.same(await order('title'), [y, x, z]);
  t.same(await order('updated'), [y, x, z]);
});

t.test('pagination shows 25 a page and its links keep the filters', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  for (let i = 0; i < 30; i++) makePledge(app, fx, { title: `事项${i}`, dueOn: addDays(fx.today, i + 1) });
  makePledge(app, fx, { leadUnitId: fx.unitB.id });
  const first = await app.inject('/pledges?unit=water-bureau&utm_source=x');
  t.equal(listedIds(first.body).length, 25);
  t.match(first.body, '共 30 条');
  t.match(first.body, 'href="/pledges?unit=water-bureau&amp;utm_source=x&amp;page=2"', 'next page link keeps the filter');
  const second = await app.inject('/pledges?unit=water-bureau&page=2');
  t.equal(listedIds(second.body).length, 5);
  t.match(second.body, 'rel="prev" href="/pledges?unit=water-bureau"');
  t.match(second.body, 'aria-current="page">2<');
});

t.test('bad query values never give a 500: pages are clamped, unknown keys ignored, bad choices refused clearly', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  for (let i = 0; i < 30; i++) makePledge(app, fx, { dueOn: addDays(fx.today, i + 1) });

  for (const page of ['-1', '0', 'abc', '1.5', '', 'Infinity', 'NaN']) {
    const res = await app.inject(`/pledges?page=${page}`);
    t.equal(res.statusCode, 200, `page=${page}`);
    t.equal(listedIds(res.body).length, 25, `page=${page} shows the first page`);
  }
  for (const page of ['1e9', '99999999999999999999', '3']) {
    const res = await app.inject(`/pledges?page=${page}`);
    t.equal(res.statusCode, 200, `page=${page}`);
    t.equal(listedIds(res.body).length, 5, `page=${page} shows the last page`);
    t.match(res.body, 'aria-current="page">2<');
  }
  const tracked = await app.inject('/pledges?utm_source=x&fbclid=abc&from=timeline');
  t.equal(tracked.statusCode, 200, 'unknown keys are ignored');
  t.equal(listedIds(tracked.body).length, 25);

  const refused: [string, string][] = [
    ['status=bogus', '状态“bogus”不是可选的值'],
    ['sort=bogus', '排序方式“bogus”不是可选的值'],
    ['tier=city', '层级“city”不是可选的值'],
    ['campaign=abc', '活动“abc”不是可选的值'],
    ['campaign=999', '找不到活动“999”'],
    ['unit=nowhere', '找不到单位“nowhere”'],
    ['category=nothing', '找不到类别“nothing”'],
    ['district=water-bureau', '找不到区县“water-bureau”'],
  ];
  for (const [query, message] of refused) {
    const res = await app.inject(`/pledges?${query}`);
    t.equal(res.statusCode, 400, query);
    t.match(res.body, message, `${query} is named in the message`);
  }
  const en = await app.inject('/pledges?status=bogus&lang=en');
  t.equal(en.statusCode, 400);
  t.match(en.body, 'Status “bogus” is not one of the choices');
  const script = await app.inject('/pledges?unit=%3Cscript%3Ealert(1)%3C/script%3E');
  t.equal(script.statusCode, 400);
  t.notMatch(script.body, '<script>alert(1)</script>', 'the echoed value is escaped');

  const repeated = await app.inject('/pledges?status=completed&status=bogus&page=1&page=2');
  t.equal(repeated.statusCode, 200, 'a repeated key counts by its first value');
  const blank = await app.inject('/pledges?q=&campaign=&unit=&category=&district=&tier=&status=&sort=');
  t.equal(blank.statusCode, 200, 'the filter form\'s empty fields mean "any"');
  t.equal(listedIds(blank.body).length, 25);
});
