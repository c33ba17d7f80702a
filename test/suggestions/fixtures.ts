// Helpers for the suggestions tests: a form as a browser on the site posts it, and rows in each
// moderation state written the way the routes leave them.
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { auditLog, suggestions } from '../../db/schema.ts';
import { encodeForm } from '../helpers.ts';

export const ORIGIN = 'https://pledges.example.gov.cn';
export const FORM = { 'content-type': 'application/x-www-form-urlencoded', origin: ORIGIN, host: 'pledges.example.gov.cn' };

/** The hidden "form served at" field, signed as the server signs it, `ageMs` in the past. */
export function startedField(app: FastifyInstance, ageMs = 10_000): string {
  return app.signCookie(String(Date.now() - ageMs));
}

export function suggestionForm(app: FastifyInstance, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    body: '建议在小区门口增设公交站牌，方便老人出行',
    name: '老王',
    contact: '13912345678',
    website: '',
    started: startedField(app),
    ...overrides,
  };
}

export function post(app: FastifyInstance, form: Record<string, string>, opts: { ip?: string; headers?: Record<string, string> } = {}) {
  return app.inject({ method: 'POST', url: '/suggestions', remoteAddress: opts.ip, headers: opts.headers ?? FORM, payload: encodeForm(form) });
}

export function rows(app: FastifyInstance) {
  return app.db.select().from(suggestions).all();
}

export function row(app: FastifyInstance, id: number) {
  return app.db.select().from(suggestions).where(eq(suggestions.id, id)).get()!;
}

export function auditFor(app: FastifyInstance, id: number) {
  return app.db
    .select()
    .from(auditLog)
    .all()
    .filter((a) => a.entity === 'suggestion' && a.entityId === String(id));
}

/** A suggestion straight into the table (demo-like), in any state. */
export function addSuggestion(app: FastifyInstance, values: Partial<typeof suggestions.$inferInsert> & { campaignId: number; targetKind: 'pledge' | 'unit' | 'campaign'; body: string }): number {
  return app.db.insert(suggestions).values(values).returning({ id: suggestions.id }).get().id;
}
