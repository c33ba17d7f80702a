// Anti-abuse for anonymous public forms (the report form, the suggestion form). Those pages carry
// no per-visitor token or cookie, so they stay cacheable; what stops robots instead is:
// - a honeypot field people never see (a robot filling every input gives itself away),
// - a minimum fill time: the page carries the time it was served, signed with the cookie
//   secret so it cannot be forged, and a post sooner than a person could type is refused,
// - a per-address rate limit on the posting route (`perHour`; the app's key groups IPv6 by /64).
import { z } from 'zod';
import type { FastifyInstance } from 'fastify';
import { formValues } from '../validation.ts';

/** A human takes longer than this to fill in a form; a script posting at once does not. */
export const MIN_FILL_MS = 3_000;
/** A form older than this is stale (and its signed time could be replayed forever otherwise). */
export const MAX_FILL_MS = 24 * 3600_000;

/** The honeypot's field name: a plausible one, so form-filling robots fill it. */
export const HONEYPOT_FIELD = 'website';
/** The hidden field carrying the signed time the form was served. */
export const STARTED_FIELD = 'started';

/** The two fields every guarded form's zod schema carries (spread into its `.object({...})`). */
export const guardFields = {
  [HONEYPOT_FIELD]: z.string().optional().default(''),
  [STARTED_FIELD]: z.string().max(200).optional().default(''),
} as const;

/** Route option for the posting route: at most `max` posts per hour from one address. */
export function perHour(max: number): { max: number; timeWindow: number } {
  return { max, timeWindow: 3600_000 };
}

/** Why a guarded post was turned away: the route shows its own message for each. */
export type GuardProblem = 'honeypot' | 'too_fast';

type Signer = Pick<FastifyInstance, 'signCookie' | 'unsignCookie'>;

export function createFormGuard(signer: Signer) {
  function fillTimeOk(token: unknown, now = Date.now()): boolean {
    if (typeof token !== 'string' || !token) return false;
    const unsigned = signer.unsignCookie(token);
    if (!unsigned.valid || !unsigned.value || !/^\d{13}$/.test(unsigned.value)) return false;
    const elapsed = now - Number(unsigned.value);
    return elapsed >= MIN_FILL_MS && elapsed <= MAX_FILL_MS;
  }

  function honeypotFilled(body: unknown): boolean {
    const value = (body as Record<string, unknown> | null | undefined)?.[HONEYPOT_FIELD];
    return typeof value === 'string' && value.trim() !== '';
  }

  return {
    /** The value of the hidden `started` field for a form served now. */
    startedToken(now = Date.now()): string {
      return signer.signCookie(String(now));
    },
    fillTimeOk,
    honeypotFilled,
    /** Both checks on a raw body; the honeypot first (a robot learns nothing about timing). */
    problem(body: unknown): GuardProblem | null {
      if (honeypotFilled(body)) return 'honeypot';
      if (!fillTimeOk((body as Record<string, unknown> | null | undefined)?.[STARTED_FIELD])) return 'too_fast';
      return null;
    },
    /** The submitted values to show again, without the guard's own fields (a fresh time is issued). */
    values(body: unknown): Record<string, string | string[]> {
      const values = formValues(body);
      delete values[HONEYPOT_FIELD];
      delete values[STARTED_FIELD];
      return values;
    },
  };
}
export type FormGuard = ReturnType<typeof createFormGuard>;
