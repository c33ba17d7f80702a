import { createHash } from 'node:crypto';
import { desc, eq, and, lt, count, type SQL } from 'drizzle-orm';
import { auditLog } from '../../db/schema.ts';
import type { Db, DbLike } from '../plugins/db.ts';

export interface Actor {
  userId: number | null;
  username: string;
  ip?: string;
}

export interface AuditEntryInput {
  action: string;
  entity: string;
  entityId?: string | number;
  before?: unknown;
  after?: unknown;
}

const GENESIS = '0'.repeat(64);

function canonical(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return JSON.stringify(value);
}

function entryHash(prevHash: string, e: { at: string; userId: number | null; username: string; action: string; entity: string; entityId: string; before: string | null; after: string | null; ip: string }): string {
  return createHash('sha256')
    .update(JSON.stringify([prevHash, e.at, e.userId, e.username, e.action, e.entity, e.entityId, e.before, e.after, e.ip]))
    .digest('hex');
}

/**
 * Append one entry. Synchronous on purpose: call it inside the same better-sqlite3
 * transaction as the write it records, so the two commit or fail together.
 */
export function appendAudit(db: DbLike, actor: Actor, input: AuditEntryInput): void {
  const last = db.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
  const prevHash = last?.hash ?? GENESIS;
  const row = {
    at: new Date().toISOString(),
    userId: actor.userId,
    username: actor.username,
    action: input.action,
    entity: input.entity,
    entityId: input.entityId === undefined ? '' : String(input.entityId),
    before: canonical(input.before),
    after: canonical(input.after),
    ip: actor.ip ?? '',
  };
  db.insert(auditLog)
    .values({ ...row, prevHash, hash: entryHash(prevHash, row) })
    .run();
}

export type AuditRow = typeof auditLog.$inferSelect;

export function createAuditRepository(db: Db) {
  return {
    async list(opts: { entity?: string; entityId?: string; beforeId?: number; limit?: number } = {}): Promise<AuditRow[]> {
      const where: SQL[] = [];
      if (opts.entity) where.push(eq(auditLog.entity, opts.entity));
      if (opts.entityId) where.push(eq(auditLog.entityId, opts.entityId));
      if (opts.beforeId) where.push(lt(auditLog.id, opts.beforeId));
      return db
        .select()
        .from(auditLog)
        .where(where.length ? and(...where) : undefined)
        .orderBy(desc(auditLog.id))
        .limit(opts.limit ?? 50)
        .all();
    },

    /** Walks the chain from the start; returns the first entry whose hash or link is wrong. */
    async verify(): Promise<{ ok: true; count: number } | { ok: false; count: number; badId: number; problem: string }> {
      let prev = GENESIS;
      let count = 0;
      // Iterate rather than load: the log grows without bound.
      const rows = db.$client
        .prepare('SELECT id, at, user_id AS userId, username, action, entity, entity_id AS entityId, before, after, ip, prev_hash AS prevHash, hash FROM audit_log ORDER BY id')
        .iterate() as IterableIterator<AuditRow>;
      for (const row of rows) {
        count++;
        if (row.prevHash !== prev) return { ok: false, count, badId: row.id, problem: 'link to the previous entry is broken' };
        if (entryHash(prev, row) !== row.hash) return { ok: false, count, badId: row.id, problem: 'content does not match its hash' };
        prev = row.hash;
      }
      return { ok: true, count };
    },
  };
}

export interface ChainHead {
  /** The newest entry's id, hash and time, and how many entries the chain holds. */
  id: number;
  hash: string;
  at: string;
  count: number;
}

/**
 * The head of the audit chain, to be published outside the database (the /integrity page, every
 * press notice): whoever holds the file could rebuild the whole chain, but not one that matches
 * a head already printed. Null before the first entry.
 */
export function currentChainHead(db: DbLike): ChainHead | null {
  const last = db.select({ id: auditLog.id, hash: auditLog.hash, at: auditLog.at }).from(auditLog).orderBy(desc(auditLog.id)).limit(1).get();
  if (!last) return null;
  const n = db.select({ n: count() }).from(auditLog).get()?.n ?? 0;
  return { ...last, count: n };
}
