// Online backups and restore. A backup is one self-contained SQLite file written with
// `VACUUM INTO` (a single read transaction: consistent while the app keeps writing, and it
// never blocks writers in WAL mode), checked with integrity_check before it gets its final
// name, so a file with a backup's name is always a good one.
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import * as schema from '../../db/schema.ts';
import { openDatabase, type Db } from '../plugins/db.ts';
import { createAuditRepository } from '../audit/repository.ts';
import { backupFileName, listBackups, runningServerPid, timestamp } from './files.ts';

export class BackupError extends Error {
  override name = 'BackupError';
}

export interface BackupResult {
  file: string;
  bytes: number;
  /** Older backups removed to keep BACKUP_KEEP. */
  removed: string[];
}

function fsyncPath(file: string, flags = 'r'): void {
  const fd = fs.openSync(file, flags);
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** integrity_check's answer: ['ok'] or the problems it found (at most `max`). */
export function integrityProblems(sqlite: Database.Database, max = 10): string[] {
  const rows = sqlite.pragma(`integrity_check(${max})`) as { integrity_check: string }[];
  const found = rows.map((r) => r.integrity_check);
  return found.length === 1 && found[0] === 'ok' ? [] : found;
}

/**
 * Takes a backup of the open database into dir, verifies it, and keeps the `keep` newest.
 * Safe while the server serves: the copy is one consistent snapshot.
 */
export function createBackup(db: Db, opts: { databaseFile: string; dir: string; keep: number; now?: Date }): BackupResult {
  fs.mkdirSync(opts.dir, { recursive: true });
  const name = backupFileName(opts.databaseFile, opts.now);
  const file = path.join(opts.dir, name);
  const partial = path.join(opts.dir, `.${name}.partial`);
  fs.rmSync(partial, { force: true });
  if (fs.existsSync(file)) throw new BackupError(`a backup named ${file} already exists`);
  try {
    db.$client.prepare('VACUUM INTO ?').run(partial);
    const copy = new Database(partial, { readonly: true, fileMustExist: true });
    let problems: string[];
    try {
      problems = integrityProblems(copy);
    } finally {
      copy.close();
    }
    if (problems.length) throw new BackupError(`the backup failed its integrity check: ${problems.join('; ')}`);
    fsyncPath(partial, 'r+');
    fs.renameSync(partial, file);
    fsyncPath(opts.dir);
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
  const removed: string[] = [];
  for (const old of listBackups(opts.dir, opts.databaseFile).slice(opts.keep)) {
    fs.rmSync(old.file, { force: true });
    removed.push(old.file);
  }
  return { file, bytes: fs.statSync(file).size, removed };
}

export interface BackupReport {
  file: string;
  bytes: number;
  /** [] when integrity_check says ok. */
  problems: string[];
  /** Migrations the file has applied (its schema version). */
  migrations: number;
  tables: { name: string; rows: number }[];
  newestAudit: { id: number; at: string; action: string; entity: string; entityId: string; username: string; hash: string } | null;
  chain: { ok: true; count: number } | { ok: false; count: number; badId: number; problem: string };
}

/** What a backup file holds, read without changing it. Throws when it is not this app's database. */
export async function inspectBackup(file: string): Promise<BackupReport> {
  const stat = fs.statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new BackupError(`no backup file at ${file}`);
  let sqlite: Database.Database;
  try {
    sqlite = new Database(file, { readonly: true, fileMustExist: true });
  } catch (err) {
    throw new BackupError(`cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    let tableNames: string[];
    try {
      tableNames = (sqlite.pragma('table_list') as { schema: string; name: string; type: string }[])
        .filter((t) => t.schema === 'main' && (t.type === 'table' || t.type === 'virtual') && !t.name.startsWith('sqlite_'))
        .map((t) => t.name)
        .sort();
    } catch (err) {
      throw new BackupError(`${file} is not a readable SQLite database: ${(err as Error).message}`);
    }
    for (const needed of ['audit_log', 'pledges', '__drizzle_migrations']) {
      if (!tableNames.includes(needed)) throw new BackupError(`${file} is not a pledge board database (it has no ${needed} table)`);
    }
    const count = (name: string) => (sqlite.prepare(`SELECT count(*) AS n FROM "${name.replace(/"/g, '""')}"`).get() as { n: number }).n;
    return {
      file,
      bytes: stat.size,
      problems: integrityProblems(sqlite),
      migrations: count('__drizzle_migrations'),
      tables: tableNames.filter((n) => n !== '__drizzle_migrations').map((name) => ({ name, rows: count(name) })),
      newestAudit:
        (sqlite
          .prepare('SELECT id, at, action, entity, entity_id AS entityId, username, hash FROM audit_log ORDER BY id DESC LIMIT 1')
          .get() as BackupReport['newestAudit'] | undefined) ?? null,
      chain: await createAuditRepository(drizzle(sqlite, { schema }) as unknown as Db).verify(),
    };
  } finally {
    sqlite.close();
  }
}

/** A backup fit to restore: readable, intact, this app's schema, audit chain unbroken. */
export function unfitReason(report: BackupReport): string | undefined {
  if (report.problems.length) return `it failed its integrity check: ${report.problems.join('; ')}`;
  if (!report.chain.ok) return `its audit log is broken at entry #${report.chain.badId} (${report.chain.problem})`;
  return undefined;
}

export interface RestoreResult {
  report: BackupReport;
  /** Where the database that was replaced now lies (its -wal/-shm beside it), if there was one. */
  previous?: string;
}

/**
 * Replaces the database file with a verified backup. The current file is moved aside, never
 * deleted; the server must be stopped first and started again afterwards.
 */
export async function restoreBackup(opts: { from: string; databaseFile: string; backupDir?: string }): Promise<RestoreResult> {
  const from = path.resolve(opts.from);
  const target = path.resolve(opts.databaseFile);
  if (from === target) throw new BackupError('the backup to restore is the database file itself');
  const report = await inspectBackup(from);
  const unfit = unfitReason(report);
  if (unfit) throw new BackupError(`refusing to restore ${from}: ${unfit}`);
  const pid = runningServerPid(target);
  if (pid) throw new BackupError(`a server (pid ${pid}) is using ${target}: stop it first, then restore, then start it again`);

  fs.mkdirSync(path.dirname(target), { recursive: true });
  let previous: string | undefined;
  if (fs.existsSync(target)) {
    // Fold the WAL into the file first so the copy set aside is complete on its own; a damaged
    // file may refuse, and then its -wal and -shm are moved along with it as they are.
    try {
      const current = new Database(target, { fileMustExist: true });
      try {
        current.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        current.close();
      }
    } catch {
      // set aside as it is
    }
    previous = `${target}.before-restore-${timestamp()}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, previous + suffix);
    }
  }
  const incoming = `${target}.restoring`;
  fs.copyFileSync(from, incoming);
  fsyncPath(incoming, 'r+');
  fs.renameSync(incoming, target);
  fsyncPath(path.dirname(target));
  // Opening applies the pragmas (WAL) and any migrations newer than the backup.
  openDatabase(target, { backupDir: opts.backupDir }).$client.close();
  return { report, previous };
}
