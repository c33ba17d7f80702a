// The league table's figures: one grouped query for every unit of a kind group. Pledge figures
// use the shared "overdue"/"on time" SQL (src/pledges/conditions.ts) so the league agrees with
// every other page; satisfaction counts only the votes src/ratings/counted.ts says count, read
// from the maintained tallies (a few rows per target) rather than from every vote.
import { sql } from 'drizzle-orm';
import { campaigns, type UnitKind } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { completedOnTimeSql, dueOrCompletedSql, isPublishedSql, overdueSql, todaySql } from '../pledges/conditions.ts';
import { createRatingsRepository, type UnitSatisfaction } from '../ratings/repository.ts';
import type { LeagueFigures } from './ranking.ts';

/** Like is compared with like: departments, districts and grassroots units each get their own table. */
export const LEAGUE_GROUPS = ['departments', 'districts', 'grassroots'] as const;
export type LeagueGroup = (typeof LEAGUE_GROUPS)[number];
export const GROUP_KINDS: Record<LeagueGroup, readonly UnitKind[]> = {
  departments: ['city_department', 'institution', 'enterprise'],
  districts: ['county', 'district'],
  grassroots: ['township', 'street', 'village', 'community'],
};

export interface LeagueUnitRow extends LeagueFigures {
  unitId: number;
  slug: string;
  name: string;
  kind: UnitKind;
  isServiceWindow: boolean;
}

export interface LeagueScope {
  group: LeagueGroup;
  /** Only pledges (and ratings of pledges) of this campaign; ratings of a service window always count. */
  campaignId?: number;
}

export function createLeagueRepository(db: Db, opts: { now?: () => Date; fallbackZone?: string } = {}) {
  const now = opts.now ?? (() => new Date());
  const fallbackZone = opts.fallbackZone ?? 'Asia/Shanghai';
  const ratings = createRatingsRepository(db);
  const campaignZones = preparedOnce(() => db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).prepare());

  return {
    /**
     * Active units of the group that lead a published pledge in scope or have a counted vote.
     * Ratings of a pledge belong to its lead unit; ratings of a service window to the unit.
     * Run once per data version (the service keeps the result, src/league/table.ts), so the
     * grouped query is built each time it runs: drizzle's fraction of a millisecond is nothing
     * beside the scan it starts (0.1–0.3 s at ten times a city's size).
     */
    /**
     * Each unit's pledge figures in the campaign (or every campaign): one grouped scan over the
     * pledges serves every group. It reads only the public record, so a vote leaves it standing
     * (src/cache/write-counters.ts). Run once per data version; the service keeps the result.
     */
    pledgeFigures(campaignId: number | undefined): Map<number, PledgeFigures> {
      const zones = campaignZones().all();
      const today = todaySql(zones, now(), fallbackZone);
      const pledgeCampaign = campaignId === undefined ? sql`1` : sql`pledges.campaign_id = ${campaignId}`;
      const rows = db.all<Record<string, unknown>>(sql`
        SELECT pledges.lead_unit_id AS unit_id,
          count(*) AS pledges,
          coalesce(sum(${completedOnTimeSql}), 0) AS on_time,
          coalesce(sum(pledges.status = 'completed' AND NOT ${completedOnTimeSql}), 0) AS late,
          coalesce(sum(${overdueSql(today)}), 0) AS overdue,
          coalesce(sum(pledges.status = 'cancelled'), 0) AS cancelled,
          coalesce(sum(${dueOrCompletedSql(today)}), 0) AS due,
          avg(CASE WHEN pledges.status <> 'cancelled' THEN pledges.progress END) AS avg_progress
        FROM pledges
        WHERE ${isPublishedSql} AND ${pledgeCampaign}
        GROUP BY pledges.lead_unit_id`);
      const n = (v: unknown) => Number(v ?? 0);
      return new Map(
        rows.map((r) => [
          n(r.unit_id),
          {
            pledges: n(r.pledges),
            completedOnTime: n(r.on_time),
            completedLate: n(r.late),
            overdue: n(r.overdue),
            cancelled: n(r.cancelled),
            dueOrCompleted: n(r.due),
            averageProgress: r.avg_progress === null || r.avg_progress === undefined ? null : Math.round(Number(r.avg_progress)),
          },
        ]),
      );
    },

    /**
     * Each unit's counted votes: ratings of a pledge belong to its lead unit (pledges of the
     * campaign only, when one is given), ratings of a service window to the unit. One grouped
     * pass over the maintained tallies (src/ratings/by-unit.ts, shared with the home page).
     */
    async ratingFigures(campaignId: number | undefined): Promise<Map<number, RatingFigures>> {
      return ratingFiguresByUnit(await ratings.unitSatisfaction(campaignId));
    },

    /** Active units of a group, in the table's first order (name, then id, as SQLite compares them). */
    unitsOf(group: LeagueGroup): { unitId: number; slug: string; name: string; kind: UnitKind; isServiceWindow: boolean }[] {
      const kinds = sql.join(
        GROUP_KINDS[group].map((k) => sql`${k}`),
        sql`, `,
      );
      const rows = db.all<Record<string, unknown>>(sql`
        SELECT u.id, u.slug, u.name, u.kind, u.is_service_window FROM units u
        WHERE u.active AND u.kind IN (${kinds})
        ORDER BY u.name, u.id`);
      return rows.map((r) => ({ unitId: Number(r.id), slug: String(r.slug), name: String(r.name), kind: r.kind as UnitKind, isServiceWindow: Boolean(r.is_service_window) }));
    },

    /** Active units of the group that lead a published pledge in scope or have a counted vote, with both kinds of figures. */
    async figures(scope: LeagueScope): Promise<LeagueUnitRow[]> {
      return joinFigures(this.unitsOf(scope.group), this.pledgeFigures(scope.campaignId), await this.ratingFigures(scope.campaignId));
    },
  };
}

