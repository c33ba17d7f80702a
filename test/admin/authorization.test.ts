import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, seed, login, encodeForm, type Fixtures } from '../helpers.ts';
import { auditLog, campaigns, categories, unitSlugHistory, units, users } from '../../db/schema.ts';

/** Every office write, each valid so that an admin's attempt succeeds. */
function writes(f: Fixtures): { url: string; form: Record<string, string> }[] {
  const password = 'a brand new password';
  return [
    { url: '/admin/campaigns', form: { slug: 'second', name: '第二期', startsOn: '2030-01-01', endsOn: '2030-12-31', timeZone: 'Asia/Shanghai' } },
    { url: `/admin/campaigns/${f.campaignId}`, form: { slug: 'test-campaign', name: '改名', startsOn: '2020-01-01', endsOn: '2040-12-31', timeZone: 'Asia/Urumqi' } },
    { url: '/admin/units', form: { name: '市燃气集团', slug: 'gas-group', kind: 'enterprise', active: 'on' } },
    { url: `/admin/units/${f.unitA.id}`, form: { name: '市水务局', slug: 'shuiwu', kind: 'city_department', active: 'on' } },
    { url: '/admin/categories', form: { slug: 'traffic', nameZh: '交通出行', nameEn: 'Traffic', sortOrder: '2' } },
    { url: `/admin/categories/${f.categoryId}`, form: { slug: 'water', nameZh: '水气暖', nameEn: 'Utilities', sortOrder: '1' } },
    { url: '/admin/accounts', form: { username: 'editor-c', role: 'unit', unitId: String(f.unitA.id), password, confirm_password: password } },
    { url: `/admin/accounts/${f.users.editorB}`, form: { displayName: '乙编辑', role: 'unit', unitId: String(f.unitB.id) } },
    { url: `/admin/accounts/${f.users.editorB}/password`, form: { password, confirm_password: password } },
    { url: `/admin/accounts/${f.users.editorB}/disable`, form: {} },
    { url: `/admin/accounts/${f.users.editorB}/enable`, form: {} },
  ];
}

/** Everything an office write could touch, to prove a refused write changed nothing. */
async function snapshot(app: FastifyInstance) {
  const db = app.db;
  return {
    campaigns: db.select().from(campaigns).all(),
    units: db.select().from(units).all(),
    slugs: db.select().from(unitSlugHistory).all(),
    categories: db.select().from(categories).all(),
    users: db.select().from(users).all(),
    audit: await db.$count(auditLog),
  };
}

t.test('anonymous visitors are sent to sign in for every office page and write', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  for (const url of ['/admin', '/admin/campaigns', '/admin/units', '/admin/categories', '/admin/accounts', '/admin/audit']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 302, `GET ${url}`);
    t.equal(res.headers.location, `/login?next=${encodeURIComponent(url)}`);
  }
  const before = await snapshot(app);
  for (const w of writes(f)) {
    const res = await app.inject({ method: 'POST', url: w.url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm(w.form) });
    t.equal(res.statusCode, 302, `POST ${w.url}`);
    t.equal(res.headers.location, `/login?next=${encodeURIComponent(w.url)}`);
  }
  t.same(await snapshot(app), before, 'nothing changed');
});

for (const username of ['editor-a', 'editor-b', 'press']) {
  t.test(`${username} gets 403 on every office page and write, and nothing changes`, async (t) => {
    const app = await build(t);
    const f = await seed(app);
    const agent = await login(app, username);
    const page = await agent.request({ url: '/admin' });
    t.equal(page.statusCode, 403);
    const before = await snapshot(app);
    for (const w of writes(f)) {
      const res = await agent.request({ method: 'POST', url: w.url, form: w.form });
      t.equal(res.statusCode, 403, `POST ${w.url}`);
    }
    t.same(await snapshot(app), before, 'nothing changed');
  });
}

t.test('an office admin can make every write, each recorded in the audit log', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const all = writes(f);
  for (const w of all) {
    const res = await admin.request({ method: 'POST', url: w.url, form: w.form });
    t.equal(res.statusCode, 303, `POST ${w.url}`);
  }
  t.equal(await app.db.$count(auditLog), all.length, 'one audit entry per write');
});

t.test('office writes without the right CSRF token are refused and change nothing', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const before = await snapshot(app);
  for (const w of writes(f)) {
    for (const token of [undefined, 'not-the-token']) {
      const res = await app.inject({
        method: 'POST',
        url: w.url,
        headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: admin.cookie },
        payload: encodeForm({ ...w.form, _csrf: token }),
      });
      t.equal(res.statusCode, 403, `POST ${w.url} with ${token ? 'a wrong' : 'no'} token`);
    }
  }
  t.same(await snapshot(app), before, 'nothing changed');
});
