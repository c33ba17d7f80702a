// The progress update form: a dated account of what happened, optionally a new % and status.
import { z } from 'zod';
import { PUBLISHED_STATUSES, type PublishedStatus } from '../../db/schema.ts';
import { requiredText, optionalText, day, type FieldErrors } from '../validation.ts';

export const BODY_MAX = 4000;
export const REASON_MAX = 1000;
/** Statuses that the public must be told the reason for. */
export const STATUSES_NEEDING_REASON: readonly PublishedStatus[] = ['delayed', 'cancelled'];

const blankToUndefined = (v: unknown) => (v === '' || v === undefined || v === null ? undefined : v);

export const progressForm = z
  .object({
    happenedOn: day(),
    body: requiredText(BODY_MAX),
    /** Blank keeps the pledge's progress as it is. */
    progress: z.preprocess(
      blankToUndefined,
      // Only a non-number gets the generic message; out of range falls through to "from 0 to 100".
      z.coerce
        .number({ error: (issue) => (issue.code === 'invalid_type' ? 'validation.invalid_number' : undefined) })
        .int('validation.invalid_number')
        .min(0)
        .max(100)
        .optional(),
    ),
    /** Blank keeps the status; only the lead unit and the office may send one. */
    status: z.preprocess(blankToUndefined, z.enum(PUBLISHED_STATUSES, { error: 'validation.invalid_choice' }).optional()),
    reason: optionalText(REASON_MAX),
  })
  .strict();
export type ProgressForm = z.output<typeof progressForm>;

/**
 * Marking a pledge completed is a claim the public will check: it needs at least one piece of
 * evidence or, when there is none to show, a written reason.
 */
export function completionUnsupported(input: { status?: string; reason: string }, currentStatus: string, evidenceCount: number): boolean {
  return input.status === 'completed' && currentStatus !== 'completed' && evidenceCount === 0 && !input.reason.trim();
}

/** Checks against today and the pledge's current status (the form alone cannot know them). */
export function checkProgress(form: ProgressForm, ctx: { today: string; currentStatus: string; evidenceCount?: number }): FieldErrors {
  const errors: FieldErrors = {};
  if (completionUnsupported(form, ctx.currentStatus, ctx.evidenceCount ?? 0)) errors.reason = { key: 'evidence.error.completion_needs_support' };
  if (form.happenedOn > ctx.today) errors.happenedOn = { key: 'manage.error.future_date' };
  if (form.status && STATUSES_NEEDING_REASON.includes(form.status) && !form.reason) errors.reason = { key: 'manage.error.status_reason_required' };
  const resulting = form.status ?? ctx.currentStatus;
  if (resulting === 'completed' && !form.status && form.progress !== undefined && form.progress !== 100) {
    errors.progress = { key: 'manage.error.completed_stays_100' };
  }
  return errors;
}
