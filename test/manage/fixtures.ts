// Pledges for the workspace tests, made through the repositories the routes use.
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { auditLog, pledges, pledgeCoUnits } from '../../db/schema.ts';
import { createPledgeRepository, type DraftInput } from '../../src/pledges/repository.ts';
import type { Fixtures } from '../helpers.ts';

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** A complete, valid draft form for unit A's editor (no lead unit or tier: editors don't send them). */
export function draftFields(f: Fixtures, overrides: Record<string, string | string[]> = {}): Record<string, string | string[]> {
  return {
    campaignId: String(f.campaignId),
    title: '老旧小区供水管网改造',
    commitment: '年内完成 12 个老旧小区供水管网改造',
    standard: '12 个小区全部通水验收，水压达标',
    leadOfficial: '王副局长',
    responsiblePerson: '李科长',
    categoryId: String(f.categoryId),
    districtUnitId: String(f.districtId),
    startOn: addDays(f.today, -30),
    dueOn: addDays(f.today, 120),
    ...overrides,
  };
}

export async function makeDraft(app: FastifyInstance, f: Fixtures, overrides: Partial<DraftInput> = {}) {
  const repo = createPledgeRepository(app.db);
  const result = await repo.createDraft(
    { userId: f.users.admin, username: 'admin' },
    {
      campaignId: f.campaignId,
      leadUnitId: f.unitA.id,
      tier: 'unit',
      title: '老旧小区供水管网改造',
      commitment: '年内完成 12 个老旧小区供水管网改造',
      standard: '12 个小区全部通水验收，水压达标',
      leadOfficial: '王副局长',
      responsiblePerson: '李科长',
      categoryId: f.categoryId,
      districtUnitId: f.districtId,
      startOn: addDays(f.today, -30),
      dueOn: addDays(f.today, 120),
      parentId: null,
      coUnitIds: [],
      ...overrides,
    },
  );
  return result.pledge;
}

export async function makePublished(app: FastifyInstance, f: Fixtures, overrides: Partial<DraftInput> = {}) {
  const draft = await makeDraft(app, f, overrides);
  const result = await createPledgeRepository(app.db).publish({ userId: f.users.admin, username: 'admin' }, draft.id, draft.version);
  if (!result.ok) throw new Error('publish failed');
  return result.pledge;
}

export function pledgeRow(app: FastifyInstance, id: number) {
  return app.db.select().from(pledges).where(eq(pledges.id, id)).get()!;
}

export function coUnitsOf(app: FastifyInstance, id: number): number[] {
  return app.db.select().from(pledgeCoUnits).where(eq(pledgeCoUnits.pledgeId, id)).all().map((r) => r.unitId).sort();
}

export function auditActions(app: FastifyInstance, pledgeId: number): string[] {
  return app.db.select().from(auditLog).where(eq(auditLog.entityId, String(pledgeId))).all().filter((a) => a.entity === 'pledge').map((a) => a.action);
}

/** The hidden version field of a rendered form. */
export function formVersion(html: string): string {
  return /name="version" value="(\d+)"/.exec(html)![1];
}

/** The published-pledge edit form as it loads, with some fields changed. */
export function publishedFields(
  p: { version: number; title: string; commitment: string; standard: string; dueOn: string; leadOfficial: string; responsiblePerson: string; categoryId: number | null; districtUnitId: number | null; coUnitIds?: number[] },
  overrides: Record<string, string | string[]> = {},
) {
  return {
    version: String(p.version),
    title: p.title,
    commitment: p.commitment,
    standard: p.standard,
    amendmentReason: '',
    dueOn: p.dueOn,
    deadlineReason: '',
    leadOfficial: p.leadOfficial,
    responsiblePerson: p.responsiblePerson,
    categoryId: String(p.categoryId),
    districtUnitId: p.districtUnitId ? String(p.districtUnitId) : '',
    ...(p.coUnitIds ? { coUnitIds: p.coUnitIds.map(String) } : {}),
    ...overrides,
  };
}
