// Small pieces every office page shares.
import type { FastifyRequest } from 'fastify';
import type { Access } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { id } from '../validation.ts';
import { noticeQuery } from './schemas.ts';

/** Route options for every /admin page and write: office admins only, per-session CSRF on writes. */
export const adminOnly = { config: { access: ['admin'] as Access } };

/** The numeric :id of a path; anything else is a page that does not exist. */
export function paramId(request: FastifyRequest): number {
  const parsed = id().safeParse((request.params as Record<string, unknown>).id);
  if (!parsed.success) throw new HttpError(404);
  return parsed.data;
}

/** The success message a post/redirect/get asked for with ?saved=…, in the page's language. */
export function noticeFor(request: FastifyRequest, prefix = 'admin.notice'): string | undefined {
  const saved = noticeQuery.safeParse(request.query).data?.saved;
  if (!saved) return undefined;
  const key = `${prefix}.${saved}`;
  const text = request.t(key);
  return text === key ? undefined : text;
}

/** better-sqlite3's error for a UNIQUE index refusing a row (two admins racing for one slug). */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/** A record as the strings its form shows (checkboxes 'on' or absent, empty ids as ''). */
export function asFormValues(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record)) {
    if (v === null || v === undefined || v === false) continue;
    out[k] = v === true ? 'on' : String(v);
  }
  return out;
}

/** A translated label when the interface has one, else the stored word itself (audit actions of later features). */
export function label(request: FastifyRequest, key: string, fallback: string): string {
  const text = request.t(key);
  return text === key ? fallback : text;
}
