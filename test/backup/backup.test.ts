// Backups taken while the app writes are consistent and restore to identical data; restore checks
// what it is given, keeps the replaced file, and refuses while a server uses the database.
import t, { type Test } from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { build, seed, login, tempDir, testConfig } from '../helpers.ts';
import { makePublished } from '../manage/fixtures.ts';
import { buildApp } from '../../src/app.ts';
import { createBackup, inspectBackup, restoreBackup } from '../../src/backup/backup.ts';
import { listBackups, serverPidFile } from '../../src/backup/files.ts';
import { root } from '../crash/server.ts';

function cli(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, env: { PATH: process.env.PATH, NODE_ENV: 'test', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end();
  });
}

/** Every table of a database file, row by row. */
function dump(file: string): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true });
  try {
    const out: Record<string, unknown[]> = {};
    const tables = (db.pragma('table_list') as { schema: string; name: string; type: string; wr: number }[]).filter((x) => x.schema === 'main' && x.type === 'table' && !x.name.startsWith('sqlite_'));
    // A WITHOUT ROWID table (pledge_terms) has no rowid: it is read in its primary key's order.
    for (const { name, wr } of tables) out[name] = db.prepare(`SELECT * FROM "${name}"${wr ? '' : ' ORDER BY rowid'}`).all();
    return out;
  } finally {
    db.close();
  }
}

