// Deadline requests (限时办结): a unit cannot move a published deadline on its own. It files a
// request with a reason; the office approves (the date moves, a deadline_changes row records
// who approved) or rejects with a public note. Until approved the old date stands. One
// pending request per pledge at a time; the unit may withdraw it.
import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { campaigns, deadlineChanges, deadlineRequests, pledges, units, users } from '../../db/schema.ts';
import type { Db, DbLike, Tx } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { reindexPledge } from '../search/repository.ts';
import { todaySql } from '../pledges/conditions.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';

export type DeadlineRequest = typeof deadlineRequests.$inferSelect;
type PledgeRow = typeof pledges.$inferSelect;

/** Statuses whose deadline still matters: a completed or cancelled pledge's date is history. */
const OPEN_STATUSES = ['pledged', 'in_progress', 'delayed'];

export function pendingRequestOf(db: DbLike, pledgeId: number): DeadlineRequest | undefined {
  return db
    .select()
    .from(deadlineRequests)
    .where(and(eq(deadlineRequests.pledgeId, pledgeId), eq(deadlineRequests.status, 'pending')))
    .get();
}

export type FileResult = { ok: true; request: DeadlineRequest } | { ok: false; reason: 'pending_exists' | 'not_open' };

/** Files a request inside the caller's transaction (the published-edit form and the request form share it). */
export function fileDeadlineRequest(tx: DbLike, actor: Actor, pledge: PledgeRow, requestedDueOn: string, reason: string): FileResult {
  if (!OPEN_STATUSES.includes(pledge.status)) return { ok: false, reason: 'not_open' };
  if (pendingRequestOf(tx, pledge.id)) return { ok: false, reason: 'pending_exists' };
  const request = tx
    .insert(deadlineRequests)
    .values({ pledgeId: pledge.id, oldDueOn: pledge.dueOn, requestedDueOn, reason, requestedBy: actor.userId })
    .returning()
    .get();
  appendAudit(tx, actor, { action: 'deadline.request', entity: 'pledge', entityId: pledge.id, after: { requestId: request.id, oldDueOn: pledge.dueOn, requestedDueOn, reason } });
  return { ok: true, request };
}

/**
 * Moves a published pledge's deadline and records it: the office's own edit (approver = the
 * office user) and an approved request (approver = the deciding office user) both come here.
 */
export function moveDeadline(tx: Tx, actor: Actor, before: PledgeRow, newDueOn: string, reason: string, opts: { requestedBy: number | null; approvedBy: number | null; bumpVersion: boolean }) {
  const change = tx
    .insert(deadlineChanges)
    .values({ pledgeId: before.id, oldDueOn: before.dueOn, newDueOn, reason, requestedBy: opts.requestedBy, approvedBy: opts.approvedBy })
    .returning()
    .get();
  if (opts.bumpVersion) {
    tx.update(pledges)
      .set({ dueOn: newDueOn, version: sql`${pledges.version} + 1`, updatedAt: new Date().toISOString() })
      .where(eq(pledges.id, before.id))
      .run();
    reindexPledge(tx, before.id);
  }
  appendAudit(tx, actor, {
    action: 'pledge.deadline_change',
    entity: 'pledge',
    entityId: before.id,
    before: { dueOn: before.dueOn },
    after: { dueOn: newDueOn, reason, deadlineChangeId: change.id, approvedBy: opts.approvedBy },
  });
  return change;
}

export type DecideResult = { ok: true; request: DeadlineRequest } | { ok: false; reason: 'not_found' | 'not_pending' | 'not_allowed' };

