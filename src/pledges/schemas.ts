// Forms of the unit workspace for pledges. The shape checks live in zod; checks that compare
// fields with each other or with the saved pledge are the functions below, so a form shows
// every problem at once, each beside its field.
import { z } from 'zod';
import { PLEDGE_TIERS } from '../../db/schema.ts';
import { requiredText, optionalText, day, id, optionalId, idList, isValidDay, type FieldErrors } from '../validation.ts';

export const TITLE_MAX = 200;
export const TEXT_MAX = 4000;
export const NAME_MAX = 100;
export const REASON_MAX = 1000;
/** A due date further than this from the start is almost certainly a typing mistake. */
export const MAX_PLEDGE_YEARS = 5;

const version = () => z.coerce.number({ error: 'validation.invalid' }).int().positive().max(2 ** 31);

const draftFields = {
  campaignId: id(),
  /** Only the office admin chooses the lead unit; an editor's pledges are always their unit's. */
  leadUnitId: optionalId(),
  /** Only the office admin may make a pledge a city-level major item. */
  tier: z.enum(PLEDGE_TIERS, { error: 'validation.invalid_choice' }).optional(),
  title: requiredText(TITLE_MAX),
  commitment: requiredText(TEXT_MAX),
  standard: requiredText(TEXT_MAX),
  leadOfficial: requiredText(NAME_MAX),
  responsiblePerson: requiredText(NAME_MAX),
  categoryId: id(),
  districtUnitId: optionalId(),
  startOn: day(),
  dueOn: day(),
  parentId: optionalId(),
  coUnitIds: idList(),
};

export const createDraftForm = z.object(draftFields).strict();
export const updateDraftForm = z.object({ ...draftFields, version: version() }).strict();
export type DraftForm = z.output<typeof createDraftForm>;

/** The pledge fields a draft form carries, as the repository takes them (lead unit and tier are decided by the caller's rights). */
export function draftFieldsOf(form: Omit<DraftForm, 'leadUnitId' | 'tier'>) {
  return {
    campaignId: form.campaignId,
    title: form.title,
    commitment: form.commitment,
    standard: form.standard,
    leadOfficial: form.leadOfficial,
    responsiblePerson: form.responsiblePerson,
    categoryId: form.categoryId,
    districtUnitId: form.districtUnitId ?? null,
    startOn: form.startOn,
    dueOn: form.dueOn,
    parentId: form.parentId ?? null,
    coUnitIds: form.coUnitIds,
  };
}

/** A published pledge: wording and due date change only with a reason; the rest freely. */
export const publishedForm = z
  .object({
    version: version(),
    title: requiredText(TITLE_MAX),
    commitment: requiredText(TEXT_MAX),
    standard: requiredText(TEXT_MAX),
    amendmentReason: optionalText(REASON_MAX),
    dueOn: day(),
    deadlineReason: optionalText(REASON_MAX),
    leadOfficial: requiredText(NAME_MAX),
    responsiblePerson: requiredText(NAME_MAX),
    categoryId: id(),
    districtUnitId: optionalId(),
    coUnitIds: idList(),
  })
  .strict();
export type PublishedForm = z.output<typeof publishedForm>;

export const publishForm = z.object({ version: version() }).strict();

export function addYears(dayText: string, years: number): string {
  const [y, m, d] = dayText.split('-').map(Number);
  const date = new Date(Date.UTC(y + years, m - 1, d));
  return date.toISOString().slice(0, 10);
}

/** Due date on or after the start, and not absurdly far from it. */
export function checkDates(startOn: string, dueOn: string, field = 'dueOn'): FieldErrors {
  if (dueOn < startOn) return { [field]: { key: 'manage.error.due_before_start' } };
  if (dueOn > addYears(startOn, MAX_PLEDGE_YEARS)) return { [field]: { key: 'manage.error.due_too_far', params: { years: MAX_PLEDGE_YEARS } } };
  return {};
}

/**
 * The date check for a form that failed elsewhere, so one submission shows every problem:
 * adds it only when both dates are themselves valid.
 */
export function withDateCheck(errors: FieldErrors, body: unknown): FieldErrors {
  const b = (body ?? {}) as Record<string, unknown>;
  const start = typeof b.startOn === 'string' ? b.startOn.trim() : '';
  const due = typeof b.dueOn === 'string' ? b.dueOn.trim() : '';
  if (errors.startOn || errors.dueOn || !isValidDay(start) || !isValidDay(due)) return errors;
  return { ...errors, ...checkDates(start, due) };
}

export const AMENDABLE_FIELDS = ['title', 'commitment', 'standard'] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];

/** Which wording fields the form changes, against the saved pledge. */
export function changedWording(saved: Record<AmendableField, string>, form: Record<AmendableField, string>): AmendableField[] {
  return AMENDABLE_FIELDS.filter((f) => saved[f] !== form[f]);
}

/** The reasons a published pledge's edit needs, given what it changes. */
export function checkPublishedEdit(saved: { title: string; commitment: string; standard: string; startOn: string; dueOn: string }, form: PublishedForm): FieldErrors {
  const errors: FieldErrors = {};
  if (changedWording(saved, form).length && !form.amendmentReason) errors.amendmentReason = { key: 'manage.error.amendment_reason_required' };
  if (form.dueOn !== saved.dueOn) {
    Object.assign(errors, checkDates(saved.startOn, form.dueOn));
    if (!form.deadlineReason) errors.deadlineReason = { key: 'manage.error.deadline_reason_required' };
  }
  return errors;
}
