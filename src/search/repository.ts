import { eq, sql } from 'drizzle-orm';
import { pledges, units } from '../../db/schema.ts';
import type { DbLike } from '../plugins/db.ts';
import { indexTokens } from './tokens.ts';
import { storedTerms } from './fold.ts';

/**
 * Brings one pledge's search rows up to date: its FTS row and its pledge_terms (the two must
 * always hold the same tokens, see src/search/fold.ts). Only published pledges are indexed: a
 * draft must never be findable. Call it inside the transaction that changed the pledge (or its
 * unit).
 */
export function reindexPledge(db: DbLike, pledgeId: number): void {
  db.run(sql`DELETE FROM pledge_search WHERE rowid = ${pledgeId}`);
  db.run(sql`DELETE FROM pledge_terms WHERE pledge_id = ${pledgeId}`);
  const row = db
    .select({
      title: pledges.title,
      commitment: pledges.commitment,
      standard: pledges.standard,
      leadOfficial: pledges.leadOfficial,
      responsiblePerson: pledges.responsiblePerson,
      status: pledges.status,
      unitName: units.name,
    })
    .from(pledges)
    .innerJoin(units, eq(units.id, pledges.leadUnitId))
    .where(eq(pledges.id, pledgeId))
    .get();
  if (!row || row.status === 'draft') return;
  const tokens = indexTokens(row.title, row.commitment, row.standard, row.leadOfficial, row.responsiblePerson, row.unitName);
  db.run(sql`INSERT INTO pledge_search(rowid, tokens) VALUES (${pledgeId}, ${tokens})`);
  insertTerms(db, pledgeId, tokens);
}

/** pledge_terms for one pledge's index text, in one statement whatever the number of tokens. */
function insertTerms(db: DbLike, pledgeId: number, tokens: string): void {
  db.run(sql`INSERT INTO pledge_terms (pledge_id, token) SELECT ${pledgeId}, value FROM json_each(${JSON.stringify(storedTerms(tokens))})`);
}

/** Rebuilds the whole index (after a bulk load). */
export function reindexAllPledges(db: DbLike): void {
  db.run(sql`DELETE FROM pledge_search`);
  db.run(sql`DELETE FROM pledge_terms`);
  const ids = db.select({ id: pledges.id }).from(pledges).all();
  for (const { id } of ids) reindexPledge(db, id);
  // Row-by-row inserts leave the index in many segments, and every search reads all of them;
  // merged into one, a common word's matches are read several times faster.
  db.run(sql`INSERT INTO pledge_search(pledge_search) VALUES ('optimize')`);
}
