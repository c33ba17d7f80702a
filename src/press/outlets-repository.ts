// The outlets the office publishes to (newspapers, TV and radio stations). Never deleted: an
// outlet with notices is part of the record, so one no longer used is deactivated.
import { asc, eq, and, ne } from 'drizzle-orm';
import { outlets, type OutletKind } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';

export type Outlet = typeof outlets.$inferSelect;
export interface OutletInput {
  name: string;
  kind: OutletKind;
  language: 'zh-CN' | 'en';
  sortOrder?: number;
}

export function createOutletRepository(db: Db) {
  return {
    async list(opts: { activeOnly?: boolean } = {}): Promise<Outlet[]> {
      return db
        .select()
        .from(outlets)
        .where(opts.activeOnly ? eq(outlets.active, true) : undefined)
        .orderBy(asc(outlets.sortOrder), asc(outlets.id))
        .all();
    },

    async get(id: number): Promise<Outlet | undefined> {
      return db.select().from(outlets).where(eq(outlets.id, id)).get();
    },

    async nameTaken(name: string, exceptId?: number): Promise<boolean> {
      const where = exceptId === undefined ? eq(outlets.name, name) : and(eq(outlets.name, name), ne(outlets.id, exceptId));
      return !!db.select({ id: outlets.id }).from(outlets).where(where).get();
    },

    async create(actor: Actor, input: OutletInput): Promise<Outlet> {
      return db.transaction((tx) => {
        const row = tx.insert(outlets).values(input).returning().get();
        appendAudit(tx, actor, { action: 'create', entity: 'outlet', entityId: row.id, after: row });
        return row;
      });
    },

    async update(actor: Actor, id: number, input: Partial<OutletInput> & { active?: boolean }): Promise<Outlet | undefined> {
      return db.transaction((tx) => {
        const before = tx.select().from(outlets).where(eq(outlets.id, id)).get();
        if (!before) return undefined;
        const after = tx.update(outlets).set(input).where(eq(outlets.id, id)).returning().get();
        appendAudit(tx, actor, { action: input.active === false ? 'deactivate' : 'update', entity: 'outlet', entityId: id, before, after });
        return after;
      });
    },
  };
}
export type OutletRepository = ReturnType<typeof createOutletRepository>;
