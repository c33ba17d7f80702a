import t from 'tap';
import { eq } from 'drizzle-orm';
import { units } from '../../db/schema.ts';
import { build, seed } from '../helpers.ts';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { addDays, listedIds, makePledge, makeUnit, renameUnitSlug } from './fixtures.ts';
import { addLeadUnits } from './many-units.ts';

/** Unit slugs in the order the units table lists them. */
function unitOrder(html: string): string[] {
  const table = html.slice(html.indexOf('<tbody>'), html.indexOf('</tbody>'));
  return [...table.matchAll(/<tr>\s*<td data-label="[^"]*"><a href="\/units\/([a-z0-9-]+)">/g)].map((m) => m[1]);
}

t.test('units table lists units with published pledges or child units, in both languages', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const d = (n: number) => addDays(fx.today, n);
  const township = makeUnit(app, { slug: 'quancheng', name: '泉城街道', kind: 'street', parentId: fx.districtId });
  makeUnit(app, { slug: 'idle', name: '无承诺单位', kind: 'enterprise' });
  makePledge(app, fx, { status: 'completed', progress: 100, dueOn: d(-5), completedOn: d(-6) });
  makePledge(app, fx, { status: 'in_progress', dueOn: d(-1) });
  makePledge(app, fx, { leadUnitId: township.id });
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'draft' });

  const zh = await app.inject('/units');
  t.equal(zh.statusCode, 200);
  t.same(unitOrder(zh.body).sort(), ['lixia', 'quancheng', 'water-bureau'], 'the district has a child; unit B has only a draft; idle has nothing');
  for (const s of ['参与单位', '上级单位', '按期完成率', '<a href="/units/lixia">历下区</a>', '街道', '共 3 个单位', 'class="breadcrumbs"']) t.match(zh.body, s);
  const row = zh.body.slice(zh.body.indexOf('/units/water-bureau">'), zh.body.indexOf('</tr>', zh.body.indexOf('/units/water-bureau">')));
  t.match(row, '<a href="/pledges?unit=water-bureau">2</a>');
  t.match(row, /data-label="逾期" class="num has-overdue">1</);
  t.match(row, /data-label="按期完成率" class="num">50%/);
  const en = await app.inject('/units?lang=en');
  t.equal(en.statusCode, 200);
  for (const s of ['Units', 'Parent unit', 'Completed on time', 'City department', 'Street']) t.match(en.body, s);
});

t.test('units table filters by kind and sorts by name, pledges, overdue and rate', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const d = (n: number) => addDays(fx.today, n);
  const c = makeUnit(app, { slug: 'gas-company', name: '燃气公司', kind: 'enterprise' });
  // A: 2 pledges, 1 overdue, rate 0 / 1. B: 1 pledge on time, rate 1. C: 3 pledges, none due.
  makePledge(app, fx, { dueOn: d(-1) });
  makePledge(app, fx, { dueOn: d(3) });
  makePledge(app, fx, { leadUnitId: fx.unitB.id, status: 'completed', progress: 100, dueOn: d(-3), completedOn: d(-3) });
  for (let i = 0; i < 3; i++) makePledge(app, fx, { leadUnitId: c.id });

  const order = async (q: string) => unitOrder((await app.inject(`/units?${q}`)).body);
  t.same(await order('kind=enterprise'), ['gas-company']);
  t.same(await order('kind=city_department&sort=name'), await order('kind=city_department'), 'name is the default order');
  t.same((await order('kind=city_department')).sort(), ['traffic-police', 'water-bureau']);
  t.same(await order('sort=pledges'), ['gas-company', 'water-bureau', 'traffic-police']);
  t.same((await order('sort=overdue'))[0], 'water-bureau');
  t.same(await order('sort=rate'), ['traffic-police', 'water-bureau', 'gas-company'], 'nothing due yet sorts last');
  const header = await app.inject('/units?sort=rate');
  t.match(header.body, 'aria-sort="descending"><a href="/units?sort=rate"');
});

