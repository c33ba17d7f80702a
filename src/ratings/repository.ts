// Satisfaction votes and completion checks: storing one standing vote per voter per target,
// and the figures every page (and the league table) reads. Every count goes through
// countedVoteSql, so a vote held in a stuffing flag is in no published figure. Rating counts are
// read from rating_tallies, which triggers on ratings keep exact as votes are written (migration
// 0011): the first page after a vote must not count a million votes again.
//
// The pledge and unit pages' reads are prepared once per app (preparedOnce) with placeholders:
// building their SQL per request cost more than running it.
import { eq, sql, type SQL } from 'drizzle-orm';
import { completionChecks, pledges, ratingTallies, units, type CompletionVerdict, type RatingValue } from '../../db/schema.ts';
import type { Db, Tx } from '../plugins/db.ts';
import { boundLimit, preparedOnce } from '../plugins/statement-cache.ts';
import { countedVoteSql, ratingTalliesSql, targetKey } from './counted.ts';
import { addVote, emptyTally, sumTallies, type CheckFigures, type TargetFigures, type Tally } from './figures.ts';
import { tallyOfUnits } from './by-unit.ts';
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


type VoteState = 'counted' | 'held' | 'out';
/** 'counted', 'held' (open flag) or 'out' (discounted) for each row of `alias`, which has a flag_id column. */
function stateSql(alias: string): SQL<VoteState> {
  return sql<VoteState>`CASE WHEN ${countedVoteSql(alias)} THEN 'counted' WHEN (SELECT f.status FROM vote_flags f WHERE f.id = ${sql.raw(alias)}.flag_id) = 'open' THEN 'held' ELSE 'out' END`;
}

/** Published comments whose votes count; ratings_published_comment_idx keeps the published ones apart, so a target's thousands of plain votes are not read. */
const ratingCommentsSql = sql`SELECT 'rating' AS kind, r.value AS answer, r.comment AS comment, r.verified AS verified, r.updated_at AS at FROM ratings r
  WHERE r.target_key = ${sql.placeholder('key')} AND r.comment_status = 'published' AND ${counted}`;
