// The office's forms and query strings. Forms are strict; query strings ignore keys they
// do not know (shared links carry tracking parameters) but reject bad values of known ones.
import { z } from 'zod';
import { ROLES, UNIT_KINDS } from '../../db/schema.ts';
import { checkbox, day, id, optionalId, optionalText, requiredText, slug } from '../validation.ts';
import { PASSWORD_MAX, newPasswordSchema } from '../auth/passwords.ts';

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const campaignForm = z
  .object({
    slug: slug(),
    name: requiredText(200),
    description: optionalText(5000),
    issuingOffice: optionalText(200),
    startsOn: day(),
    endsOn: day(),
    timeZone: requiredText(64).refine(isTimeZone, 'validation.time_zone'),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.startsOn && v.endsOn && v.endsOn < v.startsOn) ctx.addIssue({ code: 'custom', path: ['endsOn'], message: 'validation.ends_before_starts' });
  });

const email = optionalText(200).refine((v) => v === '' || z.email().safeParse(v).success, 'validation.email');

export const unitForm = z
  .object({
    name: requiredText(200),
    slug: slug(),
    kind: z.enum(UNIT_KINDS, { error: 'validation.invalid_choice' }),
    parentId: optionalId(),
    isServiceWindow: checkbox(),
    contactPhone: optionalText(50),
    contactAddress: optionalText(300),
    contactEmail: email,
    active: checkbox(),
  })
  .strict();

export const categoryForm = z
  .object({
    slug: slug(),
    nameZh: requiredText(100),
    nameEn: requiredText(100),
    sortOrder: z.preprocess(
      (v) => (v === '' || v === undefined ? 0 : v),
      z.coerce.number({ error: 'validation.invalid_number' }).int('validation.invalid_number').min(-10000).max(10000),
    ),
  })
  .strict();

// No schema-level `error` here: zod 4 would put that message on every check of the string.
const username = z
  .string()
  .trim()
  .min(1, 'validation.required')
  .min(3)
  .max(40)
  .regex(/^[a-z0-9._-]+$/, 'validation.username_format');

const newPassword = newPasswordSchema();

/** A role 'unit' account belongs to exactly one unit; office and press accounts to none. */
function roleNeedsUnit(v: { role?: string; unitId?: number }, ctx: z.RefinementCtx) {
  if (v.role === 'unit' && v.unitId === undefined) ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'validation.unit_required' });
  if (v.role && v.role !== 'unit' && v.unitId !== undefined) ctx.addIssue({ code: 'custom', path: ['unitId'], message: 'validation.unit_not_allowed' });
}

function passwordsMatch(v: { password?: string; confirm_password?: string }, ctx: z.RefinementCtx) {
  if (typeof v.password === 'string' && v.password !== v.confirm_password) {
    ctx.addIssue({ code: 'custom', path: ['confirm_password'], message: 'validation.passwords_differ' });
  }
}

export const accountCreateForm = z
  .object({
    username,
    displayName: optionalText(100),
    role: z.enum(ROLES, { error: 'validation.invalid_choice' }),
    unitId: optionalId(),
    password: newPassword,
    confirm_password: z.string().max(PASSWORD_MAX).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    roleNeedsUnit(v, ctx);
    passwordsMatch(v, ctx);
  });

export const accountEditForm = z
  .object({
    displayName: optionalText(100),
    role: z.enum(ROLES, { error: 'validation.invalid_choice' }),
    unitId: optionalId(),
  })
  .strict()
  .superRefine(roleNeedsUnit);

export const passwordResetForm = z
  .object({ password: newPassword, confirm_password: z.string().max(PASSWORD_MAX).optional() })
  .strict()
  .superRefine(passwordsMatch);

/** Disable / enable buttons post nothing but the CSRF token. */
export const emptyForm = z.object({}).strict();

export const pageQuery = z.coerce.number().int().min(1).catch(1);

export const unitListQuery = z.object({
  kind: z.enum(UNIT_KINDS).or(z.literal('')).optional(),
  q: z.string().trim().max(100).optional(),
  page: pageQuery.optional(),
});

export const auditQuery = z.object({
  before: z.preprocess((v) => (v === '' ? undefined : v), id().optional()),
  entity: z
    .string()
    .trim()
    .max(40)
    .regex(/^[a-z_]*$/)
    .optional(),
});

/** Which success notice a redirect asked for; anything else shows none. */
export const noticeQuery = z.object({ saved: z.string().max(20).optional().catch(undefined) });
