import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { appendAudit } from '../../src/audit/repository.ts';
import { auditDiff } from '../../src/admin/audit-diff.ts';

t.test('admin writes appear in the audit log, newest first, with a readable diff', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  await admin.request({ method: 'POST', url: '/admin/categories', form: { slug: 'traffic', nameZh: '交通出行', nameEn: 'Traffic', sortOrder: '2' } });
  await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: { name: '市水务局', slug: 'shuiwu', kind: 'city_department', active: 'on' } });
  const res = await admin.request({ url: '/admin/audit?lang=en' });
  t.equal(res.statusCode, 200);
  const body = res.body;
  t.ok(body.indexOf('Unit changed') < body.indexOf('Category added'), 'newest first');
  t.match(body, /<code>slug<\/code>: <del>water-bureau<\/del> → <ins>shuiwu<\/ins>/, 'changed keys shown before → after');
  t.notMatch(body, /<code>name<\/code>: <del>/, 'unchanged keys left out');
  t.match(body, `href="/admin/units/${f.unitA.id}/edit"`, 'links to the record');
  t.match(body, '>admin<', 'who did it');
});

t.test('the audit log filters by entity type and pages back with ?before', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const actor = { userId: f.users.admin, username: 'admin' };
  app.db.transaction((tx) => {
    for (let i = 1; i <= 60; i++) appendAudit(tx, actor, { action: 'unit.update', entity: 'unit', entityId: f.unitA.id, before: { n: i - 1 }, after: { n: i } });
    appendAudit(tx, actor, { action: 'category.update', entity: 'category', entityId: f.categoryId, before: { n: 0 }, after: { n: 1 } });
  });
  const admin = await login(app, 'admin');
  const first = await admin.request({ url: '/admin/audit?entity=unit' });
  t.equal(first.statusCode, 200);
  t.notMatch(first.body, 'id="entry-61"', 'other entity types are left out');
  t.match(first.body, 'id="entry-60"');
  t.notMatch(first.body, 'id="entry-10"', 'one page at a time');
  const older = /href="(\/admin\/audit\?entity=unit&amp;before=\d+)"/.exec(first.body);
  t.ok(older, 'a link to older entries keeps the filter');
  const second = await admin.request({ url: older![1].replace(/&amp;/g, '&') });
  t.match(second.body, 'id="entry-10"');
  t.notMatch(second.body, 'id="entry-60"');
  t.notMatch(second.body, 'rel="next"', 'no older page after the last');
  t.match(first.body, '<option value="category">', 'entity types offered in the filter');
});

t.test('bad audit query values are a 400 page; unknown keys are ignored', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  t.equal((await admin.request({ url: '/admin/audit?before=-3' })).statusCode, 400);
  t.equal((await admin.request({ url: '/admin/audit?before=abc' })).statusCode, 400);
  t.equal((await admin.request({ url: '/admin/audit?entity=DROP%20TABLE' })).statusCode, 400);
  t.equal((await admin.request({ url: '/admin/audit?fbclid=1&before=' })).statusCode, 200);
});

t.test('audit entries show user content as text', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  await admin.request({ method: 'POST', url: `/admin/units/${f.unitB.id}`, form: { name: '<script>alert(1)</script>', slug: 'traffic-police', kind: 'city_department' } });
  const res = await admin.request({ url: '/admin/audit' });
  t.notMatch(res.body, '<script>alert(1)</script>');
  t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;');
});

t.test('the chain check reports an intact log', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  await admin.request({ method: 'POST', url: '/admin/categories', form: { slug: 'traffic', nameZh: '交通出行', nameEn: 'Traffic' } });
  const res = await admin.request({ url: '/admin/audit/verify?lang=en' });
  t.equal(res.statusCode, 200);
  t.match(res.body, 'Intact: 1 entries');
});

t.test('auditDiff lists only what changed, and what a creation set', async (t) => {
  t.same(auditDiff({ before: JSON.stringify({ a: 1, b: 'x', updatedAt: '1' }), after: JSON.stringify({ a: 1, b: 'y', updatedAt: '2' }) }), [{ key: 'b', before: 'x', after: 'y' }]);
  t.same(auditDiff({ before: null, after: JSON.stringify({ name: 'n', parentId: null, contactEmail: '' }) }), [{ key: 'name', before: null, after: 'n' }]);
  t.same(auditDiff({ before: null, after: null }), []);
  const long = auditDiff({ before: null, after: JSON.stringify({ text: 'x'.repeat(200) }) })[0];
  t.ok(long.after!.length <= 80, 'long values are shortened');
});
