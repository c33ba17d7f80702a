// The demo campaign for tests, loaded once per test file. A real load takes seconds (most of
// it rendering the press notices' files), so tests that only read what the demo holds start
// from a byte copy of one loaded template database instead of loading it again. Tests about
// loading itself (twice gives the same, again is a no-op, not into a non-empty database,
// through the app) still call the loader; freshDemoDb is a database it filled just now.
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../helpers.ts';
import { openDatabase, type Db } from '../../src/plugins/db.ts';
import { loadDemoIfEmpty } from '../../src/demo/load.ts';

export const DEMO_ZONE = 'Asia/Shanghai';
export const DEMO_PASSWORD = 'demo-password-2011';
/** The options every test load passes, so the template and a fresh load are the same load. */
export const demoLoadOptions = { password: DEMO_PASSWORD, timeZone: DEMO_ZONE, argon2MemoryKib: 1024, publicUrl: 'https://pledges.example.gov.cn' };

interface Teardown {
  teardown(fn: () => unknown): void;
}

/** An empty, migrated database in its own directory; closed and removed at the test's end. */
export function emptyDb(t: Teardown): Db {
  const dir = tempDir('pledges-demo-');
  const db = openDatabase(path.join(dir, 'demo.db'));
  t.teardown(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return db;
}

/** Loads the demo into db for real, and fails unless it loaded with the given password. */
async function loadInto(db: Db): Promise<void> {
  const result = await loadDemoIfEmpty(db, demoLoadOptions);
  if (!result || result.generated || result.password !== DEMO_PASSWORD) throw new Error('the demo did not load with the given password');
}

/** A new database with the demo loaded by the real loader (not a copy). */
export async function freshDemoDb(t: Teardown): Promise<Db> {
  const db = emptyDb(t);
  await loadInto(db);
  return db;
}

let template: Promise<string> | undefined;

/**
 * The file of this process's template: loaded on first use, checkpointed and closed so the
 * file alone holds everything (no WAL beside it) and nothing writes to it again. Removed when
 * the process exits. Loaded today, like any load in the test, so dates relative to today hold.
 */
export function demoTemplateFile(): Promise<string> {
  template ??= (async () => {
    const dir = tempDir('pledges-demo-template-');
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'template.db');
    const db = openDatabase(file);
    try {
      await loadInto(db);
      db.$client.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.$client.close();
    }
    return file;
  })();
  return template;
}

/**
 * A private byte copy of the template: the demo exactly as a load leaves it. The test may
 * write to it. Closed and removed at the test's end.
 */
export async function demoCopy(t: Teardown): Promise<Db> {
  const source = await demoTemplateFile();
  const dir = tempDir('pledges-demo-');
  const file = path.join(dir, 'demo.db');
  fs.copyFileSync(source, file);
  const db = openDatabase(file);
  t.teardown(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return db;
}
