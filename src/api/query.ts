// Query strings of the JSON API are strict, unlike the HTML pages': a key we do not know, a key
// given twice or a value we cannot use is a 400 that says which parameter and what it accepts.
// A blank value counts as not given (URL builders leave empty keys behind).
import type { z } from 'zod';
import type { Translate } from '../i18n/index.ts';
import { HttpError } from '../plugins/errors.ts';
import { jsonSchema } from './openapi.ts';

type Json = Record<string, any>;

/** What a parameter accepts, in words, from its JSON Schema. */
export function expectedText(js: Json, t: Translate): string {
  if (Array.isArray(js.enum)) return t('api.expect.enum', { values: js.enum.join(', ') });
  if (js.type === 'integer' || js.type === 'number') {
    const min = js.minimum ?? (js.exclusiveMinimum !== undefined ? js.exclusiveMinimum + 1 : undefined);
    const max = js.maximum ?? (js.exclusiveMaximum !== undefined ? js.exclusiveMaximum - 1 : undefined);
    if (min !== undefined && max !== undefined && max < Number.MAX_SAFE_INTEGER) return t('api.expect.integer_range', { min, max });
    if (min !== undefined) return t('api.expect.integer_min', { min });
    return t('api.expect.integer');
  }
  if (js.type === 'string') {
    if (js.format === 'date') return t('api.expect.date');
    if (typeof js.pattern === 'string' && js.pattern.includes('a-z0-9')) return t('api.expect.slug', { max: js.maxLength ?? 80 });
    if (js.maxLength !== undefined) return t('api.expect.text', { max: js.maxLength });
    return t('api.expect.string');
  }
  if (js.type === 'boolean') return t('api.expect.boolean');
  return t('api.expect.any');
}

export function parseApiQuery<S extends z.ZodObject>(schema: S, raw: unknown, t: Translate): { data: z.output<S>; given: Record<string, string> } {
  const source = (raw && typeof raw === 'object' ? raw : {}) as Record<string, unknown>;
  const known = Object.keys(schema.shape);
  const unknown = Object.keys(source).filter((k) => !known.includes(k));
  if (unknown.length) {
    throw new HttpError(400, t('api.error.unknown_param', { params: unknown.map((k) => k.slice(0, 40)).join(', '), known: known.join(', ') || t('api.none') }));
  }
  const given: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (Array.isArray(v)) throw new HttpError(400, t('api.error.repeated_param', { param: k }));
    if (typeof v === 'string' && v.trim() !== '') given[k] = v.trim();
  }
  const parsed = schema.safeParse(given);
  if (parsed.success) return { data: parsed.data, given };
  const param = String(parsed.error.issues[0]?.path[0] ?? '');
  const prop = jsonSchema(schema, 'input').properties?.[param] ?? {};
  throw new HttpError(400, t('api.error.bad_param', { param, value: (given[param] ?? '').slice(0, 80), expected: expectedText(prop, t) }));
}
