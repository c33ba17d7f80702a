import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { createUnitRepository } from '../../src/units/repository.ts';
import { auditLog } from '../../db/schema.ts';
import { desc } from 'drizzle-orm';

const unitForm = (overrides: Record<string, string> = {}) => ({ name: '市燃气集团', slug: 'gas-group', kind: 'enterprise', active: 'on', ...overrides });

t.test('admin lists units, filtered by kind and by a name search', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const all = await admin.request({ url: '/admin/units' });
  t.equal(all.statusCode, 200);
  t.match(all.body, '市水务局');
  t.match(all.body, '历下区');
  const districts = await admin.request({ url: '/admin/units?kind=district&utm_source=x' });
  t.match(districts.body, '历下区');
  t.notMatch(districts.body, '市水务局', 'other kinds are left out; unknown keys ignored');
  const search = await admin.request({ url: `/admin/units?q=${encodeURIComponent('交警')}` });
  t.match(search.body, '市交警支队');
  t.notMatch(search.body, '市水务局');
  const wildcard = await admin.request({ url: '/admin/units?q=%25' });
  t.match(wildcard.body, '没有符合条件的单位。', 'a % is searched for literally');
});

t.test('a bad unit filter is a 400 page and a page past the end shows the last page', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  t.equal((await admin.request({ url: '/admin/units?kind=planet' })).statusCode, 400);
  const far = await admin.request({ url: '/admin/units?page=1000000000' });
  t.equal(far.statusCode, 200);
  t.match(far.body, '市水务局');
  t.equal((await admin.request({ url: '/admin/units?page=-1' })).statusCode, 200);
});

t.test('admin creates a unit with a parent, contact and flags', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({
    method: 'POST',
    url: '/admin/units',
    form: unitForm({ kind: 'township', parentId: String(f.districtId), isServiceWindow: 'on', contactPhone: '0531-1', contactEmail: 'gas@example.cn' }),
  });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/admin/units?saved=created');
  const found = await createUnitRepository(app.db).bySlug('gas-group');
  t.equal(found?.unit.parentId, f.districtId);
  t.equal(found?.unit.isServiceWindow, true);
  t.equal(found?.unit.active, true);
  t.equal(found?.unit.contactEmail, 'gas@example.cn');
});

t.test('renaming a unit slug keeps the old slug resolving to the unit', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: unitForm({ name: '市水务局', slug: 'shuiwu', kind: 'city_department' }) });
  t.equal(res.statusCode, 303);
  const repo = createUnitRepository(app.db);
  const old = await repo.bySlug('water-bureau');
  t.equal(old?.unit.id, f.unitA.id);
  t.equal(old?.current, false, 'the old slug is retired, not current');
  t.equal((await repo.bySlug('shuiwu'))?.current, true);
  const reuse = await admin.request({ method: 'POST', url: '/admin/units', form: unitForm({ slug: 'water-bureau' }), headers: { 'accept-language': 'en' } });
  t.equal(reuse.statusCode, 400, 'a retired slug cannot be handed to another unit');
  t.match(reuse.body, 'This address name is already used');
});

t.test('unticked checkboxes and an emptied parent are saved as such', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: unitForm({ name: '市水务局', slug: 'water-bureau', kind: 'city_department', parentId: String(f.districtId) }) });
  const res = await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: { name: '市水务局', slug: 'water-bureau', kind: 'city_department', parentId: '' } });
  t.equal(res.statusCode, 303);
  const unit = await createUnitRepository(app.db).get(f.unitA.id);
  t.equal(unit?.parentId, null);
  t.equal(unit?.active, false);
});

t.test('a unit cannot become its own parent or sit below its own sub-unit', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const repo = createUnitRepository(app.db);
  const self = await admin.request({ method: 'POST', url: `/admin/units/${f.districtId}`, form: unitForm({ name: '历下区', slug: 'lixia', kind: 'district', parentId: String(f.districtId) }) });
  t.equal(self.statusCode, 400);
  t.match(self.body, '不能选择本单位或其下级单位作为上级单位。');
  // unitA sits below the district; making the district sit below unitA would close a loop.
  t.equal((await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: unitForm({ name: '市水务局', slug: 'water-bureau', kind: 'city_department', parentId: String(f.districtId) }) })).statusCode, 303);
  const loop = await admin.request({ method: 'POST', url: `/admin/units/${f.districtId}`, form: unitForm({ name: '历下区', slug: 'lixia', kind: 'district', parentId: String(f.unitA.id) }), headers: { 'accept-language': 'en' } });
  t.equal(loop.statusCode, 400);
  t.match(loop.body, 'A unit cannot have itself or one of its own sub-units as its parent.');
  t.equal((await repo.get(f.districtId))?.parentId, null, 'nothing changed');
});

t.test('unit form errors: bad slug, unknown kind, unknown parent, bad email — input kept', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ method: 'POST', url: '/admin/units', form: { name: '新单位', slug: 'Shui Wu', kind: 'planet', parentId: '9999', contactEmail: 'not-an-email' }, headers: { 'accept-language': 'en' } });
  t.equal(res.statusCode, 400);
  t.match(res.body, 'Use lower-case letters, digits and hyphens only.');
  t.match(res.body, 'Choose one of the options.');
  t.match(res.body, 'Enter a valid email address.');
  t.match(res.body, 'value="新单位"');
  t.match(res.body, 'value="Shui Wu"');
  const parent = await admin.request({ method: 'POST', url: '/admin/units', form: unitForm({ parentId: '9999' }) });
  t.equal(parent.statusCode, 400, 'a parent that does not exist is refused');
  t.match(parent.body, 'href="#f-parentId"');
});

t.test('unit changes are audited with before and after', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: unitForm({ name: '市水务局（改）', slug: 'water-bureau', kind: 'city_department' }) });
  const entry = app.db.select().from(auditLog).orderBy(desc(auditLog.id)).get();
  t.equal(entry?.action, 'unit.update');
  t.equal(entry?.username, 'admin');
  t.equal(JSON.parse(entry!.before!).name, '市水务局');
  t.equal(JSON.parse(entry!.after!).name, '市水务局（改）');
});
