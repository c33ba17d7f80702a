// Every input of the suggestions feature (建言献策): the public form, the office's moderation,
// the unit's reply, and the query strings of the lists.
import { z } from 'zod';
import { SUGGESTION_STATUSES, SUGGESTION_TARGETS } from '../../db/schema.ts';
import { optionalId, optionalText, requiredText } from '../validation.ts';
import { optionalParam, pageNumber, single } from '../pledges/list-schema.ts';
import { guardFields } from '../abuse/form-guard.ts';

export const BODY_MIN = 10;
export const BODY_MAX = 1000;
export const NAME_MAX = 30;
export const CONTACT_MAX = 100;
export const REASON_MAX = 500;
export const REPLY_MAX = 2000;

/** A unit's slug as a form or a link carries it (the unit repository resolves old slugs too). */
const unitSlug = () => z.string().trim().max(80).regex(/^[a-z0-9-]*$/, 'validation.invalid_choice').optional().default('');

/**
 * The public form. The target rides along in hidden fields: `pledgeId` for a pledge, `unit`
 * (a slug) for a unit, neither for the campaign as a whole. `name` is the public nickname;
 * `contact` is private (the office only).
 */
export const suggestionForm = z
  .object({
    pledgeId: optionalId(),
    unit: unitSlug(),
    body: requiredText(BODY_MAX).min(BODY_MIN, 'validation.too_short'),
    name: optionalText(NAME_MAX),
    contact: optionalText(CONTACT_MAX),
    ...guardFields,
  })
  .strict()
  .refine((f) => !(f.pledgeId && f.unit), { path: ['_form'], message: 'suggestions.error.two_targets' });
export type SuggestionForm = z.output<typeof suggestionForm>;

/** Which target a suggestion page or list is about, from its query string (HTML: unknown keys are ignored). */
export const targetQuery = z
  .object({
    pledge: optionalParam(z.coerce.number().int().positive().max(2 ** 31)),
    unit: optionalParam(z.string().max(80)),
  })
  .loose();

/** The public list of every published suggestion. */
export const publicListQuery = z
  .object({
    target: optionalParam(z.enum(SUGGESTION_TARGETS)),
    pledge: optionalParam(z.coerce.number().int().positive().max(2 ** 31)),
    unit: optionalParam(z.string().max(80)),
    page: pageNumber(),
  })
  .loose();

/** The office's queue. `status` defaults to every status, pending first. */
export const queueQuery = z
  .object({
    status: optionalParam(z.enum(SUGGESTION_STATUSES)),
    target: optionalParam(z.enum(SUGGESTION_TARGETS)),
    unit: optionalParam(z.coerce.number().int().positive().max(2 ** 31)),
    page: pageNumber(),
  })
  .loose();

export const REPLY_FILTERS = ['unanswered', 'answered', 'all'] as const;
/** The workspace list: the unit's published suggestions, unanswered first. */
export const workspaceQuery = z
  .object({
    answered: z.preprocess(single, z.enum(REPLY_FILTERS).optional().default('all')),
    unit: optionalParam(z.coerce.number().int().positive().max(2 ** 31)),
    page: pageNumber(),
  })
  .loose();

export const publishForm = z.object({}).strict();
export const rejectForm = z.object({ reason: requiredText(REASON_MAX) }).strict();
export const replyForm = z.object({ reply: requiredText(REPLY_MAX) }).strict();
