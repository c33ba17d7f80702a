// drizzle's better-sqlite3 driver compiles every query afresh (`client.prepare(sql)` per call);
// preparing is a large share of a public page's cost (a pledge page runs ~17 queries). This
// hands drizzle a view of the connection whose `prepare` keeps compiled statements per SQL text
// in a bounded LRU. Only drizzle goes through it: code that prepares on `db.$client` itself
// keeps its own statements and may set pluck/expand on them without affecting anyone.
import type Database from 'better-sqlite3';
import { sql, type Placeholder } from 'drizzle-orm';

/** Distinct SQL texts kept (queries with IN-lists of varying length make new texts). */
export const STATEMENT_CACHE_SIZE = 1_000;

type Statement = Database.Statement;

/** A connection whose `prepare` returns a kept statement for SQL it has seen; everything else is the connection's own. */
export function cachingConnection(sqlite: Database.Database, size = STATEMENT_CACHE_SIZE): Database.Database {
  const kept = new Map<string, Statement>();
  const prepare = (source: string): Statement => {
    const found = kept.get(source);
    // A statement still stepping through an iterate() cannot run again until it finishes.
    if (found && !found.busy) {
      kept.delete(source);
      kept.set(source, found);
      // drizzle switches a statement to raw (array) rows for typed selects and reads objects
      // for untyped ones; a kept statement starts every use in the default mode.
      if (found.reader) found.raw(false);
      return found;
    }
    const statement = sqlite.prepare(source);
    if (!found) {
      kept.set(source, statement);
      if (kept.size > size) kept.delete(kept.keys().next().value!);
    }
    return statement;
  };
  return new Proxy(sqlite, {
    get(target, property) {
      if (property === 'prepare') return prepare;
      const value = Reflect.get(target, property, target);
      // Native methods must be called on the real connection.
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

/**
 * A drizzle prepared query built on first use and kept: the hot read paths build their SQL
 * once instead of per request (`sql.placeholder('name')` for the values). Built lazily so a
 * repository can be created before it is first used.
 */
export function preparedOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/**
 * A LIMIT bound on each run. SQLite's planner reads the value bound to a bare `LIMIT ?`, which
 * marks the statement to be compiled again whenever that parameter is bound, so every run of a
 * kept statement paid a fresh compile (4–40 µs per run); `? + 0` binds the same way
 * and is left alone by the planner. (drizzle renders any object given to .limit() as it is.)
 */
export const boundLimit = (name: string) => sql`${sql.placeholder(name)} + 0` as unknown as Placeholder;
