// Every input of the demands feature: the public report form, the staff entry form, triage
// and claiming actions, and the query strings of the board and the lists.
import { z } from 'zod';
import { DEMAND_CHANNELS, DEMAND_STATUSES, STAFF_CHANNELS } from '../../db/schema.ts';
import { checkbox, id, idList, optionalId, optionalText, requiredText, isValidDay } from '../validation.ts';
import { createDraftForm } from '../pledges/schemas.ts';
import { optionalParam, pageNumber, single } from '../pledges/list-schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { guardFields } from '../abuse/form-guard.ts';
import type { Translate } from '../i18n/index.ts';

export const TEXT_MAX = 2000;
export const TEXT_MIN = 5;
export const ADDRESS_MAX = 200;
export const NAME_MAX = 50;
export const CONTACT_MAX = 100;
export const SOURCE_MAX = 200;
export const REASON_MAX = 1000;

/**
 * The reports ticked in a list (checkboxes named ids[], the form-array convention validators
 * accept for repeated names): at least one.
 */
const selected = () => idList().refine((ids) => ids.length > 0, 'demands.error.none_selected');

/** The reports a form carries along in one hidden field, as 12,34,56. */
export const idsField = () =>
  z.preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), idList()).refine((ids) => ids.length > 0, 'demands.error.none_selected');

const text = () => requiredText(TEXT_MAX).min(TEXT_MIN, 'validation.too_short');

/** The public report form. `website` is the honeypot; `started` the signed time the form was served. */
export const reportForm = z
  .object({
    categoryId: id(),
    districtUnitId: id(),
    text: text(),
    address: requiredText(ADDRESS_MAX),
    name: optionalText(NAME_MAX),
    contact: optionalText(CONTACT_MAX),
    ...guardFields,
  })
  .strict();
export type ReportForm = z.output<typeof reportForm>;

/** datetime-local sends YYYY-MM-DDTHH:MM; a bare day is accepted too. */
const reportedAtField = () =>
  z
    .string({ error: 'validation.required' })
    .trim()
    .min(1, 'validation.required')
    .refine((v) => /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?$/.test(v) && isValidDay(v.slice(0, 10)), 'validation.invalid_date');

/** Staff record what came in through a survey, a reception day, a diary, a letter. */
export const staffForm = z
  .object({
    channel: z.enum(STAFF_CHANNELS, { error: 'validation.invalid_choice' }),
    source: requiredText(SOURCE_MAX),
    reportedAt: reportedAtField(),
    categoryId: id(),
    districtUnitId: optionalId(),
    text: text(),
    address: optionalText(ADDRESS_MAX),
    reporterName: optionalText(NAME_MAX),
    reporterPhone: optionalText(CONTACT_MAX),
    reporterContact: optionalText(CONTACT_MAX),
  })
  .strict();
export type StaffForm = z.output<typeof staffForm>;

/**
 * The claim list's one form: the ticked reports and three buttons (claim into an existing
 * pledge, start a new pledge, decline), so each endpoint receives every field of the form.
 */
export const claimActionForm = z.object({ 'ids[]': selected(), pledgeId: optionalId(), reason: optionalText(REASON_MAX) }).strict();
export const claimNewForm = z.object({ ...createDraftForm.shape, demandIds: idsField() }).strict();

export const TRIAGE_ACTIONS = ['merge', 'suggest', 'decline'] as const;
/** The triage list's bulk form: one action on the selected reports. */
export const bulkForm = z
  .object({
    'ids[]': selected(),
    action: z.enum(TRIAGE_ACTIONS, { error: 'validation.invalid_choice' }),
    target: optionalText(40),
    unitId: optionalId(),
    reason: optionalText(REASON_MAX),
    back: optionalText(1000),
  })
  .strict();

export const mergeForm = z.object({ target: requiredText(40) }).strict();
export const suggestForm = z.object({ unitId: optionalId() }).strict();
export const officeDeclineForm = z.object({ reason: requiredText(REASON_MAX) }).strict();
export const classifyForm = z.object({ categoryId: optionalId(), districtUnitId: optionalId() }).strict();
export const hideForm = z.object({ hidden: checkbox() }).strict();
export const emptyForm = z.object({}).strict();

const slugish = () => z.string().max(80);
const q = () => z.preprocess(single, z.string().optional()).transform((v) => (v ? v.slice(0, 100) : undefined));
const dayParam = () => optionalParam(z.string().refine(isValidDay));

/** The public board. Duplicates are not listed (they are counted in the report they were merged into). */
export const BOARD_STATUSES = DEMAND_STATUSES.filter((s) => s !== 'duplicate');
export const boardQuery = z.object({
  channel: optionalParam(z.enum(DEMAND_CHANNELS)),
  category: optionalParam(slugish()),
  district: optionalParam(slugish()),
  status: optionalParam(z.enum(BOARD_STATUSES as [string, ...string[]])),
  pledge: optionalParam(id()),
  q: q(),
  page: pageNumber(),
});

export const triageQuery = z.object({
  channel: optionalParam(z.enum(DEMAND_CHANNELS)),
  category: optionalParam(id()),
  district: optionalParam(id()),
  status: optionalParam(z.enum(DEMAND_STATUSES)),
  suggested: optionalParam(id()),
  from: dayParam(),
  to: dayParam(),
  q: q(),
  ref: optionalParam(z.string().max(80)),
  batch: optionalParam(id()),
  page: pageNumber(),
});

export const CLAIM_SCOPES = ['relevant', 'all', 'claimed'] as const;
export const claimListQuery = z.object({
  scope: z.preprocess(single, z.enum(CLAIM_SCOPES).optional().default('relevant')),
  category: optionalParam(id()),
  district: optionalParam(id()),
  q: q(),
  page: pageNumber(),
});

export const claimNewQuery = z.object({ ids: idList() }).loose();

/** A query string that fails its schema: a 400 naming the parameter in the page's language. */
export function parseListQuery<S extends z.ZodType>(schema: S, query: unknown, t: Translate): z.output<S> {
  const source = (query && typeof query === 'object' ? query : {}) as Record<string, unknown>;
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const param = String(parsed.error.issues[0]?.path[0] ?? '');
  const raw = single(source[param]);
  throw new HttpError(400, t('demands.bad_param', { param, value: typeof raw === 'string' ? raw.slice(0, 80) : '' }));
}
