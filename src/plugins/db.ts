import fp from 'fastify-plugin';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import fs from 'node:fs';
import path from 'node:path';
import * as schema from '../../db/schema.ts';
import { newestBackup } from '../backup/files.ts';
import { cachingConnection } from './statement-cache.ts';
import { installWriteCounters } from '../cache/write-counters.ts';
import { installReadSnapshots, readSnapshotsOf } from './read-snapshots.ts';
import { projectPath } from '../paths.ts';

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** A transaction handle inside db.transaction(); repositories' helpers accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
export type DbLike = Db | Tx;

const dbDir = projectPath('db');
const migrationsFolder = path.join(dbDir, 'migrations');

/** The database file cannot be used (corrupt, not a database): the message says what to do. */
export class DatabaseUnusableError extends Error {
  override name = 'DatabaseUnusableError';
}

export interface OpenOptions {
  /** Where backups are kept, so a refusal to open can name the newest one. */
  backupDir?: string;
  /** Refresh the query planner's statistics after migrating (the server's connection only). */
  analyze?: boolean;
}

/** Sets the pragmas the public record needs on a connection. */
function applyPragmas(sqlite: Database.Database): void {
  sqlite.pragma('journal_mode = WAL');
  // better-sqlite3 opens WAL connections at synchronous=NORMAL, which can lose the last
  // commits on power loss; the public record must not.
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Trigger-maintained tallies (rating_tallies) make SQLite keep a temporary statement journal
  // per write; in memory it costs microseconds instead of a file each time.
  sqlite.pragma('temp_store = MEMORY');
}

function refusal(file: string, problem: string, backupDir: string | undefined): DatabaseUnusableError {
  const lines = [`The database file ${file} is damaged (${problem}); refusing to start on it so nothing more is lost.`];
  const newest = backupDir ? newestBackup(backupDir, file) : undefined;
  if (newest) {
    lines.push(`Newest backup: ${newest.file}`);
    lines.push(`Check it with \`npm run cli -- restore --from ${newest.file} --dry-run\`, then restore it without --dry-run.`);
  } else {
    lines.push(backupDir ? `No backup of it was found in ${backupDir}.` : 'No backup directory was given to look for a backup in.');
  }
  return new DatabaseUnusableError(lines.join('\n'));
}

/**
 * Opens the database with the pragmas the public record needs, checks it is not damaged, and
 * applies pending migrations. Shared by the server, the CLI and the dataset tools so all of
 * them see the same schema.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new Database(file);
  // Before anything is prepared, so every write on this connection ends a read snapshot first.
  installReadSnapshots(sqlite);
  try {
    applyPragmas(sqlite);
    if (file !== ':memory:') {
      // quick_check reads every page but skips index cross-checks: seconds at most on a city's data.
      const rows = sqlite.pragma('quick_check(1)') as { quick_check: string }[];
      const result = rows[0]?.quick_check ?? 'no answer';
      if (result !== 'ok') throw refusal(file, result, options.backupDir);
    }
  } catch (err) {
    sqlite.close();
    if (err instanceof DatabaseUnusableError) throw err;
    const code = (err as { code?: string }).code ?? '';
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) throw refusal(file, (err as Error).message, options.backupDir);
    throw err;
  }
  // drizzle prepares through the statement cache; `$client` stays the plain connection for
  // code that prepares (and configures) statements of its own.
  const db = drizzle(cachingConnection(sqlite), { schema }) as Db;
  db.$client = sqlite;
  migrate(db, { migrationsFolder });
  installWriteCounters(sqlite);
  if (options.analyze) {
    // Planner statistics for tables that lack them or changed a lot (SQLite's advice for a
    // long-lived connection). A quarter second at ten times a city's size. Only the server does
    // it: it writes, and a CLI run beside a live server must not take the write lock.
    sqlite.pragma('analysis_limit = 400');
    sqlite.pragma('optimize = 0x10002');
  }
  return db;
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

export default fp(
  async (app, opts: { file: string }) => {
    const db = openDatabase(opts.file, { backupDir: app.config?.backupDir, analyze: true });
    app.decorate('db', db);
    // Each page read from one snapshot (src/plugins/read-snapshots.ts). A request that arrives
    // ends the one before it first, so even the page cache's look-up reads every commit made
    // before the request; the page's own snapshot begins once the look-up missed (a hit reads
    // nothing more). Only reads take one: a POST's would end at its first write anyway.
    const snapshots = readSnapshotsOf(db.$client);
    app.addHook('onRequest', (_request, _reply, done) => {
      snapshots.end();
      done();
    });
    app.addHook('preHandler', (request, _reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD') snapshots.begin();
      done();
    });
    app.addHook('onClose', async () => {
      // The last connection to close folds the WAL back into the file.
      db.$client.close();
    });
  },
  { name: 'db' },
);
