// The office's calendar forms: mark one day, unmark it, import a known year.
import { z } from 'zod';
import { day, optionalText } from '../validation.ts';

export const NAME_MAX = 60;

export const dayForm = z
  .object({
    // The same years the calendar pages show, so saving always lands on a page that exists.
    day: day().refine((d) => d >= '2000-01-01' && d <= '2100-12-31', 'validation.invalid_date'),
    kind: z.enum(['holiday', 'workday'], { error: 'validation.invalid_choice' }),
    name: optionalText(NAME_MAX),
  })
  .strict();

export const removeForm = z.object({ day: day() }).strict();

export const importForm = z.object({ year: z.coerce.number({ error: 'validation.invalid_choice' }).int().min(2000).max(2100) }).strict();

export const yearQuery = z
  .object({
    year: z.preprocess((v) => (v === '' || v === undefined ? undefined : v), z.coerce.number().int().min(2000).max(2100).optional()),
  })
  .loose();
