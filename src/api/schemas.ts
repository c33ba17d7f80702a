// The read API's shapes. Query schemas validate what clients send (strict: an unknown key is a
// 400); response schemas are applied to every answer before it leaves, so the JSON holds exactly
// the documented fields and nothing internal can slip out. /api/openapi.json is generated from both.
import { z } from 'zod';
import { PLEDGE_TIERS, PUBLISHED_STATUSES, UNIT_KINDS } from '../../db/schema.ts';
import { LIST_SORTS, LIST_STATUSES } from '../pledges/list-schema.ts';
import { UNIT_SORTS } from '../stats/repository.ts';

export const MAX_LIMIT = 500;
export const DEFAULT_LIMIT = 50;
const MAX_PAGE = 1_000_000;

// ---- building blocks -------------------------------------------------------------------

const day = () => z.string().meta({ format: 'date', description: 'A calendar day, YYYY-MM-DD, in the campaign’s time zone' });
const instant = () => z.string().meta({ format: 'date-time', description: 'An instant, ISO 8601 UTC' });
const url = () => z.string().meta({ format: 'uri' });

const idParam = (description: string) => z.coerce.number().int().positive().max(2 ** 31 - 1).meta({ description });
const slugParam = (description: string) =>
  z
    .string()
    .max(80)
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
    .meta({ description });
const page = () => z.coerce.number().int().min(1).max(MAX_PAGE).default(1).meta({ description: 'Page number, from 1' });
const limit = () =>
  z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_LIMIT)
    .default(DEFAULT_LIMIT)
    .meta({ description: `Rows per page, 1–${MAX_LIMIT}` });

export const unitRef = z.object({ id: z.number().int(), slug: z.string(), name: z.string() });
const namedRef = z.object({ slug: z.string(), name: z.string() });
export const categoryRef = z.object({ slug: z.string(), nameZh: z.string(), nameEn: z.string() });

export const figures = z
  .object({
    pledges: z.number().int().meta({ description: 'Published pledges' }),
    completed: z.number().int(),
    open: z.number().int().meta({ description: 'Neither completed, cancelled nor overdue' }),
    overdue: z.number().int().meta({ description: 'Past the due date and neither completed nor cancelled' }),
    cancelled: z.number().int(),
    completedOnTime: z.number().int(),
    dueOrCompleted: z.number().int().meta({ description: 'Completed, or past the due date and not cancelled: the on-time rate’s denominator' }),
    onTimeRate: z.number().min(0).max(1).nullable().meta({ description: 'completedOnTime ÷ dueOrCompleted; null when nothing is due yet' }),
  });

const pageInfo = z.object({
  total: z.number().int(),
  page: z.number().int(),
  pages: z.number().int(),
  limit: z.number().int(),
  next: url().nullable().meta({ description: 'The next page, or null on the last one' }),
  prev: url().nullable(),
});

export const errorBody = z
  .object({
    error: z.object({
      code: z.string().meta({ description: 'The HTTP status as a string, e.g. "400"' }),
      message: z.string().meta({ description: 'What went wrong, in the language the request asked for' }),
    }),
  });

// ---- campaigns ---------------------------------------------------------------------------

export const campaign = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  description: z.string(),
  issuingOffice: z.string(),
  startsOn: day(),
  endsOn: day(),
  timeZone: z.string().meta({ description: 'IANA zone the campaign’s days are counted in' }),
  figures,
  url: url().meta({ description: 'The campaign’s pledges on the public site' }),
});
export const campaignList = z.object({ data: z.array(campaign) });

export const campaignDetail = z.object({
  data: campaign.extend({
    byCategory: z.array(categoryRef.extend({ figures: figures })),
    byDistrict: z.array(namedRef.extend({ figures: figures })),
  }),
});
export const campaignParams = z.object({ id: idParam('Campaign id') }).strict();

// ---- units ---------------------------------------------------------------------------------

export const unitListQuery = z
  .object({
    kind: z.enum(UNIT_KINDS).optional(),
    sort: z.enum(UNIT_SORTS).default('name').meta({ description: 'name; pledges, overdue: most first; rate: on-time rate, highest first' }),
  })
  .strict();

export const unitRow = z.object({
  id: z.number().int(),
  slug: z.string(),
  name: z.string(),
  kind: z.enum(UNIT_KINDS),
  parent: namedRef.nullable(),
  figures,
  url: url(),
});
export const unitList = z.object({ data: z.array(unitRow) });

