import { z } from 'zod';

export const loginForm = z
  .object({
    username: z.string().trim().min(1, 'validation.required').max(100),
    password: z.string().min(1, 'validation.required').max(200),
    next: z.string().max(2000).optional(),
  })
  .strict();

/** Only local paths are followed after sign-in (no open redirect to another site). */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '';
  return next;
}
