import { and, desc, eq, gt, sql, count } from 'drizzle-orm';
import { createHash } from 'node:crypto';
import { users, sessions, signIns, units, type Role } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export type UserRow = typeof users.$inferSelect;
export interface SessionUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  unitId: number | null;
  unitName: string | null;
  unitSlug: string | null;
}

export function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** idleMs: a session unused this long is over, whatever its absolute expiry says. */
export function createAuthRepository(db: Db, opts: { idleMs: number } = { idleMs: 2 * 3600 * 1000 }) {
  return {
    async findUserByUsername(username: string): Promise<UserRow | undefined> {
      return db.select().from(users).where(eq(users.username, username)).get();
    },

    async findUserById(id: number): Promise<UserRow | undefined> {
      return db.select().from(users).where(eq(users.id, id)).get();
    },

    async listUsers() {
      return db
        .select({
          id: users.id,
          username: users.username,
          displayName: users.displayName,
          role: users.role,
          unitId: users.unitId,
          unitName: units.name,
          unitSlug: units.slug,
          disabledAt: users.disabledAt,
          createdAt: users.createdAt,
        })
        .from(users)
        .leftJoin(units, eq(units.id, users.unitId))
        .orderBy(users.username)
        .all();
    },

    async createUser(actor: Actor, input: { username: string; displayName?: string; role: Role; unitId: number | null; passwordHash: string }) {
      return db.transaction((tx) => {
        const row = tx
          .insert(users)
          .values({ username: input.username, displayName: input.displayName ?? '', role: input.role, unitId: input.unitId, passwordHash: input.passwordHash })
          .returning()
          .get();
        appendAudit(tx, actor, {
          action: 'user.create',
          entity: 'user',
          entityId: row.id,
          after: { username: row.username, role: row.role, unitId: row.unitId, displayName: row.displayName },
        });
        return row;
      });
    },

    async updateUser(actor: Actor, id: number, input: { displayName: string; role: Role; unitId: number | null }) {
      return db.transaction((tx) => {
        const before = tx.select().from(users).where(eq(users.id, id)).get();
        if (!before) return undefined;
        const after = tx.update(users).set(input).where(eq(users.id, id)).returning().get();
        // A role or unit change takes effect at once: end the user's sessions.
        if (before.role !== after.role || before.unitId !== after.unitId) tx.delete(sessions).where(eq(sessions.userId, id)).run();
        appendAudit(tx, actor, {
          action: 'user.update',
          entity: 'user',
          entityId: id,
          before: { displayName: before.displayName, role: before.role, unitId: before.unitId },
          after: { displayName: after.displayName, role: after.role, unitId: after.unitId },
        });
        return after;
      });
    },

    /** Sets a new password and ends every session of the user except, optionally, the one that asked. */
    async setPassword(actor: Actor, userId: number, passwordHash: string, keepSessionId?: string) {
      db.transaction((tx) => {
        tx.update(users).set({ passwordHash, passwordChangedAt: new Date().toISOString() }).where(eq(users.id, userId)).run();
        const all = tx.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, userId)).all();
        for (const s of all) if (s.id !== keepSessionId) tx.delete(sessions).where(eq(sessions.id, s.id)).run();
        appendAudit(tx, actor, { action: 'user.password', entity: 'user', entityId: userId });
      });
    },

    async setDisabled(actor: Actor, userId: number, disabled: boolean) {
      return db.transaction((tx) => {
        const before = tx.select().from(users).where(eq(users.id, userId)).get();
        if (!before) return false;
        tx.update(users)
          .set({ disabledAt: disabled ? new Date().toISOString() : null })
          .where(eq(users.id, userId))
          .run();
        if (disabled) tx.delete(sessions).where(eq(sessions.userId, userId)).run();
        appendAudit(tx, actor, {
          action: disabled ? 'user.disable' : 'user.enable',
          entity: 'user',
          entityId: userId,
          before: { disabledAt: before.disabledAt },
          after: { disabled },
        });
        return true;
      });
    },

    /** ttlMs is the session's absolute lifetime: activity never extends it. */
    async createSession(input: { token: string; userId: number; csrfToken: string; ip: string; userAgent: string; ttlMs: number }) {
      const expiresAt = new Date(Date.now() + input.ttlMs).toISOString();
      db.insert(sessions)
        .values({ id: tokenId(input.token), userId: input.userId, csrfToken: input.csrfToken, ip: input.ip, userAgent: input.userAgent.slice(0, 300), expiresAt })
        .run();
    },

    /** The live session and its user, or undefined when expired (idle or absolute), unknown or the user is disabled. */
    async findSession(token: string): Promise<{ id: string; csrfToken: string; lastSeenAt: string; user: SessionUser } | undefined> {
      const row = db
        .select({
          id: sessions.id,
          csrfToken: sessions.csrfToken,
          lastSeenAt: sessions.lastSeenAt,
          expiresAt: sessions.expiresAt,
          userId: users.id,
          username: users.username,
          displayName: users.displayName,
          role: users.role,
          unitId: users.unitId,
          disabledAt: users.disabledAt,
          unitName: units.name,
          unitSlug: units.slug,
        })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .leftJoin(units, eq(units.id, users.unitId))
        .where(eq(sessions.id, tokenId(token)))
        .get();
      const now = Date.now();
      if (!row || row.disabledAt || Date.parse(row.expiresAt) <= now || Date.parse(row.lastSeenAt) + opts.idleMs <= now) return undefined;
      return {
        id: row.id,
        csrfToken: row.csrfToken,
        lastSeenAt: row.lastSeenAt,
        user: { id: row.userId, username: row.username, displayName: row.displayName, role: row.role, unitId: row.unitId, unitName: row.unitName, unitSlug: row.unitSlug },
      };
    },

    async touchSession(id: string) {
      db.update(sessions).set({ lastSeenAt: new Date().toISOString() }).where(eq(sessions.id, id)).run();
    },

    async deleteSession(id: string) {
      db.delete(sessions).where(eq(sessions.id, id)).run();
    },

    async deleteExpiredSessions() {
      const now = Date.now();
      db.delete(sessions)
        .where(sql`${sessions.expiresAt} <= ${new Date(now).toISOString()} OR ${sessions.lastSeenAt} <= ${new Date(now - opts.idleMs).toISOString()}`)
        .run();
    },

    async recordSignIn(input: { userId: number | null; username: string; ip: string; userAgent: string; success: boolean }) {
      db.insert(signIns)
        .values({ ...input, userAgent: input.userAgent.slice(0, 300) })
        .run();
    },

    async failedSignInsSince(opts: { username?: string; ip?: string; since: Date }): Promise<number> {
      const where = [eq(signIns.success, false), gt(signIns.at, opts.since.toISOString())];
      if (opts.username !== undefined) where.push(eq(signIns.username, opts.username));
      if (opts.ip !== undefined) where.push(eq(signIns.ip, opts.ip));
      return db.select({ n: count() }).from(signIns).where(and(...where)).get()?.n ?? 0;
    },

    async recentSignIns(userId: number, limit = 10) {
      return db.select().from(signIns).where(eq(signIns.userId, userId)).orderBy(desc(signIns.id)).limit(limit).all();
    },
  };
}
export type AuthRepository = ReturnType<typeof createAuthRepository>;
