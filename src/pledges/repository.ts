// The write side of pledges (the unit workspace's reads are in workspace-queries.ts and come
// along in this repository's object). Every write checks the pledge's version inside its
// transaction (optimistic concurrency), records an audit entry beside the change, and keeps the
// search index in step. Expected failures come back as results, not throws.
import { and, eq, sql } from 'drizzle-orm';
import { pledgeAmendments, pledgeCoUnits, pledges, type PledgeTier } from '../../db/schema.ts';
import type { Db, Tx } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { reindexPledge } from '../search/repository.ts';
import { AMENDABLE_FIELDS, type AmendableField } from './schemas.ts';
import { fileDeadlineRequest, moveDeadline, pendingRequestOf } from '../deadlines/repository.ts';
import { createWorkspaceQueries, snapshotOf } from './workspace-queries.ts';

export { MANAGE_FILTERS, DUE_SOON_DAYS, STALE_AFTER_DAYS, type ManageFilter } from './workspace-queries.ts';

export type Pledge = typeof pledges.$inferSelect;
/** A pledge as the audit log and the conflict message show it: the row plus its co-units. */
export type PledgeSnapshot = Pledge & { coUnitIds: number[] };

export interface DraftInput {
  campaignId: number;
  leadUnitId: number;
  tier: PledgeTier;
  title: string;
  commitment: string;
  standard: string;
  leadOfficial: string;
  responsiblePerson: string;
  categoryId: number;
  districtUnitId: number | null;
  startOn: string;
  dueOn: string;
  parentId: number | null;
  coUnitIds: number[];
}

export interface DetailsInput {
  leadOfficial: string;
  responsiblePerson: string;
  categoryId: number;
  districtUnitId: number | null;
  coUnitIds: number[];
}

export interface PublishedEditInput extends DetailsInput {
  title: string;
  commitment: string;
  standard: string;
  amendmentReason: string;
  dueOn: string;
  deadlineReason: string;
  /**
   * 'direct': the office moves the date itself (recorded with itself as approver);
   * 'request': a unit's new date becomes a pending deadline request and the date stays.
   */
  deadlineMode: 'direct' | 'request';
}

export type WriteResult =
  | { ok: true; pledge: PledgeSnapshot }
  | { ok: false; reason: 'not_found' | 'not_draft' | 'not_published' | 'deadline_pending' | 'deadline_closed' }
  | { ok: false; reason: 'conflict'; current: PledgeSnapshot };

/** Dashboard filters: stored statuses plus the derived overdue and "needs attention". */
function versionBump() {
  return { version: sql`${pledges.version} + 1`, updatedAt: new Date().toISOString() };
}


function setCoUnits(tx: Tx, pledgeId: number, unitIds: number[]): void {
  tx.delete(pledgeCoUnits).where(eq(pledgeCoUnits.pledgeId, pledgeId)).run();
  const unique = [...new Set(unitIds)];
  if (unique.length) tx.insert(pledgeCoUnits).values(unique.map((unitId) => ({ pledgeId, unitId }))).run();
}

