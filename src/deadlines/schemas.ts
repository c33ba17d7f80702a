// Forms and query strings of deadline requests, the office's decisions and the overdue list.
import { z } from 'zod';
import { UNIT_KINDS } from '../../db/schema.ts';
import { day, optionalId, optionalText, requiredText } from '../validation.ts';
import { OVERDUE_SORTS } from './overdue.ts';

export const REASON_MAX = 1000;

/** A unit asks for a new date (the small form on its pledge page). */
export const requestForm = z
  .object({
    requestedDueOn: day(),
    requestReason: requiredText(REASON_MAX),
  })
  .strict();

/** The office approves (note optional) or rejects (note required, it is public). */
export const decisionForm = z
  .object({
    decision: z.enum(['approved', 'rejected'], { error: 'validation.invalid_choice' }),
    note: optionalText(REASON_MAX),
  })
  .strict();

const blank = (v: unknown) => (v === '' ? undefined : v);

export const overdueQuery = z
  .object({
    campaign: optionalId(),
    kind: z.preprocess(blank, z.enum(UNIT_KINDS).optional()),
    sort: z.preprocess(blank, z.enum(OVERDUE_SORTS).optional()),
  })
  .loose();
