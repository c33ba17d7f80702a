// Each unit's counted votes: one grouped pass over the maintained tallies (ratings of the pledges
// a unit leads, plus its own as a service window), kept until the next vote or change of the
// record. The league table and the home page's satisfaction chart read these same figures, so a
// vote costs one pass, not one per reader (at scale 10 the home page's first read after a vote
// made two such passes, ~35 ms each).
import type { AggregateMemo } from '../cache/aggregates.ts';
import type { RatingsRepository, UnitSatisfaction } from './repository.ts';
import { sumTallies, type Tally } from './figures.ts';

export function keptUnitSatisfaction(aggregates: AggregateMemo, ratings: RatingsRepository, campaignId?: number): Promise<UnitSatisfaction[]> {
  return aggregates.get(`ratings:by-unit:${campaignId ?? ''}`, () => ratings.unitSatisfaction(campaignId), ['ratings']);
}

/** The units' votes added up: the campaign's counted votes by answer. */
export function tallyOfUnits(rows: UnitSatisfaction[]): Tally & { verified: number } {
  const t = sumTallies(...rows.map((r) => ({ satisfied: r.satisfied, basic: r.basic, dissatisfied: r.dissatisfied, total: r.total })));
  return { ...t, verified: rows.reduce((s, r) => s + r.verified, 0) };
}
