// Rows for the public pages' tests, written straight into the database the way the unit
// workspace would leave them (published pledges are indexed for search, drafts are not).
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { categories, deadlineChanges, pledgeAmendments, pledgeCoUnits, pledges, progressUpdates, unitSlugHistory, units } from '../../db/schema.ts';
import { reindexPledge } from '../../src/search/repository.ts';
import type { Fixtures } from '../helpers.ts';

/** A calendar day n days after (or before, when negative) another. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export type PledgeInput = Partial<typeof pledges.$inferInsert> & { coUnitIds?: number[] };

/** A published, in-progress pledge led by unit A and due in 30 days, unless told otherwise. */
export function makePledge(app: FastifyInstance, fx: Fixtures, input: PledgeInput = {}): number {
  const { coUnitIds = [], ...values } = input;
  return app.db.transaction((tx) => {
    const status = values.status ?? 'in_progress';
    const row = tx
      .insert(pledges)
      .values({
        campaignId: fx.campaignId,
        leadUnitId: fx.unitA.id,
        title: '测试承诺事项',
        commitment: '承诺内容',
        standard: '完成标准',
        startOn: addDays(fx.today, -60),
        dueOn: addDays(fx.today, 30),
        progress: 0,
        publishedAt: status === 'draft' ? null : new Date().toISOString(),
        ...values,
        status,
      })
      .returning({ id: pledges.id })
      .get();
    for (const unitId of coUnitIds) tx.insert(pledgeCoUnits).values({ pledgeId: row.id, unitId }).run();
    reindexPledge(tx, row.id);
    return row.id;
  });
}

export function addUpdate(app: FastifyInstance, pledgeId: number, input: Partial<typeof progressUpdates.$inferInsert> & { unitId: number; body: string }): number {
  return app.db
    .insert(progressUpdates)
    .values({ pledgeId, happenedOn: input.happenedOn ?? new Date().toISOString().slice(0, 10), ...input })
    .returning({ id: progressUpdates.id })
    .get().id;
}

export function addDeadlineChange(app: FastifyInstance, pledgeId: number, change: { oldDueOn: string; newDueOn: string; reason: string }): void {
  app.db.transaction((tx) => {
    tx.insert(deadlineChanges).values({ pledgeId, ...change }).run();
    tx.update(pledges).set({ dueOn: change.newDueOn }).where(eq(pledges.id, pledgeId)).run();
  });
}

export function addAmendment(app: FastifyInstance, pledgeId: number, a: { field: 'title' | 'commitment' | 'standard'; oldValue: string; newValue: string; reason: string }): void {
  app.db.insert(pledgeAmendments).values({ pledgeId, ...a }).run();
}

export function makeUnit(app: FastifyInstance, input: typeof units.$inferInsert): { id: number; slug: string } {
  const row = app.db.insert(units).values(input).returning().get();
  return { id: row.id, slug: row.slug };
}

/** Renames a unit's slug the way the office does: the old one goes into the history and keeps redirecting. */
export function renameUnitSlug(app: FastifyInstance, unitId: number, oldSlug: string, newSlug: string): void {
  app.db.transaction((tx) => {
    tx.update(units).set({ slug: newSlug }).where(eq(units.id, unitId)).run();
    tx.insert(unitSlugHistory).values({ slug: oldSlug, unitId }).run();
  });
}

export function makeCategory(app: FastifyInstance, input: typeof categories.$inferInsert): number {
  return app.db.insert(categories).values(input).returning().get().id;
}

/** Pledge ids in the order a page's pledge tables list them. */
export function listedIds(html: string): number[] {
  return [...html.matchAll(/class="pledge-title-cell"><a href="\/pledges\/(\d+)">/g)].map((m) => Number(m[1]));
}
