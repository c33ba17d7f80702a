// The audit chain's head, published on /integrity, and what it protects against: a hand-edited
// row breaks the chain (audit verify names it), and a rebuilt chain no longer matches the head
// that was published before.
import t from 'tap';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { build, seed, login } from '../helpers.ts';
import { makePublished } from '../manage/fixtures.ts';
import { createAuditRepository, currentChainHead } from '../../src/audit/repository.ts';
import { root } from '../crash/server.ts';

t.test('/integrity shows the chain head in both languages and follows every write', async (t) => {
  const app = await build(t);
  t.equal(currentChainHead(app.db), null, 'no head before the first entry');
  const empty = await app.inject('/integrity');
  t.equal(empty.statusCode, 200);
  t.match(empty.body, '审计日志中还没有记录');

  const f = await seed(app);
  const pledge = await makePublished(app, f);
  const head = currentChainHead(app.db)!;
  t.equal(head.count, 2, 'create and publish');
  // The page offers line breaks inside long values (<wbr>); the text itself is whole.
  const text = (body: string) => body.replace(/<wbr>/g, '');
  const zh = await app.inject('/integrity');
  t.match(zh.body, '记录完整性');
  t.match(text(zh.body), head.hash);
  t.match(zh.body, `#${head.id}`);
  const en = await app.inject('/integrity?lang=en');
  t.match(en.body, 'Head hash (SHA-256)');
  t.match(text(en.body), head.at);

  const editor = await login(app, 'editor-a');
  await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: { happenedOn: f.today, body: '开工', progress: '10', status: '', reason: '' } });
  const next = currentChainHead(app.db)!;
  t.equal(next.count, 3);
  t.not(next.hash, head.hash, 'a new entry, a new head');
  t.match(text((await app.inject('/integrity')).body), next.hash);
});

/** What someone holding the file could do: rewrite entries with the triggers dropped. */
function tamper(sqlite: import('better-sqlite3').Database, sql: string, ...params: unknown[]) {
  sqlite.exec('DROP TRIGGER audit_log_no_update');
  sqlite.prepare(sql).run(...params);
  sqlite.exec("CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;");
}

t.test('audit verify (the CLI) catches a hand-edited row and names it', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await makePublished(app, f);
  await makePublished(app, f, { title: '第二件' });
  tamper(app.db.$client, "UPDATE audit_log SET after = replace(after, '第二件', '改过的') WHERE id = 3");
  const run = await new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'audit', 'verify'], { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_FILE: app.config.databaseFile } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
  t.equal(run.code, 1);
  t.match(run.out, 'audit log broken at entry #3: content does not match its hash');
});

t.test('a rebuilt chain verifies on its own, but no longer matches the head published before', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await makePublished(app, f, { title: '原来的标题' });
  const published = currentChainHead(app.db)!;

  // The forger rewrites entry 1 and recomputes every hash after it.
  const sqlite = app.db.$client;
  tamper(sqlite, "UPDATE audit_log SET after = replace(after, '原来的标题', '伪造的标题') WHERE id = 1");
  let prev = '0'.repeat(64);
  for (const row of sqlite.prepare('SELECT * FROM audit_log ORDER BY id').all() as Record<string, any>[]) {
    const hash = createHash('sha256')
      .update(JSON.stringify([prev, row.at, row.user_id, row.username, row.action, row.entity, row.entity_id, row.before, row.after, row.ip]))
      .digest('hex');
    tamper(sqlite, 'UPDATE audit_log SET prev_hash = ?, hash = ? WHERE id = ?', prev, hash, row.id);
    prev = hash;
  }
  t.ok((await createAuditRepository(app.db).verify()).ok, 'the rebuilt chain is self-consistent');
  const entry = sqlite.prepare('SELECT hash FROM audit_log WHERE id = ?').get(published.id) as { hash: string };
  t.not(entry.hash, published.hash, 'but the entry at the published head has another hash: the forgery shows');
});
