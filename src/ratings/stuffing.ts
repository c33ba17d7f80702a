// Bursts that look like ballot stuffing. Per-address limits must stay generous: a whole mobile
// carrier's customers can share one address, and a service hall's Wi-Fi puts everyone waiting
// behind one. So a burst is not refused: its votes are stored, held out of the published
// figures under a vote_flags row, and the office decides (accept counts them, discount drops
// them). The voter is told nothing different.
//
// The numbers: more than BURST_VOTES new votes on ONE target from ONE address key (IPv6: one
// /64) within BURST_MINUTES. Twenty people behind one carrier address rating the same pledge
// within ten minutes does not happen by chance, while a script clearing its cookie in a loop
// crosses it in seconds. Changing one's own vote is not a new vote and never counts.
// Votes cast with a printed one-time code are exempt: each one needed a code from the window.
import { sql } from 'drizzle-orm';
import type { DbLike } from '../plugins/db.ts';

export const BURST_VOTES = 20;
export const BURST_MINUTES = 10;
const BURST_MS = BURST_MINUTES * 60_000;

export type VoteTable = 'ratings' | 'completion_checks';

/** A flag's target key: the rated target's, with '#check' for confirm/dispute votes. */
export function flagKeyOf(table: VoteTable, targetKey: string): string {
  return table === 'ratings' ? targetKey : `${targetKey}#check`;
}

/** Which rows of a table belong to a target: ratings by target key, checks by pledge. */
function targetWhere(table: VoteTable, targetKey: string) {
  if (table === 'ratings') return sql`r.target_key = ${targetKey}`;
  const pledgeId = Number(targetKey.slice(2));
  return sql`r.pledge_id = ${pledgeId}`;
}

/**
 * Called inside the vote's transaction after a NEW vote row was stored. When the address's
 * recent votes on the target make a burst (or an open flag of theirs is still collecting),
 * every recent vote of that address on the target goes into the flag. Returns the flag's id.
 */
export function holdBurst(tx: DbLike, table: VoteTable, targetKey: string, addressKey: string, now: string): number | null {
  const since = new Date(Date.parse(now) - BURST_MS).toISOString();
  // Ratings and completion checks of one pledge are flagged apart: a burst of one must not hold the other.
  const flagKey = flagKeyOf(table, targetKey);
  const tbl = sql.raw(table);
  const where = sql`${targetWhere(table, targetKey)} AND r.address_key = ${addressKey} AND r.created_at >= ${since} AND r.voter_id NOT LIKE 'code:%'`;
  const open = tx.get<{ id: number; lastAt: string } | undefined>(
    sql`SELECT id, last_at AS lastAt FROM vote_flags WHERE target_key = ${flagKey} AND address_key = ${addressKey} AND status = 'open' ORDER BY id DESC LIMIT 1`,
  );
  const stillCollecting = open !== undefined && open.lastAt >= since;
  if (!stillCollecting) {
    const recent = tx.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${tbl} r WHERE ${where}`);
    if (recent.n <= BURST_VOTES) return null;
  }
  let flagId: number;
  if (open) {
    flagId = open.id;
  } else {
    const first = tx.get<{ at: string | null }>(sql`SELECT min(r.created_at) AS at FROM ${tbl} r WHERE ${where}`);
    const created = tx.get<{ id: number }>(
      sql`INSERT INTO vote_flags (target_key, address_key, first_at, last_at, vote_count, status, created_at) VALUES (${flagKey}, ${addressKey}, ${first.at ?? now}, ${now}, 0, 'open', ${now}) RETURNING id`,
    );
    flagId = created.id;
  }
  tx.run(sql`UPDATE ${tbl} AS r SET flag_id = ${flagId} WHERE ${where} AND r.flag_id IS NULL`);
  tx.run(
    sql`UPDATE vote_flags SET last_at = ${now},
      vote_count = (SELECT count(*) FROM ratings WHERE flag_id = ${flagId}) + (SELECT count(*) FROM completion_checks WHERE flag_id = ${flagId})
      WHERE id = ${flagId}`,
  );
  return flagId;
}
