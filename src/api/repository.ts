// Public read queries the page read models do not already have: the stream of progress updates
// (API and feeds), newly published pledges (feeds), and when the public record last changed
// (Last-Modified). Drafts never leave this file: every query carries isPublishedSql.
import { and, desc, eq, sql, type SQL } from 'drizzle-orm';
import { auditLog, campaigns, categories, completionChecks, pledges, progressUpdates, ratings, units } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql } from '../pledges/conditions.ts';
import { publicUpdateColumns } from '../progress/columns.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';

export interface UpdateFilter {
  campaignId?: number;
  /** Updates on pledges this unit leads, and updates it posted as a co-unit. */
  unitId?: number;
  pledgeId?: number;
  categoryId?: number;
}

export interface PublishedFilter {
  campaignId?: number;
  unitId?: number;
  categoryId?: number;
}

export function createOpenDataQueries(
  db: Db,
  opts: {
    /**
     * Where to keep when the record last changed for one data version: every open-data response
     * asks (Last-Modified), and the newest pledge edit takes a scan of the pledges.
     */
    aggregates?: AggregateMemo;
  } = {},
) {
  const posting = units;
  const perVersion = <T>(key: string, read: () => T): Promise<T> => (opts.aggregates ? opts.aggregates.get(key, async () => read()) : Promise.resolve(read()));

  function readLastWriteAt(): string | null {
    // Every max() answers from an index (units and campaigns are small); the value is still
    // kept per data version, as it changes only with the data.
    const row = db.get<{ at: string | null }>(sql`SELECT max(at) AS at FROM (
        SELECT max(${pledges.updatedAt}) AS at FROM ${pledges}
        UNION ALL SELECT max(${progressUpdates.createdAt}) FROM ${progressUpdates}
        UNION ALL SELECT max(${units.updatedAt}) FROM ${units}
        UNION ALL SELECT max(${campaigns.updatedAt}) FROM ${campaigns}
        UNION ALL SELECT max(${ratings.updatedAt}) FROM ${ratings}
        UNION ALL SELECT max(${completionChecks.updatedAt}) FROM ${completionChecks}
        UNION ALL SELECT ${auditLog.at} FROM ${auditLog} WHERE ${auditLog.id} = (SELECT max(id) FROM ${auditLog}))`);
    return row?.at ?? null;
  }

  /**
   * `newestFirst`: the rows query reads the newest few, so the campaign test is kept off the
   * pledges' campaign index (unary +) and SQLite walks progress_updates by time instead of
   * joining every update of the campaign and sorting them.
   */
  function updateConditions(f: UpdateFilter, newestFirst = false): SQL | undefined {
    const where: SQL[] = [isPublishedSql];
    if (f.campaignId !== undefined) where.push(newestFirst ? sql`+${pledges.campaignId} = ${f.campaignId}` : eq(pledges.campaignId, f.campaignId));
    // A unit's updates: on pledges it leads, or posted by it (a co-unit). Two indexed sets, not
    // an OR across the two tables, which no index can serve.
    if (f.unitId !== undefined) {
      where.push(sql`${progressUpdates.id} IN (
        SELECT lu.id FROM progress_updates lu JOIN pledges lp ON lp.id = lu.pledge_id WHERE lp.lead_unit_id = ${f.unitId}
        UNION SELECT pu.id FROM progress_updates pu WHERE pu.unit_id = ${f.unitId})`);
    }
    if (f.pledgeId !== undefined) where.push(eq(pledges.id, f.pledgeId));
    if (f.categoryId !== undefined) where.push(eq(pledges.categoryId, f.categoryId));
    return and(...where);
  }

  return {
    /** Progress updates on published pledges, the latest posted first. */
    async updates(filter: UpdateFilter, page: { limit: number; offset: number }) {
      const where = updateConditions(filter);
      const total =
        db
          .select({ n: sql<number>`count(*)` })
          .from(progressUpdates)
          .innerJoin(pledges, eq(pledges.id, progressUpdates.pledgeId))
          .where(where)
          .get()?.n ?? 0;
      const rows =
        page.offset < total
        ? db
            .select({
              ...publicUpdateColumns,
              pledge: { id: pledges.id, title: pledges.title },
              unit: { id: posting.id, slug: posting.slug, name: posting.name },
            })
            .from(progressUpdates)
            .innerJoin(pledges, eq(pledges.id, progressUpdates.pledgeId))
            .innerJoin(posting, eq(posting.id, progressUpdates.unitId))
            .where(updateConditions(filter, true))
            .orderBy(desc(progressUpdates.createdAt), desc(progressUpdates.id))
            .limit(page.limit)
            .offset(page.offset)
            .all()
        : [];
      return { total: Number(total), rows };
    },

    /** Published pledges, the most recently published first. */
    async recentlyPublished(filter: PublishedFilter, limit: number) {
      const where: SQL[] = [isPublishedSql, sql`${pledges.publishedAt} IS NOT NULL`];
      if (filter.campaignId !== undefined) where.push(eq(pledges.campaignId, filter.campaignId));
      if (filter.unitId !== undefined) where.push(eq(pledges.leadUnitId, filter.unitId));
      if (filter.categoryId !== undefined) where.push(eq(pledges.categoryId, filter.categoryId));
      return db
        .select({
          id: pledges.id,
          title: pledges.title,
          tier: pledges.tier,
          commitment: pledges.commitment,
          standard: pledges.standard,
          startOn: pledges.startOn,
          dueOn: pledges.dueOn,
          publishedAt: sql<string>`${pledges.publishedAt}`,
          leadUnit: { id: units.id, slug: units.slug, name: units.name },
          category: { slug: categories.slug, nameZh: categories.nameZh, nameEn: categories.nameEn },
        })
        .from(pledges)
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .leftJoin(categories, eq(categories.id, pledges.categoryId))
        .where(and(...where))
        .orderBy(desc(pledges.publishedAt), desc(pledges.id))
        .limit(limit)
        .all();
    },

    /** A published pledge's id and title; undefined for drafts and unknown ids. */
    async publishedPledge(id: number): Promise<{ id: number; title: string } | undefined> {
      return db
        .select({ id: pledges.id, title: pledges.title })
        .from(pledges)
        .where(and(eq(pledges.id, id), isPublishedSql))
        .get();
    },

    /**
     * When anything public last changed: writes through the app are audited (votes are not —
     * their own timestamps count), and the tables' timestamps cover rows written by other tools
     * (demo loader, dataset generator).
     */
    async lastWriteAt(): Promise<string | null> {
      return perVersion('open-data:last-write', () => readLastWriteAt());
    },

    async campaignZones(): Promise<string[]> {
      return perVersion('open-data:campaign-zones', () =>
        db
          .selectDistinct({ timeZone: campaigns.timeZone })
          .from(campaigns)
          .all()
          .map((c) => c.timeZone),
      );
    },
  };
}
export type OpenDataQueries = ReturnType<typeof createOpenDataQueries>;
