// The write side of pledges and what the unit workspace reads. Every write checks the pledge's
// version inside its transaction (optimistic concurrency), records an audit entry beside the
// change, and keeps the search index in step. Expected failures come back as results, not throws.
import { and, asc, desc, eq, inArray, isNull, ne, sql, type SQL } from 'drizzle-orm';
import {
  campaigns,
  categories,
  pledgeAmendments,
  pledgeCoUnits,
  pledges,
  progressUpdates,
  units,
  users,
  DISTRICT_KINDS,
  type PledgeTier,
} from '../../db/schema.ts';
import type { Db, DbLike, Tx } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { reindexPledge } from '../search/repository.ts';
import { overdueSql, todaySql } from './conditions.ts';
import { rollUp } from './status.ts';
import { deadlineHistory, amendmentHistory } from './history-repository.ts';
import type { FieldErrors } from '../validation.ts';
import { AMENDABLE_FIELDS, type AmendableField } from './schemas.ts';
import { fileDeadlineRequest, moveDeadline, pendingRequestOf } from '../deadlines/repository.ts';

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
export const MANAGE_FILTERS = ['all', 'draft', 'pledged', 'in_progress', 'delayed', 'completed', 'cancelled', 'overdue', 'attention'] as const;
export type ManageFilter = (typeof MANAGE_FILTERS)[number];

export const DUE_SOON_DAYS = 14;
export const STALE_AFTER_DAYS = 30;

const ACTIVE = sql`${pledges.status} IN ('pledged','in_progress','delayed')`;
const lastUpdateSql = sql<string | null>`(SELECT max(${progressUpdates.happenedOn}) FROM ${progressUpdates} WHERE ${progressUpdates.pledgeId} = ${pledges.id})`;

function dueSoonSql(today: SQL): SQL {
  return sql`(${ACTIVE} AND ${pledges.dueOn} >= ${today} AND ${pledges.dueOn} <= date(${today}, ${`+${DUE_SOON_DAYS} days`}))`;
}
/** Active and nothing posted (or published) for a month: the public sees a silent pledge. */
function staleSql(today: SQL): SQL {
  return sql`(${ACTIVE} AND coalesce(${lastUpdateSql}, substr(${pledges.publishedAt}, 1, 10)) < date(${today}, ${`-${STALE_AFTER_DAYS} days`}))`;
}

function versionBump() {
  return { version: sql`${pledges.version} + 1`, updatedAt: new Date().toISOString() };
}

function coUnitIdsOf(db: DbLike, pledgeId: number): number[] {
  return db
    .select({ unitId: pledgeCoUnits.unitId })
    .from(pledgeCoUnits)
    .where(eq(pledgeCoUnits.pledgeId, pledgeId))
    .orderBy(asc(pledgeCoUnits.unitId))
    .all()
    .map((r) => r.unitId);
}

