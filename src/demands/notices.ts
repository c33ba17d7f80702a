// The one-line notices shown after a post/redirect/get (?done=…); unknown values show nothing.
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';

const DONE = ['recorded', 'merged', 'suggested', 'declined', 'reopened', 'classified', 'hidden', 'shown', 'claimed', 'created', 'revoked'] as const;
const doneQuery = z.object({ done: z.enum(DONE).optional() }).loose();

export function doneNotice(request: FastifyRequest): string | undefined {
  const q = doneQuery.safeParse(request.query);
  return q.success && q.data.done ? request.t(`demands.done.${q.data.done}`) : undefined;
}
