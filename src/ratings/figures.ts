// Satisfaction figures as the pages show them. Pure functions: counts in, numbers out.
//
// The rate is the share of counted votes that are "satisfied" or "basically satisfied" — the
// measure the source campaign's satisfaction boxes used, and one a reader can check by adding
// two numbers. Below the minimum sample no percentage is given at all: three votes of four
// satisfied is not "75 % satisfied".
import type { RatingValue } from '../../db/schema.ts';

export interface Tally {
  satisfied: number;
  basic: number;
  dissatisfied: number;
  total: number;
}

export interface TargetFigures {
  /** Open web votes that count. */
  web: Tally;
  /** Votes cast with a one-time code printed at the window. */
  verified: Tally;
  /** Both together. */
  all: Tally;
  /** Votes held in an open stuffing flag, waiting for the office. */
  held: number;
}

export interface CheckFigures {
  confirm: number;
  dispute: number;
  held: number;
}

export const emptyTally = (): Tally => ({ satisfied: 0, basic: 0, dissatisfied: 0, total: 0 });

export function addVote(t: Tally, value: RatingValue, n = 1): void {
  if (value === 'satisfied') t.satisfied += n;
  else if (value === 'basically_satisfied') t.basic += n;
  else t.dissatisfied += n;
  t.total += n;
}

export function sumTallies(...tallies: Tally[]): Tally {
  const out = emptyTally();
  for (const t of tallies) {
    out.satisfied += t.satisfied;
    out.basic += t.basic;
    out.dissatisfied += t.dissatisfied;
    out.total += t.total;
  }
  return out;
}

export interface Rate {
  /** Whole percent, or null when the sample is below the minimum. */
  percent: number | null;
  n: number;
  tooFew: boolean;
}

export function satisfactionRate(t: Tally, minRatings: number): Rate {
  if (t.total === 0 || t.total < minRatings) return { percent: null, n: t.total, tooFew: true };
  return { percent: Math.round(((t.satisfied + t.basic) * 100) / t.total), n: t.total, tooFew: false };
}

/** The three answers in the order forms and charts show them, with their message keys. */
export const ANSWERS: { value: RatingValue; key: keyof Omit<Tally, 'total'>; label: string }[] = [
  { value: 'satisfied', key: 'satisfied', label: 'ratings.value.satisfied' },
  { value: 'basically_satisfied', key: 'basic', label: 'ratings.value.basically_satisfied' },
  { value: 'dissatisfied', key: 'dissatisfied', label: 'ratings.value.dissatisfied' },
];
