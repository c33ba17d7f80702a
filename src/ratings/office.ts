// The office's side of ratings: the stuffing-flag queue and comment moderation. Decisions
// change only a status; a comment's text is never edited or deleted, and every decision is in
// the audit log with the state before and after.
import { sql } from 'drizzle-orm';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import type { CommentKind } from './schemas.ts';

export interface TargetRef {
  kind: 'pledge' | 'unit';
  id: number;
  label: string;
  href: string;
}

export interface FlagRow {
  id: number;
  targetKey: string;
  target: TargetRef;
  addressKey: string;
  firstAt: string;
  lastAt: string;
  voteCount: number;
  status: 'open' | 'accepted' | 'discounted';
  note: string;
  decidedAt: string | null;
  decidedBy: string | null;
  votes: { kind: CommentKind; answer: string; comment: string; at: string }[];
}

export interface PendingComment {
  kind: CommentKind;
  id: number;
  target: TargetRef;
  answer: string;
  comment: string;
  at: string;
  /** The vote sits in a stuffing flag that is not accepted. */
  held: boolean;
}

/** Up to this many of a flag's votes are listed on the queue page. */
const VOTES_LISTED = 200;

export function createRatingsOffice(db: Db) {
  /** Names the pledges and units behind target keys, in one query each. */
  function resolveTargets(keys: string[]): Map<string, TargetRef> {
    const out = new Map<string, TargetRef>();
    // A flag on confirm/dispute votes carries '#check' after the pledge's key (stuffing.ts).
    const idOf = (k: string) => Number(k.slice(2).split('#')[0]);
    const pledgeIds = keys.filter((k) => k.startsWith('p:')).map(idOf);
    const unitIds = keys.filter((k) => k.startsWith('u:')).map(idOf);
    if (pledgeIds.length) {
      for (const p of db.all<{ id: number; title: string }>(sql`SELECT id, title FROM pledges WHERE id IN (${sql.join(pledgeIds.map((id) => sql`${id}`), sql`, `)})`)) {
        out.set(`p:${p.id}`, { kind: 'pledge', id: p.id, label: p.title, href: `/pledges/${p.id}` });
      }
    }
    if (unitIds.length) {
      for (const u of db.all<{ id: number; name: string; slug: string }>(sql`SELECT id, name, slug FROM units WHERE id IN (${sql.join(unitIds.map((id) => sql`${id}`), sql`, `)})`)) {
        out.set(`u:${u.id}`, { kind: 'unit', id: u.id, label: u.name, href: `/units/${u.slug}` });
      }
    }
    for (const k of keys) {
      const base = k.split('#')[0];
      if (k !== base && out.has(base)) out.set(k, out.get(base)!);
    }
    return out;
  }
  const unknownTarget = (key: string): TargetRef => ({ kind: key.startsWith('u:') ? 'unit' : 'pledge', id: Number(key.slice(2).split('#')[0]), label: key, href: '' });

  return {
    async counts(): Promise<{ openFlags: number; heldVotes: number; pendingComments: number }> {
      return db.get<{ openFlags: number; heldVotes: number; pendingComments: number }>(sql`SELECT
        (SELECT count(*) FROM vote_flags WHERE status = 'open') AS openFlags,
        (SELECT coalesce(sum(vote_count), 0) FROM vote_flags WHERE status = 'open') AS heldVotes,
        (SELECT count(*) FROM ratings WHERE comment_status = 'pending') + (SELECT count(*) FROM completion_checks WHERE comment_status = 'pending') AS pendingComments`);
    },

    /** Open flags first (oldest first: they have waited longest), then the latest decided ones. */
    async flags(decidedLimit = 20): Promise<FlagRow[]> {
      const rows = db.all<Omit<FlagRow, 'target' | 'votes'>>(sql`
        SELECT * FROM (SELECT f.id, f.target_key AS targetKey, f.address_key AS addressKey, f.first_at AS firstAt, f.last_at AS lastAt, f.vote_count AS voteCount,
          f.status, f.note, f.decided_at AS decidedAt, u.username AS decidedBy
          FROM vote_flags f LEFT JOIN users u ON u.id = f.decided_by WHERE f.status = 'open' ORDER BY f.id)
        UNION ALL
        SELECT * FROM (SELECT f.id, f.target_key, f.address_key, f.first_at, f.last_at, f.vote_count, f.status, f.note, f.decided_at, u.username
          FROM vote_flags f LEFT JOIN users u ON u.id = f.decided_by WHERE f.status <> 'open' ORDER BY f.decided_at DESC LIMIT ${decidedLimit})`);
      const targets = resolveTargets([...new Set(rows.map((r) => r.targetKey))]);
      return rows.map((r) => ({
        ...r,
        target: targets.get(r.targetKey) ?? unknownTarget(r.targetKey),
        votes: db.all<FlagRow['votes'][number]>(sql`
          SELECT kind, answer, comment, at FROM (
            SELECT 'rating' AS kind, value AS answer, comment, created_at AS at FROM ratings WHERE flag_id = ${r.id}
            UNION ALL SELECT 'check', verdict, comment, created_at FROM completion_checks WHERE flag_id = ${r.id}
          ) ORDER BY at LIMIT ${VOTES_LISTED}`),
      }));
    },

    /** Accept (count the held votes) or discount (leave them out). Only an open flag can be decided. */
    async decideFlag(actor: Actor, id: number, decision: 'accept' | 'discount', note: string): Promise<'ok' | 'not_found' | 'decided'> {
      return db.transaction((tx) => {
        const flag = tx.get<{ status: string; voteCount: number; targetKey: string; addressKey: string } | undefined>(
          sql`SELECT status, vote_count AS voteCount, target_key AS targetKey, address_key AS addressKey FROM vote_flags WHERE id = ${id}`,
        );
        if (!flag) return 'not_found';
        if (flag.status !== 'open') return 'decided';
        const status = decision === 'accept' ? 'accepted' : 'discounted';
        tx.run(sql`UPDATE vote_flags SET status = ${status}, note = ${note}, decided_by = ${actor.userId}, decided_at = ${new Date().toISOString()} WHERE id = ${id}`);
        appendAudit(tx, actor, {
          action: `vote_flag.${decision}`,
          entity: 'vote_flag',
          entityId: id,
          before: { status: flag.status },
          after: { status, note, votes: flag.voteCount, target: flag.targetKey },
        });
        return 'ok';
      });
    },

    async pendingComments(limit = 100): Promise<PendingComment[]> {
      const rows = db.all<Omit<PendingComment, 'target' | 'held'> & { targetKey: string; held: number }>(sql`
        SELECT kind, id, targetKey, answer, comment, at, held FROM (
          SELECT 'rating' AS kind, r.id, r.target_key AS targetKey, r.value AS answer, r.comment, r.updated_at AS at,
            (r.flag_id IS NOT NULL AND (SELECT status FROM vote_flags WHERE id = r.flag_id) <> 'accepted') AS held
          FROM ratings r WHERE r.comment_status = 'pending'
          UNION ALL
          SELECT 'check', c.id, 'p:' || c.pledge_id, c.verdict, c.comment, c.updated_at,
            (c.flag_id IS NOT NULL AND (SELECT status FROM vote_flags WHERE id = c.flag_id) <> 'accepted')
          FROM completion_checks c WHERE c.comment_status = 'pending'
        ) ORDER BY at LIMIT ${limit}`);
      const targets = resolveTargets([...new Set(rows.map((r) => r.targetKey))]);
      return rows.map(({ targetKey, held, ...r }) => ({ ...r, held: Boolean(held), target: targets.get(targetKey) ?? unknownTarget(targetKey) }));
    },

    /** Publish or reject a comment; the text stays as sent either way. */
    async moderate(actor: Actor, kind: CommentKind, id: number, action: 'publish' | 'reject', seen: string): Promise<'ok' | 'not_found' | 'changed'> {
      const table = sql.raw(kind === 'rating' ? 'ratings' : 'completion_checks');
      return db.transaction((tx) => {
        const row = tx.get<{ status: string; updatedAt: string } | undefined>(sql`SELECT comment_status AS status, updated_at AS updatedAt FROM ${table} WHERE id = ${id} AND comment_status <> 'none'`);
        if (!row) return 'not_found';
        // The voter changed the comment after the moderator read it: the decision would cover unread text.
        if (row.updatedAt !== seen) return 'changed';
        const status = action === 'publish' ? 'published' : 'rejected';
        tx.run(sql`UPDATE ${table} SET comment_status = ${status} WHERE id = ${id}`);
        appendAudit(tx, actor, { action: `rating_comment.${action}`, entity: kind === 'rating' ? 'rating' : 'completion_check', entityId: id, before: { commentStatus: row.status }, after: { commentStatus: status } });
        return 'ok';
      });
    },
  };
}
