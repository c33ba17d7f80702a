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

    async byDistrict(campaignId: number) {
      const rows = db
        .select({ slug: districtUnits.slug, name: districtUnits.name, ...figureColumns(today()) })
        .from(pledges)
        .innerJoin(districtUnits, eq(districtUnits.id, pledges.districtUnitId))
        .where(and(isPublishedSql, eq(pledges.campaignId, campaignId)))
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
  };
}
export type StatsRepository = ReturnType<typeof createStatsRepository>;