export type PledgeFigures = Pick<LeagueFigures, 'pledges' | 'completedOnTime' | 'completedLate' | 'overdue' | 'cancelled' | 'dueOrCompleted' | 'averageProgress'>;
export type RatingFigures = Pick<LeagueFigures, 'satisfied' | 'basic' | 'dissatisfied' | 'ratings' | 'verified'>;

const NO_PLEDGES: PledgeFigures = { pledges: 0, completedOnTime: 0, completedLate: 0, overdue: 0, cancelled: 0, dueOrCompleted: 0, averageProgress: null };
/** The ratings' per-unit figures (src/ratings/by-unit.ts) by unit, as the league reads them. */
export function ratingFiguresByUnit(rows: UnitSatisfaction[]): Map<number, RatingFigures> {
  return new Map(rows.map((r) => [r.unitId, { satisfied: r.satisfied, basic: r.basic, dissatisfied: r.dissatisfied, ratings: r.total, verified: r.verified }]));
}

const NO_RATINGS: RatingFigures = { satisfied: 0, basic: 0, dissatisfied: 0, ratings: 0, verified: 0 };

/** The units that have pledge figures or votes, in the units' order, with both (zeros for the missing side). */
export function joinFigures(units: ReturnType<LeagueRepository['unitsOf']>, pledgeFigures: Map<number, PledgeFigures>, ratingFigures: Map<number, RatingFigures>): LeagueUnitRow[] {
  const rows: LeagueUnitRow[] = [];
  for (const unit of units) {
    const p = pledgeFigures.get(unit.unitId);
    const r = ratingFigures.get(unit.unitId);
    if (!p && !r) continue;
    rows.push({ ...unit, ...(p ?? NO_PLEDGES), ...(r ?? NO_RATINGS) });
  }
  return rows;
}
export type LeagueRepository = ReturnType<typeof createLeagueRepository>;