function dir(t: Test, prefix: string): string {
  const d = tempDir(prefix);
  t.teardown(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

t.test('a backup taken by the CLI while the app writes is consistent and restores to identical data', async (t) => {
  const work = dir(t, 'pledges-backup-');
  const file = path.join(work, 'live.db');
  const app = await buildApp(testConfig({ DATABASE_FILE: file }, work));
  t.teardown(() => app.close());
  const f = await seed(app);
  const pledge = await makePublished(app, f);
  const editor = await login(app, 'editor-a');

  const acknowledged: string[] = [];
  let writing = true;
  const writer = (async () => {
    for (let i = 0; writing && i < 5000; i++) {
      const body = `backup load ${i}`;
      const res = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: { happenedOn: f.today, body, progress: String(i % 100), status: '', reason: '' } });
      if (res.statusCode !== 303) throw new Error(`write ${i} answered ${res.statusCode}`);
      acknowledged.push(body);
      // Let the event loop breathe, as a server between requests would.
      await new Promise((resolve) => setImmediate(resolve));
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const before = acknowledged.length;
  const backups = path.join(work, 'backups');
  const run = await cli(['backup', '--to', backups], { DATABASE_FILE: file });
  const during = acknowledged.length - before;
  writing = false;
  await writer;
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /backup written: .*integrity check ok/);
  t.ok(during > 0, `the app kept writing during the backup (${during} writes)`);

  const [backup] = listBackups(backups, file);
  t.ok(backup, 'the backup is named after the database and the time');
  const report = await inspectBackup(backup.file);
  t.same(report.problems, [], 'integrity_check ok');
  t.ok(report.chain.ok, 'its audit chain is intact');
  const saved = new Set((dump(backup.file).progress_updates as { body: string }[]).map((r) => r.body));
  t.same(acknowledged.slice(0, before).filter((b) => !saved.has(b)), [], 'every write acknowledged before the backup began is in it');

  // The backup is one moment of the live database: each history table a prefix of the live one.
  const live = dump(file);
  const copy = dump(backup.file);
  for (const table of ['audit_log', 'progress_updates']) {
    t.same(copy[table], live[table].slice(0, copy[table].length), `${table} in the backup is exactly the live one up to that moment`);
  }

  const restoredFile = path.join(work, 'restored.db');
  await restoreBackup({ from: backup.file, databaseFile: restoredFile });
  t.same(dump(restoredFile), copy, 'restored: identical data, table by table');

  // And with the writes stopped, a backup and restore reproduce the live database exactly.
  const quiet = createBackup(app.db, { databaseFile: file, dir: backups, keep: 5 });
  const again = path.join(work, 'again.db');
  await restoreBackup({ from: quiet.file, databaseFile: again });
  t.same(dump(again), dump(file), 'a quiet backup restores to the live data exactly');
  const restoredApp = await buildApp(testConfig({ DATABASE_FILE: again }, work));
  t.teardown(() => restoredApp.close());
  const page = await restoredApp.inject(`/pledges/${pledge.id}`);
  t.match(page.body, acknowledged.at(-1)!, 'the app serves the restored record');
});

t.test('backups keep the BACKUP_KEEP newest and never leave a partial file behind', async (t) => {
  const app = await build(t);
  await seed(app);
  const backups = dir(t, 'pledges-keep-');
  const file = app.config.databaseFile;
  for (let day = 1; day <= 4; day++) createBackup(app.db, { databaseFile: file, dir: backups, keep: 2, now: new Date(Date.UTC(2026, 2, day, 2)) });
  const kept = listBackups(backups, file);
  t.same(
    kept.map((b) => b.name),
    ['test-20260304T020000000Z.db', 'test-20260303T020000000Z.db'],
    'the two newest remain',
  );
  t.same(
    fs.readdirSync(backups).filter((n) => !n.endsWith('.db')),
    [],
    'no partial files',
  );
  t.throws(() => createBackup(app.db, { databaseFile: file, dir: backups, keep: 2, now: new Date(Date.UTC(2026, 2, 4, 2)) }), /already exists/, 'never overwrites a backup');
});

t.test('restore --dry-run reports what a backup holds; restore swaps it in and keeps the old file', async (t) => {
  const work = dir(t, 'pledges-restore-');
  const file = path.join(work, 'pledges.db');
  const backups = path.join(work, 'backups');
  const app = await buildApp(testConfig({ DATABASE_FILE: file }, work));
  await seed(app);
  const backup = createBackup(app.db, { databaseFile: file, dir: backups, keep: 3 });
  // After the backup: a unit the restore will take away again.
  app.db.$client.prepare("INSERT INTO units (slug, name, kind) VALUES ('after-backup', '备份之后的单位', 'community')").run();
  await app.close();
  const env = { DATABASE_FILE: file, BACKUP_DIR: backups };

  const dry = await cli(['restore', '--from', backup.file, '--dry-run'], env);
  t.equal(dry.code, 0, dry.stderr);
  t.match(dry.stdout, 'integrity: ok');
  t.match(dry.stdout, /audit log: intact, \d+ entries/);
  t.match(dry.stdout, /units\s+3\b/, 'counts per table');
  t.match(dry.stdout, 'dry run: nothing changed');
  t.equal((dump(file).units as unknown[]).length, 4, 'the dry run changed nothing');

  const real = await cli(['restore', '--from', backup.file], env);
  t.equal(real.code, 0, real.stderr);
  t.match(real.stdout, 'restart');
  t.equal((dump(file).units as unknown[]).length, 3, 'the backup is the database now');
  const aside = fs.readdirSync(work).find((n) => n.startsWith('pledges.db.before-restore-'));
  t.ok(aside, 'the replaced database is kept aside');
  t.equal((dump(path.join(work, aside!)).units as unknown[]).length, 4, 'with everything it held');
});

t.test('restore refuses a damaged backup, a foreign file, and a database a server is using', async (t) => {
  const work = dir(t, 'pledges-refuse-');
  const file = path.join(work, 'pledges.db');
  const backups = path.join(work, 'backups');
  const app = await buildApp(testConfig({ DATABASE_FILE: file }, work));
  await seed(app);
  const good = createBackup(app.db, { databaseFile: file, dir: backups, keep: 3 });
  await app.close();
  const before = dump(file);

  const damaged = path.join(work, 'damaged.db');
  fs.copyFileSync(good.file, damaged);
  const fd = fs.openSync(damaged, 'r+');
  fs.writeSync(fd, Buffer.alloc(4096 * 6, 0x5a), 0, 4096 * 6, 4096 * 2);
  fs.closeSync(fd);
  await t.rejects(restoreBackup({ from: damaged, databaseFile: file }), /refusing to restore|not a readable|malformed/);

  const foreign = path.join(work, 'foreign.db');
  const other = new Database(foreign);
  other.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)');
  other.close();
  await t.rejects(restoreBackup({ from: foreign, databaseFile: file }), /not a pledge board database/);

  const server = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)']);
  t.teardown(() => server.kill('SIGKILL'));
  fs.writeFileSync(serverPidFile(file), `${server.pid}\n`);
  await t.rejects(restoreBackup({ from: good.file, databaseFile: file }), new RegExp(`server \\(pid ${server.pid}\\) is using`));
  server.kill('SIGKILL');
  await new Promise((resolve) => server.on('exit', resolve));
  t.same(dump(file), before, 'the database was never touched');
  await restoreBackup({ from: good.file, databaseFile: file });
  t.pass('a stale pid file of a stopped server does not block a restore');
});

t.test('with BACKUP_EVERY_HOURS set, the server takes verified backups on its own', async (t) => {
  const backups = dir(t, 'pledges-schedule-');
  // 0.0003 h is about a second: the same timer as hours, made quick for the test.
  const app = await build(t, { BACKUP_EVERY_HOURS: '0.0003', BACKUP_DIR: backups });
  await seed(app);
  let found = listBackups(backups, app.config.databaseFile);
  for (let i = 0; i < 30 && !found.length; i++) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    found = listBackups(backups, app.config.databaseFile);
  }
  t.ok(found.length >= 1, 'a backup appeared');
  const report = await inspectBackup(found[0].file);
  t.same(report.problems, [], 'and it is intact');
});