function snapshotOf(db: DbLike, pledgeId: number): PledgeSnapshot | undefined {
  const row = db.select().from(pledges).where(eq(pledges.id, pledgeId)).get();
  return row ? { ...row, coUnitIds: coUnitIdsOf(db, pledgeId) } : undefined;
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
  function zones() {
    return db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).all();
  }

  return {
    async get(id: number): Promise<PledgeSnapshot | undefined> {
      return snapshotOf(db, id);
    },

    /** Everything the pledge's workspace page shows, drafts included. */
    async getForManage(id: number) {
      const pledge = snapshotOf(db, id);
      if (!pledge) return undefined;
      const campaign = db.select({ id: campaigns.id, name: campaigns.name, timeZone: campaigns.timeZone }).from(campaigns).where(eq(campaigns.id, pledge.campaignId)).get()!;
      const leadUnit = db.select({ id: units.id, name: units.name, slug: units.slug }).from(units).where(eq(units.id, pledge.leadUnitId)).get()!;
      const category = pledge.categoryId ? db.select().from(categories).where(eq(categories.id, pledge.categoryId)).get() : undefined;
      const district = pledge.districtUnitId ? db.select({ id: units.id, name: units.name }).from(units).where(eq(units.id, pledge.districtUnitId)).get() : undefined;
      const coUnits = pledge.coUnitIds.length
        ? db.select({ id: units.id, name: units.name, slug: units.slug }).from(units).where(inArray(units.id, pledge.coUnitIds)).orderBy(asc(units.name)).all()
        : [];
      const parent = pledge.parentId
        ? db.select({ id: pledges.id, title: pledges.title, status: pledges.status, leadUnitId: pledges.leadUnitId }).from(pledges).where(eq(pledges.id, pledge.parentId)).get()
        : undefined;
      const subTasks = db
        .select({
          id: pledges.id,
          title: pledges.title,
          status: pledges.status,
          progress: pledges.progress,
          dueOn: pledges.dueOn,
          completedOn: pledges.completedOn,
          publishedAt: pledges.publishedAt,
        })
        .from(pledges)
        .where(eq(pledges.parentId, id))
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .all();
      const rolled = rollUp(subTasks);
      const amendments = amendmentHistory(db, id, { withStaff: true });
      const deadlines = deadlineHistory(db, id, { withStaff: true });
      return { pledge, campaign, leadUnit, category, district, coUnits, parent, subTasks, rollUp: rolled, amendments, deadlines };
    },

    /**
     * A page of pledges led by one unit (or by any unit, for the office), with why each needs
     * attention: overdue, due within DUE_SOON_DAYS, or no update for STALE_AFTER_DAYS.
     */
    async listForUnit(opts: { unitId: number | null; campaignId?: number; filter?: ManageFilter; page?: number; pageSize?: number }) {
      const today = todaySql(zones());
      const overdue = overdueSql(today);
      const dueSoon = dueSoonSql(today);
      const stale = staleSql(today);
      const where: SQL[] = [];
      if (opts.unitId !== null) where.push(eq(pledges.leadUnitId, opts.unitId));
      if (opts.campaignId) where.push(eq(pledges.campaignId, opts.campaignId));
      const filter = opts.filter ?? 'all';
      if (filter === 'overdue') where.push(overdue);
      else if (filter === 'attention') where.push(sql`(${overdue} OR ${dueSoon} OR ${stale})`);
      else if (filter !== 'all') where.push(eq(pledges.status, filter));
      const condition = where.length ? and(...where) : undefined;
      const pageSize = opts.pageSize ?? 50;
      const total = await db.$count(pledges, condition);
      const pages = Math.max(1, Math.ceil(total / pageSize));
      const page = Math.min(Math.max(1, opts.page ?? 1), pages);
      const rows = db
        .select({
          id: pledges.id,
          title: pledges.title,
          tier: pledges.tier,
          status: pledges.status,
          progress: pledges.progress,
          startOn: pledges.startOn,
          dueOn: pledges.dueOn,
          completedOn: pledges.completedOn,
          publishedAt: pledges.publishedAt,
          parentId: pledges.parentId,
          leadUnitId: pledges.leadUnitId,
          leadUnitName: units.name,
          lastUpdateOn: lastUpdateSql,
          overdue: sql<number>`${overdue}`,
          dueSoon: sql<number>`${dueSoon}`,
          stale: sql<number>`${stale}`,
        })
        .from(pledges)
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(condition)
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all()
        .map((r) => ({ ...r, overdue: !!r.overdue, dueSoon: !!r.dueSoon, stale: !!r.stale }));
      return { rows, total, page, pages };
    },

    /** Counts for the dashboard's figures, over the same scope as listForUnit. */
    async countsForUnit(opts: { unitId: number | null; campaignId?: number }) {
      const today = todaySql(zones());
      const where: SQL[] = [];
      if (opts.unitId !== null) where.push(eq(pledges.leadUnitId, opts.unitId));
      if (opts.campaignId) where.push(eq(pledges.campaignId, opts.campaignId));
      const row = db
        .select({
          total: sql<number>`count(*)`,
          drafts: sql<number>`coalesce(sum(${pledges.status} = 'draft'), 0)`,
          active: sql<number>`coalesce(sum(${ACTIVE}), 0)`,
          completed: sql<number>`coalesce(sum(${pledges.status} = 'completed'), 0)`,
          overdue: sql<number>`coalesce(sum(${overdueSql(today)}), 0)`,
          attention: sql<number>`coalesce(sum(${overdueSql(today)} OR ${dueSoonSql(today)} OR ${staleSql(today)}), 0)`,
        })
        .from(pledges)
        .where(where.length ? and(...where) : undefined)
        .get()!;
      return row;
    },

    /** Published pledges where the unit is a co-unit: it posts progress on them, nothing else. */
    async listCoUnitPledges(unitId: number) {
      const today = todaySql(zones());
      return db
        .select({
          id: pledges.id,
          title: pledges.title,
          status: pledges.status,
          progress: pledges.progress,
          dueOn: pledges.dueOn,
          completedOn: pledges.completedOn,
          leadUnitName: units.name,
          lastUpdateOn: lastUpdateSql,
          overdue: sql<number>`${overdueSql(today)}`,
        })
        .from(pledgeCoUnits)
        .innerJoin(pledges, eq(pledges.id, pledgeCoUnits.pledgeId))
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .where(and(eq(pledgeCoUnits.unitId, unitId), ne(pledges.status, 'draft')))
        .orderBy(asc(pledges.dueOn), asc(pledges.id))
        .all()
        .map((r) => ({ ...r, overdue: !!r.overdue }));
    },

    /** Pledges that may become the parent of a (new or edited) pledge of this unit: top-level ones. */
    async parentCandidates(leadUnitId: number, exceptId?: number) {
      const where: SQL[] = [eq(pledges.leadUnitId, leadUnitId), isNull(pledges.parentId)];
      if (exceptId) where.push(ne(pledges.id, exceptId));
      return db
        .select({ id: pledges.id, title: pledges.title, status: pledges.status, campaignId: pledges.campaignId })
        .from(pledges)
        .where(and(...where))
        .orderBy(desc(pledges.id))
        .limit(500)
        .all();
    },

    /** Checks that every id a form names exists and fits: the form alone cannot tell. */
    async checkReferences(input: {
      campaignId?: number;
      leadUnitId: number;
      categoryId: number;
      districtUnitId: number | null;
      parentId?: number | null;
      coUnitIds: number[];
      selfId?: number;
    }): Promise<FieldErrors> {
      const errors: FieldErrors = {};
      const invalid = { key: 'validation.invalid_choice' };
      if (input.campaignId !== undefined && !db.select({ id: campaigns.id }).from(campaigns).where(eq(campaigns.id, input.campaignId)).get()) errors.campaignId = invalid;
      const lead = db.select({ id: units.id }).from(units).where(eq(units.id, input.leadUnitId)).get();
      if (!lead) errors.leadUnitId = invalid;
      if (!db.select({ id: categories.id }).from(categories).where(eq(categories.id, input.categoryId)).get()) errors.categoryId = invalid;
      if (input.districtUnitId !== null) {
        const d = db.select({ kind: units.kind }).from(units).where(eq(units.id, input.districtUnitId)).get();
        if (!d || !DISTRICT_KINDS.includes(d.kind)) errors.districtUnitId = invalid;
      }
      if (input.coUnitIds.length) {
        const found = db.select({ id: units.id }).from(units).where(inArray(units.id, input.coUnitIds)).all();
        if (found.length !== new Set(input.coUnitIds).size) errors.coUnitIds = invalid;
        else if (input.coUnitIds.includes(input.leadUnitId)) errors.coUnitIds = { key: 'manage.error.co_unit_is_lead' };
      }
      if (input.parentId) {
        const parent = db.select().from(pledges).where(eq(pledges.id, input.parentId)).get();
        if (!parent || parent.id === input.selfId) errors.parentId = invalid;
        else if (parent.leadUnitId !== input.leadUnitId || (input.campaignId !== undefined && parent.campaignId !== input.campaignId)) {
          errors.parentId = { key: 'manage.error.parent_other_unit' };
        } else if (parent.parentId !== null) {
          // Sub-tasks roll up one level; a sub-task of a sub-task could also close a cycle.
          errors.parentId = { key: 'manage.error.parent_is_subtask' };
        } else if (input.selfId && db.select({ id: pledges.id }).from(pledges).where(eq(pledges.parentId, input.selfId)).get()) {
          errors.parentId = { key: 'manage.error.has_subtasks' };
        }
      }
      return errors;
    },

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
export type ManageView = NonNullable<Awaited<ReturnType<PledgeRepository['getForManage']>>>;
export type UnitPledgeRow = Awaited<ReturnType<PledgeRepository['listForUnit']>>['rows'][number];
