// Working-day arithmetic on 'YYYY-MM-DD' days, and the repository of the office's calendar
// exceptions. A day is a working day when it is Monday–Friday, unless the calendar marks it a
// public holiday; a weekend day marked as a make-up working day (调休) is a working day.
//
// The pure functions take the exceptions as a Map so callers (service windows, overdue lists)
// load them once for a range and compute without touching the database again.
import { and, asc, eq, gte, lte, sql } from 'drizzle-orm';
import { calendarDays } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export type DayKind = 'holiday' | 'workday';
export type Exceptions = Map<string, DayKind>;

const MS_PER_DAY = 86_400_000;

function toUtc(day: string): number {
  const [y, m, d] = day.split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

function shift(day: string, n: number): string {
  return new Date(toUtc(day) + n * MS_PER_DAY).toISOString().slice(0, 10);
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(day: string): number {
  return new Date(toUtc(day)).getUTCDay();
}

function isWeekday(day: string): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

export function isWorkingDay(day: string, exceptions: Exceptions): boolean {
  const kind = exceptions.get(day);
  if (kind === 'holiday') return false;
  if (kind === 'workday') return true;
  return isWeekday(day);
}

/**
 * The day n working days after startDay (n < 0: before). The start day itself is never
 * counted, so addWorkingDays(Friday, 1) is the next working day, typically Monday, and
 * n = 0 returns startDay unchanged even when it is not a working day.
 */
export function addWorkingDays(startDay: string, n: number, exceptions: Exceptions): string {
  if (!Number.isInteger(n)) throw new RangeError(`addWorkingDays: n must be an integer, got ${n}`);
  const step = n < 0 ? -1 : 1;
  let remaining = Math.abs(n);
  let day = startDay;
  while (remaining > 0) {
    day = shift(day, step);
    if (isWorkingDay(day, exceptions)) remaining -= 1;
  }
  return day;
}

/** Weekdays (Mon–Fri) in the half-open range (from, to], for from <= to. */
function weekdaysAfter(from: string, to: string): number {
  const days = Math.round((toUtc(to) - toUtc(from)) / MS_PER_DAY);
  const fullWeeks = Math.floor(days / 7);
  let count = fullWeeks * 5;
  // The leftover (< 7) days after the full weeks, walked one by one.
  let w = weekday(from);
  for (let i = 0; i < days % 7; i++) {
    w = (w + 1) % 7;
    if (w !== 0 && w !== 6) count += 1;
  }
  return count;
}

/**
 * Working days in (fromDay, toDay]: fromDay excluded, toDay included — the same counting as
 * addWorkingDays, so addWorkingDays(a, workingDaysBetween(a, b)) is b whenever b is a working
 * day. Negative when toDay is before fromDay; 0 for the same day.
 */
export function workingDaysBetween(fromDay: string, toDay: string, exceptions: Exceptions): number {
  if (toDay < fromDay) return -workingDaysBetween(toDay, fromDay, exceptions);
  let count = weekdaysAfter(fromDay, toDay);
  for (const [day, kind] of exceptions) {
    if (day <= fromDay || day > toDay) continue;
    const weekdayNormally = isWeekday(day);
    if (kind === 'holiday' && weekdayNormally) count -= 1;
    else if (kind === 'workday' && !weekdayNormally) count += 1;
  }
  return count;
}

export interface CalendarDay {
  day: string;
  kind: DayKind;
  name: string;
}

export function createCalendarRepository(db: Db) {
  // Read by every page that counts working days (unit windows, deadlines): built once.
  const between = preparedOnce(() =>
    db
      .select({ day: calendarDays.day, kind: calendarDays.kind })
      .from(calendarDays)
      .where(and(gte(calendarDays.day, sql.placeholder('fromDay')), lte(calendarDays.day, sql.placeholder('toDay'))))
      .prepare(),
  );
  return {
    /** The exceptions between two days, both included, as the Map the pure functions take. */
    async exceptions(fromDay: string, toDay: string): Promise<Exceptions> {
      const rows = between().all({ fromDay, toDay });
      return new Map(rows.map((r) => [r.day, r.kind]));
    },

    /** Every marked day of a year, in order. */
    async listYear(year: number): Promise<CalendarDay[]> {
      return db
        .select({ day: calendarDays.day, kind: calendarDays.kind, name: calendarDays.name })
        .from(calendarDays)
        .where(and(gte(calendarDays.day, `${year}-01-01`), lte(calendarDays.day, `${year}-12-31`)))
        .orderBy(asc(calendarDays.day))
        .all();
    },

    /** Years that have at least one marked day, newest first. */
    async years(): Promise<number[]> {
      const rows = db.selectDistinct({ y: calendarDays.day }).from(calendarDays).all();
      return [...new Set(rows.map((r) => Number(r.y.slice(0, 4))))].sort((a, b) => b - a);
    },

    /** Marks (or re-marks) days; one transaction and one audit entry per call. */
    async setDays(actor: Actor, days: CalendarDay[]): Promise<void> {
      if (days.length === 0) return;
      db.transaction((tx) => {
        for (const d of days) {
          tx.insert(calendarDays)
            .values(d)
            .onConflictDoUpdate({ target: calendarDays.day, set: { kind: d.kind, name: d.name } })
            .run();
        }
        appendAudit(tx, actor, { action: 'calendar.set', entity: 'calendar', after: { days } });
      });
    },

    /** Unmarks a day (it becomes an ordinary weekday/weekend day again). False if it was not marked. */
    async removeDay(actor: Actor, day: string): Promise<boolean> {
      return db.transaction((tx) => {
        const before = tx.select().from(calendarDays).where(eq(calendarDays.day, day)).get();
        if (!before) return false;
        tx.delete(calendarDays).where(eq(calendarDays.day, day)).run();
        appendAudit(tx, actor, {
          action: 'calendar.remove',
          entity: 'calendar',
          entityId: day,
          before: { kind: before.kind, name: before.name },
        });
        return true;
      });
    },
  };
}

export type CalendarRepository = ReturnType<typeof createCalendarRepository>;