function sameIds(a: number[], b: number[]): boolean {
  const x = [...new Set(a)].sort((m, n) => m - n);
  const y = [...new Set(b)].sort((m, n) => m - n);
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

/** Updates the row only if nobody saved it since `version` was read; undefined when someone did. */
function updateIfVersion(tx: Tx, id: number, version: number, set: Partial<typeof pledges.$inferInsert>): Pledge | undefined {
  return tx
    .update(pledges)
    .set({ ...set, ...versionBump() } as any)
    .where(and(eq(pledges.id, id), eq(pledges.version, version)))
    .returning()
    .get();
}

export function createPledgeRepository(db: Db) {
  return {
    ...createWorkspaceQueries(db),

    async createDraft(actor: Actor, input: DraftInput): Promise<{ ok: true; pledge: PledgeSnapshot }> {
      return db.transaction((tx) => {
        const { coUnitIds, ...fields } = input;
        const row = tx
          .insert(pledges)
          .values({ ...fields, status: 'draft', createdBy: actor.userId })
          .returning()
          .get();
        setCoUnits(tx, row.id, coUnitIds);
        const after = snapshotOf(tx, row.id)!;
        appendAudit(tx, actor, { action: 'pledge.create', entity: 'pledge', entityId: row.id, after });
        return { ok: true as const, pledge: after };
      });
    },

    /** A draft is edited freely (it was never public), but still only on the version the editor saw. */
    async updateDraft(actor: Actor, id: number, version: number, input: DraftInput): Promise<WriteResult> {
      return db.transaction((tx) => {
        const before = snapshotOf(tx, id);
        if (!before) return { ok: false, reason: 'not_found' } as const;
        if (before.status !== 'draft') return { ok: false, reason: 'not_draft' } as const;
        const { coUnitIds, ...fields } = input;
        const row = updateIfVersion(tx, id, version, fields);
        if (!row) return { ok: false, reason: 'conflict', current: before } as const;
        setCoUnits(tx, id, coUnitIds);
        const after = snapshotOf(tx, id)!;
        appendAudit(tx, actor, { action: 'pledge.update_draft', entity: 'pledge', entityId: id, before, after });
        return { ok: true, pledge: after } as const;
      });
    },

    async publish(actor: Actor, id: number, version: number): Promise<WriteResult> {
      return db.transaction((tx) => {
        const before = snapshotOf(tx, id);
        if (!before) return { ok: false, reason: 'not_found' } as const;
        if (before.status !== 'draft') return { ok: false, reason: 'not_draft' } as const;
        const row = updateIfVersion(tx, id, version, { status: 'pledged', publishedAt: new Date().toISOString() });
        if (!row) return { ok: false, reason: 'conflict', current: before } as const;
        reindexPledge(tx, id);
        const after = snapshotOf(tx, id)!;
        appendAudit(tx, actor, {
          action: 'pledge.publish',
          entity: 'pledge',
          entityId: id,
          before: { status: before.status, publishedAt: before.publishedAt, version: before.version },
          after: { status: after.status, publishedAt: after.publishedAt, version: after.version },
        });
        return { ok: true, pledge: after } as const;
      });
    },

    /**
     * One save of a published pledge's edit form, in one transaction with one version bump:
     * wording changes become amendments (a row per field, with the reason), a new due date a
     * deadline change (the office) or a pending deadline request (a unit: the date stays until
     * the office approves), and the remaining details are updated as they are.
     */
    async updatePublished(actor: Actor, id: number, version: number, input: PublishedEditInput): Promise<WriteResult & { changed?: string[] }> {
      return db.transaction((tx) => {
        const before = snapshotOf(tx, id);
        if (!before) return { ok: false, reason: 'not_found' } as const;
        if (before.status === 'draft') return { ok: false, reason: 'not_published' } as const;
        if (before.version !== version) return { ok: false, reason: 'conflict', current: before } as const;

        const wording = AMENDABLE_FIELDS.filter((f) => before[f] !== input[f]);
        const dateChanged = before.dueOn !== input.dueOn;
        const deadlineMoved = dateChanged && input.deadlineMode === 'direct';
        const deadlineRequested = dateChanged && input.deadlineMode === 'request';
        // Refused before anything is written, so the rest of the form is not half-saved.
        if (deadlineRequested && pendingRequestOf(tx, id)) return { ok: false, reason: 'deadline_pending' } as const;
        if (deadlineRequested && !['pledged', 'in_progress', 'delayed'].includes(before.status)) return { ok: false, reason: 'deadline_closed' } as const;
        const details: (keyof DetailsInput)[] = (['leadOfficial', 'responsiblePerson', 'categoryId', 'districtUnitId'] as const).filter(
          (f) => before[f] !== input[f],
        );
        const coUnitsChanged = !sameIds(before.coUnitIds, input.coUnitIds);
        if (coUnitsChanged) details.push('coUnitIds');
        if (!wording.length && !dateChanged && !details.length) return { ok: true, pledge: before, changed: [] } as const;
        if (deadlineRequested) fileDeadlineRequest(tx, actor, before, input.dueOn, input.deadlineReason);
        if (!wording.length && !deadlineMoved && !details.length) return { ok: true, pledge: before, changed: ['dueOnRequested'] } as const;

        const set: Partial<typeof pledges.$inferInsert> = {};
        for (const f of wording) set[f] = input[f];
        if (deadlineMoved) set.dueOn = input.dueOn;
        for (const f of details) if (f !== 'coUnitIds') (set as any)[f] = input[f];
        const row = updateIfVersion(tx, id, version, set);
        if (!row) return { ok: false, reason: 'conflict', current: before } as const;
        if (coUnitsChanged) setCoUnits(tx, id, input.coUnitIds);

        if (wording.length) amend(tx, actor, before, wording, input);
        if (deadlineMoved) moveDeadline(tx, actor, before, input.dueOn, input.deadlineReason, { requestedBy: actor.userId, approvedBy: actor.userId, bumpVersion: false });
        if (details.length) {
          const pick = (p: PledgeSnapshot) => Object.fromEntries(details.map((f) => [f, p[f]]));
          const after = snapshotOf(tx, id)!;
          appendAudit(tx, actor, { action: 'pledge.update_details', entity: 'pledge', entityId: id, before: pick(before), after: pick(after) });
        }
        reindexPledge(tx, id);
        return {
          ok: true,
          pledge: snapshotOf(tx, id)!,
          changed: [...wording, ...(deadlineMoved ? ['dueOn'] : []), ...(deadlineRequested ? ['dueOnRequested'] : []), ...details],
        } as const;
      });
    },
  };
}

/** One amendment row per changed wording field, all with the same reason. */
function amend(tx: Tx, actor: Actor, before: Pledge, fields: AmendableField[], input: Record<AmendableField, string> & { amendmentReason: string }) {
  for (const field of fields) {
    tx.insert(pledgeAmendments)
      .values({ pledgeId: before.id, field, oldValue: before[field], newValue: input[field], reason: input.amendmentReason, userId: actor.userId })
      .run();
  }
  appendAudit(tx, actor, {
    action: 'pledge.amend',
    entity: 'pledge',
    entityId: before.id,
    before: Object.fromEntries(fields.map((f) => [f, before[f]])),
    after: { ...Object.fromEntries(fields.map((f) => [f, input[f]])), reason: input.amendmentReason },
  });
}

export type PledgeRepository = ReturnType<typeof createPledgeRepository>;
export type { ManageView, UnitPledgeRow } from './workspace-queries.ts';
