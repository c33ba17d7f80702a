// Satisfaction votes and completion checks: storing one standing vote per voter per target,
// and the figures every page (and the league table) reads. Every count goes through
// countedVoteSql, so a vote held in a stuffing flag is in no published figure.
import { sql, type SQL } from 'drizzle-orm';
import type { CompletionVerdict, RatingValue } from '../../db/schema.ts';
import type { Db, Tx } from '../plugins/db.ts';
import { countedVoteSql, targetKey } from './counted.ts';
import { addVote, emptyTally, sumTallies, type CheckFigures, type TargetFigures, type Tally } from './figures.ts';
import { holdBurst } from './stuffing.ts';

export type Target = { pledgeId: number } | { unitId: number };

export interface VoteInput {
  voterId: string;
  addressKey: string;
  value: RatingValue;
  /** '' keeps the comment the voter left before (changing only the answer does not erase it). */
  comment: string;
  now?: string;
}

export interface PublicComment {
  kind: 'rating' | 'check';
  answer: string;
  comment: string;
  verified: boolean;
  at: string;
}

export type CodeVoteResult = { ok: true; unitId: number; unitSlug: string } | { ok: false; reason: 'unknown' | 'used' | 'expired' };

export interface UnitSatisfaction {
  unitId: number;
  satisfied: number;
  basic: number;
  dissatisfied: number;
  total: number;
  verified: number;
}

const counted = countedVoteSql('r');
/** 'counted', 'held' (open flag) or 'out' (discounted) for each vote row r. */
const stateSql = sql`CASE WHEN ${counted} THEN 'counted' WHEN (SELECT f.status FROM vote_flags f WHERE f.id = r.flag_id) = 'open' THEN 'held' ELSE 'out' END`;

