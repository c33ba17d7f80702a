// The columns of a pledge as public lists show it (list pages, sub-tasks, major items) and how a
// row gets its display status: shared by the list queries and the pledge page's queries.
import { eq } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { campaigns, categories, pledges, units, type PledgeTier } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { displayStatus, todayIn, type DisplayStatus } from './status.ts';

export const districtUnits = alias(units, 'district_units');

export const rowColumns = {
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

export type RawRow = {
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

/** Published-pledge rows with their campaign, lead unit, category and district (add a WHERE). */
export function publicRowsQuery(db: Db) {
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

/** Rows with their display status, "today" taken in each row's campaign zone. */
export function withDisplay(rows: RawRow[], at: Date): PledgeRow[] {
  const todays = new Map<string, string>();
  return rows.map(({ timeZone, ...row }) => {
    let day = todays.get(timeZone);
    if (!day) todays.set(timeZone, (day = todayIn(timeZone, at)));
    return { ...row, display: displayStatus(row, day) };
  });
}
