// Ratings written straight into the table, the way the ratings feature stores them.
import type { FastifyInstance } from 'fastify';
import { ratings, voteFlags, type RatingValue } from '../../db/schema.ts';

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
