import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { tempDir, testConfig, login } from '../helpers.ts';
import { buildApp } from '../../src/app.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { units } from '../../db/schema.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const PASSWORD = 'long password here';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** A fresh directory for one test's database file, removed afterwards. */
function databaseFile(t: Teardown): string {
  const dir = tempDir('pledges-cli-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return path.join(dir, 'cli.db');
}

/** Runs the CLI as a user would, with `input` piped to standard input (or none: stdin closed empty). */
function cli(file: string, args: string[], input = ''): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: root,
      // DEMO_DATA on proves the CLI ignores it: it never loads the demo.
      env: { PATH: process.env.PATH, NODE_ENV: 'test', DATABASE_FILE: file, DEMO_DATA: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

function addUnit(file: string, slug: string, name: string, active = true) {
  const db = openDatabase(file);
  db.insert(units).values({ slug, name, kind: 'city_department', active }).run();
  db.$client.close();
}

async function withApp<T>(file: string, fn: (app: Awaited<ReturnType<typeof buildApp>>) => Promise<T>): Promise<T> {
  const app = await buildApp(testConfig({ DATABASE_FILE: file }));
  try {
    return await fn(app);
  } finally {
    await app.close();
  }
}

t.test('user add reads a piped password, and the new admin can sign in', async (t) => {
  const file = databaseFile(t);
  const run = await cli(file, ['user', 'add', '--username', 'chen', '--role', 'admin'], `${PASSWORD}\n`);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, 'created admin account chen');
  await withApp(file, async (app) => {
    const agent = await login(app, 'chen', PASSWORD);
    const session = await app.authRepo.findSession(agent.token);
    t.equal(session?.user.role, 'admin');
  });
  const db = new Database(file, { readonly: true });
  t.teardown(() => db.close());
  const entry = db.prepare("SELECT username, action FROM audit_log WHERE action = 'user.create'").get();
  t.same(entry, { username: 'cli', action: 'user.create' }, 'audited as the CLI');
  t.equal((db.prepare('SELECT count(*) AS n FROM campaigns').get() as { n: number }).n, 0, 'no demo data, even with DEMO_DATA=1');
});

t.test('a unit editor needs an existing unit slug, and other roles must not have one', async (t) => {
  const file = databaseFile(t);
  addUnit(file, 'shuiwu', '市水务局');
  addUnit(file, 'closed', '已撤销单位', false);

  const ok = await cli(file, ['user', 'add', '--username', 'wang', '--role', 'unit', '--unit', 'shuiwu'], `${PASSWORD}\n`);
  t.equal(ok.code, 0, ok.stderr);
  t.match(ok.stdout, 'for unit shuiwu');

  const unknown = await cli(file, ['user', 'add', '--username', 'liu', '--role', 'unit', '--unit', 'nope'], `${PASSWORD}\n`);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, 'no unit with the slug nope');

  const inactive = await cli(file, ['user', 'add', '--username', 'liu', '--role', 'unit', '--unit', 'closed'], `${PASSWORD}\n`);
  t.equal(inactive.code, 1);
  t.match(inactive.stderr, 'inactive');

  const missing = await cli(file, ['user', 'add', '--username', 'liu', '--role', 'unit'], `${PASSWORD}\n`);
  t.equal(missing.code, 2);
  t.match(missing.stderr, '--unit is required');

  const extra = await cli(file, ['user', 'add', '--username', 'liu', '--role', 'press', '--unit', 'shuiwu'], `${PASSWORD}\n`);
  t.equal(extra.code, 2);
  t.match(extra.stderr, '--unit is only for --role unit');

  const list = await cli(file, ['user', 'list']);
  t.equal(list.code, 0);
  t.match(list.stdout, /USERNAME\s+ROLE\s+UNIT\s+DISABLED/);
  t.match(list.stdout, /wang\s+unit\s+shuiwu \(市水务局\)\s+no/);
  t.notMatch(list.stdout, /\bliu\b/, 'none of the refused accounts exists');
});

t.test('bad role, short or missing password and a duplicate name are refused with a message', async (t) => {
  const file = databaseFile(t);
  const badRole = await cli(file, ['user', 'add', '--username', 'chen', '--role', 'boss'], `${PASSWORD}\n`);
  t.equal(badRole.code, 2);
  t.match(badRole.stderr, '--role must be one of admin, press, unit');

  const short = await cli(file, ['user', 'add', '--username', 'chen', '--role', 'admin'], 'short\n');
  t.equal(short.code, 1);
  t.match(short.stderr, 'at least 12 characters');

  const none = await cli(file, ['user', 'add', '--username', 'chen', '--role', 'admin']);
  t.equal(none.code, 1);
  t.match(none.stderr, 'no password on standard input');

  const badName = await cli(file, ['user', 'add', '--username', 'bad name', '--role', 'admin'], `${PASSWORD}\n`);
  t.equal(badName.code, 2);
  t.match(badName.stderr, '--username must be');

  const first = await cli(file, ['user', 'add', '--username', 'chen', '--role', 'admin'], `${PASSWORD}\n`);
  t.equal(first.code, 0, first.stderr);
  const again = await cli(file, ['user', 'add', '--username', 'chen', '--role', 'press'], `${PASSWORD}\n`);
  t.equal(again.code, 1);
  t.match(again.stderr, 'a user named chen already exists');

  const unknownOption = await cli(file, ['user', 'add', '--username', 'zhou', '--role', 'admin', '--admin'], `${PASSWORD}\n`);
  t.equal(unknownOption.code, 2);
  t.match(unknownOption.stderr, "Unknown option '--admin'");

  const db = new Database(file, { readonly: true });
  t.teardown(() => db.close());
  t.same(db.prepare('SELECT username, role FROM users').all(), [{ username: 'chen', role: 'admin' }], 'only the valid account exists');
});

