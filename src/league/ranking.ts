// The league table's ranking (创先争优), kept pure so the method can be tested and explained apart
// from the SQL. A rate from a handful of cases says little: 1 of 1 on time is "100%" but could
// easily be luck, while 45 of 50 is solid evidence. So units are ranked by the Wilson score
// lower bound (95%) of each rate — the rate we can be fairly sure the unit at least reaches —
// and units with too small a sample are listed apart instead of ranked.

/** z for a two-sided 95% interval. */
export const Z_95 = 1.959963984540054;

/**
 * Pledges due or completed a unit needs before it is ranked. Kept low on purpose: the Wilson
 * bound already discounts small samples (3 of 3 on time scores only 0.44), so this only keeps
 * out units with next to no record yet — mid-campaign, most units have few pledges due.
 */
export const MIN_DUE_OR_COMPLETED = 3;

/** How the two bounds combine into the score: on-time completion weighs more than satisfaction. */
export const WEIGHTS = { onTime: 0.6, satisfaction: 0.4 } as const;

/**
 * Wilson score interval lower bound for `successes` out of `n` (0 when n is 0). Unlike the raw
 * rate it grows with the sample: 1/1 gives 0.21, 45/50 gives 0.79.
 */
export function wilsonLower(successes: number, n: number, z = Z_95): number {
  if (n <= 0) return 0;
  const p = successes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p) + z2 / (4 * n)) / n);
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

export interface LeagueFigures {
  pledges: number;
  completedOnTime: number;
  completedLate: number;
  overdue: number;
  cancelled: number;
  /** The on-time rate's denominator: completed, or past due and not cancelled. */
  dueOrCompleted: number;
  /** Average progress of published pledges that are not cancelled; null when there are none. */
  averageProgress: number | null;
  satisfied: number;
  basic: number;
  dissatisfied: number;
  /** Counted votes (a vote held in an open stuffing flag does not count). */
  ratings: number;
  verified: number;
}

export type UnrankedReason = 'too_few_due' | 'too_few_ratings';

export interface Scored {
  onTimeRate: number | null;
  onTimeLower: number | null;
  /** (satisfied + basically satisfied) ÷ votes; null below the minimum sample. */
  satisfactionRate: number | null;
  satisfactionLower: number | null;
  score: number | null;
  /** Why the unit is not ranked yet; empty when it is. */
  unranked: UnrankedReason[];
}

export function scoreOf(f: LeagueFigures, minRatings: number, minDue = MIN_DUE_OR_COMPLETED): Scored {
  const unranked: UnrankedReason[] = [];
  const enoughDue = f.dueOrCompleted >= Math.max(1, minDue);
  const enoughRatings = f.ratings >= Math.max(1, minRatings);
  if (!enoughDue) unranked.push('too_few_due');
  if (!enoughRatings) unranked.push('too_few_ratings');
  const onTimeRate = f.dueOrCompleted > 0 ? f.completedOnTime / f.dueOrCompleted : null;
  const onTimeLower = f.dueOrCompleted > 0 ? wilsonLower(f.completedOnTime, f.dueOrCompleted) : null;
  const content = f.satisfied + f.basic;
  const satisfactionRate = enoughRatings ? content / f.ratings : null;
  const satisfactionLower = enoughRatings ? wilsonLower(content, f.ratings) : null;
  const score = unranked.length ? null : WEIGHTS.onTime * onTimeLower! + WEIGHTS.satisfaction * satisfactionLower!;
  return { onTimeRate, onTimeLower, satisfactionRate, satisfactionLower, score, unranked };
}

export interface Rankable {
  name: string;
  scored: Scored;
}

/**
 * Ranked units first (score high to low; equal scores share a rank, the tie broken for display
 * by the on-time bound, then the name), then the units not ranked yet, by name.
 */
export function rankUnits<T extends Rankable>(rows: T[], locale = 'zh-CN'): { ranked: Array<T & { rank: number }>; unranked: T[] } {
  const byName = (a: T, b: T) => a.name.localeCompare(b.name, locale);
  const scored = rows.filter((r) => r.scored.score !== null);
  scored.sort((a, b) => b.scored.score! - a.scored.score! || b.scored.onTimeLower! - a.scored.onTimeLower! || byName(a, b));
  const ranked: Array<T & { rank: number }> = [];
  scored.forEach((row, i) => {
    const prev = ranked[i - 1];
    // Compare rounded scores so floating-point noise never splits a true tie.
    const same = prev && Math.round(prev.scored.score! * 1e9) === Math.round(row.scored.score! * 1e9);
    ranked.push({ ...row, rank: same ? prev.rank : i + 1 });
  });
  const unranked = rows.filter((r) => r.scored.score === null).sort(byName);
  return { ranked, unranked };
}