export function createDeadlineRepository(db: Db) {
  const requester = alias(users, 'requester');
  const decider = alias(users, 'decider');
  const zones = () => db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).all();
  // Read by every view of a public pledge page: built once.
  const requestsOfPledge = preparedOnce(() =>
    db
      .select({
        id: deadlineRequests.id,
        oldDueOn: deadlineRequests.oldDueOn,
        requestedDueOn: deadlineRequests.requestedDueOn,
        reason: deadlineRequests.reason,
        requestedAt: deadlineRequests.requestedAt,
        status: deadlineRequests.status,
        decidedAt: deadlineRequests.decidedAt,
        decisionNote: deadlineRequests.decisionNote,
        deadlineChangeId: deadlineRequests.deadlineChangeId,
        requestedBy: requester.username,
        decidedBy: decider.username,
      })
      .from(deadlineRequests)
      .leftJoin(requester, eq(requester.id, deadlineRequests.requestedBy))
      .leftJoin(decider, eq(decider.id, deadlineRequests.decidedBy))
      .where(eq(deadlineRequests.pledgeId, sql.placeholder('pledgeId')))
      .orderBy(desc(deadlineRequests.requestedAt), desc(deadlineRequests.id))
      .prepare(),
  );

  return {
    async get(id: number) {
      return db
        .select({ request: deadlineRequests, leadUnitId: pledges.leadUnitId })
        .from(deadlineRequests)
        .innerJoin(pledges, eq(pledges.id, deadlineRequests.pledgeId))
        .where(eq(deadlineRequests.id, id))
        .get();
    },

    async pendingFor(pledgeId: number) {
      return pendingRequestOf(db, pledgeId);
    },

    async file(actor: Actor, pledgeId: number, requestedDueOn: string, reason: string): Promise<FileResult | { ok: false; reason: 'not_found' }> {
      return db.transaction((tx) => {
        const pledge = tx.select().from(pledges).where(eq(pledges.id, pledgeId)).get();
        if (!pledge || pledge.status === 'draft') return { ok: false, reason: 'not_found' } as const;
        return fileDeadlineRequest(tx, actor, pledge, requestedDueOn, reason);
      });
    },

    /** The requesting unit takes its pending request back; unitId null: any (not used by routes). */
    async withdraw(actor: Actor, requestId: number, unitId: number | null): Promise<DecideResult> {
      return db.transaction((tx) => {
        const found = tx
          .select({ request: deadlineRequests, leadUnitId: pledges.leadUnitId })
          .from(deadlineRequests)
          .innerJoin(pledges, eq(pledges.id, deadlineRequests.pledgeId))
          .where(eq(deadlineRequests.id, requestId))
          .get();
        if (!found) return { ok: false, reason: 'not_found' } as const;
        if (unitId !== null && found.leadUnitId !== unitId) return { ok: false, reason: 'not_allowed' } as const;
        if (found.request.status !== 'pending') return { ok: false, reason: 'not_pending' } as const;
        const request = tx
          .update(deadlineRequests)
          .set({ status: 'withdrawn', decidedBy: actor.userId, decidedAt: new Date().toISOString() })
          .where(and(eq(deadlineRequests.id, requestId), eq(deadlineRequests.status, 'pending')))
          .returning()
          .get()!;
        appendAudit(tx, actor, { action: 'deadline.withdraw', entity: 'pledge', entityId: request.pledgeId, before: { requestId, status: 'pending' }, after: { status: 'withdrawn' } });
        return { ok: true, request } as const;
      });
    },

    /** The office's decision. Approving moves the date (whatever it is now) to the requested one. */
    async decide(actor: Actor, requestId: number, decision: 'approved' | 'rejected', note: string): Promise<DecideResult> {
      return db.transaction((tx) => {
        const found = tx.select().from(deadlineRequests).where(eq(deadlineRequests.id, requestId)).get();
        if (!found) return { ok: false, reason: 'not_found' } as const;
        if (found.status !== 'pending') return { ok: false, reason: 'not_pending' } as const;
        let deadlineChangeId: number | null = null;
        if (decision === 'approved') {
          const pledge = tx.select().from(pledges).where(eq(pledges.id, found.pledgeId)).get()!;
          // A completed or cancelled pledge keeps the deadline it was judged by: moving it now
          // would turn a late completion into an on-time one.
          if (!['pledged', 'in_progress', 'delayed'].includes(pledge.status)) return { ok: false, reason: 'not_allowed' } as const;
          if (pledge.dueOn !== found.requestedDueOn) {
            const change = moveDeadline(tx, actor, pledge, found.requestedDueOn, found.reason, { requestedBy: found.requestedBy, approvedBy: actor.userId, bumpVersion: true });
            deadlineChangeId = change.id;
          }
        }
        const request = tx
          .update(deadlineRequests)
          .set({ status: decision, decidedBy: actor.userId, decidedAt: new Date().toISOString(), decisionNote: note, deadlineChangeId })
          .where(and(eq(deadlineRequests.id, requestId), eq(deadlineRequests.status, 'pending')))
          .returning()
          .get()!;
        appendAudit(tx, actor, {
          action: `deadline.${decision === 'approved' ? 'approve' : 'reject'}`,
          entity: 'pledge',
          entityId: found.pledgeId,
          before: { requestId, status: 'pending' },
          after: { status: decision, note, deadlineChangeId },
        });
        return { ok: true, request } as const;
      });
    },

    /** Every request on a pledge, newest first. Staff usernames only for the workspace. */
    async forPledge(pledgeId: number, opts: { withStaff?: boolean } = {}) {
      return requestsOfPledge()
        .all({ pledgeId })
        .map((r) => (opts.withStaff ? r : { ...r, requestedBy: null, decidedBy: null }));
    },

    /** The office's queue (pending) or its recent decisions, with how late each pledge already is. */
    async list(opts: { status: 'pending' | 'decided'; limit?: number }) {
      const today = todaySql(zones());
      return db
        .select({
          id: deadlineRequests.id,
          pledgeId: pledges.id,
          title: pledges.title,
          pledgeStatus: pledges.status,
          dueOn: pledges.dueOn,
          unitName: units.name,
          unitSlug: units.slug,
          oldDueOn: deadlineRequests.oldDueOn,
          requestedDueOn: deadlineRequests.requestedDueOn,
          reason: deadlineRequests.reason,
          requestedAt: deadlineRequests.requestedAt,
          requestedBy: requester.username,
          status: deadlineRequests.status,
          decidedAt: deadlineRequests.decidedAt,
          decidedBy: decider.username,
          decisionNote: deadlineRequests.decisionNote,
          today: sql<string>`${today}`,
        })
        .from(deadlineRequests)
        .innerJoin(pledges, eq(pledges.id, deadlineRequests.pledgeId))
        .innerJoin(units, eq(units.id, pledges.leadUnitId))
        .leftJoin(requester, eq(requester.id, deadlineRequests.requestedBy))
        .leftJoin(decider, eq(decider.id, deadlineRequests.decidedBy))
        .where(opts.status === 'pending' ? eq(deadlineRequests.status, 'pending') : inArray(deadlineRequests.status, ['approved', 'rejected']))
        .orderBy(opts.status === 'pending' ? deadlineRequests.requestedAt : desc(deadlineRequests.decidedAt), deadlineRequests.id)
        .limit(opts.limit ?? 200)
        .all();
    },

    async pendingCount(): Promise<number> {
      return db.$count(deadlineRequests, eq(deadlineRequests.status, 'pending'));
    },
  };
}
export type DeadlineRepository = ReturnType<typeof createDeadlineRepository>;
