// Tokens of the intake API. Only a sha256 of each token is stored: a copy of the database does
// not let anyone post reports. The token itself is shown once, when it is made.
import { createHash, randomBytes } from 'node:crypto';
import { desc, eq, isNull, and } from 'drizzle-orm';
import { apiTokens, users } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export const TOKEN_PREFIX = 'pbi_';
/** last_used_at is written at most this often, so a busy hotline system does not write on every call. */
const TOUCH_EVERY_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function createTokenRepository(db: Db) {
  return {
    async list() {
      return db
        .select({ id: apiTokens.id, name: apiTokens.name, createdAt: apiTokens.createdAt, revokedAt: apiTokens.revokedAt, lastUsedAt: apiTokens.lastUsedAt, createdBy: users.username })
        .from(apiTokens)
        .leftJoin(users, eq(users.id, apiTokens.createdBy))
        .orderBy(desc(apiTokens.id))
        .all();
    },

    async create(actor: Actor, name: string): Promise<{ id: number; token: string }> {
      const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
      return db.transaction((tx) => {
        const row = tx.insert(apiTokens).values({ name, tokenHash: hashToken(token), createdBy: actor.userId }).returning({ id: apiTokens.id }).get();
        appendAudit(tx, actor, { action: 'api_token.create', entity: 'api_token', entityId: row.id, after: { name } });
        return { id: row.id, token };
      });
    },

    async revoke(actor: Actor, id: number): Promise<boolean> {
      return db.transaction((tx) => {
        const row = tx
          .update(apiTokens)
          .set({ revokedAt: new Date().toISOString() })
          .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
          .returning({ id: apiTokens.id, name: apiTokens.name })
          .get();
        if (!row) return false;
        appendAudit(tx, actor, { action: 'api_token.revoke', entity: 'api_token', entityId: id, after: { name: row.name } });
        return true;
      });
    },

    /** The live token a bearer presents, or undefined. */
    async authenticate(token: string): Promise<{ id: number; name: string } | undefined> {
      const row = db.select().from(apiTokens).where(eq(apiTokens.tokenHash, hashToken(token))).get();
      if (!row || row.revokedAt) return undefined;
      const now = Date.now();
      if (!row.lastUsedAt || now - Date.parse(row.lastUsedAt) > TOUCH_EVERY_MS) {
        db.update(apiTokens).set({ lastUsedAt: new Date(now).toISOString() }).where(eq(apiTokens.id, row.id)).run();
      }
      return { id: row.id, name: row.name };
    },
  };
}
export type TokenRepository = ReturnType<typeof createTokenRepository>;