const checkCommentsSql = sql`SELECT 'check', r.verdict, r.comment, 0, r.updated_at FROM completion_checks r
  WHERE r.pledge_id = ${sql.placeholder('pledgeId')} AND r.comment_status = 'published' AND ${counted}`;

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

  // A target's votes are read already counted per (flag, method, answer) from rating_tallies
  // (its primary key), and whether a flag's votes count is asked once per group, not once per
  // vote: a popular pledge has thousands of votes, and a handful of groups.
  const tallyOf = preparedOnce(() => {
    const groups = db
      .select({ flagId: sql<number | null>`nullif(${ratingTallies.flagKey}, 0)`.as('flag_id'), verified: ratingTallies.verified, value: ratingTallies.value, n: ratingTallies.n })
      .from(ratingTallies)
      .where(eq(ratingTallies.targetKey, sql.placeholder('key')))
      .as('g');
    return db.select({ verified: groups.verified, value: groups.value, state: stateSql('g'), n: groups.n }).from(groups).prepare();
  });

  const checksOf = preparedOnce(() => {
    const groups = db
      .select({ flagId: completionChecks.flagId, verdict: completionChecks.verdict, n: sql<number>`count(*)`.as('n') })
      .from(completionChecks)
      .where(eq(completionChecks.pledgeId, sql.placeholder('pledgeId')))
      .groupBy(completionChecks.flagId, completionChecks.verdict)
      .as('g');
    return db.select({ verdict: groups.verdict, state: stateSql('g'), n: groups.n }).from(groups).prepare();
  });

  /** A pledge's comments come from its ratings and its completion checks; a window's from its ratings only. */
  function commentsQuery(withChecks: boolean) {
    const source = withChecks ? sql`(${ratingCommentsSql} UNION ALL ${checkCommentsSql})` : sql`(${ratingCommentsSql})`;
    return db
      .select({ kind: sql<PublicComment['kind']>`kind`, answer: sql<string>`answer`, comment: sql<string>`comment`, verified: sql<number>`verified`, at: sql<string>`at` })
      .from(source)
      .orderBy(sql`at DESC`)
      .limit(boundLimit('limit'))
      .prepare();
  }
  const pledgeComments = preparedOnce(() => commentsQuery(true));
  const unitComments = preparedOnce(() => commentsQuery(false));

  const pledgeTargetOf = preparedOnce(() =>
    db
      .select({ id: pledges.id, title: pledges.title, status: pledges.status, leadUnitId: pledges.leadUnitId, campaignId: pledges.campaignId })
      .from(pledges)
      .where(eq(pledges.id, sql.placeholder('id')))
      .prepare(),
  );
  const unitColumns = { id: units.id, slug: units.slug, name: units.name, isServiceWindow: units.isServiceWindow, active: units.active };
  const unitBySlug = preparedOnce(() => db.select(unitColumns).from(units).where(eq(units.slug, sql.placeholder('slug'))).prepare());

  function tallies(key: string): TargetFigures {
    const rows = tallyOf().all({ key });
    const web = emptyTally();
    const verified = emptyTally();
    let held = 0;
    for (const r of rows) {
      if (r.state === 'counted') addVote(r.verified ? verified : web, r.value, r.n);
      else if (r.state === 'held') held += r.n;
    }
    return { web, verified, all: sumTallies(web, verified), held };
  }

  function unitSatisfactionQuery(inOneCampaign: boolean) {
    const inCampaign = inOneCampaign ? sql`AND p.campaign_id = ${sql.placeholder('campaignId')}` : sql``;
    return db
      .select({
        unitId: sql<number>`unit_id`,
        satisfied: sql<number>`sum((value = 'satisfied') * n)`,
        basic: sql<number>`sum((value = 'basically_satisfied') * n)`,
        dissatisfied: sql<number>`sum((value = 'dissatisfied') * n)`,
        total: sql<number>`sum(n)`,
        verified: sql<number>`sum(verified * n)`,
      })
      .from(
        sql`(
          SELECT p.lead_unit_id AS unit_id, r.value, r.verified, r.n FROM ${ratingTalliesSql} r JOIN pledges p ON p.id = r.pledge_id
          WHERE r.pledge_id IS NOT NULL AND p.status <> 'draft' AND ${counted} ${inCampaign}
          UNION ALL
          SELECT r.unit_id, r.value, r.verified, r.n FROM ${ratingTalliesSql} r WHERE r.unit_id IS NOT NULL AND ${counted}
        )`,
      )
      .groupBy(sql`unit_id`)
      .orderBy(sql`unit_id`)
      .prepare();
  }
  const satisfactionOfAll = preparedOnce(() => unitSatisfactionQuery(false));
  const satisfactionInCampaign = preparedOnce(() => unitSatisfactionQuery(true));

  /**
   * Counted votes per unit, for the league table: ratings of the pledges the unit leads (in the
   * campaign, when one is given) plus the unit's own ratings as a service window (those belong
   * to no campaign, so they always count). Units without a counted vote are left out.
   */
  async function unitSatisfaction(campaignId?: number): Promise<UnitSatisfaction[]> {
    return campaignId === undefined ? satisfactionOfAll().all() : satisfactionInCampaign().all({ campaignId });
  }

  return {
    /** What decides whether a pledge takes votes (drafts and cancelled ones do not). */
    async pledgeTarget(id: number) {
      return pledgeTargetOf().get({ id });
    },

    async unitTarget(slug: string) {
      return unitBySlug().get({ slug });
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
      return tallies(targetKey(target));
    },

    async checksFor(pledgeId: number): Promise<CheckFigures> {
      const rows = checksOf().all({ pledgeId });
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
      const rows = 'pledgeId' in target ? pledgeComments().all({ key, pledgeId: target.pledgeId, limit }) : unitComments().all({ key, limit });
      return rows.map((c) => ({ ...c, verified: Boolean(c.verified) }));
    },

    unitSatisfaction,

    /** The campaign's counted votes by answer (home page chart): the league table's rows added up. */
    async campaignTally(campaignId?: number): Promise<Tally & { verified: number }> {
      return tallyOfUnits(await unitSatisfaction(campaignId));
    },
  };
}

export type RatingsRepository = ReturnType<typeof createRatingsRepository>;
