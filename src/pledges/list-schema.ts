// The public pledge list's query string. Shared links carry tracking parameters, so unknown
// keys are dropped; a known key with a value we cannot use is either clamped (page) or
// reported (everything else), never passed on to SQL as is.
import { z } from 'zod';
import { PLEDGE_TIERS, PUBLISHED_STATUSES } from '../../db/schema.ts';
import { id } from '../validation.ts';
import { HttpError } from '../plugins/errors.ts';
import type { Translate } from '../i18n/index.ts';

export const PAGE_SIZE = 25;

/** Statuses a visitor can filter by: the published ones plus the derived "overdue". */
export const LIST_STATUSES = [...PUBLISHED_STATUSES, 'overdue'] as const;
export type ListStatus = (typeof LIST_STATUSES)[number];

export const LIST_SORTS = ['due_asc', 'due_desc', 'updated', 'progress_desc', 'progress_asc', 'title'] as const;
export type ListSort = (typeof LIST_SORTS)[number];

/** A repeated key (?status=a&status=b) counts by its first value; blank means "not given". */
export function single(value: unknown): unknown {
  const v = Array.isArray(value) ? value[0] : value;
  if (typeof v !== 'string') return v;
  const trimmed = v.trim();
  return trimmed === '' ? undefined : trimmed;
}

export const optionalParam = <T extends z.ZodType>(schema: T) => z.preprocess(single, schema.optional());
const optional = optionalParam;

/** Any page number we cannot use becomes 1; a page past the end is clamped by the caller once the count is known. */
export const pageNumber = () =>
  z.preprocess((value) => {
    const n = Number(single(value));
    return Number.isFinite(n) && n >= 1 ? Math.min(Math.floor(n), 1_000_000_000) : 1;
  }, z.number().int().min(1));

const slugish = () => z.string().max(80);

/**
 * ?unit= is a unit's slug, or, where the list offers a text box instead of a select (a city with
 * hundreds of lead units), what the visitor typed: a name or part of one. The box's maxlength.
 */
export const UNIT_PARAM_MAX = 80;

export const pledgeListQuery = z.object({
  campaign: optional(id()),
  unit: optional(z.string().max(UNIT_PARAM_MAX)),
  category: optional(slugish()),
  district: optional(slugish()),
  tier: optional(z.enum(PLEDGE_TIERS)),
  status: optional(z.enum(LIST_STATUSES)),
  // Long pastes are cut rather than refused: the search still means what the visitor typed first.
  q: z.preprocess(single, z.string().optional()).transform((v) => (v ? v.slice(0, 100) : undefined)),
  sort: z.preprocess(single, z.enum(LIST_SORTS).optional().default('due_asc')),
  page: pageNumber(),
});
export type PledgeListQuery = z.output<typeof pledgeListQuery>;

export type QueryParseResult<T> = { ok: true; data: T } | { ok: false; param: string; value: string };

/** Parses a query string; on failure names the first parameter at fault and what was sent. */
export function parseQuery<S extends z.ZodType>(schema: S, query: unknown): QueryParseResult<z.output<S>> {
  const source = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const parsed = schema.safeParse(source);
  if (parsed.success) return { ok: true, data: parsed.data };
  const param = String(parsed.error.issues[0]?.path[0] ?? '');
  const raw = single(source[param]);
  return { ok: false, param, value: typeof raw === 'string' ? raw.slice(0, 80) : '' };
}

/** The 400 for a query parameter we cannot use, naming it and its value in the page's language. */
export function badParam(t: Translate, param: string, value: string): HttpError {
  return new HttpError(400, t('pledges.bad_param', { param: t(`pledges.param.${param}`), value }));
}

/** The 400 for a slug or id that names nothing (a unit, category, district or campaign). */
export function unknownValue(t: Translate, param: string, value: string | number): HttpError {
  return new HttpError(400, t('pledges.unknown_value', { param: t(`pledges.param.${param}`), value: String(value).slice(0, 80) }));
}
