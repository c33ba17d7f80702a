// The public board's search read two ways, as the pledge list's is (src/pledges/queries.ts):
// from the full-text matches (SQLite collects every matching report, then sorts them), or by
// walking the board's own order (reported_at, newest first) and checking each report with one
// demand_terms seek per term (migration 0014), stopping after the page. The first costs about
// one row lookup per match, so a common word (小区: 30% of all reports) grows with the record;
// the second costs about (offset + limit) × reports / found steps, whatever the record's size.
import { sql, type SQL } from 'drizzle-orm';
import { prefixEnd, probeTerms } from '../search/fold.ts';
import { queryTerms, type QueryTerm } from '../search/tokens.ts';
import type { Binder } from './sql.ts';

/**
 * A walked report costs about PROBE_ROW_COST full-text matches: its row is read out of the
 * table's order (a match's rows are read in rowid order), then a seek per term. Timed on 313
 * searches (31 words from the commonest to the rarest, unfiltered, status, category and channel
 * filters, first page and page 9, scales 1 and 10), both ways read ~2-3× as long per row at
 * either scale, and "probe when 2 × walk < matches" picked the faster way in 298 of them; the
 * misses were words near the line, where both ways take a few milliseconds.
 */
export const PROBE_ROW_COST = 2;

/** The query's terms as demand_terms compares them, or null when only MATCH can answer (src/search/fold.ts). */
export function boardProbeTerms(q: string): QueryTerm[] | null {
  const terms = queryTerms(q);
  return terms.length ? probeTerms(terms) : null;
}

/**
 * Every term as an EXISTS on demand_terms' primary key (demand_id, token): a whole token one
 * equality seek, a prefix one range seek. The same terms as the MATCH, so both ways find the
 * same reports. Values go through the board's binder (one placeholder name per value).
 */
export function termsProbeSql(terms: readonly QueryTerm[], bind: Binder): SQL[] {
  return terms.map((term, i) => {
    const token = term.prefix
      ? sql`t.token >= ${bind(`term${i}`, term.text)} AND t.token < ${bind(`term${i}End`, prefixEnd(term.text))}`
      : sql`t.token = ${bind(`term${i}`, term.text)}`;
    // The outer id written out in full: drizzle writes a bare "id" in single-table selects
    // (docs/traps.md), which inside this subquery would only bind right by luck.
    return sql`EXISTS (SELECT 1 FROM demand_terms t WHERE t.demand_id = "demands"."id" AND ${token})`;
  });
}

/** What the choice needs to know of the data, asked only when the cheaper checks leave it open. */
export interface BoardSearchCosts {
  /**
   * Reports in the part of the board's order the walk goes through (kept per data version):
   * all of them on reported_at, or those of one status on the status index (status, reported_at).
   */
  walked(): Promise<number>;
  /** Reports on the board the search alone matches (kept per data version). */
  matches(): Promise<number>;
  /** Whether SQLite reads the probed page in the board's order from an index instead of sorting. */
  orderedByIndex(): boolean;
}

/**
 * Whether to read a search's page by probing. `found`: the reports the whole filter matches;
 * `end`: offset plus page size. The walk meets the filter's matches evenly spread over the part
 * of the order it goes through (reports come in all year round, whatever they say), so it takes
 * about end × walked / found steps; the full-text way costs all the search's own matches (the
 * other filters are checked on each of them). `forced` reads every search one way (tests
 * compare the two).
 */
export async function shouldProbeBoard(found: number, end: number, forced: 'probe' | 'matches' | undefined, costs: BoardSearchCosts | undefined): Promise<boolean> {
  if (found === 0) return false;
  if (forced) return forced === 'probe';
  if (!costs) return false;
  const walk = (end * (await costs.walked())) / found;
  return PROBE_ROW_COST * walk < (await costs.matches()) && costs.orderedByIndex();
}
