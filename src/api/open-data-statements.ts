// What the open-data queries (src/api/repository.ts, src/api/updates-queries.ts) share: the
// published test as SQL text for their hand-written statements, the statements kept per filter
// shape, and figures kept per data version.
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql } from '../pledges/conditions.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';

/**
 * The published test as SQL text, for the hand-written statements: one definition for every
 * query (it names the table "pledges", so those statements leave that table unaliased).
 */
export const PUBLISHED = new SQLiteSyncDialect().sqlToQuery(isPublishedSql).sql;

/** Statements kept per filter shape (a handful of shapes exist; the bound is a safeguard). */
const MAX_SHAPES = 64;

type Statement = ReturnType<Db['$client']['prepare']>;

/**
 * A statement per filter shape, compiled the first time the shape is asked for: the SQL text
 * differs by which filters are set, the values are bound per request.
 */
export function statementsByShape(sqlite: Db['$client']): (key: string, source: () => string) => Statement {
  const statements = new Map<string, Statement>();
  return (key, source) => {
    let found = statements.get(key);
    if (!found) {
      found = sqlite.prepare(source());
      statements.set(key, found);
      if (statements.size > MAX_SHAPES) statements.delete(statements.keys().next().value!);
    }
    return found;
  };
}

/** Reads a figure once per data version when there is a memo to keep it in, else on every call. */
export function keptPerVersion(aggregates: AggregateMemo | undefined) {
  return <T>(key: string, read: () => T): Promise<T> => (aggregates ? aggregates.get(key, async () => read()) : Promise.resolve(read()));
}
