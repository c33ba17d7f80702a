// Suggestions (建言献策): every read and write. The text a person sent is never changed or
// deleted (database triggers enforce it); the office only decides whether it is shown, and
// the addressed unit answers under it.
//
// Privacy: the author's contact and the address key leave this file only through officeView()
// (the office's moderation page). Every public read selects the public columns only.
import { and, asc, count, desc, eq, gte, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { campaigns, pledges, suggestions, units, type SuggestionStatus, type SuggestionTarget } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { boundLimit, preparedOnce } from '../plugins/statement-cache.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export const PAGE_SIZE = 20;

export interface NewSuggestion {
  campaignId: number;
  targetKind: SuggestionTarget;
  pledgeId: number | null;
  unitId: number | null;
  authorName: string;
  authorContact: string;
  body: string;
  addressKey: string;
}

export interface PublicFilter {
  campaignId?: number;
  targetKind?: SuggestionTarget;
  pledgeId?: number;
  /** Suggestions addressed to the unit itself (not those on its pledges). */
  unitId?: number;
}

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


const targetUnit = alias(units, 'target_unit');
const replyUnit = alias(units, 'reply_unit');

/** The columns anyone may see, with the names of what the suggestion is about. */
const publicColumns = {
  id: suggestions.id,
  campaignId: suggestions.campaignId,
  targetKind: suggestions.targetKind,
  authorName: suggestions.authorName,
  body: suggestions.body,
  createdAt: suggestions.createdAt,
  reply: suggestions.reply,
  repliedAt: suggestions.repliedAt,
  pledgeId: suggestions.pledgeId,
  pledgeTitle: pledges.title,
  unitSlug: targetUnit.slug,
  unitName: targetUnit.name,
  replyUnitSlug: replyUnit.slug,
  replyUnitName: replyUnit.name,
  /** Who answers for the campaign as a whole (a reply with no unit). */
  campaignOffice: campaigns.issuingOffice,
};

interface PublicRow {
  id: number;
  campaignId: number;
  targetKind: SuggestionTarget;
  authorName: string;
  body: string;
  createdAt: string;
  reply: string;
  repliedAt: string | null;
  pledgeId: number | null;
  pledgeTitle: string | null;
  unitSlug: string | null;
  unitName: string | null;
  replyUnitSlug: string | null;
  replyUnitName: string | null;
  campaignOffice: string;
}

export interface PublicSuggestion {
  id: number;
  campaignId: number;
  targetKind: SuggestionTarget;
  authorName: string;
  body: string;
  createdAt: string;
  pledge: { id: number; title: string } | null;
  unit: { slug: string; name: string } | null;
  /** null while unanswered. `unit` null: the campaign office answered. */
  reply: { text: string; at: string; unit: { slug: string; name: string } | null; office: string } | null;
}

function toPublic(r: PublicRow): PublicSuggestion {
  return {
    id: r.id,
    campaignId: r.campaignId,
    targetKind: r.targetKind,
    authorName: r.authorName,
    body: r.body,
    createdAt: r.createdAt,
    pledge: r.pledgeId && r.pledgeTitle !== null ? { id: r.pledgeId, title: r.pledgeTitle } : null,
    unit: r.unitSlug !== null && r.unitName !== null ? { slug: r.unitSlug, name: r.unitName } : null,
    reply:
      r.reply && r.repliedAt
        ? { text: r.reply, at: r.repliedAt, unit: r.replyUnitSlug !== null && r.replyUnitName !== null ? { slug: r.replyUnitSlug, name: r.replyUnitName } : null, office: r.campaignOffice }
        : null,
  };
}

function paging(total: number, page: number, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { pages, page: Math.min(Math.max(1, page), pages) };
}

export function createSuggestionRepository(db: Db) {
  function publicSelect() {
    return db
      .select(publicColumns)
      .from(suggestions)
      .innerJoin(campaigns, eq(campaigns.id, suggestions.campaignId))
      .leftJoin(pledges, eq(pledges.id, suggestions.pledgeId))
      .leftJoin(targetUnit, eq(targetUnit.id, suggestions.unitId))
      .leftJoin(replyUnit, eq(replyUnit.id, suggestions.replyUnitId));
  }

  /** The public filter with a placeholder for each value given: one SQL text per set of filters given. */
  function publicWhere(f: PublicFilter): SQL {
    const where: SQL[] = [eq(suggestions.status, 'published')];
    if (f.campaignId !== undefined) where.push(eq(suggestions.campaignId, sql.placeholder('campaignId')));
    if (f.targetKind) where.push(eq(suggestions.targetKind, sql.placeholder('targetKind')));
    if (f.pledgeId !== undefined) where.push(eq(suggestions.pledgeId, sql.placeholder('pledgeId')));
    if (f.unitId !== undefined) where.push(and(eq(suggestions.targetKind, 'unit'), eq(suggestions.unitId, sql.placeholder('unitId')))!);
    return and(...where)!;
  }

  // The public lists (a pledge's and a unit's page, home, /suggestions, the API) prepared once
  // per set of filters given: at most 16 of them, so the map stays small.
  const publicLists = new Map<string, ReturnType<typeof preparePublicList>>();
  function preparePublicList(f: PublicFilter) {
    const where = publicWhere(f);
    return {
      count: db.select({ n: count() }).from(suggestions).where(where).prepare(),
      page: publicSelect()
        .where(where)
        .orderBy(desc(suggestions.createdAt), desc(suggestions.id))
        .limit(boundLimit('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(),
    };
  }
  function publicList(f: PublicFilter) {
    const shape = [f.campaignId !== undefined, !!f.targetKind, f.pledgeId !== undefined, f.unitId !== undefined].map(Number).join('');
    let prepared = publicLists.get(shape);
    if (!prepared) publicLists.set(shape, (prepared = preparePublicList(f)));
    return prepared;
  }

  const publicById = preparedOnce(() =>
    publicSelect()
      .where(and(eq(suggestions.id, sql.placeholder('id')), eq(suggestions.status, 'published')))
      .prepare(),
  );
  const pledgeTargetOf = preparedOnce(() =>
    db
      .select({ id: pledges.id, campaignId: pledges.campaignId, leadUnitId: pledges.leadUnitId, title: pledges.title, status: pledges.status })
      .from(pledges)
      .where(eq(pledges.id, sql.placeholder('id')))
      .prepare(),
  );
  const unitTargetOf = preparedOnce(() =>
    db.select({ id: units.id, slug: units.slug, name: units.name, active: units.active }).from(units).where(eq(units.id, sql.placeholder('id'))).prepare(),
  );

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
    async create(input: NewSuggestion): Promise<{ id: number }> {
      return db.transaction((tx) => {
        const row = tx.insert(suggestions).values(input).returning({ id: suggestions.id }).get();
        // The log names no one and keeps no text: the author's address and contact are personal, the log is forever.
        appendAudit(tx, { userId: null, username: '', ip: '' }, {
          action: 'suggestion.create',
          entity: 'suggestion',
          entityId: row.id,
          after: { targetKind: input.targetKind, pledgeId: input.pledgeId, unitId: input.unitId, status: 'pending' },
        });
        return row;
      });
    },

    /** Posts from one address since a moment (a limit that outlives a restart, unlike the in-memory one). */
    async countFromAddress(addressKey: string, sinceIso: string): Promise<number> {
      return db.select({ n: count() }).from(suggestions).where(and(eq(suggestions.addressKey, addressKey), gte(suggestions.createdAt, sinceIso))).get()!.n;
    },

    /** A published suggestion, as the public sees it. */
    async getPublic(id: number): Promise<PublicSuggestion | undefined> {
      const row = publicById().get({ id });
      return row ? toPublic(row) : undefined;
    },

    async listPublic(filter: PublicFilter, opts: { page?: number; pageSize?: number } = {}) {
      const pageSize = opts.pageSize ?? PAGE_SIZE;
      const list = publicList(filter);
      const values = { campaignId: filter.campaignId, targetKind: filter.targetKind, pledgeId: filter.pledgeId, unitId: filter.unitId };
      const total = list.count.get(values)!.n;
      const { page, pages } = paging(total, opts.page ?? 1, pageSize);
      const rows = list.page.all({ ...values, limit: pageSize, offset: (page - 1) * pageSize }).map(toPublic);
      return { total, page, pages, pageSize, rows };
    },

    /** What a suggestion about a pledge needs of it (whether it is public, its title, campaign and lead unit). */
    async targetPledge(id: number) {
      return pledgeTargetOf().get({ id });
    },

    /** What a suggestion to a unit needs of it (whether it is active, its name and slug). */
    async targetUnit(id: number) {
      return unitTargetOf().get({ id });
    },

    /** Everything the office sees of one suggestion, contact included. */
    async officeView(id: number) {
      const row = publicSelect()
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
      const rows = publicSelect()
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

    /** Whether a pledge is public (exists and is not a draft), for filters naming one. */
    async isPublicPledge(pledgeId: number): Promise<boolean> {
      return !!db.select({ id: pledges.id }).from(pledges).where(and(eq(pledges.id, pledgeId), ne(pledges.status, 'draft'))).get();
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
export type SuggestionRepository = ReturnType<typeof createSuggestionRepository>;
