// Every input of the ratings feature: the public vote and completion-check forms, the code
// sheet form of the unit workspace and the office's decisions.
import { z } from 'zod';
import { COMPLETION_VERDICTS, RATING_VALUES } from '../../db/schema.ts';
import { optionalId, optionalText } from '../validation.ts';

/** A short public comment: long enough for a sentence or two, short enough to moderate quickly. */
export const COMMENT_MAX = 300;
/** Codes printed at once: one sheet for a day or two at a busy window. */
export const CODES_MAX = 200;
/** How long a printed code stays valid, at most. */
export const CODE_DAYS_MAX = 90;
export const NOTE_MAX = 500;

const choice = <T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: 'validation.invalid_choice' });

export const voteForm = z.object({ value: choice(RATING_VALUES), comment: optionalText(COMMENT_MAX) }).strict();
export type VoteForm = z.output<typeof voteForm>;

export const checkForm = z.object({ verdict: choice(COMPLETION_VERDICTS), comment: optionalText(COMMENT_MAX) }).strict();
export type CheckForm = z.output<typeof checkForm>;

const wholeNumber = (min: number, max: number) =>
  z.coerce
    .number({ error: 'validation.ratings_limit' })
    .int('validation.ratings_limit')
    .min(min, 'validation.ratings_limit')
    .max(max, 'validation.ratings_limit');

/** The code sheet: how many codes, valid for how many days; the office also names the window. */
export const codesForm = z.object({ count: wholeNumber(1, CODES_MAX), days: wholeNumber(1, CODE_DAYS_MAX), unitId: optionalId() }).strict();
export type CodesForm = z.output<typeof codesForm>;

export const codesQuery = z.object({ unit: optionalId() }).loose();

export const flagDecisionForm = z.object({ decision: z.enum(['accept', 'discount'], { error: 'validation.invalid_choice' }), note: optionalText(NOTE_MAX) }).strict();
export const moderationForm = z
  .object({
    action: z.enum(['publish', 'reject'], { error: 'validation.invalid_choice' }),
    /** When the comment the moderator read was last changed: a comment edited since is not decided blind. */
    seen: z.string().min(1).max(40),
  })
  .strict();

export const COMMENT_KINDS = ['rating', 'check'] as const;
export type CommentKind = (typeof COMMENT_KINDS)[number];

/**
 * A printed code as typed or scanned: case and separators do not matter. Crockford's base32
 * alphabet leaves out I, L, O and U so no character is mistaken for another on paper.
 */
export const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const CODE_LENGTH = 12;
export function normalizeCode(raw: string): string | undefined {
  const code = raw.toUpperCase().replace(/[\s-]/g, '');
  if (code.length !== CODE_LENGTH) return undefined;
  for (const ch of code) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return code;
}

/** ABCD-EFGH-JKMN: easier to read aloud and to type from paper. */
export function formatCode(code: string): string {
  return code.match(/.{1,4}/g)!.join('-');
}
