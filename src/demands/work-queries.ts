// The office's and units' working views of reports: triage, a unit's claim lists, the staff view
// of one report (private columns included), claim checks and import batches. Never public.
import { and, asc, desc, eq, inArray, sql, type SQL } from 'drizzle-orm';
import { demands, importBatches, pledgeDemands, pledges, type DemandChannel } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { type Demand, type DemandFilter, CLAIMABLE_PLEDGE_STATUSES, suggestedUnits, byIds, filterSql, paging } from './sql.ts';
import { listColumns, listQuery } from './listing.ts';

export function createDemandWorkQueries(db: Db) {
  return {
    async batch(id: number) {
      return db.select().from(importBatches).where(eq(importBatches.id, id)).get();
    },

    /** What a batch left for triage: stored reports without a recognised category or district. */
    async batchGaps(batchId: number) {
      const row = db.get<{ stored: number; noCategory: number; noDistrict: number }>(sql`
        SELECT count(*) AS stored, coalesce(sum(category_id IS NULL), 0) AS noCategory, coalesce(sum(district_unit_id IS NULL), 0) AS noDistrict
        FROM demands WHERE import_batch_id = ${batchId}`);
      return { stored: Number(row?.stored ?? 0), noCategory: Number(row?.noCategory ?? 0), noDistrict: Number(row?.noDistrict ?? 0) };
    },

    async recentBatches(limit = 10) {
      return db.select().from(importBatches).orderBy(desc(importBatches.id)).limit(limit).all();
    },

    async get(id: number): Promise<Demand | undefined> {
      return db.select().from(demands).where(eq(demands.id, id)).get();
    },

    /** The office's triage list: every report, duplicates included, newest first. */
    async triage(filter: DemandFilter, opts: { page?: number; pageSize?: number } = {}) {
      const pageSize = opts.pageSize ?? 50;
      const where = and(...filterSql(filter));
      const total = await db.$count(demands, where);
      const { page, pages } = paging(total, opts.page, pageSize);
      const rows = listQuery(db, {
        ...listColumns,
        trackingNo: demands.trackingNo,
        externalRef: demands.externalRef,
        suggestedUnitName: suggestedUnits.name,
        pledgeStatus: pledges.status,
      })
        .where(where)
        .orderBy(desc(demands.reportedAt), desc(demands.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all();
      return { rows: rows as any[], total, page, pages };
    },

    /**
     * Unclaimed reports a unit may take on. "relevant": suggested to it, in its district (it is
     * the district or belongs to one), or in a category it already leads pledges in; "all":
     * every unclaimed report not suggested to another unit; "claimed": what it claimed.
     */
    async forUnit(unit: { id: number; parentId: number | null }, scope: 'relevant' | 'all' | 'claimed', filter: DemandFilter, opts: { page?: number; pageSize?: number } = {}) {
      const pageSize = opts.pageSize ?? 50;
      const where: SQL[] = filterSql(filter);
      if (scope === 'claimed') {
        where.push(sql`${demands.id} IN (SELECT demand_id FROM pledge_demands WHERE unit_id = ${unit.id})`);
      } else {
        where.push(eq(demands.status, 'new'));
        where.push(sql`(${demands.suggestedUnitId} IS NULL OR ${demands.suggestedUnitId} = ${unit.id})`);
        if (scope === 'relevant') {
          where.push(sql`(${demands.suggestedUnitId} = ${unit.id}
            OR ${demands.districtUnitId} IN (${unit.id}, ${unit.parentId ?? 0})
            OR ${demands.categoryId} IN (SELECT DISTINCT category_id FROM pledges WHERE lead_unit_id = ${unit.id} AND category_id IS NOT NULL))`);
        }
      }
      const condition = and(...where);
      const total = await db.$count(demands, condition);
      const { page, pages } = paging(total, opts.page, pageSize);
      const rows = listQuery(db, { ...listColumns, suggestedUnitId: demands.suggestedUnitId, pledgeStatus: pledges.status, districtUnitId: demands.districtUnitId })
        .where(condition)
        .orderBy(desc(demands.reportedAt), desc(demands.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all();
      return { rows: rows as any[], total, page, pages };
    },

    /** One report for staff: every stored fact except the reporter's contact (see contactFor). */
    async staffView(id: number) {
      const row = listQuery(db, {
        ...listColumns,
        trackingNo: demands.trackingNo,
        externalRef: demands.externalRef,
        text: demands.text,
        suggestedUnitId: demands.suggestedUnitId,
        suggestedUnitName: suggestedUnits.name,
        districtUnitId: demands.districtUnitId,
        claimUnitId: pledgeDemands.unitId,
        claimedAt: pledgeDemands.claimedAt,
        pledgeStatus: pledges.status,
        contactErasedAt: demands.contactErasedAt,
        closedAt: demands.closedAt,
        importBatchId: demands.importBatchId,
        createdAt: demands.createdAt,
        hasContact: sql<number>`(${demands.reporterName} <> '' OR ${demands.reporterPhone} <> '' OR ${demands.reporterContact} <> '' OR ${demands.address} <> '')`,
      })
        .where(eq(demands.id, id))
        .get() as any;
      if (!row) return undefined;
      const canonical = row.duplicateOfId
        ? (listQuery(db, { ...listColumns, trackingNo: demands.trackingNo, claimUnitId: pledgeDemands.unitId, pledgeStatus: pledges.status }).where(eq(demands.id, row.duplicateOfId)).get() as any)
        : null;
      const duplicates = db
        .select({ id: demands.id, channel: demands.channel, reportedAt: demands.reportedAt, trackingNo: demands.trackingNo })
        .from(demands)
        .where(eq(demands.duplicateOfId, id))
        .orderBy(asc(demands.reportedAt))
        .all();
      const byChannel = db.all<{ channel: DemandChannel; n: number }>(
        sql`SELECT channel, count(*) AS n FROM demands WHERE coalesce(duplicate_of_id, id) = ${row.duplicateOfId ?? id} GROUP BY channel ORDER BY n DESC, channel`,
      );
      return { ...row, hasContact: !!row.hasContact, canonical, duplicates, byChannel };
    },

    /** The unit whose claim lets it see this report's contact: the claim of the report or of the one it was merged into. */
    async claimingUnitOf(id: number): Promise<number | null> {
      const row = db.get<{ unitId: number | null }>(
        sql`SELECT pd.unit_id AS unitId FROM demands d JOIN pledge_demands pd ON pd.demand_id = coalesce(d.duplicate_of_id, d.id) WHERE d.id = ${id}`,
      );
      return row?.unitId ?? null;
    },

    /** The unit's pledges reports can be claimed into: not completed or cancelled; drafts included. */
    async claimablePledges(unitId: number) {
      return db
        .select({ id: pledges.id, title: pledges.title, status: pledges.status, dueOn: pledges.dueOn })
        .from(pledges)
        .where(and(eq(pledges.leadUnitId, unitId), inArray(pledges.status, CLAIMABLE_PLEDGE_STATUSES)))
        .orderBy(desc(pledges.id))
        .limit(500)
        .all();
    },

    /** Of these reports, the ones this unit cannot claim now (taken, declined, merged, suggested to another unit). */
    async notClaimable(ids: number[], unitId: number): Promise<number[]> {
      const rows = byIds(db, [...new Set(ids)]);
      return [...new Set(ids)].filter((x) => {
        const d = rows.find((r) => r.id === x);
        return !d || d.status !== 'new' || (d.suggestedUnitId !== null && d.suggestedUnitId !== unitId);
      });
    },
  };
}
