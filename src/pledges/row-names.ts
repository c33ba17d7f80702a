// The names a public pledge row shows beside its own columns (its campaign's time zone, its lead
// unit, category and district), looked up in memory instead of joined to every row. Joined, a
// page of 50 rows cost ~136 µs against ~80 µs for the pledges' own columns (the campaigns join
// was a scan per row), and every joined name was a fresh string per row per request, which the
// garbage collector then paid for. Here each name is read once per data version and every row
// and request showing it shares one object.
import { sql, type SQLWrapper } from 'drizzle-orm';
import { campaigns, categories, units } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';

export interface LeadUnitName {
  readonly id: number;
  readonly slug: string;
  readonly name: string;
}
export interface DistrictName {
  readonly slug: string;
  readonly name: string;
}
export interface CategoryName {
  readonly slug: string;
  readonly nameZh: string;
  readonly nameEn: string;
}

/** An id is absent until asked for, then its name, or null when no row has that id (what a LEFT JOIN gives). */
type Known<T> = Map<number, T | null>;

/**
 * The names of one data version. It starts empty and learns the ids its rows ask for: after a
 * write the next page reads only the names on it (one statement per table, a few dozen rows),
 * not every unit (~1,500 at scale 10, ~1.6 ms). It never holds more than the three tables.
 */
export interface RowNameTable {
  readonly zones: Known<string>;
  readonly leadUnits: Known<LeadUnitName>;
  readonly districts: Known<DistrictName>;
  readonly categories: Known<CategoryName>;
  /** Reads the names of these ids, none of them known yet. */
  learn(missing: { campaigns?: number[]; units?: number[]; categories?: number[] }): void;
}

export interface RowNames {
  /**
   * The table for the current data version: any write, by this process or another, starts a
   * new one, so a rename or a removal shows on the next read. Without a memo, a new table per call.
   */
  current(): Promise<RowNameTable>;
}

/** The key of the table in the aggregate memo. */
const MEMO_KEY = 'pledge-row-names';

export function createRowNames(db: Db, aggregates?: AggregateMemo): RowNames {
  // The ids travel as one JSON array, so each statement is compiled once whatever their number.
  const idIn = (id: SQLWrapper) => sql`${id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`;
  const campaignZones = preparedOnce(() => db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).where(idIn(campaigns.id)).prepare());
  const unitNames = preparedOnce(() => db.select({ id: units.id, slug: units.slug, name: units.name }).from(units).where(idIn(units.id)).prepare());
  const categoryNames = preparedOnce(() =>
    db
      .select({ id: categories.id, slug: categories.slug, nameZh: categories.nameZh, nameEn: categories.nameEn })
      .from(categories)
      .where(idIn(categories.id))
      .prepare(),
  );

  function table(): RowNameTable {
    const zones: Known<string> = new Map();
    const leadUnits: Known<LeadUnitName> = new Map();
    const districts: Known<DistrictName> = new Map();
    const categoryTable: Known<CategoryName> = new Map();
    return {
      zones,
      leadUnits,
      districts,
      categories: categoryTable,
      learn(missing) {
        if (missing.campaigns?.length) {
          for (const id of missing.campaigns) zones.set(id, null);
          for (const [id, timeZone] of campaignZones().values({ ids: JSON.stringify(missing.campaigns) }) as [number, string][]) zones.set(id, timeZone);
        }
        if (missing.units?.length) {
          for (const id of missing.units) {
            leadUnits.set(id, null);
            districts.set(id, null);
          }
          // Frozen: one object serves every row and request of this version, so none may change it.
          for (const [id, slug, name] of unitNames().values({ ids: JSON.stringify(missing.units) }) as [number, string, string][]) {
            leadUnits.set(id, Object.freeze({ id, slug, name }));
            districts.set(id, Object.freeze({ slug, name }));
          }
        }
        if (missing.categories?.length) {
          for (const id of missing.categories) categoryTable.set(id, null);
          for (const [id, slug, nameZh, nameEn] of categoryNames().values({ ids: JSON.stringify(missing.categories) }) as [number, string, string, string][]) {
            categoryTable.set(id, Object.freeze({ slug, nameZh, nameEn }));
          }
        }
      },
    };
  }

  const fresh = async () => table();
  return {
    current: () => (aggregates ? aggregates.get(MEMO_KEY, fresh, []) : fresh()),
  };
}
