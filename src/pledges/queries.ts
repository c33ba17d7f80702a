// Public read models for pledges: the filtered list, one pledge with everything that happened
// to it, and the city-level major items. Drafts never leave this file: every query carries
// isPublishedSql. Overdue comes from src/pledges/conditions.ts and status.ts, never re-derived.
import { and, asc, desc, eq, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import {
  campaigns,
  categories,
  pledgeCoUnits,
  pledges,
  progressUpdates,
  units,
  type PledgeTier,
} from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { displayStatus, todayIn, rollUp, type DisplayStatus } from './status.ts';
import { deadlineHistory, amendmentHistory } from './history-repository.ts';
import { isPublishedSql, overdueSql, todaySql } from './conditions.ts';
import { matchExpression } from '../search/tokens.ts';
import { PAGE_SIZE, type ListSort, type ListStatus } from './list-schema.ts';
import { publicUpdateColumns } from '../progress/columns.ts';

const districtUnits = alias(units, 'district_units');

export interface PledgeFilter {
  campaignId?: number;
  leadUnitId?: number;
  /** Pledges where this unit is a co-unit (not the lead). */
  coUnitId?: number;
  categoryId?: number;
  districtUnitId?: number;
  tier?: PledgeTier;
  status?: ListStatus;
  q?: string;
  /** Only pledges that are not sub-tasks of another. */
  topLevel?: boolean;
  /** Published after this instant (ISO-8601 UTC); the press desk's "since the last notice". */
  publishedAfter?: string;
  /** Completed on or after this day (ISO day). */
  completedSince?: string;
  /** Leave these pledges out. */
  excludeIds?: number[];
}

const rowColumns = {
  id: pledges.id,
  title: pledges.title,
  tier: pledges.tier,
  status: pledges.status,
  progress: pledges.progress,
  dueOn: pledges.dueOn,
  completedOn: pledges.completedOn,
  updatedAt: pledges.updatedAt,
  timeZone: campaigns.timeZone,
  leadUnit: { id: units.id, slug: units.slug, name: units.name },
  category: { slug: categories.slug, nameZh: categories.nameZh, nameEn: categories.nameEn },
  district: { slug: districtUnits.slug, name: districtUnits.name },
};

type RawRow = {
  id: number;
  title: string;
  tier: PledgeTier;
  status: (typeof pledges.$inferSelect)['status'];
  progress: number;
  dueOn: string;
  completedOn: string | null;
  updatedAt: string;
  timeZone: string;
  leadUnit: { id: number; slug: string; name: string };
  category: { slug: string; nameZh: string; nameEn: string } | null;
  district: { slug: string; name: string } | null;
};

export type PledgeRow = Omit<RawRow, 'timeZone'> & { display: DisplayStatus };

export interface PledgePage {
  rows: PledgeRow[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

const ORDER: Record<ListSort, SQL[]> = {
  due_asc: [asc(pledges.dueOn), asc(pledges.id)],
  due_desc: [desc(pledges.dueOn), desc(pledges.id)],
  updated: [desc(pledges.updatedAt), desc(pledges.id)],
  progress_desc: [desc(pledges.progress), asc(pledges.dueOn), asc(pledges.id)],
  progress_asc: [asc(pledges.progress), asc(pledges.dueOn), asc(pledges.id)],
  title: [asc(pledges.title), asc(pledges.id)],
};

export function createPledgeQueries(db: Db, opts: { now?: () => Date; fallbackZone?: string } = {}) {
  const now = opts.now ?? (() => new Date());
  const fallbackZone = opts.fallbackZone ?? 'Asia/Shanghai';

  /** "Today" per campaign as SQL; the campaigns table is small, so it is read per query. */
  function today(at: Date): SQL {
    const zones = db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).all();
    return todaySql(zones, at, fallbackZone);
  }

  function withDisplay(rows: RawRow[], at: Date): PledgeRow[] {
    const todays = new Map<string, string>();
    return rows.map(({ timeZone, ...row }) => {
      let day = todays.get(timeZone);
      if (!day) todays.set(timeZone, (day = todayIn(timeZone, at)));
      return { ...row, display: displayStatus(row, day) };
    });
  }

  function conditions(f: PledgeFilter, at: Date): SQL | undefined {
    const where: SQL[] = [isPublishedSql];
    if (f.campaignId !== undefined) where.push(eq(pledges.campaignId, f.campaignId));
    if (f.leadUnitId !== undefined) where.push(eq(pledges.leadUnitId, f.leadUnitId));
    if (f.coUnitId !== undefined) {
      where.push(inArray(pledges.id, db.select({ id: pledgeCoUnits.pledgeId }).from(pledgeCoUnits).where(eq(pledgeCoUnits.unitId, f.coUnitId))));
    }
    if (f.categoryId !== undefined) where.push(eq(pledges.categoryId, f.categoryId));
    if (f.districtUnitId !== undefined) where.push(eq(pledges.districtUnitId, f.districtUnitId));
    if (f.tier) where.push(eq(pledges.tier, f.tier));
    if (f.topLevel) where.push(isNull(pledges.parentId));
    if (f.status === 'overdue') where.push(overdueSql(today(at)));
    else if (f.status) where.push(eq(pledges.status, f.status));
    if (f.publishedAfter !== undefined) where.push(sql`${pledges.publishedAt} > ${f.publishedAfter}`);
    if (f.completedSince !== undefined) where.push(sql`(${pledges.status} = 'completed' AND ${pledges.completedOn} >= ${f.completedSince})`);
    if (f.excludeIds?.length) where.push(sql`${pledges.id} NOT IN (SELECT value FROM json_each(${JSON.stringify(f.excludeIds)}))`);
    const match = f.q ? matchExpression(f.q) : null;
    if (match) where.push(sql`${pledges.id} IN (SELECT rowid FROM pledge_search WHERE pledge_search MATCH ${match})`);
    return and(...where);
  }

  function rowsQuery() {
    return db
      .select(rowColumns)
      .from(pledges)
      // LEFT JOINs (every pledge has its campaign and lead unit, by foreign key) keep pledges the
      // outer table, so a page in due-date order walks the due-date index instead of sorting them all.
      .leftJoin(campaigns, eq(campaigns.id, pledges.campaignId))
      .leftJoin(units, eq(units.id, pledges.leadUnitId))
      .leftJoin(categories, eq(categories.id, pledges.categoryId))
      .leftJoin(districtUnits, eq(districtUnits.id, pledges.districtUnitId));
  }

  return {
    /** One page of the filtered list. A page past the end shows the last page (so the OFFSET stays bounded). */
    async list(filter: PledgeFilter, o: { sort?: ListSort; page?: number; pageSize?: number } = {}): Promise<PledgePage> {
      const at = now();
      const pageSize = o.pageSize ?? PAGE_SIZE;
      const where = conditions(filter, at);
      const total = db.select({ n: sql<number>`count(*)` }).from(pledges).where(where).get()?.n ?? 0;
      const pages = Math.max(1, Math.ceil(total / pageSize));
      const page = Math.min(Math.max(1, o.page ?? 1), pages);
      const rows = total
        ? (rowsQuery()
            .where(where)
            .orderBy(...ORDER[o.sort ?? 'due_asc'])
            .limit(pageSize)
            .offset((page - 1) * pageSize)
            .all() as RawRow[])
        : [];
      return { rows: withDisplay(rows, at), total, page, pages, pageSize };
    },

    /** Every id the filter matches, unpaged (the press desk prints whole selections; ids only, so it stays small). */
    async ids(filter: PledgeFilter): Promise<number[]> {
      return db
        .select({ id: pledges.id })
        .from(pledges)
        .where(conditions(filter, now()))
        .orderBy(asc(pledges.id))
        .all()
        .map((r) => r.id);
    },

    /** The city-level major items of a campaign (top level only; their sub-tasks roll up on the pledge page). */
    async majorItems(campaignId: number): Promise<PledgeRow[]> {
      const at = now();
      const rows = rowsQuery()
        .where(conditions({ campaignId, tier: 'major', topLevel: true }, at))
        .orderBy(asc(pledges.id))
        .all() as RawRow[];
      return withDisplay(rows, at);
    },

    /** Units that lead at least one published pledge, for the list's unit filter. */
    async leadUnits(): Promise<{ slug: string; name: string }[]> {
      return db
        .select({ slug: units.slug, name: units.name })
        .from(units)
        .where(sql`EXISTS (SELECT 1 FROM ${pledges} WHERE ${pledges.leadUnitId} = ${units.id} AND ${isPublishedSql})`)
        .orderBy(asc(units.name))
        .all();
    },

    /** One published pledge with everything the public may see about it; undefined for drafts and unknown ids. */
    async detail(id: number) {
      const at = now();
      const pledge = db
        .select({
          id: pledges.id,
          title: pledges.title,
          tier: pledges.tier,
          commitment: pledges.commitment,
          standard: pledges.standard,
          leadOfficial: pledges.leadOfficial,
          responsiblePerson: pledges.responsiblePerson,
          startOn: pledges.startOn,
          dueOn: pledges.dueOn,
          status: pledges.status,
          statusReason: pledges.statusReason,
          progress: pledges.progress,
          completedOn: pledges.completedOn,
          parentId: pledges.parentId,
          publishedAt: pledges.publishedAt,
          updatedAt: pledges.updatedAt,
          campaign: { id: campaigns.id, name: campaigns.name, timeZone: campaigns.timeZone },
          leadUnit: { id: units.id, slug: units.slug, name: units.name },
          category: { slug: categories.slug, nameZh: categories.nameZh, nameEn: categories.nameEn },
          district: { slug: districtUnits.slug, name: districtUnits.name },
        })
        .from(pledges)
        .innerJoin(campaigns, eq(campaigns.id, pledges.campaignId))
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .leftJoin(categories, eq(categories.id, pledges.categoryId))
        .leftJoin(districtUnits, eq(districtUnits.id, pledges.districtUnitId))
        .where(and(eq(pledges.id, id), isPublishedSql))
        .get();
      if (!pledge) return undefined;

      const today = todayIn(pledge.campaign.timeZone, at);
      const coUnits = db
        .select({ slug: units.slug, name: units.name })
        .from(pledgeCoUnits)
        .innerJoin(units, eq(units.id, pledgeCoUnits.unitId))
        .where(eq(pledgeCoUnits.pledgeId, id))
        .orderBy(asc(units.name))
        .all();
      const parent = pledge.parentId
        ? db
            .select({ id: pledges.id, title: pledges.title })
            .from(pledges)
            .where(and(eq(pledges.id, pledge.parentId), isPublishedSql))
            .get()
        : undefined;
      const subTasks = withDisplay(
        rowsQuery()
          .where(and(eq(pledges.parentId, id), isPublishedSql))
          .orderBy(asc(pledges.dueOn), asc(pledges.id))
          .all() as RawRow[],
        at,
      );
      const updates = db
        .select({
          ...publicUpdateColumns,
          unit: { slug: units.slug, name: units.name },
        })
        .from(progressUpdates)
        .innerJoin(units, eq(units.id, progressUpdates.unitId))
        .where(eq(progressUpdates.pledgeId, id))
        .orderBy(desc(progressUpdates.happenedOn), desc(progressUpdates.id))
        .all();
      const deadlines = deadlineHistory(db, id);
      const amendments = amendmentHistory(db, id);
      const rolled = rollUp(subTasks);

      return {
        pledge: { ...pledge, display: displayStatus(pledge, today) },
        today,
        coUnits,
        parent,
        subTasks,
        rollUp: rolled,
        updates,
        deadlines,
        amendments,
      };
    },
  };
}
export type PledgeQueries = ReturnType<typeof createPledgeQueries>;
export type PledgeDetail = NonNullable<Awaited<ReturnType<PledgeQueries['detail']>>>;
