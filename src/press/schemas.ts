import { z } from 'zod';
import { PUBLISHED_STATUSES } from '../../db/schema.ts';
import { optionalId } from '../validation.ts';

/** The press list's filters; unknown keys are ignored, bad values of known ones refused. */
export const pressQuery = z.object({
  unit: optionalId(),
  status: z.enum([...PUBLISHED_STATUSES, 'overdue']).or(z.literal('')).optional(),
  page: z.coerce.number().int().min(1).catch(1).optional(),
});
