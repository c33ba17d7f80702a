// Which part of the record a write touched. The data version (data-version.ts) moves with every
// write, so a figure kept for one version is computed again after any write at all: at ten times
// a city's size a public vote (many a second at busy times) made the next home page scan the
// whole campaign again (about a second), and a report on the demand board made the league scan
// every pledge. Here every table counts its writes into one of a few counters, by triggers the
// database runs itself — for this process, the CLI, another process or a restore alike — and a
// kept figure names the counters it reads (src/cache/aggregates.ts): a vote then retires the
// satisfaction figures, not the pledge figures.
//
// The triggers are made when the database is opened, from the tables it has, not written in a
// migration: a table a later migration adds gets its triggers on the next start without anyone
// remembering to, and a table nobody mapped counts as `record`, the counter every kept figure
// reads. Pages (the page cache) still follow every write.
import type Database from 'better-sqlite3';

/**
 * The counters. `record` is the public record itself (pledges, units, progress, campaigns, …)
 * and any table not named below; every kept figure depends on it.
 */
export const WRITE_COUNTERS = ['record', 'ratings', 'demands', 'suggestions', 'checks', 'visits'] as const;
export type WriteCounter = (typeof WRITE_COUNTERS)[number];

/**
 * Tables the public writes to often, or that no public figure reads, and the counter each
 * writes to. A figure that reads one of these tables must name its counter (or it would be kept
 * past a write to it); the tests in test/cache/write-counters.test.ts hold the main ones.
 */
const TABLE_COUNTERS: Record<string, WriteCounter> = {
  ratings: 'ratings',
  rating_tallies: 'ratings',
  rating_codes: 'ratings',
  vote_flags: 'ratings',
  demands: 'demands',
  import_batches: 'demands',
  suggestions: 'suggestions',
  completion_checks: 'checks',
  // Signing in and the office's own log: no public page shows them.
  sessions: 'visits',
  sign_ins: 'visits',
  audit_log: 'visits',
  api_tokens: 'visits',
};

/** The counter a table's writes go to. */
export function counterOf(table: string): WriteCounter {
  return TABLE_COUNTERS[table] ?? 'record';
}

const OPERATIONS = ['INSERT', 'UPDATE', 'DELETE'] as const;
const TRIGGER_PREFIX = 'write_count_';

/**
 * Search terms (src/search/fold.ts) are written only in the same statement run as their pledge
 * or report, which counts the write; counting each of a report's thirty-odd terms again would
 * only slow the write.
 */
const DERIVED_TABLES = new Set(['pledge_terms', 'demand_terms']);

/** Tables that take no triggers: SQLite's own, drizzle's journal, the counters, derived terms, virtual tables and their shadow tables. */
function countedTables(sqlite: Database.Database): string[] {
  const rows = sqlite.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all() as { name: string; sql: string | null }[];
  const virtual = rows.filter((r) => /^\s*CREATE\s+VIRTUAL\s+TABLE/i.test(r.sql ?? '')).map((r) => r.name);
  return rows
    .map((r) => r.name)
    .filter((name) => !name.startsWith('sqlite_') && name !== '__drizzle_migrations' && name !== 'write_counters' && !DERIVED_TABLES.has(name))
    .filter((name) => !virtual.some((v) => name === v || name.startsWith(`${v}_`)));
}

const quoteName = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Makes the counters table and one trigger per table and kind of write, removing triggers of
 * tables that are gone or whose counter changed. Idempotent and quick (a few hundred
 * statements on the first open, a read of sqlite_master after).
 */
export function installWriteCounters(sqlite: Database.Database): void {
  sqlite.exec('CREATE TABLE IF NOT EXISTS write_counters (name TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID');
  const insertCounter = sqlite.prepare('INSERT OR IGNORE INTO write_counters (name, n) VALUES (?, 0)');
  const wanted = new Map<string, string>();
  for (const table of countedTables(sqlite)) {
    const counter = counterOf(table);
    for (const op of OPERATIONS) {
      // The counter is part of the name: mapping a table to another counter replaces its triggers.
      const name = `${TRIGGER_PREFIX}${table}_${op.toLowerCase()}_${counter}`;
      wanted.set(
        name,
        `CREATE TRIGGER ${quoteName(name)} AFTER ${op} ON ${quoteName(table)} BEGIN UPDATE write_counters SET n = n + 1 WHERE name = '${counter}'; END`,
      );
    }
  }
  const existing = (sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'write\\_count\\_%' ESCAPE '\\'").pluck().all() as string[]).filter((n) =>
    n.startsWith(TRIGGER_PREFIX),
  );
  const missing = [...wanted.keys()].filter((name) => !existing.includes(name));
  const unwanted = existing.filter((name) => !wanted.has(name));
  const counters = (sqlite.prepare('SELECT count(*) FROM write_counters').pluck().get() as number) === WRITE_COUNTERS.length;
  if (missing.length === 0 && unwanted.length === 0 && counters) return;
  sqlite.transaction(() => {
    for (const counter of WRITE_COUNTERS) insertCounter.run(counter);
    for (const name of unwanted) sqlite.exec(`DROP TRIGGER IF EXISTS ${quoteName(name)}`);
    for (const name of missing) sqlite.exec(wanted.get(name)!);
  })();
}
