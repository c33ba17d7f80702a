// Injected storage faults: a read-only or full database turns writes into a clear 503 while
// reads go on and nothing is half-written; a damaged file is refused at start with the newest
// backup named; history tables refuse UPDATE and DELETE.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { build, seed, login, tempDir, testConfig } from '../helpers.ts';
import { makePublished } from '../manage/fixtures.ts';
import { snapshot } from '../adversarial/snapshot.ts';
import { buildApp } from '../../src/app.ts';
import { openDatabase, DatabaseUnusableError } from '../../src/plugins/db.ts';
import { createBackup } from '../../src/backup/backup.ts';
import { startServer } from './server.ts';

async function workspace(t: Test) {
  const app = await build(t);
  const f = await seed(app);
  const pledge = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  return { app, f, pledge, editor };
}

const progress = (today: string, body = '管网改造已完成一半') => ({ happenedOn: today, body, progress: '50', status: '', reason: '' });

t.test('a read-only database answers writes with a 503 page in both languages while every page still reads', async (t) => {
  const { app, f, pledge, editor } = await workspace(t);
  // An old last-seen time makes the next request try to record activity, which must not break reading.
  app.db.$client.prepare('UPDATE sessions SET last_seen_at = ?').run(new Date(Date.now() - 5 * 60_000).toISOString());
  const before = snapshot(app);
  app.db.$client.pragma('query_only = 1');

  const zh = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: progress(f.today), headers: { 'accept-language': 'zh-CN' } });
  t.equal(zh.statusCode, 503);
  t.match(zh.body, '数据库当前只能读取');
  t.match(zh.body, '没有保存');
  t.equal(zh.headers['retry-after'], '60', 'tells clients when to try again');
  const en = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress?lang=en`, form: progress(f.today) });
  t.equal(en.statusCode, 503);
  t.match(en.body, 'The database is read-only');

  for (const url of ['/', '/pledges', `/pledges/${pledge.id}`, '/units', `/units/${f.unitA.slug}`, '/integrity']) {
    t.equal((await app.inject(url)).statusCode, 200, `${url} still reads`);
  }
  t.equal((await editor.request({ url: `/manage/pledges/${pledge.id}` })).statusCode, 200, 'a signed-in editor still reads the workspace');
  t.same(snapshot(app), before, 'nothing changed');

  app.db.$client.pragma('query_only = 0');
  const again = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: progress(f.today) });
  t.equal(again.statusCode, 303, 'writes work again once the database does');
});

t.test('a full disk answers 503, rolls the whole write back, and leaves the file intact', async (t) => {
  const { app, f, pledge, editor } = await workspace(t);
  const before = snapshot(app);
  const pages = (app.db.$client.pragma('page_count') as { page_count: number }[])[0].page_count;
  app.db.$client.pragma(`max_page_count = ${pages}`);
  // Long enough to need new pages: the timeline row, the pledge row and the audit entry must all fail together.
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: progress(f.today, '进展'.repeat(1900)) });
  t.equal(res.statusCode, 503);
  t.match(res.body, '存储空间已满');
  t.same(snapshot(app), before, 'nothing was half-written');
  t.same(app.db.$client.pragma('integrity_check'), [{ integrity_check: 'ok' }]);
  t.equal((await app.inject(`/pledges/${pledge.id}`)).statusCode, 200, 'reads go on');

  app.db.$client.pragma('max_page_count = 1073741823');
  const again = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: progress(f.today, '进展'.repeat(1900)) });
  t.equal(again.statusCode, 303);
});

t.test('history tables refuse UPDATE and DELETE at the database level', async (t) => {
  const { app, f, pledge, editor } = await workspace(t);
  await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: progress(f.today) });
  const sqlite = app.db.$client;
  sqlite.prepare("INSERT INTO pledge_amendments (pledge_id, field, old_value, new_value, reason) VALUES (?, 'title', 'a', 'b', 'c')").run(pledge.id);
  sqlite.prepare("INSERT INTO deadline_changes (pledge_id, old_due_on, new_due_on, reason) VALUES (?, '2030-01-01', '2030-02-01', 'x')").run(pledge.id);
  for (const table of ['progress_updates', 'pledge_amendments', 'deadline_changes', 'audit_log']) {
    t.ok((sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n > 0, `${table} has a row to attack`);
    t.throws(() => sqlite.prepare(`UPDATE ${table} SET id = id`).run(), /append-only/, `${table} refuses UPDATE`);
    t.throws(() => sqlite.prepare(`DELETE FROM ${table}`).run(), /append-only/, `${table} refuses DELETE`);
  }
});

/** A database with some content and one backup of it, then damaged on disk. */
async function damagedDatabase(t: Test, damage: (file: string) => void) {
  const dir = tempDir('pledges-corrupt-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'pledges.db');
  const backups = path.join(dir, 'backups');
  const app = await buildApp(testConfig({ DATABASE_FILE: file, BACKUP_DIR: backups }, dir));
  await seed(app);
  const backup = createBackup(app.db, { databaseFile: file, dir: backups, keep: 3 });
  await app.close();
  damage(file);
  return { dir, file, backups, backup };
}

function scribble(file: string) {
  // Pages 2–12 overwritten: table and index b-trees no longer make sense.
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(4096 * 11, 0xa5), 0, 4096 * 11, 4096);
  fs.closeSync(fd);
}

t.test('a damaged database file is refused at start, naming the file and the newest backup', async (t) => {
  const { dir, file, backups, backup } = await damagedDatabase(t, scribble);
  await t.rejects(buildApp(testConfig({ DATABASE_FILE: file, BACKUP_DIR: backups }, dir)), DatabaseUnusableError);
  try {
    openDatabase(file, { backupDir: backups });
    t.fail('opened a damaged file');
  } catch (err) {
    const message = (err as Error).message;
    t.match(message, file, 'names the damaged file');
    t.match(message, backup.file, 'names the newest backup');
    t.match(message, 'restore --from', 'says how to restore it');
  }
  const intact = openDatabase(backup.file, { backupDir: backups });
  t.ok(intact, 'the backup itself opens');
  intact.$client.close();
});

t.test('a file that is not a database at all is refused the same way', async (t) => {
  const { file, backups } = await damagedDatabase(t, (f) => fs.writeFileSync(f, 'this is not an SQLite database, just text '.repeat(200)));
  for (const suffix of ['-wal', '-shm']) fs.rmSync(file + suffix, { force: true });
  t.throws(() => openDatabase(file, { backupDir: backups }), { name: 'DatabaseUnusableError', message: /not a database[\s\S]*Newest backup/ });
});

t.test('the server refuses to start on a damaged file and says why on stderr', async (t) => {
  const { file, backups, backup } = await damagedDatabase(t, scribble);
  const started = startServer({ DATABASE_FILE: file, BACKUP_DIR: backups, DEMO_DATA: '0' }, { timeoutMs: 20_000 });
  await t.rejects(started, { message: /exited \(1\) before listening[\s\S]*is damaged/ });
  const err = await started.catch((e: Error) => e.message);
  t.match(err, backup.file);
});