export const unitDetail = z.object({
  data: unitRow.extend({
    contact: z.object({ phone: z.string(), address: z.string(), email: z.string() }),
    children: z.array(namedRef.extend({ kind: z.enum(UNIT_KINDS) })),
    feed: url().meta({ description: 'Atom feed of this unit’s progress updates' }),
  }),
});
export const unitParams = z.object({ slug: slugParam('Unit slug (an old slug of a renamed unit also works)') }).strict();

// ---- categories ------------------------------------------------------------------------

export const category = categoryRef.extend({ sortOrder: z.number().int() });
export const categoryList = z.object({ data: z.array(category) });

// ---- pledges -------------------------------------------------------------------------------

export const pledgeListQuery = z
  .object({
    campaign: idParam('Campaign id').optional(),
    unit: slugParam('Lead unit slug').optional(),
    category: slugParam('Category slug').optional(),
    district: slugParam('District (a unit of kind county or district) slug').optional(),
    tier: z.enum(PLEDGE_TIERS).optional().meta({ description: 'major: city-level item; unit: a task a unit claimed' }),
    status: z.enum(LIST_STATUSES).optional().meta({ description: 'A published status, or overdue (derived from the due date)' }),
    q: z.string().max(100).optional().meta({ description: 'Search in title, commitment, standard, responsible people and unit' }),
    sort: z.enum(LIST_SORTS).default('due_asc'),
    page: page(),
    limit: limit(),
  })
  .strict();

const statusFields = {
  status: z.enum(PUBLISHED_STATUSES),
  overdue: z.boolean().meta({ description: 'Derived: past the due date in the campaign’s zone, neither completed nor cancelled' }),
  completedLate: z.boolean().meta({ description: 'Completed after the due date' }),
};

export const pledgeRow = z.object({
  id: z.number().int().meta({ description: 'Stable forever (printed in QR codes)' }),
  title: z.string(),
  tier: z.enum(PLEDGE_TIERS),
  ...statusFields,
  progress: z.number().int().min(0).max(100),
  dueOn: day(),
  completedOn: day().nullable(),
  updatedAt: instant(),
  leadUnit: unitRef,
  category: categoryRef.nullable(),
  district: namedRef.nullable(),
  url: url(),
});
export const pledgeList = z.object({ data: z.array(pledgeRow), pagination: pageInfo });

export const progressUpdate = z.object({
  id: z.number().int(),
  pledge: z.object({ id: z.number().int(), title: z.string() }),
  happenedOn: day(),
  body: z.string(),
  progress: z.number().int().min(0).max(100).nullable().meta({ description: 'The progress this update set; null: unchanged' }),
  status: z.enum(PUBLISHED_STATUSES).nullable().meta({ description: 'The status this update set; null: unchanged' }),
  reason: z.string(),
  createdAt: instant(),
  unit: unitRef.meta({ description: 'The unit that posted it: the lead unit or a co-unit' }),
});

export const pledgeDetail = z.object({
  data: pledgeRow.extend({
    statusReason: z.string().meta({ description: 'Why the pledge is delayed or cancelled; empty otherwise' }),
    commitment: z.string(),
    standard: z.string(),
    leadOfficial: z.string(),
    responsiblePerson: z.string(),
    startOn: day(),
    publishedAt: instant().nullable(),
    campaign: z.object({ id: z.number().int(), name: z.string() }),
    coUnits: z.array(namedRef),
    parent: z.object({ id: z.number().int(), title: z.string() }).nullable(),
    subTasks: z.array(pledgeRow),
    updates: z.array(progressUpdate.omit({ pledge: true }).extend({ unit: namedRef })).meta({ description: 'The timeline, latest first' }),
    deadlineChanges: z.array(z.object({ oldDueOn: day(), newDueOn: day(), reason: z.string(), createdAt: instant() })),
    amendments: z.array(
      z.object({ field: z.enum(['title', 'commitment', 'standard']), oldValue: z.string(), newValue: z.string(), reason: z.string(), createdAt: instant() }),
    ),
    feed: url(),
  }),
});
export const pledgeParams = z.object({ id: idParam('Pledge id') }).strict();

// ---- progress updates --------------------------------------------------------------------

export const updateListQuery = z
  .object({
    campaign: idParam('Campaign id').optional(),
    unit: slugParam('Unit slug: updates on pledges it leads and updates it posted as a co-unit').optional(),
    pledge: idParam('Pledge id').optional(),
    category: slugParam('Category slug').optional(),
    page: page(),
    limit: limit(),
  })
  .strict();
export const updateList = z.object({ data: z.array(progressUpdate), pagination: pageInfo });
