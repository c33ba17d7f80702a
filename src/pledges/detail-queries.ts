// One published pledge with everything the public may see about it (the pledge page, its embed
// and API resource). The page is the most viewed, so each of its queries is prepared once.
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { campaigns, categories, pledgeCoUnits, pledges, progressUpdates, units } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { publicUpdateColumns } from '../progress/columns.ts';
import { displayStatus, rollUp, todayIn } from './status.ts';
import { deadlineHistory, amendmentHistory } from './history-repository.ts';
import { isPublishedSql } from './conditions.ts';
import { districtUnits, publicRowsQuery, withDisplay, type RawRow } from './row-columns.ts';

export function createPledgeDetailQueries(db: Db, now: () => Date) {
  // The pledge page's queries, one prepared query each (the page is the most viewed).
  const detailQueries = {
    pledge: preparedOnce(() =>
      db
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
        .where(and(eq(pledges.id, sql.placeholder('id')), isPublishedSql))
        .prepare(),
    ),
    coUnits: preparedOnce(() =>
      db
        .select({ slug: units.slug, name: units.name })
        .from(pledgeCoUnits)
        .innerJoin(units, eq(units.id, pledgeCoUnits.unitId))
        .where(eq(pledgeCoUnits.pledgeId, sql.placeholder('id')))
        .orderBy(asc(units.name))
        .prepare(),
    ),
    parent: preparedOnce(() =>
      db
        .select({ id: pledges.id, title: pledges.title })
        .from(pledges)
        .where(and(eq(pledges.id, sql.placeholder('id')), isPublishedSql))
        .prepare(),
    ),
    subTasks: preparedOnce(() =>
      publicRowsQuery(db)
        .where(and(eq(pledges.parentId, sql.placeholder('id')), isPublishedSql))
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .prepare(),
    ),
    updates: preparedOnce(() =>
      db
        .select({
          ...publicUpdateColumns,
          unit: { slug: units.slug, name: units.name },
        })
        .from(progressUpdates)
        .innerJoin(units, eq(units.id, progressUpdates.unitId))
        .where(eq(progressUpdates.pledgeId, sql.placeholder('id')))
        .orderBy(desc(progressUpdates.happenedOn), desc(progressUpdates.id))
        .prepare(),
    ),
  };

  return {
    /** One published pledge with everything the public may see about it; undefined for drafts and unknown ids. */
    async detail(id: number) {
      const at = now();
      const pledge = detailQueries.pledge().get({ id });
      if (!pledge) return undefined;

      const today = todayIn(pledge.campaign.timeZone, at);
      const coUnits = detailQueries.coUnits().all({ id });
      const parent = pledge.parentId ? detailQueries.parent().get({ id: pledge.parentId }) : undefined;
      const subTasks = withDisplay(detailQueries.subTasks().all({ id }) as RawRow[], at);
      const updates = detailQueries.updates().all({ id });
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
export type PledgeDetail = NonNullable<Awaited<ReturnType<ReturnType<typeof createPledgeDetailQueries>['detail']>>>;
