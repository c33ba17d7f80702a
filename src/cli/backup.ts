// `backup [--to DIR]` and `restore --from FILE [--dry-run]`.
import path from 'node:path';
import type { AppConfig } from '../config.ts';
import type { Db } from '../plugins/db.ts';
import { BackupError, createBackup, inspectBackup, restoreBackup, unfitReason, type BackupReport } from '../backup/backup.ts';
import { CliError } from './errors.ts';
import { backupOptions, parseOptions, restoreOptions } from './schemas.ts';
import { formatTable } from './table.ts';
import type { Output } from './users.ts';

function kib(bytes: number): string {
  return `${Math.max(1, Math.round(bytes / 1024)).toLocaleString('en')} KiB`;
}

export async function backupCommand(db: Db, values: unknown, io: Output, config: AppConfig): Promise<void> {
  const options = parseOptions(backupOptions, values);
  try {
    const result = createBackup(db, { databaseFile: config.databaseFile, dir: options.to ? path.resolve(options.to) : config.backupDir, keep: config.backupKeep });
    io.out(`backup written: ${result.file} (${kib(result.bytes)}), integrity check ok`);
    for (const removed of result.removed) io.out(`removed old backup ${removed} (BACKUP_KEEP=${config.backupKeep})`);
  } catch (err) {
    if (err instanceof BackupError) throw new CliError(err.message);
    throw err;
  }
}

function describe(report: BackupReport, io: Output): void {
  io.out(`backup ${report.file} (${kib(report.bytes)})`);
  io.out(`integrity: ${report.problems.length ? `FAILED: ${report.problems.join('; ')}` : 'ok'}`);
  io.out(`schema: ${report.migrations} migrations applied`);
  io.out(
    report.chain.ok
      ? `audit log: intact, ${report.chain.count} entries`
      : `audit log: BROKEN at entry #${report.chain.badId} (${report.chain.problem})`,
  );
  const a = report.newestAudit;
  io.out(a ? `newest audit entry: #${a.id} at ${a.at}: ${a.action} ${a.entity} ${a.entityId} by ${a.username || '(system)'}; hash ${a.hash}` : 'newest audit entry: none');
  io.out(formatTable(['TABLE', 'ROWS'], report.tables.map((t) => [t.name, t.rows.toLocaleString('en')])));
}

export async function restoreCommand(config: AppConfig, values: unknown, io: Output): Promise<void> {
  const options = parseOptions(restoreOptions, values);
  const from = path.resolve(options.from);
  try {
    if (options['dry-run']) {
      const report = await inspectBackup(from);
      describe(report, io);
      const unfit = unfitReason(report);
      if (unfit) throw new CliError(`this backup cannot be restored: ${unfit}`);
      io.out(`dry run: nothing changed; without --dry-run this replaces ${config.databaseFile}`);
      return;
    }
    const result = await restoreBackup({ from, databaseFile: config.databaseFile, backupDir: config.backupDir });
    describe(result.report, io);
    io.out(`restored ${from} into ${config.databaseFile}`);
    if (result.previous) io.out(`the database it replaced is kept at ${result.previous}`);
    io.out('start (or restart) the server now: it reads the restored file when it starts');
  } catch (err) {
    if (err instanceof BackupError) throw new CliError(err.message);
    throw err;
  }
}
