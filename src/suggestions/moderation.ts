// Suggestions (建言献策) as the office and the units handle them: the office's queue and its
// decision to publish or reject, each unit's list of what it has to answer, and the public
// answer. The text a person sent is never changed or deleted (database triggers enforce it);
// the office only decides whether it is shown, and the addressed unit answers under it.
//
// Privacy: the author's contact and the address key leave through officeView() only (the
// office's moderation page).
import { and, asc, count, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { pledges, suggestions, units, type SuggestionStatus, type SuggestionTarget } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { PAGE_SIZE, paging, selectPublic, targetUnit, toPublic } from './public-queries.ts';

export interface QueueFilter {
  status?: SuggestionStatus;
  targetKind?: SuggestionTarget;
  unitId?: number;
}

export interface WorkspaceFilter {
  /** null: the office, looking across units (campaign-wide ones included). */
  unitId: number | null;
  answered: 'unanswered' | 'answered' | 'all';
}

export type ModerationDecision = { status: 'published' } | { status: 'rejected'; reason: string };
export type WriteOutcome = 'ok' | 'not_found' | 'unchanged' | 'not_published';

export function createSuggestionModeration(db: Db) {
  function queueWhere(f: QueueFilter): SQL | undefined {
    const where: SQL[] = [];
    if (f.status) where.push(eq(suggestions.status, f.status));
    if (f.targetKind) where.push(eq(suggestions.targetKind, f.targetKind));
    if (f.unitId !== undefined) where.push(eq(suggestions.unitId, f.unitId));
    return where.length ? and(...where) : undefined;
  }

  function workspaceWhere(f: WorkspaceFilter): SQL {
    const where: SQL[] = [eq(suggestions.status, 'published')];
    if (f.unitId !== null) where.push(eq(suggestions.unitId, f.unitId));
    if (f.answered === 'unanswered') where.push(eq(suggestions.reply, ''));
    if (f.answered === 'answered') where.push(ne(suggestions.reply, ''));
    return and(...where)!;
  }

  return {
    /** Everything the office sees of one suggestion, contact included. */
    async officeView(id: number) {
      const row = selectPublic(db)
        .where(eq(suggestions.id, id))
        .get();
      if (!row) return undefined;
      const extra = db
        .select({
          status: suggestions.status,
          unitId: suggestions.unitId,
          authorContact: suggestions.authorContact,
          rejectReason: suggestions.rejectReason,
          moderatedAt: suggestions.moderatedAt,
          replyText: suggestions.reply,
        })
        .from(suggestions)
        .where(eq(suggestions.id, id))
        .get()!;
      return { ...toPublic(row), ...extra };
    },

    /** The office's queue: pending first (oldest first, as they came in), then the rest, latest first. */
    async queue(filter: QueueFilter, opts: { page?: number } = {}) {
      const where = queueWhere(filter);
      const total = db.select({ n: count() }).from(suggestions).where(where).get()!.n;
      const { page, pages } = paging(total, opts.page ?? 1, PAGE_SIZE);
      const rows = db
        .select({
          id: suggestions.id,
          targetKind: suggestions.targetKind,
          status: suggestions.status,
          body: suggestions.body,
          authorName: suggestions.authorName,
          createdAt: suggestions.createdAt,
          rejectReason: suggestions.rejectReason,
          replied: sql<number>`${suggestions.reply} <> ''`,
          pledgeId: suggestions.pledgeId,
          pledgeTitle: pledges.title,
          unitName: targetUnit.name,
        })
        .from(suggestions)
        .leftJoin(pledges, eq(pledges.id, suggestions.pledgeId))
        .leftJoin(targetUnit, eq(targetUnit.id, suggestions.unitId))
        .where(where)
        .orderBy(
          sql`CASE ${suggestions.status} WHEN 'pending' THEN 0 ELSE 1 END`,
          sql`CASE ${suggestions.status} WHEN 'pending' THEN ${suggestions.id} ELSE -${suggestions.id} END`,
        )
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .all();
      return { total, page, pages, rows };
    },

    async countByStatus(): Promise<Record<SuggestionStatus, number>> {
      const out: Record<SuggestionStatus, number> = { pending: 0, published: 0, rejected: 0 };
      for (const r of db.select({ status: suggestions.status, n: count() }).from(suggestions).groupBy(suggestions.status).all()) out[r.status] = r.n;
      return out;
    },

    /** Published suggestions a unit (or, with null, anyone) has yet to answer. */
    async unansweredCount(unitId: number | null): Promise<number> {
      return db.select({ n: count() }).from(suggestions).where(workspaceWhere({ unitId, answered: 'unanswered' })).get()!.n;
    },

    /** The workspace list: published suggestions addressed to the unit, unanswered first. */
    async workspace(filter: WorkspaceFilter, opts: { page?: number } = {}) {
      const where = workspaceWhere(filter);
      const total = db.select({ n: count() }).from(suggestions).where(where).get()!.n;
      const { page, pages } = paging(total, opts.page ?? 1, PAGE_SIZE);
      const rows = selectPublic(db)
        .where(where)
        .orderBy(sql`CASE WHEN ${suggestions.reply} = '' THEN 0 ELSE 1 END`, desc(suggestions.createdAt), desc(suggestions.id))
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
        .all()
        .map(toPublic);
      return { total, page, pages, rows };
    },

    /** Who may answer: the suggestion's unit, its status, its current reply. */
    async replyState(id: number) {
      return db
        .select({ id: suggestions.id, status: suggestions.status, unitId: suggestions.unitId, targetKind: suggestions.targetKind, reply: suggestions.reply })
        .from(suggestions)
        .where(eq(suggestions.id, id))
        .get();
    },

    /** Publish, or reject with a reason. The text is never touched; a decision may be revised. */
    async moderate(actor: Actor, id: number, decision: ModerationDecision): Promise<WriteOutcome> {
      return db.transaction((tx) => {
        const before = tx.select({ status: suggestions.status, rejectReason: suggestions.rejectReason }).from(suggestions).where(eq(suggestions.id, id)).get();
        if (!before) return 'not_found';
        const rejectReason = decision.status === 'rejected' ? decision.reason : '';
        if (before.status === decision.status && before.rejectReason === rejectReason) return 'unchanged';
        tx.update(suggestions)
          .set({ status: decision.status, rejectReason, moderatedBy: actor.userId, moderatedAt: new Date().toISOString() })
          .where(eq(suggestions.id, id))
          .run();
        appendAudit(tx, actor, {
          action: decision.status === 'published' ? 'suggestion.publish' : 'suggestion.reject',
          entity: 'suggestion',
          entityId: id,
          before,
          after: { status: decision.status, rejectReason },
        });
        return 'ok';
      });
    },

    /**
     * The public answer, from the suggestion's unit (or the office, for a campaign-wide one or on
     * a unit's behalf). A new answer replaces the old one; the log keeps both.
     */
    async reply(actor: Actor, id: number, input: { text: string; replyUnitId: number | null }): Promise<WriteOutcome> {
      return db.transaction((tx) => {
        const before = tx
          .select({ status: suggestions.status, reply: suggestions.reply, replyUnitId: suggestions.replyUnitId, repliedAt: suggestions.repliedAt })
          .from(suggestions)
          .where(eq(suggestions.id, id))
          .get();
        if (!before) return 'not_found';
        if (before.status !== 'published') return 'not_published';
        if (before.reply === input.text && before.replyUnitId === input.replyUnitId) return 'unchanged';
        const repliedAt = new Date().toISOString();
        tx.update(suggestions).set({ reply: input.text, replyUnitId: input.replyUnitId, repliedBy: actor.userId, repliedAt }).where(eq(suggestions.id, id)).run();
        appendAudit(tx, actor, {
          action: before.reply ? 'suggestion.reply_replace' : 'suggestion.reply',
          entity: 'suggestion',
          entityId: id,
          before: { reply: before.reply, replyUnitId: before.replyUnitId, repliedAt: before.repliedAt },
          after: { reply: input.text, replyUnitId: input.replyUnitId, repliedAt },
        });
        return 'ok';
      });
    },

    /** Units that have suggestions addressed to them, for the office's filters. */
    async unitsWithSuggestions(): Promise<{ id: number; name: string }[]> {
      return db
        .selectDistinct({ id: units.id, name: units.name })
        .from(suggestions)
        .innerJoin(units, eq(units.id, suggestions.unitId))
        .orderBy(asc(units.name))
        .all();
    },
  };
}
