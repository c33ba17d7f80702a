// Every command-line input, validated with zod before anything touches the database.
import { z } from 'zod';
import { ROLES } from '../../db/schema.ts';
import { PASSWORD_MAX, PASSWORD_MIN, isCommonPassword } from '../auth/passwords.ts';
import { UsageError, CliError } from './errors.ts';

// The same rule as the office's account form, so either tool can manage any account.
const username = z
  .string({ error: '--username is required' })
  .trim()
  .regex(/^[a-z0-9._-]{3,40}$/, '--username must be 3–40 lower-case letters, digits, dots, dashes or underscores');

const unitSlug = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, '--unit must be a unit slug such as shuiwu (lower-case letters, digits and dashes)');

export const userAddOptions = z
  .object({
    username,
    role: z.enum(ROLES, { error: `--role must be one of ${ROLES.join(', ')}` }),
    unit: unitSlug.optional(),
  })
  .strict()
  .superRefine((o, ctx) => {
    if (o.role === 'unit' && !o.unit) ctx.addIssue({ code: 'custom', path: ['unit'], message: '--unit is required for a unit editor (--role unit)' });
    if (o.role !== 'unit' && o.unit) ctx.addIssue({ code: 'custom', path: ['unit'], message: `--unit is only for --role unit; a ${o.role} account belongs to no unit` });
  });

export const userDisableOptions = z.object({ username }).strict();

export const password = z
  .string()
  .min(PASSWORD_MIN, `the password must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `the password must be at most ${PASSWORD_MAX} characters`)
  .refine((p) => !isCommonPassword(p), 'the password is too common and easy to guess: choose another, e.g. a long phrase of unrelated words');

/** Parses command-line options; a bad value is a usage error (exit 2) naming the option. */
export function parseOptions<S extends z.ZodType>(schema: S, values: unknown): z.output<S> {
  const parsed = schema.safeParse(values);
  if (!parsed.success) throw new UsageError(parsed.error.issues[0].message);
  return parsed.data;
}

/** Checks a password typed or piped in; a bad one fails the command (exit 1). */
export function parsePassword(value: string): string {
  const parsed = password.safeParse(value);
  if (!parsed.success) throw new CliError(parsed.error.issues[0].message);
  return parsed.data;
}

export const backupOptions = z.object({ to: z.string().trim().min(1, '--to needs a directory').optional() }).strict();

export const restoreOptions = z
  .object({
    from: z.string({ error: '--from is required: the backup file to restore' }).trim().min(1, '--from needs a file'),
    'dry-run': z.boolean().optional(),
  })
  .strict();