t.test('units table refuses unknown kinds and sorts with a clear 400, and ignores unknown keys', async (t) => {
  const app = await build(t);
  await seed(app);
  const kind = await app.inject('/units?kind=planet');
  t.equal(kind.statusCode, 400);
  t.match(kind.body, '单位类型“planet”不是可选的值');
  const sort = await app.inject('/units?sort=bogus&lang=en');
  t.equal(sort.statusCode, 400);
  t.match(sort.body, 'Sort order “bogus” is not one of the choices');
  const tracked = await app.inject('/units?utm_source=x');
  t.equal(tracked.statusCode, 200);
});

t.test('unit page shows the unit, its contact, parent, children, figures and pledges in both languages', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  app.db.update(units).set({ parentId: fx.districtId, contactAddress: '泉城路1号', contactEmail: 'water@example.gov.cn' }).where(eq(units.id, fx.unitA.id)).run();
  const child = makeUnit(app, { slug: 'water-station', name: '第一水厂', kind: 'institution', parentId: fx.unitA.id });
  const lead = makePledge(app, fx, { title: '水厂提标改造', dueOn: addDays(fx.today, -2) });
  const asCoUnit = makePledge(app, fx, { title: '交通配合事项', leadUnitId: fx.unitB.id, coUnitIds: [fx.unitA.id] });
  makePledge(app, fx, { title: '水务草稿', status: 'draft' });
  makePledge(app, fx, { title: '他人事项', leadUnitId: fx.unitB.id });

  const zh = await app.inject('/units/water-bureau');
  t.equal(zh.statusCode, 200);
  for (const s of [
    '<h1>市水务局</h1>',
    '市直部门',
    '<a href="/units/lixia">历下区</a>',
    `<a href="/units/${child.slug}">第一水厂</a>`,
    '0531-12345',
    '泉城路1号',
    'mailto:water@example.gov.cn',
    '牵头的承诺事项',
    '配合的承诺事项',
    '承诺完成情况',
    '<meta name="description"',
  ]) {
    t.match(zh.body, s, s);
  }
  t.same(listedIds(zh.body), [lead, asCoUnit], 'led pledges, then co-unit pledges; no draft, no other unit\'s');
  t.match(zh.body, /class="breadcrumbs"[\s\S]*参与单位[\s\S]*历下区[\s\S]*市水务局/);
  t.match(zh.body, /<span class="value">1<\/span><span class="label">逾期/);
  const en = await app.inject('/units/water-bureau?lang=en');
  t.equal(en.statusCode, 200);
  for (const s of ['City department', 'Public contact', 'Pledges it leads', 'Pledges it works on as a co-unit', 'Units under it']) t.match(en.body, s);
});

t.test("a unit's own led table has no lead-unit column; its co-unit table names each lead unit", async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { title: '水厂提标改造' });
  makePledge(app, fx, { title: '交通配合事项', leadUnitId: fx.unitB.id, coUnitIds: [fx.unitA.id] });
  for (const [lang, header] of [['zh-CN', '牵头单位'], ['en', 'Lead unit']] as const) {
    const body = (await app.inject(`/units/water-bureau?lang=${lang}`)).body;
    const led = body.slice(body.indexOf('id="h-lead"'), body.indexOf('id="h-co"'));
    const co = body.slice(body.indexOf('id="h-co"'));
    t.notMatch(led, `<th scope="col">${header}</th>`, `${lang}: no lead-unit column among the unit's own pledges`);
    t.notMatch(led, `data-label="${header}"`, `${lang}: nor a lead-unit cell`);
    t.match(co, `<th scope="col">${header}</th>`, `${lang}: the co-unit table keeps it`);
    t.match(co, `href="/units/${fx.unitB.slug}"`, `${lang}: with the lead unit's link`);
  }
});

t.test('a unit with many pledges links to the full list', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const ids: number[] = [];
  for (let i = 0; i < 52; i++) ids.push(makePledge(app, fx, { dueOn: addDays(fx.today, i + 1) }));
  const res = await app.inject('/units/water-bureau');
  t.same(listedIds(res.body), ids.slice(0, 20), 'the twenty due soonest, in due order');
  t.match(res.body, '<a href="/pledges?unit=water-bureau">在承诺事项列表中查看全部 52 项</a>');
});

