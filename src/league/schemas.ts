// The league table's JSON API shapes (/api/v1/league), declared with zod like every API
// resource so /api/openapi.json is generated from them and every answer is checked against them.
import { z } from 'zod';
import { UNIT_KINDS } from '../../db/schema.ts';
import { LEAGUE_GROUPS } from './repository.ts';
import type { LeagueRow } from './table.ts';

const rate = (description: string) => z.number().min(0).max(1).nullable().meta({ description });

export const leagueApiQuery = z
  .object({
    group: z.enum(LEAGUE_GROUPS).default('departments').meta({
      description: 'departments: city departments, institutions, enterprises; districts: counties and districts; grassroots: townships, streets, villages, communities',
    }),
    campaign: z.coerce
      .number()
      .int()
      .positive()
      .max(2 ** 31 - 1)
      .optional()
      .meta({ description: 'Campaign id; default: the current campaign' }),
  })
  .strict();

export const leagueApiRow = z.object({
  rank: z.number().int().positive().nullable().meta({ description: 'Position in the group (equal scores share one); null when not ranked yet' }),
  unranked: z.array(z.enum(['too_few_due', 'too_few_ratings'])).meta({ description: 'Why the unit is not ranked yet; empty when ranked' }),
  unit: z.object({ id: z.number().int(), slug: z.string(), name: z.string(), kind: z.enum(UNIT_KINDS), isServiceWindow: z.boolean() }),
  pledges: z.number().int().meta({ description: 'Published pledges the unit leads' }),
  completedOnTime: z.number().int(),
  completedLate: z.number().int(),
  overdue: z.number().int().meta({ description: 'Past the due date now, neither completed nor cancelled' }),
  cancelled: z.number().int(),
  dueOrCompleted: z.number().int().meta({ description: 'The on-time rate’s denominator (cancelled left out)' }),
  averageProgress: z.number().min(0).max(100).nullable().meta({ description: 'Average progress of published pledges that are not cancelled' }),
  onTimeRate: rate('completedOnTime ÷ dueOrCompleted; null when nothing is due'),
  onTimeLower: rate('Wilson score lower bound (95%) of the on-time rate'),
  satisfaction: z.object({
    satisfied: z.number().int(),
    basicallySatisfied: z.number().int(),
    dissatisfied: z.number().int(),
    total: z.number().int().meta({ description: 'Counted votes (votes held as suspected stuffing are left out)' }),
    verified: z.number().int().meta({ description: 'Votes cast with a one-time code from the window' }),
    rate: rate('(satisfied + basically satisfied) ÷ total; null below the minimum sample'),
    lower: rate('Wilson score lower bound (95%) of the satisfaction rate; null below the minimum sample'),
  }),
  score: rate('0.6 × onTimeLower + 0.4 × satisfaction.lower; null when not ranked'),
  url: z.string().meta({ format: 'uri' }),
});

export const leagueApiResponse = z.object({
  data: z.array(leagueApiRow).meta({ description: 'Ranked units first, then units not ranked yet' }),
  method: z.object({
    group: z.enum(LEAGUE_GROUPS),
    campaign: z.object({ id: z.number().int(), name: z.string() }).nullable(),
    minRatings: z.number().int(),
    minDueOrCompleted: z.number().int(),
    weights: z.object({ onTime: z.number(), satisfaction: z.number() }),
    explained: z.string().meta({ format: 'uri', description: 'The page explaining the method in plain words' }),
  }),
});

export function leagueApiRowOf(r: LeagueRow, publicUrl: string): z.input<typeof leagueApiRow> {
  const s = r.scored;
  return {
    rank: r.rank,
    unranked: s.unranked,
    unit: { id: r.unitId, slug: r.slug, name: r.name, kind: r.kind, isServiceWindow: r.isServiceWindow },
    pledges: r.pledges,
    completedOnTime: r.completedOnTime,
    completedLate: r.completedLate,
    overdue: r.overdue,
    cancelled: r.cancelled,
    dueOrCompleted: r.dueOrCompleted,
    averageProgress: r.averageProgress,
    onTimeRate: s.onTimeRate,
    onTimeLower: s.onTimeLower,
    satisfaction: { satisfied: r.satisfied, basicallySatisfied: r.basic, dissatisfied: r.dissatisfied, total: r.ratings, verified: r.verified, rate: s.satisfactionRate, lower: s.satisfactionLower },
    score: s.score,
    url: `${publicUrl}/units/${r.slug}`,
  };
}
