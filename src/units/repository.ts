import { asc, eq, inArray, and } from 'drizzle-orm';
import { units, unitSlugHistory, pledges, DISTRICT_KINDS, type UnitKind } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { reindexPledge } from '../search/repository.ts';

export type Unit = typeof units.$inferSelect;
export type UnitInput = Omit<typeof units.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;

export function createUnitRepository(db: Db) {
  return {
    async list(opts: { activeOnly?: boolean } = {}): Promise<Unit[]> {
      return db
        .select()
        .from(units)
        .where(opts.activeOnly ? eq(units.active, true) : undefined)
        .orderBy(asc(units.name))
        .all();
    },
    async get(id: number): Promise<Unit | undefined> {
      return db.select().from(units).where(eq(units.id, id)).get();
    },
    async getMany(ids: number[]): Promise<Unit[]> {
      if (!ids.length) return [];
      return db.select().from(units).where(inArray(units.id, ids)).all();
    },
    /** Finds a unit by its current slug, or by a retired one (the caller redirects). */
    async bySlug(slug: string): Promise<{ unit: Unit; current: boolean } | undefined> {
      const unit = db.select().from(units).where(eq(units.slug, slug)).get();
      if (unit) return { unit, current: true };
      const old = db
        .select({ unit: units })
        .from(unitSlugHistory)
        .innerJoin(units, eq(units.id, unitSlugHistory.unitId))
        .where(eq(unitSlugHistory.slug, slug))
        .get();
      return old ? { unit: old.unit, current: false } : undefined;
    },
    /** Units that count as a pledge's district (kind county or district). */
    async districts(): Promise<Unit[]> {
      return db
        .select()
        .from(units)
        .where(inArray(units.kind, DISTRICT_KINDS as UnitKind[]))
        .orderBy(asc(units.name))
        .all();
    },
    async children(parentId: number): Promise<Unit[]> {
      return db.select().from(units).where(eq(units.parentId, parentId)).orderBy(asc(units.name)).all();
    },
    async slugTaken(slug: string, exceptUnitId?: number): Promise<boolean> {
      const current = db.select({ id: units.id }).from(units).where(eq(units.slug, slug)).get();
      if (current && current.id !== exceptUnitId) return true;
      const old = db.select({ unitId: unitSlugHistory.unitId }).from(unitSlugHistory).where(eq(unitSlugHistory.slug, slug)).get();
      return !!old && old.unitId !== exceptUnitId;
    },
    async create(actor: Actor, input: UnitInput): Promise<Unit> {
      return db.transaction((tx) => {
        const row = tx.insert(units).values(input).returning().get();
        appendAudit(tx, actor, { action: 'unit.create', entity: 'unit', entityId: row.id, after: row });
        return row;
      });
    },
    /** Updates a unit; a changed slug leaves the old one redirecting, a changed name re-indexes its pledges. */
    async update(actor: Actor, id: number, input: Partial<UnitInput>): Promise<Unit | undefined> {
      return db.transaction((tx) => {
        const before = tx.select().from(units).where(eq(units.id, id)).get();
        if (!before) return undefined;
        const after = tx
          .update(units)
          .set({ ...input, updatedAt: new Date().toISOString() })
          .where(eq(units.id, id))
          .returning()
          .get();
        if (before.slug !== after.slug) {
          tx.delete(unitSlugHistory).where(and(eq(unitSlugHistory.slug, after.slug), eq(unitSlugHistory.unitId, id))).run();
          tx.insert(unitSlugHistory).values({ slug: before.slug, unitId: id }).onConflictDoNothing().run();
        }
        if (before.name !== after.name) {
          for (const p of tx.select({ id: pledges.id }).from(pledges).where(eq(pledges.leadUnitId, id)).all()) reindexPledge(tx, p.id);
        }
        appendAudit(tx, actor, { action: 'unit.update', entity: 'unit', entityId: id, before, after });
        return after;
      });
    },
  };
}
export type UnitRepository = ReturnType<typeof createUnitRepository>;