t.test('an old unit slug redirects permanently to the current one; an unknown slug is 404', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  renameUnitSlug(app, fx.unitA.id, 'water-bureau', 'shuiwu');
  const old = await app.inject('/units/water-bureau?lang=en');
  t.equal(old.statusCode, 301);
  t.equal(old.headers.location, '/units/shuiwu?lang=en');
  const current = await app.inject('/units/shuiwu');
  t.equal(current.statusCode, 200);
  t.match(current.body, '<h1>市水务局</h1>');
  const unknown = await app.inject('/units/no-such-unit');
  t.equal(unknown.statusCode, 404);
  const odd = await app.inject('/units/%E6%B0%B4%3Cb%3E');
  t.equal(odd.statusCode, 404);
});

t.test('units table shows 100 units a page; links keep the filters; a page past the end shows the last', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  // 250 street offices and unit A: 251 rows (the district has no child unit, unit B no pledge).
  addLeadUnits(app, fx, 250);
  makePledge(app, fx);

  const first = await app.inject('/units?utm_source=x');
  t.equal(first.statusCode, 200);
  t.equal(unitOrder(first.body).length, 100);
  t.match(first.body, '共 251 个单位', 'the count is of every unit, not the page');
  t.match(first.body, '<nav class="pagination" aria-label="单位列表分页">');
  t.match(first.body, 'href="/units?utm_source=x&amp;page=2"', 'the next page keeps the query');
  t.match(first.body, 'aria-current="page">1<');

  const sorted = await app.inject('/units?kind=street&sort=pledges&page=2');
  t.equal(unitOrder(sorted.body).length, 100);
  t.match(sorted.body, '共 250 个单位');
  t.match(sorted.body, 'rel="prev" href="/units?kind=street&amp;sort=pledges"');
  t.match(sorted.body, 'rel="next" href="/units?kind=street&amp;sort=pledges&amp;page=3"');
  t.match(sorted.body, 'aria-sort="descending"><a href="/units?kind=street&amp;sort=pledges"', 'a column heading starts the new order at page 1');
  t.match(sorted.body, 'href="/units?kind=street&amp;sort=pledges&amp;format=csv" download', 'the download drops the page');

  const pages = await Promise.all([1, 2, 3].map((n) => app.inject(`/units?page=${n}`)));
  const all = pages.flatMap((p) => unitOrder(p.body));
  t.equal(all.length, 251);
  t.equal(new Set(all).size, 251, 'each unit on exactly one page');
  t.same(unitOrder(pages[2].body).length, 51);
  t.notMatch(pages[2].body, 'rel="next"');

  for (const page of ['4', '999', '1e9']) {
    const res = await app.inject(`/units?page=${page}`);
    t.equal(res.statusCode, 200, `page=${page}`);
    t.same(unitOrder(res.body), unitOrder(pages[2].body), `page=${page} shows the last page`);
    t.match(res.body, 'aria-current="page">3<');
  }
  for (const page of ['0', '-1', 'abc', '']) {
    const res = await app.inject(`/units?page=${page}`);
    t.equal(res.statusCode, 200, `page=${page}`);
    t.same(unitOrder(res.body), unitOrder(pages[0].body), `page=${page} shows the first page`);
  }
  const en = await app.inject('/units?lang=en&page=2');
  t.match(en.body, '<nav class="pagination" aria-label="Pages of units">');
  t.match(en.body, 'Page 2 of 3');

  const few = await app.inject('/units?kind=city_department');
  t.notMatch(few.body, 'class="pagination"', 'one page needs no page links');
});

t.test('units downloads give every unit, whatever the page', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  addLeadUnits(app, fx, 250);
  const csv: string[][] = parse((await app.inject('/units?format=csv&page=2')).body, { bom: true });
  t.equal(csv.length - 1, 250, 'every row, not one page');
  t.same(new Set(csv.slice(1).map((r) => r[1])).size, 250);
  const sheet = await app.inject('/units?format=xlsx&kind=street');
  t.equal(sheet.statusCode, 200);
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(sheet.rawPayload as unknown as ArrayBuffer);
  t.equal(book.worksheets[0].actualRowCount - 1, 250);
});
