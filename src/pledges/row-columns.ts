// The columns of a pledge as public lists show it (list pages, sub-tasks, major items) and how a
// row gets its names and display status: shared by the list queries and the pledge page's queries.
import { pledges, type PledgeTier } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { displayStatus, todayIn, type DisplayStatus } from './status.ts';
import type { CategoryName, DistrictName, LeadUnitName, RowNameTable } from './row-names.ts';

/**
 * The pledge's own columns only: the names its ids stand for come from a RowNameTable
 * (row-names.ts), so SQLite reads nothing but the pledges index and rows it walks.
 */
export const rowColumns = {
  id: pledges.id,
  title: pledges.title,
  tier: pledges.tier,
  status: pledges.status,
  progress: pledges.progress,
  dueOn: pledges.dueOn,
  completedOn: pledges.completedOn,
  updatedAt: pledges.updatedAt,
  campaignId: pledges.campaignId,
  leadUnitId: pledges.leadUnitId,
  categoryId: pledges.categoryId,
  districtUnitId: pledges.districtUnitId,
};

export interface PledgeRow {
  id: number;
  title: string;
  tier: PledgeTier;
  status: (typeof pledges.$inferSelect)['status'];
  progress: number;
  dueOn: string;
  completedOn: string | null;
  updatedAt: string;
  /** Shared with every row and request of one data version: never changed. */
  leadUnit: LeadUnitName;
  category: CategoryName | null;
  district: DistrictName | null;
  display: DisplayStatus;
}

/** Published-pledge rows, their own columns only (add a WHERE; map with pledgeRowsFromValues). */
export function publicRowsQuery(db: Db) {
  return db.select(rowColumns).from(pledges);
}

/** One row of rowColumns as `.values()` returns it. */
type RowValues = [
  id: number,
  title: string,
  tier: PledgeTier,
  status: PledgeRow['status'],
  progress: number,
  dueOn: string,
  completedOn: string | null,
  updatedAt: string,
  campaignId: number,
  leadUnitId: number,
  categoryId: number | null,
  districtUnitId: number | null,
];

/**
 * The rows of a query selecting rowColumns, read as raw arrays (a prepared query's `.values()`),
 * mapped by position in one pass with their names and display status: drizzle's own mapping
 * walks every column of every row through its type checks and path lookups, a large share of
 * a list page's cost. Names the table does not know yet are read first, one statement per
 * table for the whole page. The objects are those the joins gave (key order included, which
 * exports and the API follow); test/pledges/list-rows.test.ts compares the two.
 */
export function pledgeRowsFromValues(values: unknown[][], at: Date, names: RowNameTable): PledgeRow[] {
  learnMissing(values as RowValues[], names);
  const { zones, leadUnits, categories, districts } = names;
  const rows: PledgeRow[] = new Array(values.length);
  // Rows of one campaign share "today"; most pages hold one campaign.
  let dayCampaign = -1;
  let today = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as RowValues;
    const status = v[3];
    const dueOn = v[5];
    const completedOn = v[6];
    if (v[8] !== dayCampaign) {
      const zone = zones.get(v[8]);
      // campaign_id is NOT NULL and references campaigns, so a pledge always has its zone.
      if (!zone) throw new Error(`pledge ${v[0]}: campaign ${v[8]} not found`);
      today = todayIn(zone, at);
      dayCampaign = v[8];
    }
    rows[i] = {
      id: v[0],
      title: v[1],
      tier: v[2],
      status,
      progress: v[4],
      dueOn,
      completedOn,
      updatedAt: v[7],
      // lead_unit_id is NOT NULL and references units; null only as the LEFT JOIN gave it.
      leadUnit: leadUnits.get(v[9]) as LeadUnitName,
      category: v[10] === null ? null : categories.get(v[10])!,
      district: v[11] === null ? null : districts.get(v[11])!,
      display: displayStatus({ status, dueOn, completedOn }, today),
    };
  }
  return rows;
}

/** Has the table read the names of these rows it does not know yet (nothing is allocated when it knows them all). */
function learnMissing(values: RowValues[], names: RowNameTable): void {
  let campaigns: Set<number> | undefined;
  let units: Set<number> | undefined;
  let categories: Set<number> | undefined;
  for (const v of values) {
    if (!names.zones.has(v[8])) (campaigns ??= new Set()).add(v[8]);
    if (!names.leadUnits.has(v[9])) (units ??= new Set()).add(v[9]);
    if (v[11] !== null && !names.districts.has(v[11])) (units ??= new Set()).add(v[11]);
    if (v[10] !== null && !names.categories.has(v[10])) (categories ??= new Set()).add(v[10]);
  }
  if (campaigns || units || categories) {
    names.learn({ campaigns: campaigns && [...campaigns], units: units && [...units], categories: categories && [...categories] });
  }
}
