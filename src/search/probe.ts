// The second way to read a search's page (src/pledges/queries.ts): "probing" pledge_terms for
// each pledge the list's index walks, instead of starting from the full-text matches; and the
// cost rule that picks between the two.
import { and, sql, type SQL } from 'drizzle-orm';

/**
 * A search's page is read one of two ways. By default SQLite starts from the full-text matches
 * and looks up every matching pledge to filter and sort them: cheap for a rare word, but a
 * common one (小区 matches a fifth of all pledges) costs a row lookup per match, growing with
 * the data. "Probing" walks an index already in the page's order and checks each pledge with
 * one pledge_terms seek per term, stopping after the page: about (offset + limit) × published /
 * matches index steps, whatever the size of the match set (no set is built). A probed row costs
 * about twice a match (about 0.5 µs against 0.3 µs, at scale 1 and 10 alike), and choosing by
 * PROBE_ROW_COST × walk < matches picked the faster path in 238 of 239 measured searches (40
 * words from the rarest to the commonest, three sorts, scales 1 and 10; the one miss lost
 * 0.06 ms). Probing also needs an index to give the order (see ProbeCosts.orderedByIndex).
 */
export const PROBE_ROW_COST = 2;

/**
 * Every term as an EXISTS on pledge_terms' primary key (pledge_id, token): a whole token is
 * one equality seek, a prefix one range seek. `kinds` has one letter per term, `e` a whole
 * token and `p` a prefix, whose values are the placeholders `term<i>` (and `term<i>End` for a
 * prefix's end). The same terms as the MATCH (src/search/fold.ts), so both ways return the same pledges.
 */
export function termsProbe(kinds: string): SQL {
  const p = sql.placeholder;
  const exists: SQL[] = [];
  for (let i = 0; i < kinds.length; i++) {
    const token =
      kinds[i] === 'p' ? sql`t.token >= ${p(`term${i}`)} AND t.token < ${p(`term${i}End`)}` : sql`t.token = ${p(`term${i}`)}`;
    // The outer id written out in full: drizzle writes a bare "id" in single-table selects
    // (docs/traps.md), which inside this subquery would only bind right by luck.
    exists.push(sql`EXISTS (SELECT 1 FROM pledge_terms t WHERE t.pledge_id = "pledges"."id" AND ${token})`);
  }
  return and(...exists)!;
}

/** What the choice needs to know of the data; asked only once the cheaper checks leave it open. */
export interface ProbeCosts {
  /** Published pledges (kept per data version). */
  published(): Promise<number>;
  /** Published pledges the search alone matches (kept per data version). */
  matches(): Promise<number>;
  /** Whether SQLite reads the page in its order from an index rather than sorting every candidate. */
  orderedByIndex(): boolean;
}

/**
 * Whether to read a search's page by probing (see PROBE_ROW_COST). `terms` is the shape's
 * probe letters (false when a term cannot be probed), `found` the pledges the whole filter
 * matches, `end` the offset plus the page's size. `forced` reads every search one way (tests
 * compare the two); without `costs` (no memo to keep the totals in) the matches are read. The
 * walk is estimated from the search alone (the other filters thin the walked index and the
 * matches alike), and the match set's cost is that of all its matches, not only the `found`
 * that pass the filters.
 */
export async function shouldProbe(
  search: { match: boolean; terms: string | false },
  found: number,
  end: number,
  forced: 'probe' | 'matches' | undefined,
  costs: ProbeCosts | undefined,
): Promise<boolean> {
  if (!search.match || !search.terms || found === 0) return false;
  if (forced) return forced === 'probe';
  if (!costs) return false;
  const published = await costs.published();
  const matches = await costs.matches();
  const walk = (end * published) / matches;
  return PROBE_ROW_COST * walk < matches && costs.orderedByIndex();
}
