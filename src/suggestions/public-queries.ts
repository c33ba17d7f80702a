// Suggestions (建言献策) as the public sees them: the published ones, listed (a pledge's and a
// unit's page, home, /suggestions, the API) or one by one, and what a new suggestion is about
// (its pledge or unit). Only the office's decision to publish puts a suggestion here.
//
// Privacy: every read here selects the public columns only; the author's contact and the
// address key never leave through this file (the office's view is in moderation.ts).
import { and, count, desc, eq, ne, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { campaigns, pledges, suggestions, units, type SuggestionTarget } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { boundLimit, preparedOnce } from '../plugins/statement-cache.ts';

export const PAGE_SIZE = 20;

export interface PublicFilter {
  campaignId?: number;
  targetKind?: SuggestionTarget;
  pledgeId?: number;
  /** Suggestions addressed to the unit itself (not those on its pledges). */
  unitId?: number;
}

export const targetUnit = alias(units, 'target_unit');
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

export function toPublic(r: PublicRow): PublicSuggestion {
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

export function paging(total: number, page: number, pageSize: number) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return { pages, page: Math.min(Math.max(1, page), pages) };
}

/** Suggestions with the names of what they are about, public columns only (moderation.ts filters and orders them its own way). */
export function selectPublic(db: Db) {
  return db
    .select(publicColumns)
    .from(suggestions)
    .innerJoin(campaigns, eq(campaigns.id, suggestions.campaignId))
    .leftJoin(pledges, eq(pledges.id, suggestions.pledgeId))
    .leftJoin(targetUnit, eq(targetUnit.id, suggestions.unitId))
    .leftJoin(replyUnit, eq(replyUnit.id, suggestions.replyUnitId));
}

export function createPublicSuggestionQueries(db: Db) {
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
      page: selectPublic(db)
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
    selectPublic(db)
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

  return {
    /** A published suggestion, as the public sees it. */
    async getPublic(id: number): Promise<PublicSuggestion | undefined> {
      const row = publicById().get({ id });
      return row ? toPublic(row) : undefined;
    },

    async listPublic(filter: PublicFilter, opts: { page?: number; pageSize?: number } = {}) {
      const pageSize = opts.pageSize ?? PAGE_SIZE;
      const list = publicList(filter);
      const values = { campaignId: filter.campaignId, targetKind: filter.targetKind, pledgeId: filter.pledgeId, unitId: filter.unitId };
      if ((opts.page ?? 1) <= 1) {
        // A first page with room to spare is the whole list: no count to read (the blocks on
        // pledge and unit pages, which most often hold a few suggestions or none).
        const rows = list.page.all({ ...values, limit: pageSize, offset: 0 }).map(toPublic);
        const total = rows.length < pageSize ? rows.length : list.count.get(values)!.n;
        return { total, page: 1, pages: paging(total, 1, pageSize).pages, pageSize, rows };
      }
      const total = list.count.get(values)!.n;
      const { page, pages } = paging(total, opts.page ?? 1, pageSize);
      const rows = list.page.all({ ...values, limit: pageSize, offset: (page - 1) * pageSize }).map(toPublic);
      return { total, page, pages, pageSize, rows };
    },

    /** What a suggestion about a pledge needs of it (whether it is public, its title, campaign and lead unit). */
    async targetPledge(id: number) {
      return pledgeTargetOf().get({ id });
    },

    /** Whether a pledge is public (exists and is not a draft), for filters naming one. */
    async isPublicPledge(pledgeId: number): Promise<boolean> {
      return !!db.select({ id: pledges.id }).from(pledges).where(and(eq(pledges.id, pledgeId), ne(pledges.status, 'draft'))).get();
    },
  };
}
