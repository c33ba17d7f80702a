// Forms of the window workspace. Bodies are strict: a field the form does not have is refused.
import { z } from 'zod';
import { optionalId, optionalText, requiredText } from '../validation.ts';

/** 限时办结: the longest time limit a commitment may state, in working days (about a year). */
export const MAX_TIME_LIMIT = 250;

export const commitmentForm = z
  .object({
    unit: optionalId(),
    item: requiredText(120),
    standard: optionalText(1000),
    timeLimitWorkingDays: z.coerce
      .number({ error: (issue) => (issue.input === undefined || issue.input === '' ? 'validation.required' : 'validation.invalid_number') })
      .int('validation.invalid_number')
      .min(1, 'windows.error.time_limit')
      .max(MAX_TIME_LIMIT, 'windows.error.time_limit'),
  })
  .strict();

export const staffForm = z
  .object({
    unit: optionalId(),
    name: requiredText(40),
    post: requiredText(80),
    duties: optionalText(1000),
    promise: optionalText(500),
  })
  .strict();

export const activeForm = z.object({ active: z.enum(['0', '1']) }).strict();
export const moveForm = z.object({ direction: z.enum(['up', 'down']) }).strict();
export const emptyForm = z.object({}).strict();

export const WINDOW_KINDS = ['commitment', 'staff'] as const;
