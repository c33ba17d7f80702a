// Demands for the tests, made through the repository the routes use, and the small helpers
// the report form needs (a signed "form served at" time old enough to pass the fill-time check).
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { auditLog, demands } from '../../db/schema.ts';
import { createDemandRepository, type NewDemand } from '../../src/demands/repository.ts';
import type { Fixtures } from '../helpers.ts';

export const ADMIN = (f: Fixtures) => ({ userId: f.users.admin, username: 'admin' });

export function demandInput(f: Fixtures, overrides: Partial<NewDemand> = {}): NewDemand {
  return {
    channel: 'web',
    source: '',
    externalRef: null,
    campaignId: f.campaignId,
    categoryId: f.categoryId,
    districtUnitId: f.districtId,
    text: '小区自来水水压不足，高层住户白天经常没水',
    address: '历下区文化东路12号3单元501室',
    reportedAt: new Date(Date.now() - 86_400_000).toISOString(),
    reporterName: '王小明',
    reporterPhone: '13912345678',
    reporterContact: 'wang@example.com',
    ...overrides,
  };
}

export async function makeDemand(app: FastifyInstance, f: Fixtures, overrides: Partial<NewDemand> = {}) {
  const created = await createDemandRepository(app.db).create(ADMIN(f), demandInput(f, overrides));
  return created;
}

export function demandRow(app: FastifyInstance, id: number) {
  return app.db.select().from(demands).where(eq(demands.id, id)).get()!;
}

export function auditFor(app: FastifyInstance, entity: string, entityId: number | string) {
  return app.db
    .select()
    .from(auditLog)
    .all()
    .filter((a) => a.entity === entity && a.entityId === String(entityId));
}

/** The hidden "form served at" field, signed as the server signs it, `ageMs` in the past. */
export function startedField(app: FastifyInstance, ageMs = 10_000): string {
  return app.signCookie(String(Date.now() - ageMs));
}

/** A report form as a browser on the site would post it (same-origin). */
export function reportForm(app: FastifyInstance, f: Fixtures, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    categoryId: String(f.categoryId),
    districtUnitId: String(f.districtId),
    text: '路灯坏了一个月，晚上很黑，请尽快修理',
    address: '历下区文化东路与历山路路口',
    name: '李四',
    contact: '13800001111',
    website: '',
    started: startedField(app),
    ...overrides,
  };
}

export function trackingNoFrom(location: string | undefined): string {
  const m = /^\/reports\/([0-9A-Z-]{19})\?submitted=1$/.exec(location ?? '');
  if (!m) throw new Error(`not a tracking page redirect: ${location}`);
  return m[1];
}
