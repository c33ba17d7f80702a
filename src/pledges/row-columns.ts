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

/**
 * The rows of a query selecting rowColumns, read as raw arrays (a prepared query's `.values()`):
 * the nested objects and display status built by position, in one pass. drizzle's own mapping
 * walks every column of every row through its type checks and path lookups, a large share of a
 * list page's cost. The positions follow rowColumns' order (drizzle flattens nested objects in
 * key order); a joined object is null exactly when drizzle makes it null: its row is missing,
 * which its NOT NULL slug tells. test/pledges/list-rows.test.ts compares the two mappings.
 */
export function pledgeRowsFromValues(values: unknown[][], at: Date): PledgeRow[] {
  const rows: PledgeRow[] = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as RowValues;
    const status = v[3];
    const dueOn = v[5];
    const completedOn = v[6];
    rows[i] = {
      id: v[0],
      title: v[1],
      tier: v[2],
      status,
      progress: v[4],
      dueOn,
      completedOn,
      updatedAt: v[7],
      leadUnit: (v[10] === null ? null : { id: v[9], slug: v[10], name: v[11] }) as PledgeRow['leadUnit'],
      category: v[12] === null ? null : { slug: v[12], nameZh: v[13]!, nameEn: v[14]! },
      district: v[15] === null ? null : { slug: v[15], name: v[16]! },
      display: displayStatus({ status, dueOn, completedOn }, todayIn(v[8], at)),
    };
  }
  return rows;
}

/** One row of rowColumns as `.values()` returns it. */
type RowValues = [
  id: number,
  title: string,
  tier: PledgeTier,
  status: RawRow['status'],
  progress: number,
  dueOn: string,
  completedOn: string | null,
  updatedAt: string,
  timeZone: string,
  leadUnitId: number,
  leadUnitSlug: string | null,
  leadUnitName: string,
  categorySlug: string | null,
  categoryNameZh: string | null,
  categoryNameEn: string | null,
  districtSlug: string | null,
  districtName: string | null,
];

/** Rows with their display status, "today" taken in each row's campaign zone. */
export function withDisplay(rows: RawRow[], at: Date): PledgeRow[] {
  const todays = new Map<string, string>();
  return rows.map(({ timeZone, ...row }) => {
    let day = todays.get(timeZone);
    if (!day) todays.set(timeZone, (day = todayIn(timeZone, at)));
    return { ...row, display: displayStatus(row, day) };
  });
}
