// Turning an uploaded sheet into a preview: each row checked on its own (with the reasons it
// cannot be applied) by the same form schema and checks as a hand-typed progress update.
import type { SessionUser } from '../auth/repository.ts';
import type { Translate } from '../i18n/index.ts';
import type { PublishedStatus } from '../../db/schema.ts';
import { todayIn } from '../pledges/status.ts';
import { progressForm, checkProgress } from '../progress/schemas.ts';
import { errorText, fieldErrors, type FieldErrors } from '../validation.ts';
import { statusFromSheet, type RawRow } from './sheet.ts';
import type { BulkRepository, PlannedUpdate } from './repository.ts';

type Current = Awaited<ReturnType<BulkRepository['current']>> extends Map<number, infer V> ? V : never;

export type Outcome = 'update' | 'unchanged' | 'error';

export interface PreviewRow {
  row: number;
  pledgeId: number | null;
  title: string;
  unitName: string;
  before: { status: string; progress: number } | null;
  after: { status: string; progress: number } | null;
  happenedOn: string;
  body: string;
  reason: string;
  outcome: Outcome;
  problems: string[];
  update?: PlannedUpdate;
}

export interface Plan {
  rows: PreviewRow[];
  updates: number;
  unchanged: number;
  errors: number;
}

// C0 controls except tab, line feed and carriage return: nobody types them into a sheet.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
const FIELD_LABELS: Record<string, string> = { happenedOn: 'happened_on', body: 'body', progress: 'progress', status: 'status', reason: 'reason' };

function positiveInt(text: string | undefined): number | undefined {
  return text && /^[0-9]{1,10}$/.test(text) && Number(text) >= 1 && Number(text) <= 2 ** 31 - 1 ? Number(text) : undefined;
}

export function buildPlan(rows: RawRow[], ctx: { user: SessionUser; current: Map<number, Current>; t: Translate; now?: Date }): Plan {
  const { user, current, t } = ctx;
  const firstRowOf = new Map<number, number>();
  const out: PreviewRow[] = rows.map((raw) => {
    const problems: string[] = [];
    const row: PreviewRow = {
      row: raw.row,
      pledgeId: null,
      title: '',
      unitName: '',
      before: null,
      after: null,
      happenedOn: raw.happened_on ?? '',
      body: raw.body ?? '',
      reason: raw.reason ?? '',
      outcome: 'error',
      problems,
    };
    const fail = (key: string, params?: Record<string, string | number>) => {
      problems.push(t(key, params));
      return row;
    };
    if (raw.spill) problems.push(t('bulk.error.extra_cells'));

    const id = positiveInt(raw.id);
    if (id === undefined) return fail('bulk.error.bad_id', { value: (raw.id ?? '').slice(0, 20) });
    row.pledgeId = id;
    const first = firstRowOf.get(id);
    if (first !== undefined) return fail('bulk.error.duplicate', { row: first });
    firstRowOf.set(id, raw.row);

    const p = current.get(id);
    if (!p) return fail('bulk.error.unknown_pledge', { id });
    const mine = user.role === 'admin' || (user.unitId !== null && p.leadUnitId === user.unitId);
    // Another unit's draft is nobody's business here: not even its title is shown.
    if (p.status !== 'draft' || mine) {
      row.title = p.title;
      row.unitName = p.leadUnitName;
    }
    if (!mine) return fail('bulk.error.other_unit');
    if (p.status === 'draft') return fail('bulk.error.draft');
    row.before = { status: p.status, progress: p.progress };

    const revision = positiveInt(raw.version);
    if (revision === undefined) return fail('bulk.error.bad_version', { value: (raw.version ?? '').slice(0, 20) });
    if (revision !== Number(p.revision)) return fail('bulk.error.stale', { sheet: revision, current: Number(p.revision) });

    let status: string = p.status;
    if (raw.status) {
      const found = statusFromSheet(raw.status);
      if (!found) return fail('bulk.error.bad_status', { value: raw.status.slice(0, 20) });
      status = found;
    }
    const progressText = raw.progress ?? '';
    const statusChanged = status !== p.status;
    const progressChanged = progressText !== '' && progressText !== String(p.progress);
    const touched = statusChanged || progressChanged || !!row.body || !!row.reason || !!row.happenedOn;
    if (!touched) {
      if (problems.length) return row;
      row.outcome = 'unchanged';
      row.after = row.before;
      return row;
    }

    const today = todayIn(p.timeZone, ctx.now);
    const form = {
      happenedOn: row.happenedOn || today,
      body: row.body,
      progress: progressChanged ? progressText : '',
      status: statusChanged ? status : '',
      reason: row.reason,
    };
    const parsed = progressForm.safeParse(form);
    const errors: FieldErrors = parsed.success ? checkProgress(parsed.data, { today, currentStatus: p.status }) : fieldErrors(parsed.error);
    for (const field of Object.keys(errors)) {
      problems.push(t('bulk.error.field', { column: t(`bulk.col.${FIELD_LABELS[field] ?? field}`), message: errorText(errors, field, t) }));
    }
    if (CONTROL.test(row.body) || CONTROL.test(row.reason)) problems.push(t('bulk.error.bad_characters'));
    if (problems.length || !parsed.success) return row;

    const data = parsed.data;
    const newStatus = (data.status ?? p.status) as PublishedStatus;
    row.happenedOn = data.happenedOn;
    row.after = { status: newStatus, progress: newStatus === 'completed' ? 100 : (data.progress ?? p.progress) };
    row.outcome = 'update';
    row.update = {
      row: raw.row,
      pledgeId: id,
      revision,
      unitId: user.role === 'admin' ? p.leadUnitId : user.unitId!,
      happenedOn: data.happenedOn,
      body: data.body,
      progress: data.progress,
      status: data.status,
      reason: data.reason,
    };
    return row;
  });
  return {
    rows: out,
    updates: out.filter((r) => r.outcome === 'update').length,
    unchanged: out.filter((r) => r.outcome === 'unchanged').length,
    errors: out.filter((r) => r.outcome === 'error').length,
  };
}
