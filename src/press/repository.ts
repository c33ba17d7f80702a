// What the press desk reads: the published record of a campaign, a page at a time.
import { and, asc, count, eq, type SQL } from 'drizzle-orm';
import { pledges, units, type PublishedStatus } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql, overdueSql, todaySql, type CampaignZone } from '../pledges/conditions.ts';

export type PressStatusFilter = PublishedStatus | 'overdue';

export function createPressRepository(db: Db) {
  return {
    async publishedPledges(opts: { campaign: CampaignZone; unitId?: number; status?: PressStatusFilter; limit: number; offset: number; now?: Date }) {
      const where: SQL[] = [eq(pledges.campaignId, opts.campaign.id), isPublishedSql];
      if (opts.unitId) where.push(eq(pledges.leadUnitId, opts.unitId));
      if (opts.status === 'overdue') where.push(overdueSql(todaySql([opts.campaign], opts.now)));
      else if (opts.status) where.push(eq(pledges.status, opts.status));
      const cond = and(...where);
      const total = db.select({ n: count() }).from(pledges).where(cond).get()?.n ?? 0;
      const rows = db
        .select({
          id: pledges.id,
          title: pledges.title,
          tier: pledges.tier,
          status: pledges.status,
          progress: pledges.progress,
          dueOn: pledges.dueOn,
          completedOn: pledges.completedOn,
          unitName: units.name,
          unitSlug: units.slug,
        })
        .from(pledges)
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(cond)
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .limit(opts.limit)
        .offset(opts.offset)
        .all();
      return { total, rows };
    },

    /** Units leading at least one published pledge of the campaign: the unit filter's choices. */
    async leadUnits(campaignId: number) {
      return db
        .selectDistinct({ id: units.id, name: units.name })
        .from(pledges)
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(and(eq(pledges.campaignId, campaignId), isPublishedSql))
        .orderBy(asc(units.name))
        .all();
    },
  };
}
export type PressRepository = ReturnType<typeof createPressRepository>;
