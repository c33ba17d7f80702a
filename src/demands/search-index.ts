// The demands' two search indexes, written together: demand_search (FTS5, answers MATCH) and
// demand_terms (migration 0014: each report's distinct tokens in a b-tree, so the board can check
// one report with a seek per term, src/demands/board-search.ts). Both hold the same tokens, folded
// by the same tokenizer (src/search/fold.ts); every write of one goes through this file so they
// cannot drift apart. Every report is indexed, hidden texts included: the board's query keeps
// those out, and the office's triage searches them.
import { sql } from 'drizzle-orm';
import type Database from 'better-sqlite3';
import type { DbLike } from '../plugins/db.ts';
import { indexTokens } from '../search/tokens.ts';
import { storedTerms } from '../search/fold.ts';

/** The text put into the index for a report: its redacted text and its street-level place. */
export function searchTokensOf(publicText: string, location: string): string {
  return indexTokens(publicText, location);
}

/**
 * Indexes newly inserted reports with statements prepared once on the connection (bulk
 * inserts: intake, imports, the demo, the dataset generator). Call the result inside the
 * transaction that inserted the rows.
 */
export function prepareDemandIndexing(client: Database.Database): (demandId: number, tokens: string) => void {
  const fullText = client.prepare('INSERT INTO demand_search (rowid, tokens) VALUES (?, ?)');
  // One statement whatever the number of tokens.
  const terms = client.prepare('INSERT INTO demand_terms (demand_id, token) SELECT ?, value FROM json_each(?)');
  return (demandId, tokens) => {
    fullText.run(demandId, tokens);
    terms.run(demandId, JSON.stringify(storedTerms(tokens)));
  };
}

/** Replaces one report's index rows with its stored text's (none when the report is gone). */
export function reindexDemandSearch(db: DbLike, demandId: number, current: { publicText: string; location: string } | undefined): void {
  db.run(sql`DELETE FROM demand_search WHERE rowid = ${demandId}`);
  db.run(sql`DELETE FROM demand_terms WHERE demand_id = ${demandId}`);
  if (!current) return;
  const tokens = searchTokensOf(current.publicText, current.location);
  db.run(sql`INSERT INTO demand_search (rowid, tokens) VALUES (${demandId}, ${tokens})`);
  db.run(sql`INSERT INTO demand_terms (demand_id, token) SELECT ${demandId}, value FROM json_each(${JSON.stringify(storedTerms(tokens))})`);
}
