// The press desk's inputs: the builder's selection (the public list's filters — the same schema —
// plus a ready-made set and the outlet) and the publish form.
import { z } from 'zod';
import { optionalParam, pledgeListQuery } from '../pledges/list-schema.ts';
import { id, day, optionalText, requiredText, optionalId } from '../validation.ts';

export const READY_SETS = ['since_published', 'since_completed', 'overdue', 'unit', 'major'] as const;
export type ReadySet = (typeof READY_SETS)[number];

/** The builder's query string (and the hidden fields of the publish form): unknown keys ignored. */
export const selectionQuery = pledgeListQuery.omit({ page: true, sort: true }).extend({
  outlet: optionalParam(id()),
  set: optionalParam(z.enum(READY_SETS)),
});
export type SelectionQuery = z.output<typeof selectionQuery>;
export const SELECTION_KEYS = ['campaign', 'outlet', 'set', 'unit', 'category', 'district', 'tier', 'status', 'q'] as const;

const optionalInt = (min: number, max: number) =>
  z.preprocess(
    (v) => (v === '' || v === undefined ? undefined : v),
    z.coerce.number({ error: 'validation.invalid_number' }).int('validation.invalid_number').min(min).max(max).optional(),
  );

/** What the desk types on the preview page before publishing. */
export const publishFields = z.object({
  noticeNo: requiredText(40),
  edition: optionalText(40),
  // The caption cards' ZIP can only date its entries 1980–2099; a notice outside this century is a typo.
  publishedOn: day().refine((d) => d >= '2000-01-01' && d <= '2099-12-31', 'validation.invalid_date'),
  title: optionalText(200),
  corrects: optionalId(),
  columns: z.preprocess((v) => (v === '' || v === undefined ? '3' : v), z.enum(['2', '3', '4'])).transform(Number),
  crawlWidth: optionalInt(20, 200),
  radioMinutes: optionalInt(1, 120),
  /** The preview's rows, hashed: what is published must be what was previewed. */
  fingerprint: z.string().regex(/^[0-9a-f]{32}$/),
});
export type PublishFields = z.output<typeof publishFields>;

/** The whole publish body: the selection as hidden fields plus the form. Strict: nothing else gets in. */
export const publishBody = z
  .object({
    campaign: z.string().max(20).optional(),
    outlet: z.string().max(20).optional(),
    set: z.string().max(40).optional(),
    unit: z.string().max(80).optional(),
    category: z.string().max(80).optional(),
    district: z.string().max(80).optional(),
    tier: z.string().max(20).optional(),
    status: z.string().max(20).optional(),
    q: z.string().max(200).optional(),
  })
  .extend(publishFields.shape)
  .strict();

/** The name the adversarial property test knows the builder's query by. */
export const pressQuery = selectionQuery;
