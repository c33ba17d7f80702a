// Figures for the public pages: the home page's headline, completion by category and by
// district, the units table and the latest progress updates. Each is one aggregate query;
// "overdue" and "on time" come from src/pledges/conditions.ts so every page agrees.
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { campaigns, categories, pledges, progressUpdates, units, type UnitKind } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { completedOnTimeSql, dueOrCompletedSql, isPublishedSql, overdueSql, todaySql } from '../pledges/conditions.ts';
import { onTimeRate } from '../pledges/status.ts';

export const UNIT_SORTS = ['name', 'pledges', 'overdue', 'rate'] as const;
export type UnitSort = (typeof UNIT_SORTS)[number];

export interface Figures {
  pledges: number;
  completed: number;
  /** Neither completed, cancelled nor overdue. */
  open: number;
  overdue: number;
  cancelled: number;
  completedOnTime: number;
  dueOrCompleted: number;
  /** 0..1, or null when nothing is due yet. */
  onTimeRate: number | null;
}

/** Published pledges split so every pledge is in exactly one part (overdue taken out of the open statuses). */
export interface StatusCounts {
  pledged: number;
  in_progress: number;
  delayed: number;
  overdue: number;
  completed_on_time: number;
  completed_late: number;
  cancelled: number;
}
export const STATUS_PARTS = ['pledged', 'in_progress', 'delayed', 'overdue', 'completed_on_time', 'completed_late', 'cancelled'] as const;

/** One calendar month ('YYYY-MM'): pledges due in it (cancelled left out) and completions in it. */
export interface MonthCount {
  month: string;
  due: number;
  completedOnTime: number;
  completedLate: number;
}

/** Which pledges a chart covers; every key optional and combined with AND. */
export interface ChartScope {
  campaignId?: number;
  leadUnitId?: number;
  categoryId?: number;
}

type RawFigures = Pick<Figures, 'pledges' | 'completed' | 'overdue' | 'cancelled' | 'completedOnTime' | 'dueOrCompleted'>;

function finish(raw: RawFigures): Figures {
  const n = (v: unknown) => Number(v ?? 0);
  const f = {
    pledges: n(raw.pledges),
    completed: n(raw.completed),
    overdue: n(raw.overdue),
    cancelled: n(raw.cancelled),
    completedOnTime: n(raw.completedOnTime),
    dueOrCompleted: n(raw.dueOrCompleted),
  };
  return { ...f, open: f.pledges - f.completed - f.overdue - f.cancelled, onTimeRate: onTimeRate(f.completedOnTime, f.dueOrCompleted) };
}

const districtUnits = alias(units, 'district_units');
const parentUnits = alias(units, 'parent_units');

function scopeSql(scope: ChartScope): SQL | undefined {
  return and(
    scope.campaignId === undefined ? undefined : eq(pledges.campaignId, scope.campaignId),
    scope.leadUnitId === undefined ? undefined : eq(pledges.leadUnitId, scope.leadUnitId),
    scope.categoryId === undefined ? undefined : eq(pledges.categoryId, scope.categoryId),
  );
}