t.test('user disable ends the account’s sessions at once and user list shows it disabled', async (t) => {
  const file = databaseFile(t);
  t.equal((await cli(file, ['user', 'add', '--username', 'chen', '--role', 'press'], `${PASSWORD}\n`)).code, 0);
  const app = await buildApp(testConfig({ DATABASE_FILE: file }));
  t.teardown(() => app.close());
  const agent = await login(app, 'chen', PASSWORD);
  const token = agent.token;
  t.ok(await app.authRepo.findSession(token), 'signed in');

  const run = await cli(file, ['user', 'disable', '--username', 'chen']);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, 'disabled chen');
  t.equal(await app.authRepo.findSession(token), undefined, 'the session no longer works');

  const list = await cli(file, ['user', 'list']);
  t.match(list.stdout, /chen\s+press\s+yes, since \d{4}-\d{2}-\d{2}/);

  const twice = await cli(file, ['user', 'disable', '--username', 'chen']);
  t.equal(twice.code, 0);
  t.match(twice.stdout, 'already disabled');

  const unknown = await cli(file, ['user', 'disable', '--username', 'nobody']);
  t.equal(unknown.code, 1);
  t.match(unknown.stderr, 'no user named nobody');
});

t.test('audit verify exits 0 on an intact log and 1 naming the first tampered entry', async (t) => {
  const file = databaseFile(t);
  for (const name of ['chen', 'wang', 'zhou']) t.equal((await cli(file, ['user', 'add', '--username', name, '--role', 'admin'], `${PASSWORD}\n`)).code, 0);

  const intact = await cli(file, ['audit', 'verify']);
  t.equal(intact.code, 0, intact.stderr);
  t.match(intact.stdout, 'audit log intact: 3 entries');

  // Tampering: someone with the file drops the append-only guard and rewrites history.
  const db = new Database(file);
  db.exec('DROP TRIGGER audit_log_no_update');
  const second = db.prepare('SELECT id FROM audit_log ORDER BY id LIMIT 1 OFFSET 1').get() as { id: number };
  db.prepare("UPDATE audit_log SET username = 'someone-else' WHERE id = ?").run(second.id);
  db.close();

  const broken = await cli(file, ['audit', 'verify']);
  t.equal(broken.code, 1);
  t.match(broken.stderr, `audit log broken at entry #${second.id}: content does not match its hash`);
});

t.test('--help prints usage; an unknown or missing command prints usage and exits 2', async (t) => {
  const file = databaseFile(t);
  const help = await cli(file, ['--help']);
  t.equal(help.code, 0);
  t.match(help.stdout, 'Usage: npm run cli -- <command>');
  t.match(help.stdout, 'user add --username NAME --role admin|press|unit');

  const unknown = await cli(file, ['user', 'delete', '--username', 'chen']);
  t.equal(unknown.code, 2);
  t.match(unknown.stderr, 'unknown command: user delete');
  t.match(unknown.stderr, 'Usage:');

  const none = await cli(file, []);
  t.equal(none.code, 2);
  t.match(none.stderr, 'no command given');
  t.notOk(fs.existsSync(file), 'usage errors do not create a database');
});

t.test('migrations run on an empty file, and opening it again changes nothing', async (t) => {
  const file = databaseFile(t);
  const snapshot = () => {
    const db = new Database(file, { readonly: true });
    try {
      const schema = db.prepare("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { type: string; name: string }[];
      const rows = Object.fromEntries(
        schema
          .filter((s) => s.type === 'table' && !s.name.startsWith('pledge_search_'))
          .map((s) => [s.name, (db.prepare(`SELECT count(*) AS n FROM "${s.name}"`).get() as { n: number }).n]),
      );
      return { schema, rows };
    } finally {
      db.close();
    }
  };
  const first = await cli(file, ['user', 'list']);
  t.equal(first.code, 0, first.stderr);
  const afterFirst = snapshot();
  const journal = JSON.parse(fs.readFileSync(path.join(root, 'db/migrations/meta/_journal.json'), 'utf8')) as { entries: unknown[] };
  t.equal(afterFirst.rows.__drizzle_migrations, journal.entries.length, 'every migration applied once');
  t.ok(afterFirst.schema.some((s) => s.name === 'pledges'), 'the schema is there');

  const second = await cli(file, ['user', 'list']);
  t.equal(second.code, 0, second.stderr);
  t.same(snapshot(), afterFirst, 'same schema, same row counts');
});
