import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { auditLog, outlets } from '../../db/schema.ts';
import { eq } from 'drizzle-orm';

t.test('the office manages outlets: add, edit, deactivate; others cannot', async (t) => {
  const app = await build(t);
  await seed(app);
  t.equal((await app.inject('/admin/outlets')).statusCode, 302);
  for (const who of ['press', 'editor-a']) {
    const agent = await login(app, who);
    t.equal((await agent.request({ url: '/admin/outlets' })).statusCode, 403, `${who} cannot see the list`);
    t.equal((await agent.request({ method: 'POST', url: '/admin/outlets', form: { name: 'x', kind: 'tv', language: 'zh-CN' } })).statusCode, 403);
  }
  t.equal(app.db.select().from(outlets).all().length, 0);

  const admin = await login(app, 'admin');
  const overview = await admin.request({ url: '/admin' });
  t.match(overview.body, 'href="/admin/outlets"', 'linked from the office overview');
  const bad = await admin.request({ method: 'POST', url: '/admin/outlets', form: { name: '', kind: 'blog', language: 'fr' } });
  t.equal(bad.statusCode, 400);
  t.match(bad.body, 'id="f-name-error"');
  t.match(bad.body, 'id="f-kind-error"');
  const added = await admin.request({ method: 'POST', url: '/admin/outlets', form: { name: '济南日报', kind: 'newspaper', language: 'zh-CN' } });
  t.equal(added.statusCode, 303);
  const dup = await admin.request({ method: 'POST', url: '/admin/outlets', form: { name: '济南日报', kind: 'tv', language: 'zh-CN' } });
  t.equal(dup.statusCode, 400);
  t.match(dup.body, '已有同名媒体');
  const row = app.db.select().from(outlets).get()!;
  t.equal((await admin.request({ url: `/admin/outlets/${row.id}/edit` })).statusCode, 200);
  const edited = await admin.request({ method: 'POST', url: `/admin/outlets/${row.id}`, form: { name: 'Jinan Daily', kind: 'newspaper', language: 'en' } });
  t.equal(edited.statusCode, 303);
  t.equal(app.db.select().from(outlets).get()!.language, 'en');
  t.equal((await admin.request({ method: 'POST', url: `/admin/outlets/${row.id}`, form: { name: 'x', kind: 'tv', language: 'en', extra: '1' } })).statusCode, 400, 'strict body');
  const off = await admin.request({ method: 'POST', url: `/admin/outlets/${row.id}/active`, form: { active: '0' } });
  t.equal(off.statusCode, 303);
  t.equal(app.db.select().from(outlets).get()!.active, false);
  const list = await admin.request({ url: '/admin/outlets' });
  t.match(list.body, 'Jinan Daily');
  t.match(list.body, '已停用');
  const press = await login(app, 'press');
  t.match((await press.request({ url: '/press' })).body, '还没有可用的刊播媒体', 'a deactivated outlet is not offered');
  t.equal((await press.request({ url: `/press/preview?outlet=${row.id}` })).statusCode, 400);
  t.equal((await admin.request({ url: '/admin/outlets/999/edit' })).statusCode, 404);
  t.equal((await admin.request({ url: '/admin/outlets/abc/edit' })).statusCode, 404);
  t.equal(app.db.select().from(auditLog).where(eq(auditLog.entity, 'outlet')).all().length, 3, 'every change is audited');
});
