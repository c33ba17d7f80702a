// What the office overview counts, and the audit log's entity types for its filter.
import { count, sql } from 'drizzle-orm';
import { auditLog, campaigns, categories, pledges, units, users } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql, overdueSql, todaySql, type CampaignZone } from '../pledges/conditions.ts';

export function createAdminRepository(db: Db) {
  return {
    async counts(): Promise<{ campaigns: number; units: number; categories: number; accounts: number; audit: number }> {
      const [c, u, k, a, l] = await Promise.all([db.$count(campaigns), db.$count(units), db.$count(categories), db.$count(users), db.$count(auditLog)]);
      return { campaigns: c, units: u, categories: k, accounts: a, audit: l };
    },

    /** Published and overdue pledges per campaign, "today" taken in each campaign's own zone. */
    async overdueByCampaign(zones: CampaignZone[], now = new Date()): Promise<Map<number, { published: number; overdue: number }>> {
      const today = todaySql(zones, now);
      const rows = db
        .select({
          campaignId: pledges.campaignId,
          published: count(),
          overdue: sql<number>`SUM(CASE WHEN ${overdueSql(today)} THEN 1 ELSE 0 END)`,
        })
        .from(pledges)
        .where(isPublishedSql)
        .groupBy(pledges.campaignId)
        .all();
      return new Map(rows.map((r) => [r.campaignId, { published: r.published, overdue: Number(r.overdue) }]));
    },

    async auditEntities(): Promise<string[]> {
      return db
        .selectDistinct({ entity: auditLog.entity })
        .from(auditLog)
        .orderBy(auditLog.entity)
        .all()
        .map((r) => r.entity);
    },
  };
}
export type AdminRepository = ReturnType<typeof createAdminRepository>;
