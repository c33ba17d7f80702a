// Which votes count in published figures. A vote held in a stuffing flag counts only once the
// office accepted the flag; open flags hold their votes out, discounted ones leave them out.
// Shared by every reader of ratings (pledge and unit figures, the league table, exports).
import { sql, type SQL } from 'drizzle-orm';

/** True for a rating or completion-check row (alias `r`) whose vote counts. */
export function countedVoteSql(alias = 'r'): SQL {
  return sql.raw(`(${alias}.flag_id IS NULL OR EXISTS (SELECT 1 FROM vote_flags f WHERE f.id = ${alias}.flag_id AND f.status = 'accepted'))`);
}

/**
 * The maintained vote counts (rating_tallies, kept by triggers on ratings) as rows a reader can
 * treat like grouped votes: `flag_id` as on ratings (NULL for no flag), so countedVoteSql applies
 * to them unchanged, and `n` the number of votes in the group. Sum `n` where a query over ratings
 * counted rows.
 */
export const ratingTalliesSql: SQL = sql.raw('(SELECT target_key, nullif(flag_key, 0) AS flag_id, verified, value, pledge_id, unit_id, n FROM rating_tallies)');

/** The target key of a pledge or unit in ratings.target_key / vote_flags.target_key. */
export function targetKey(target: { pledgeId: number } | { unitId: number }): string {
  return 'pledgeId' in target ? `p:${target.pledgeId}` : `u:${target.unitId}`;
}
