// Overdue and on-time are derived, never stored: these are the one definition of both.
import type { PledgeStatus } from '../../db/schema.ts';

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The day last worked out per zone and the second (since the epoch) it was for. Lists ask for
 * every row (~1 µs of Intl formatting each). Zone offsets are whole seconds, so a day starts on
 * a whole second and every instant of one second falls on the same day.
 */
const lastDays = new Map<string, { second: number; day: string }>();

/** Today's calendar day ('YYYY-MM-DD') in a time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  const second = Math.floor(now.getTime() / 1000);
  const last = lastDays.get(timeZone);
  if (last !== undefined && last.second === second) return last.day;
  let f = dayFormats.get(timeZone);
  if (!f) dayFormats.set(timeZone, (f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })));
  const day = f.format(now);
  lastDays.set(timeZone, { second, day });
  return day;
}

export interface StatusFacts {
  status: PledgeStatus;
  dueOn: string;
  completedOn?: string | null;
}

/** Past its due date in the campaign's zone and neither completed nor cancelled (a delayed pledge counts too). */
export function isOverdue(p: StatusFacts, today: string): boolean {
  return p.status !== 'draft' && p.status !== 'completed' && p.status !== 'cancelled' && p.dueOn < today;
}

export function isCompletedLate(p: StatusFacts): boolean {
  return p.status === 'completed' && !!p.completedOn && p.completedOn > p.dueOn;
}

export interface DisplayStatus {
  status: PledgeStatus;
  overdue: boolean;
  completedLate: boolean;
}

export function displayStatus(p: StatusFacts, today: string): DisplayStatus {
  return { status: p.status, overdue: isOverdue(p, today), completedLate: isCompletedLate(p) };
}

/**
 * Completed-on-time rate: completed on or before the due date ÷ published pledges that are
 * completed or past their due date (cancelled left out). null when nothing is due yet.
 */
export function onTimeRate(completedOnTime: number, dueOrCompleted: number): number | null {
  return dueOrCompleted > 0 ? completedOnTime / dueOrCompleted : null;
}

export interface RollUp {
  total: number;
  completed: number;
  averageProgress: number;
}

/**
 * How a pledge's sub-tasks add up. Drafts are not public and cancelled sub-tasks will never
 * be done, so both are left out. null when nothing is left to count.
 */
export function rollUp(subTasks: { status: PledgeStatus; progress: number }[]): RollUp | null {
  const counted = subTasks.filter((s) => s.status !== 'draft' && s.status !== 'cancelled');
  if (!counted.length) return null;
  return {
    total: counted.length,
    completed: counted.filter((s) => s.status === 'completed').length,
    averageProgress: Math.round(counted.reduce((sum, s) => sum + s.progress, 0) / counted.length),
  };
}
