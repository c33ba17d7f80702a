import t from 'tap';
import { build } from '../helpers.ts';
import { appendAudit, createAuditRepository } from '../../src/audit/repository.ts';

t.test('audit entries chain by hash; the log refuses updates and deletes', async (t) => {
  const app = await build(t);
  const actor = { userId: null, username: 'tester', ip: '127.0.0.1' };
  app.db.transaction((tx) => {
    appendAudit(tx, actor, { action: 'x.create', entity: 'x', entityId: 1, after: { a: 1 } });
    appendAudit(tx, actor, { action: 'x.update', entity: 'x', entityId: 1, before: { a: 1 }, after: { a: 2 } });
  });
  const repo = createAuditRepository(app.db);
  t.same(await repo.verify(), { ok: true, count: 2 });
  const rows = await repo.list();
  t.equal(rows[0].prevHash, rows[1].hash, 'newest links to the one before');
  t.throws(() => app.db.$client.prepare("UPDATE audit_log SET after = '{}' WHERE id = 1").run(), /append-only/);
  t.throws(() => app.db.$client.prepare('DELETE FROM audit_log').run(), /append-only/);
});

t.test('verify names the first entry that was tampered with', async (t) => {
  const app = await build(t);
  const actor = { userId: null, username: 'tester' };
  for (let i = 0; i < 3; i++) appendAudit(app.db, actor, { action: 'x.touch', entity: 'x', entityId: i });
  app.db.$client.exec('DROP TRIGGER audit_log_no_update');
  app.db.$client.prepare("UPDATE audit_log SET username = 'someone else' WHERE id = 2").run();
  const result = await createAuditRepository(app.db).verify();
  t.equal(result.ok, false);
  t.equal(!result.ok && result.badId, 2);
});
