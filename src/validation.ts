// Shared zod building blocks for forms and query strings, and the translation of zod
// issues into per-field messages in the page's language.
import { z } from 'zod';
import type { Translate } from './i18n/index.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

// In zod 4 a schema-level `error` applies to every check without its own message, so
// "required" is given only when the field is missing altogether.
const requiredString = () => z.string({ error: (issue) => (issue.input === undefined ? 'validation.required' : undefined) });

export function isValidDay(value: string): boolean {
  if (!DAY.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d && y >= 1900 && y <= 2200;
}

/** Required single-line or multi-line text, trimmed. */
export const requiredText = (max: number) =>
  requiredString().trim().min(1, 'validation.required').max(max);

/** Optional text: a missing field or an empty one becomes ''. */
export const optionalText = (max: number) => z.string().trim().max(max).optional().default('');

/** A calendar day, YYYY-MM-DD (what <input type="date"> sends). */
export const day = () =>
  requiredString().trim().min(1, 'validation.required').refine(isValidDay, 'validation.invalid_date');

export const optionalDay = () =>
  z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || isValidDay(v), 'validation.invalid_date');

/** A positive integer id from a form or query string. */
export const id = () => z.coerce.number({ error: 'validation.invalid_choice' }).int('validation.invalid_choice').positive('validation.invalid_choice').max(2 ** 31);

/** An optional id: '' (an unselected <select>) becomes undefined. */
export const optionalId = () =>
  z.preprocess((v) => (v === '' || v === undefined || v === null ? undefined : v), id().optional());

export const percent = () =>
  z.coerce
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'validation.invalid_number' : undefined) })
    .int('validation.invalid_number')
    .min(0)
    .max(100);

/** A checkbox: present ('on', '1', 'true') or absent. */
export const checkbox = () =>
  z.preprocess((v) => v === 'on' || v === '1' || v === 'true' || v === true, z.boolean()).optional().default(false);

/** Zero or more ids from repeated form fields (a multi-select or checkboxes). */
export const idList = () =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v.filter((x) => x !== '') : [v]), z.array(id()).max(200));

export const slug = () =>
  requiredString().trim().min(1, 'validation.required').max(80).regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'validation.slug');

export interface FieldError {
  key: string;
  params?: Record<string, string | number>;
}
export type FieldErrors = Record<string, FieldError>;

/** Turns zod issues into one message per field (the first issue wins). */
export function fieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      out._form ??= { key: 'validation.unknown_field', params: { fields: issue.keys.join(', ') } };
      continue;
    }
    const field = issue.path.length ? String(issue.path[0]) : '_form';
    if (out[field]) continue;
    out[field] = issueMessage(issue);
  }
  return out;
}

function issueMessage(issue: z.core.$ZodIssue): FieldError {
  if (issue.message && issue.message.startsWith('validation.')) return { key: issue.message };
  switch (issue.code) {
    case 'too_big':
      return issue.origin === 'string'
        ? { key: 'validation.too_long', params: { max: Number(issue.maximum) } }
        : { key: 'validation.number_range', params: { min: 0, max: Number(issue.maximum) } };
    case 'too_small':
      return issue.origin === 'string'
        ? Number(issue.minimum) <= 1
          ? { key: 'validation.required' }
          : { key: 'validation.too_short', params: { min: Number(issue.minimum) } }
        : { key: 'validation.number_range', params: { min: Number(issue.minimum), max: 100 } };
    case 'invalid_value':
      return { key: 'validation.invalid_choice' };
    case 'invalid_type':
      return issue.input === undefined ? { key: 'validation.required' } : { key: 'validation.invalid' };
    default:
      return { key: 'validation.invalid' };
  }
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FieldErrors };

export function parseForm<S extends z.ZodType>(schema: S, body: unknown): FormResult<z.output<S>> {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error) };
}

/** For templates: the translated message for a field, or ''. */
export function errorText(errors: FieldErrors | undefined, field: string, t: Translate): string {
  const e = errors?.[field];
  return e ? t(e.key, e.params) : '';
}

/** Keeps only string values of a submitted form so it can be shown again as typed. */
export function formValues(body: unknown): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  if (body && typeof body === 'object') {
    for (const [k, v] of Object.entries(body)) {
      if (k === '_csrf' || k === 'password' || k.endsWith('password') || k.startsWith('new_password')) continue;
      if (typeof v === 'string') out[k] = v;
      else if (Array.isArray(v)) out[k] = v.filter((x) => typeof x === 'string');
    }
  }
  return out;
}
