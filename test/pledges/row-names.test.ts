// A list row's unit, category and district names come from a table kept per data version
// (src/pledges/row-names.ts), not from a join: a rename, or a category taken away, must show on
// the very next read of every view built from such rows — the list in both languages, the unit
// page, the API list, the home page's major items and a pledge page's sub-tasks. The page cache
// is off, so what could be stale here is the names table alone.
import t, { type Test } from 'tap';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { build, login, seed, type Fixtures } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';

interface Scene {
  app: FastifyInstance;
  f: Fixtures;
  major: number;
  subTask: number;
  /** Views whose rows show each name, by label. */
  views: Record<string, { url: string; language?: string }>;
}

async function scene(t: Test): Promise<Scene> {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const f = await seed(app);
  const named = { categoryId: f.categoryId, districtUnitId: f.districtId };
  const major = makePledge(app, f, { title: '城区供水主管网更新', tier: 'major', ...named });
  const subTask = makePledge(app, f, { title: '东片区管网接驳', parentId: major, ...named });
  // Led by unit A with unit B beside it: unit B's page lists it with unit A's name.
  makePledge(app, f, { title: '二次供水泵房改造', coUnitIds: [f.unitB.id], ...named });
  const views = {
    list: { url: '/pledges' },
    'list in English': { url: '/pledges', language: 'en' },
    'unit page': { url: `/units/${f.unitA.slug}` },
    'co-unit page': { url: `/units/${f.unitB.slug}` },
    'API list': { url: '/api/v1/pledges' },
    home: { url: '/' },
    'pledge page': { url: `/pledges/${major}` },
  };
  return { app, f, major, subTask, views };
}

async function read(t: Test, app: FastifyInstance, views: Scene['views']): Promise<Record<string, string>> {
  const bodies: Record<string, string> = {};
  for (const [label, view] of Object.entries(views)) {
    const res = await app.inject({ url: view.url, headers: view.language ? { 'accept-language': view.language } : {} });
    t.equal(res.statusCode, 200, `${label} answers`);
    bodies[label] = res.body;
  }
  return bodies;
}

/** The API list's rows by id. */
function apiRows(body: string): Map<number, { leadUnit: { slug: string; name: string }; category: { slug: string; nameZh: string; nameEn: string } | null; district: { slug: string; name: string } | null }> {
  return new Map(JSON.parse(body).data.map((r: { id: number }) => [r.id, r]));
}

t.test('renaming a unit, a district and a category through the office shows on the next read of every view', async (t) => {
  const { app, f, subTask, views } = await scene(t);
  const before = await read(t, app, views);
  // Read twice, so the names table of this data version is the one the next read would reuse.
  await read(t, app, views);
  for (const label of ['list', 'unit page', 'co-unit page', 'home', 'pledge page']) t.match(before[label], '市水务局', `${label}: the unit's old name`);
  t.match(before['list in English'], 'Water, gas and heating');
  t.match(before.list, '历下区');
  t.equal(apiRows(before['API list']).get(subTask)!.category!.nameZh, '供水供气供暖');

  const admin = await login(app, 'admin');
  const unit = await admin.request({
    method: 'POST',
    url: `/admin/units/${f.unitA.id}`,
    form: { name: '市城乡水务局', slug: 'city-water', kind: 'city_department', active: 'on' },
  });
  t.equal(unit.statusCode, 303, unit.body.slice(0, 300));
  const district = await admin.request({ method: 'POST', url: `/admin/units/${f.districtId}`, form: { name: '历下新区', slug: 'lixia-new', kind: 'district', active: 'on' } });
  t.equal(district.statusCode, 303, district.body.slice(0, 300));
  const category = await admin.request({
    method: 'POST',
    url: `/admin/categories/${f.categoryId}`,
    form: { slug: 'urban-water', nameZh: '城乡供水', nameEn: 'Urban and rural water', sortOrder: '1' },
  });
  t.equal(category.statusCode, 303, category.body.slice(0, 300));

  const after = await read(t, app, { ...views, 'unit page': { url: '/units/city-water' } });
  for (const label of ['list', 'list in English', 'unit page', 'co-unit page', 'home', 'pledge page']) {
    t.match(after[label], '市城乡水务局', `${label}: the unit's new name`);
    t.notMatch(after[label], '市水务局', `${label}: not its old one`);
    // A unit's own page lists its led pledges without a lead-unit column: its new address is
    // the page's canonical one there.
    t.match(after[label], label === 'unit page' ? '/units/city-water"' : 'href="/units/city-water"', `${label}: its new address`);
  }
  t.notMatch(after['unit page'], `/units/${f.unitA.slug}"`, 'unit page: nothing links its old address');
  for (const label of ['list', 'unit page', 'co-unit page', 'pledge page']) {
    t.match(after[label], '城乡供水', `${label}: the category's new name`);
    t.notMatch(after[label], '供水供气供暖', `${label}: not its old one`);
    t.match(after[label], '历下新区', `${label}: the district's new name`);
    t.notMatch(after[label], '历下区<', `${label}: not its old one`);
  }
  t.match(after['list in English'], 'Urban and rural water');
  t.notMatch(after['list in English'], 'Water, gas and heating');
  for (const [id, row] of apiRows(after['API list'])) {
    t.same(row.leadUnit, { ...row.leadUnit, slug: 'city-water', name: '市城乡水务局' }, `API row ${id}: the unit`);
    t.same(row.category, { ...row.category, slug: 'urban-water', nameZh: '城乡供水', nameEn: 'Urban and rural water' }, `API row ${id}: the category`);
    t.same(row.district, { ...row.district, slug: 'lixia-new', name: '历下新区' }, `API row ${id}: the district`);
  }
});

t.test('a rename and a category taken away by another process show on the next read', async (t) => {
  const { app, f, subTask, views } = await scene(t);
  const before = await read(t, app, views);
  await read(t, app, views);
  t.match(before['co-unit page'], '市水务局');
  t.ok(apiRows(before['API list']).get(subTask)!.category, 'the sub-task has its category');

  // As the CLI or a second server would: its own connection, committing behind the app's back.
  const other = new Database(app.config.databaseFile);
  other.prepare('UPDATE units SET name = ? WHERE id = ?').run('市水务集团', f.unitA.id);
  other.prepare('UPDATE pledges SET category_id = NULL WHERE category_id = ?').run(f.categoryId);
  other.prepare('DELETE FROM categories WHERE id = ?').run(f.categoryId);
  other.close();

  const after = await read(t, app, views);
  for (const label of ['list', 'list in English', 'unit page', 'co-unit page', 'home', 'pledge page']) {
    t.match(after[label], '市水务集团', `${label}: the new name`);
    t.notMatch(after[label], '市水务局', `${label}: not the old one`);
  }
  for (const label of ['list', 'unit page', 'co-unit page', 'pledge page']) t.notMatch(after[label], '供水供气供暖', `${label}: no category any more`);
  t.notMatch(after['list in English'], 'Water, gas and heating');
  for (const [id, row] of apiRows(after['API list'])) {
    t.equal(row.leadUnit.name, '市水务集团', `API row ${id}: the unit's new name`);
    t.equal(row.category, null, `API row ${id}: no category`);
  }
});
