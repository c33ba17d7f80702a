// Who is late, for the office (/admin/overdue: by unit and by how late) and for each unit's
// working page (what falls due within DUE_SOON_DAYS). "Overdue" is the one definition in
// src/pledges/conditions.ts; lateness is counted in calendar days (what the public page says)
// and in working days with the office's calendar (what a time limit is measured in).
import { and, asc, desc, eq, sql, type SQL } from 'drizzle-orm';
import { campaigns, pledges, units, type UnitKind } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { completedOnTimeSql, overdueSql, todaySql } from '../pledges/conditions.ts';
import { DUE_SOON_DAYS } from '../pledges/repository.ts';
import { createCalendarRepository, workingDaysBetween } from '../calendar/working-days.ts';

export const OVERDUE_SORTS = ['most_late', 'least_late', 'unit'] as const;
export type OverdueSort = (typeof OVERDUE_SORTS)[number];

export interface OverdueFilter {
  campaignId?: number;
  unitKind?: UnitKind;
  sort?: OverdueSort;
}

export function createOverdueRepository(db: Db) {
  const calendar = createCalendarRepository(db);
  const zones = () => db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).all();

  /** Working days late (or left) for each row, with the calendar loaded once for the whole span. */
  async function withWorkingDays<T extends { dueOn: string; today: string }, K extends 'workingDaysLate' | 'workingDaysLeft'>(rows: T[], key: K) {
    type Out = T & Record<K, number>;
    if (!rows.length) return [] as Out[];
    const days = rows.flatMap((r) => [r.dueOn, r.today]).sort();
    const exceptions = await calendar.exceptions(days[0], days[days.length - 1]);
    return rows.map((r) => {
      const n = key === 'workingDaysLate' ? workingDaysBetween(r.dueOn, r.today, exceptions) : workingDaysBetween(r.today, r.dueOn, exceptions);
      return { ...r, [key]: n } as unknown as Out;
    });
  }

  return {
    /** Every overdue published pledge, with its lateness. */
    async list(filter: OverdueFilter = {}) {
      const today = todaySql(zones());
      const daysLate = sql<number>`CAST(julianday(${today}) - julianday(${pledges.dueOn}) AS INTEGER)`;
      const where: SQL[] = [overdueSql(today)];
      if (filter.campaignId) where.push(eq(pledges.campaignId, filter.campaignId));
      if (filter.unitKind) where.push(eq(units.kind, filter.unitKind));
      const order =
        filter.sort === 'least_late'
          ? [asc(daysLate), asc(pledges.id)]
          : filter.sort === 'unit'
            ? [asc(units.name), desc(daysLate), asc(pledges.id)]
            : [desc(daysLate), asc(pledges.id)];
      const rows = db
        .select({
          id: pledges.id,
          title: pledges.title,
          status: pledges.status,
          progress: pledges.progress,
          dueOn: pledges.dueOn,
          campaignId: pledges.campaignId,
          unitId: units.id,
          unitName: units.name,
          unitSlug: units.slug,
          unitKind: units.kind,
          today: sql<string>`${today}`,
          daysLate,
        })
        .from(pledges)
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(and(...where))
        .orderBy(...order)
        .all();
      return withWorkingDays(rows, 'workingDaysLate');
    },

    /** The same pledges summed per unit: how many, and the worst lateness. Worst first. */
    byUnit(rows: { unitId: number; unitName: string; unitSlug: string; unitKind: string; daysLate: number; workingDaysLate: number }[]) {
      const groups = new Map<number, { unitId: number; unitName: string; unitSlug: string; unitKind: string; count: number; worstDays: number; worstWorkingDays: number }>();
      for (const r of rows) {
        const g = groups.get(r.unitId) ?? { unitId: r.unitId, unitName: r.unitName, unitSlug: r.unitSlug, unitKind: r.unitKind, count: 0, worstDays: 0, worstWorkingDays: 0 };
        g.count += 1;
        g.worstDays = Math.max(g.worstDays, r.daysLate);
        g.worstWorkingDays = Math.max(g.worstWorkingDays, r.workingDaysLate);
        groups.set(r.unitId, g);
      }
      return [...groups.values()].sort((a, b) => b.count - a.count || b.worstDays - a.worstDays || a.unitName.localeCompare(b.unitName, 'zh-CN'));
    },

    async count(): Promise<number> {
      const today = todaySql(zones());
      return db.$count(pledges, overdueSql(today));
    },

    /** A unit's record (null: every unit): completed on time and completed late told apart, and overdue now. */
    async record(opts: { unitId: number | null; campaignId?: number | null }) {
      const today = todaySql(zones());
      const where: SQL[] = [sql`${pledges.status} <> 'draft'`];
      if (opts.unitId !== null) where.push(eq(pledges.leadUnitId, opts.unitId));
      if (opts.campaignId) where.push(eq(pledges.campaignId, opts.campaignId));
      const row = db
        .select({
          onTime: sql<number>`coalesce(sum(${completedOnTimeSql}), 0)`,
          late: sql<number>`coalesce(sum(${pledges.status} = 'completed' AND NOT ${completedOnTimeSql}), 0)`,
          overdue: sql<number>`coalesce(sum(${overdueSql(today)}), 0)`,
        })
        .from(pledges)
        .where(and(...where))
        .get()!;
      return { onTime: Number(row.onTime), late: Number(row.late), overdue: Number(row.overdue) };
    },

    /** A unit's open pledges falling due from today to DUE_SOON_DAYS ahead (null: every unit), soonest first. */
    async dueSoon(opts: { unitId: number | null; campaignId?: number | null }) {
      const today = todaySql(zones());
      const where: SQL[] = [
        sql`${pledges.status} IN ('pledged','in_progress','delayed')`,
        sql`${pledges.dueOn} >= ${today}`,
        sql`${pledges.dueOn} <= date(${today}, ${`+${DUE_SOON_DAYS} days`})`,
      ];
      if (opts.unitId !== null) where.push(eq(pledges.leadUnitId, opts.unitId));
      if (opts.campaignId) where.push(eq(pledges.campaignId, opts.campaignId));
      const rows = db
        .select({
          id: pledges.id,
          title: pledges.title,
          status: pledges.status,
          progress: pledges.progress,
          dueOn: pledges.dueOn,
          unitName: units.name,
          today: sql<string>`${today}`,
          daysLeft: sql<number>`CAST(julianday(${pledges.dueOn}) - julianday(${today}) AS INTEGER)`,
        })
        .from(pledges)
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(and(...where))
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .limit(200)
        .all();
      return withWorkingDays(rows, 'workingDaysLeft');
    },
  };
}
export type OverdueRepository = ReturnType<typeof createOverdueRepository>;
