// One-time rating codes printed at a service window. Only each code's sha256 is stored: the
// plaintext exists on the printed sheet and nowhere else, so a copy of the database hands out
// no usable code.
import { createHash, randomInt } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { CODE_ALPHABET, CODE_LENGTH } from './schemas.ts';

export function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

/** 12 characters of a 32-letter alphabet: 60 random bits, far beyond guessing within a code's life. */
export function newCode(): string {
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return out;
}

export interface CodeBatch {
  batch: string;
  createdAt: string;
  expiresAt: string;
  total: number;
  used: number;
}

export type CodeState = { state: 'valid'; unitId: number; unitSlug: string; unitName: string; expiresAt: string } | { state: 'unknown' | 'used' | 'expired' };

export function createCodeRepository(db: Db) {
  return {
    /** Makes `count` codes for a window; returns their plaintexts (to print once) and the batch name. */
    async create(actor: Actor, input: { unitId: number; count: number; days: number; now?: Date }): Promise<{ batch: string; expiresAt: string; codes: string[] }> {
      const now = input.now ?? new Date();
      const createdAt = now.toISOString();
      const expiresAt = new Date(now.getTime() + input.days * 86_400_000).toISOString();
      const batch = `${createdAt.slice(0, 10)}-${newCode().slice(0, 4)}`;
      const codes = Array.from({ length: input.count }, newCode);
      db.transaction((tx) => {
        for (const code of codes) {
          tx.run(sql`INSERT INTO rating_codes (unit_id, code_hash, batch, created_by, created_at, expires_at) VALUES (${input.unitId}, ${hashCode(code)}, ${batch}, ${actor.userId}, ${createdAt}, ${expiresAt})`);
        }
        appendAudit(tx, actor, { action: 'rating_codes.print', entity: 'unit', entityId: input.unitId, after: { batch, count: input.count, expiresAt } });
      });
      return { batch, expiresAt, codes };
    },

    async state(code: string, now = new Date().toISOString()): Promise<CodeState> {
      const row = db.get<{ unitId: number; slug: string; name: string; expiresAt: string; usedAt: string | null } | undefined>(
        sql`SELECT c.unit_id AS unitId, u.slug, u.name, c.expires_at AS expiresAt, c.used_at AS usedAt FROM rating_codes c JOIN units u ON u.id = c.unit_id WHERE c.code_hash = ${hashCode(code)} AND u.active = 1 AND u.is_service_window = 1`,
      );
      if (!row) return { state: 'unknown' };
      if (row.usedAt) return { state: 'used' };
      if (row.expiresAt <= now) return { state: 'expired' };
      return { state: 'valid', unitId: row.unitId, unitSlug: row.slug, unitName: row.name, expiresAt: row.expiresAt };
    },

    /** A window's printed batches, newest first, with how many codes were used. */
    async batches(unitId: number, limit = 20): Promise<CodeBatch[]> {
      return db.all<CodeBatch>(sql`
        SELECT batch, min(created_at) AS createdAt, max(expires_at) AS expiresAt, count(*) AS total, count(used_at) AS used
        FROM rating_codes WHERE unit_id = ${unitId} GROUP BY batch ORDER BY createdAt DESC LIMIT ${limit}`);
    },

    /** Service windows the office may print for. */
    async windows(): Promise<{ id: number; name: string; slug: string }[]> {
      return db.all(sql`SELECT id, name, slug FROM units WHERE is_service_window = 1 AND active = 1 ORDER BY name`);
    },

    async unit(id: number) {
      return db.get<{ id: number; name: string; slug: string; isServiceWindow: number; active: number } | undefined>(
        sql`SELECT id, name, slug, is_service_window AS isServiceWindow, active FROM units WHERE id = ${id}`,
      );
    },
  };
}