export function createRatingsRepository(db: Db) {
  function upsertRating(tx: Tx, key: string, target: Target, v: VoteInput & { verified?: boolean; ratingCodeId?: number }) {
    const now = v.now ?? new Date().toISOString();
    const existing = tx.get<{ id: number } | undefined>(sql`SELECT id FROM ratings WHERE target_key = ${key} AND voter_id = ${v.voterId}`);
    const pledgeId = 'pledgeId' in target ? target.pledgeId : null;
    const unitId = 'unitId' in target ? target.unitId : null;
    const status = v.comment ? 'pending' : 'none';
    // One statement whatever happened before: the unique (target_key, voter_id) index makes a
    // second vote an update of the first, even when two requests race.
    const row = tx.get<{ id: number }>(sql`
      INSERT INTO ratings (target_key, pledge_id, unit_id, voter_id, address_key, value, comment, comment_status, verified, rating_code_id, created_at, updated_at)
      VALUES (${key}, ${pledgeId}, ${unitId}, ${v.voterId}, ${v.addressKey}, ${v.value}, ${v.comment}, ${status}, ${v.verified ? 1 : 0}, ${v.ratingCodeId ?? null}, ${now}, ${now})
      ON CONFLICT (target_key, voter_id) DO UPDATE SET
        value = excluded.value,
        comment = CASE WHEN excluded.comment <> '' THEN excluded.comment ELSE ratings.comment END,
        comment_status = CASE WHEN excluded.comment <> '' THEN 'pending' ELSE ratings.comment_status END,
        updated_at = excluded.updated_at
      RETURNING id`);
    const flagId = !existing && !v.verified ? holdBurst(tx, 'ratings', key, v.addressKey, now) : null;
    return { id: row.id, isNew: !existing, flagged: flagId !== null };
  }

  function tallies(where: SQL): TargetFigures {
    const rows = db.all<{ verified: number; value: RatingValue; state: string; n: number }>(
      sql`SELECT r.verified AS verified, r.value AS value, ${stateSql} AS state, count(*) AS n FROM ratings r WHERE ${where} GROUP BY 1, 2, 3`,
    );
    const web = emptyTally();
    const verified = emptyTally();
    let held = 0;
    for (const r of rows) {
      if (r.state === 'counted') addVote(r.verified ? verified : web, r.value, r.n);
      else if (r.state === 'held') held += r.n;
    }
    return { web, verified, all: sumTallies(web, verified), held };
  }

  /**
   * Counted votes per unit, for the league table: ratings of the pledges the unit leads (in the
   * campaign, when one is given) plus the unit's own ratings as a service window (those belong
   * to no campaign, so they always count). Units without a counted vote are left out.
   */
  async function unitSatisfaction(campaignId?: number): Promise<UnitSatisfaction[]> {
    const inCampaign = campaignId === undefined ? sql`` : sql`AND p.campaign_id = ${campaignId}`;
    return db.all<UnitSatisfaction>(sql`
      SELECT unit_id AS unitId,
        sum(value = 'satisfied') AS satisfied, sum(value = 'basically_satisfied') AS basic, sum(value = 'dissatisfied') AS dissatisfied,
        count(*) AS total, sum(verified) AS verified
      FROM (
        SELECT p.lead_unit_id AS unit_id, r.value, r.verified FROM ratings r JOIN pledges p ON p.id = r.pledge_id
        WHERE r.pledge_id IS NOT NULL AND p.status <> 'draft' AND ${counted} ${inCampaign}
        UNION ALL
        SELECT r.unit_id, r.value, r.verified FROM ratings r WHERE r.unit_id IS NOT NULL AND ${counted}
      ) GROUP BY unit_id ORDER BY unit_id`);
  }

  return {
    /** What decides whether a pledge takes votes (drafts and cancelled ones do not). */
    async pledgeTarget(id: number) {
      return db.get<{ id: number; title: string; status: string; leadUnitId: number; campaignId: number } | undefined>(
        sql`SELECT id, title, status, lead_unit_id AS leadUnitId, campaign_id AS campaignId FROM pledges WHERE id = ${id}`,
      );
    },

    async unitTarget(slug: string) {
      return db.get<{ id: number; slug: string; name: string; isServiceWindow: number; active: number } | undefined>(
        sql`SELECT id, slug, name, is_service_window AS isServiceWindow, active FROM units WHERE slug = ${slug}`,
      );
    },

    /** Stores or changes a voter's one vote on a target. `flagged` is for the caller's log only; the voter is not told. */
    async vote(target: Target, v: VoteInput): Promise<{ id: number; isNew: boolean; flagged: boolean }> {
      const key = targetKey(target);
      return db.transaction((tx) => upsertRating(tx, key, target, v));
    },

    /** A vote with a printed code: the code is spent in the same transaction, or there is no vote. */
    async voteWithCode(codeHash: string, v: Omit<VoteInput, 'voterId'>): Promise<CodeVoteResult> {
      const now = v.now ?? new Date().toISOString();
      return db.transaction((tx): CodeVoteResult => {
        const code = tx.get<{ id: number; unitId: number; slug: string; expiresAt: string; usedAt: string | null } | undefined>(
          sql`SELECT c.id, c.unit_id AS unitId, u.slug, c.expires_at AS expiresAt, c.used_at AS usedAt FROM rating_codes c JOIN units u ON u.id = c.unit_id WHERE c.code_hash = ${codeHash} AND u.active = 1 AND u.is_service_window = 1`,
        );
        if (!code) return { ok: false, reason: 'unknown' };
        if (code.usedAt) return { ok: false, reason: 'used' };
        if (code.expiresAt <= now) return { ok: false, reason: 'expired' };
        // The guard in WHERE makes the code single-use even if two submissions race.
        const spent = tx.run(sql`UPDATE rating_codes SET used_at = ${now} WHERE id = ${code.id} AND used_at IS NULL`);
        if (spent.changes !== 1) return { ok: false, reason: 'used' };
        const target = { unitId: code.unitId };
        upsertRating(tx, targetKey(target), target, { ...v, now, voterId: `code:${code.id}`, verified: true, ratingCodeId: code.id });
        return { ok: true, unitId: code.unitId, unitSlug: code.slug };
      });
    },

    /** Confirm or dispute a completed pledge: one standing verdict per voter. */
    async check(pledgeId: number, v: { voterId: string; addressKey: string; verdict: CompletionVerdict; comment: string; now?: string }) {
      const now = v.now ?? new Date().toISOString();
      const status = v.comment ? 'pending' : 'none';
      return db.transaction((tx) => {
        const existing = tx.get<{ id: number } | undefined>(sql`SELECT id FROM completion_checks WHERE pledge_id = ${pledgeId} AND voter_id = ${v.voterId}`);
        const row = tx.get<{ id: number }>(sql`
          INSERT INTO completion_checks (pledge_id, voter_id, address_key, verdict, comment, comment_status, created_at, updated_at)
          VALUES (${pledgeId}, ${v.voterId}, ${v.addressKey}, ${v.verdict}, ${v.comment}, ${status}, ${now}, ${now})
          ON CONFLICT (pledge_id, voter_id) DO UPDATE SET
            verdict = excluded.verdict,
            comment = CASE WHEN excluded.comment <> '' THEN excluded.comment ELSE completion_checks.comment END,
            comment_status = CASE WHEN excluded.comment <> '' THEN 'pending' ELSE completion_checks.comment_status END,
            updated_at = excluded.updated_at
          RETURNING id`);
        const flagId = existing ? null : holdBurst(tx, 'completion_checks', targetKey({ pledgeId }), v.addressKey, now);
        return { id: row.id, isNew: !existing, flagged: flagId !== null };
      });
    },

    async figuresFor(target: Target): Promise<TargetFigures> {
      return tallies(sql`r.target_key = ${targetKey(target)}`);
    },

    async checksFor(pledgeId: number): Promise<CheckFigures> {
      const rows = db.all<{ verdict: CompletionVerdict; state: string; n: number }>(
        sql`SELECT r.verdict AS verdict, ${stateSql} AS state, count(*) AS n FROM completion_checks r WHERE r.pledge_id = ${pledgeId} GROUP BY 1, 2`,
      );
      const out: CheckFigures = { confirm: 0, dispute: 0, held: 0 };
      for (const r of rows) {
        if (r.state === 'counted') out[r.verdict] += r.n;
        else if (r.state === 'held') out.held += r.n;
      }
      return out;
    },

    /** Published comments of a target, newest first (for a pledge: its ratings' and its checks'). */
    async publishedComments(target: Target, limit = 20): Promise<PublicComment[]> {
      const key = targetKey(target);
      const checks =
        'pledgeId' in target
          ? sql`UNION ALL SELECT 'check', r.verdict, r.comment, 0, r.updated_at FROM completion_checks r WHERE r.pledge_id = ${target.pledgeId} AND r.comment_status = 'published' AND ${counted}`
          : sql``;
      return db.all<PublicComment>(sql`
        SELECT kind, answer, comment, verified, at FROM (
          SELECT 'rating' AS kind, r.value AS answer, r.comment AS comment, r.verified AS verified, r.updated_at AS at FROM ratings r
          WHERE r.target_key = ${key} AND r.comment_status = 'published' AND ${counted}
          ${checks}
        ) ORDER BY at DESC LIMIT ${limit}`).map((c) => ({ ...c, verified: Boolean(c.verified) }));
    },

    unitSatisfaction,

    /** The campaign's counted votes by answer (home page chart): the league table's rows added up. */
    async campaignTally(campaignId?: number): Promise<Tally & { verified: number }> {
      const rows = await unitSatisfaction(campaignId);
      const t = sumTallies(...rows.map((r) => ({ satisfied: r.satisfied, basic: r.basic, dissatisfied: r.dissatisfied, total: r.total })));
      return { ...t, verified: rows.reduce((s, r) => s + r.verified, 0) };
    },
  };
}

export type RatingsRepository = ReturnType<typeof createRatingsRepository>;
