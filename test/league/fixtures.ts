// Ratings written straight into the table, the way the ratings feature stores them, and a
// unit's record of pledges.
import type { FastifyInstance } from 'fastify';
import { ratings, voteFlags, type RatingValue } from '../../db/schema.ts';
import type { Fixtures } from '../helpers.ts';
import { addDays, makePledge } from '../public/fixtures.ts';

let voter = 0;

/** Adds counted votes on a unit (its service window) or on a pledge. */
export function addVotes(
  app: FastifyInstance,
  target: { unitId: number } | { pledgeId: number },
  counts: Partial<Record<RatingValue, number>>,
  opts: { verified?: boolean; flag?: 'open' | 'accepted' | 'discounted' } = {},
): void {
  const key = 'unitId' in target ? `u:${target.unitId}` : `p:${target.pledgeId}`;
  let flagId: number | null = null;
  if (opts.flag) {
    flagId = app.db
      .insert(voteFlags)
      .values({ targetKey: key, addressKey: '198.51.100.7', firstAt: new Date().toISOString(), lastAt: new Date().toISOString(), status: opts.flag })
      .returning()
      .get().id;
  }
  for (const [value, n] of Object.entries(counts) as [RatingValue, number][]) {
    for (let i = 0; i < n; i++) {
      app.db
        .insert(ratings)
        .values({
          targetKey: key,
          unitId: 'unitId' in target ? target.unitId : null,
          pledgeId: 'pledgeId' in target ? target.pledgeId : null,
          voterId: `voter-${++voter}`,
          value,
          verified: opts.verified ?? false,
          flagId,
        })
        .run();
    }
  }
}

/** n pledges of a unit completed on time and m past due (overdue), all published. */
export function record(app: FastifyInstance, fx: Fixtures, unitId: number, onTime: number, overdue: number) {
  for (let i = 0; i < onTime; i++) {
    makePledge(app, fx, { leadUnitId: unitId, status: 'completed', progress: 100, dueOn: addDays(fx.today, -10), completedOn: addDays(fx.today, -12) });
  }
  for (let i = 0; i < overdue; i++) makePledge(app, fx, { leadUnitId: unitId, status: 'in_progress', progress: 50, dueOn: addDays(fx.today, -3) });
}