export function createStatsRepository(db: Db, opts: { now?: () => Date; fallbackZone?: string } = {}) {
  const now = opts.now ?? (() => new Date());
  const fallbackZone = opts.fallbackZone ?? 'Asia/Shanghai';

  function today(): SQL {
    const zones = db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).all();
    return todaySql(zones, now(), fallbackZone);
  }

  /** Aggregate columns over published pledges; count(pledges.id) so left joins with no pledge count 0. */
  function figureColumns(todayExpr: SQL) {
    return {
      pledges: sql<number>`count(${pledges.id})`.as('pledge_count'),
      completed: sql<number>`coalesce(sum(${pledges.status} = 'completed'), 0)`.as('completed_count'),
      overdue: sql<number>`coalesce(sum(${overdueSql(todayExpr)}), 0)`.as('overdue_count'),
      cancelled: sql<number>`coalesce(sum(${pledges.status} = 'cancelled'), 0)`.as('cancelled_count'),
      completedOnTime: sql<number>`coalesce(sum(${completedOnTimeSql}), 0)`.as('on_time_count'),
      dueOrCompleted: sql<number>`coalesce(sum(${dueOrCompletedSql(todayExpr)}), 0)`.as('due_count'),
    };
  }

  async function figuresWhere(where: SQL | undefined): Promise<Figures> {
    const raw = db.select(figureColumns(today())).from(pledges).where(and(isPublishedSql, where)).get();
    return finish(raw ?? { pledges: 0, completed: 0, overdue: 0, cancelled: 0, completedOnTime: 0, dueOrCompleted: 0 });
  }

  return {
    /** The home page's headline for one campaign, with the number of units leading a published pledge. */
    async headline(campaignId: number): Promise<Figures & { units: number }> {
      const figures = await figuresWhere(eq(pledges.campaignId, campaignId));
      const row = db
        .select({ n: sql<number>`count(DISTINCT ${pledges.leadUnitId})` })
        .from(pledges)
        .where(and(isPublishedSql, eq(pledges.campaignId, campaignId)))
        .get();
      return { ...figures, units: Number(row?.n ?? 0) };
    },

    /** A unit's own figures (pledges it leads, every campaign). */
    async unitFigures(unitId: number): Promise<Figures> {
      return figuresWhere(eq(pledges.leadUnitId, unitId));
    },

    async byCategory(campaignId: number) {
      const rows = db
        .select({ slug: categories.slug, nameZh: categories.nameZh, nameEn: categories.nameEn, ...figureColumns(today()) })
        .from(pledges)
        .innerJoin(categories, eq(categories.id, pledges.categoryId))
        .where(and(isPublishedSql, eq(pledges.campaignId, campaignId)))
        .groupBy(categories.id)
        .orderBy(asc(categories.sortOrder), asc(categories.id))
        .all();
      return rows.map(({ slug, nameZh, nameEn, ...raw }) => ({ slug, nameZh, nameEn, ...finish(raw) }));
    },

    /** Completion by district; a category narrows it (the category page). */
    async byDistrict(campaignId: number, opts: { categoryId?: number } = {}) {
      const rows = db
        .select({ slug: districtUnits.slug, name: districtUnits.name, ...figureColumns(today()) })
        .from(pledges)
        .innerJoin(districtUnits, eq(districtUnits.id, pledges.districtUnitId))
        .where(and(isPublishedSql, eq(pledges.campaignId, campaignId), opts.categoryId === undefined ? undefined : eq(pledges.categoryId, opts.categoryId)))
        .groupBy(districtUnits.id)
        .orderBy(asc(districtUnits.name))
        .all();
      return rows.map(({ slug, name, ...raw }) => ({ slug, name, ...finish(raw) }));
    },

    /**
     * Units that lead a published pledge or have child units, with their figures and parent.
     * One grouped query; the on-time rate sorts with "nothing due yet" last.
     */
    async unitsTable(o: { kind?: UnitKind; sort?: UnitSort } = {}) {
      const order: Record<UnitSort, SQL[]> = {
        name: [asc(units.name), asc(units.id)],
        pledges: [sql`pledge_count DESC`, asc(units.name)],
        overdue: [sql`overdue_count DESC`, asc(units.name)],
        rate: [sql`(CASE WHEN due_count > 0 THEN on_time_count * 1.0 / due_count END) DESC NULLS LAST`, sql`pledge_count DESC`, asc(units.name)],
      };
      const rows = db
        .select({
          id: units.id,
          slug: units.slug,
          name: units.name,
          kind: units.kind,
          parent: { slug: parentUnits.slug, name: parentUnits.name },
          ...figureColumns(today()),
        })
        .from(units)
        .leftJoin(parentUnits, eq(parentUnits.id, units.parentId))
        .leftJoin(pledges, and(eq(pledges.leadUnitId, units.id), isPublishedSql))
        .where(o.kind ? eq(units.kind, o.kind) : undefined)
        .groupBy(units.id)
        .having(sql`count(${pledges.id}) > 0 OR (${units.active} AND EXISTS (SELECT 1 FROM units AS child_units WHERE child_units.parent_id = ${units.id}))`)
        .orderBy(...order[o.sort ?? 'name'])
        .all();
      return rows.map(({ id, slug, name, kind, parent, ...raw }) => ({ id, slug, name, kind, parent, ...finish(raw) }));
    },

    /** Figures for any chart scope (the category page's headline). */
    async scopeFigures(scope: ChartScope): Promise<Figures> {
      return figuresWhere(scopeSql(scope));
    },

    /** The status breakdown chart's numbers: one grouped query over the scope. */
    async statusCounts(scope: ChartScope): Promise<StatusCounts> {
      const todayExpr = today();
      const part = sql<string>`CASE
        WHEN ${overdueSql(todayExpr)} THEN 'overdue'
        WHEN ${completedOnTimeSql} THEN 'completed_on_time'
        WHEN ${pledges.status} = 'completed' THEN 'completed_late'
        ELSE ${pledges.status} END`;
      const rows = db
        .select({ part, n: sql<number>`count(*)` })
        .from(pledges)
        .where(and(isPublishedSql, scopeSql(scope)))
        .groupBy(part)
        .all();
      const counts = Object.fromEntries(STATUS_PARTS.map((k) => [k, 0])) as unknown as StatusCounts;
      for (const r of rows) if (r.part in counts) counts[r.part as keyof StatusCounts] = Number(r.n);
      return counts;
    },

    /**
     * Pledges due and pledges completed per calendar month, for the months that have either
     * (the chart fills the gaps). Two grouped queries; months are the text prefix of the days.
     */
    async monthly(scope: ChartScope): Promise<MonthCount[]> {
      const dueMonth = sql<string>`substr(${pledges.dueOn}, 1, 7)`;
      const doneMonth = sql<string>`substr(${pledges.completedOn}, 1, 7)`;
      const due = db
        .select({ month: dueMonth, n: sql<number>`count(*)` })
        .from(pledges)
        .where(and(isPublishedSql, sql`${pledges.status} <> 'cancelled'`, scopeSql(scope)))
        .groupBy(dueMonth)
        .all();
      const done = db
        .select({ month: doneMonth, onTime: sql<number>`coalesce(sum(${completedOnTimeSql}), 0)`, all: sql<number>`count(*)` })
        .from(pledges)
        .where(and(eq(pledges.status, 'completed'), sql`${pledges.completedOn} IS NOT NULL`, scopeSql(scope)))
        .groupBy(doneMonth)
        .all();
      const months = new Map<string, MonthCount>();
      const at = (month: string) => {
        let m = months.get(month);
        if (!m) months.set(month, (m = { month, due: 0, completedOnTime: 0, completedLate: 0 }));
        return m;
      };
      for (const r of due) at(r.month).due = Number(r.n);
      for (const r of done) {
        const m = at(r.month);
        m.completedOnTime = Number(r.onTime);
        m.completedLate = Number(r.all) - Number(r.onTime);
      }
      return [...months.values()].sort((a, b) => a.month.localeCompare(b.month));
    },

    /** The latest progress updates on published pledges of a campaign, newest posted first; long texts are cut. */
    async latestUpdates(campaignId: number, limit = 10, excerptChars = 120) {
      return db
        .select({
          id: progressUpdates.id,
          happenedOn: progressUpdates.happenedOn,
          excerpt: sql<string>`substr(${progressUpdates.body}, 1, ${excerptChars})`,
          cut: sql<boolean>`length(${progressUpdates.body}) > ${excerptChars}`.mapWith(Boolean),
          progress: progressUpdates.progress,
          status: progressUpdates.status,
          createdAt: progressUpdates.createdAt,
          pledge: { id: pledges.id, title: pledges.title },
          unit: { slug: units.slug, name: units.name },
        })
        .from(progressUpdates)
        .innerJoin(pledges, eq(pledges.id, progressUpdates.pledgeId))
        .innerJoin(units, eq(units.id, progressUpdates.unitId))
        .where(and(isPublishedSql, eq(pledges.campaignId, campaignId)))
        .orderBy(desc(progressUpdates.createdAt), desc(progressUpdates.id))
        .limit(limit)
        .all();
    },

    /**
     * The home page's "reports collected" (every report that came in, duplicates included) and
     * "claimed into pledges" (those whose demand, or the one it was merged into, a unit took on).
     */
    async demandFigures(campaignId: number): Promise<{ collected: number; claimed: number }> {
      const row = db.get<{ collected: number; claimed: number }>(sql`
        SELECT count(*) AS collected, coalesce(sum(c.status IN ('claimed', 'resolved')), 0) AS claimed
        FROM demands d JOIN demands c ON c.id = coalesce(d.duplicate_of_id, d.id)
        WHERE d.campaign_id = ${campaignId}`);
      return { collected: Number(row?.collected ?? 0), claimed: Number(row?.claimed ?? 0) };
    },
  };
}
export type StatsRepository = ReturnType<typeof createStatsRepository>;
