import { asc, eq, inArray, and, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import { units, unitSlugHistory, pledges, DISTRICT_KINDS, type UnitKind } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { appendAudit, type Actor } from '../audit/repository.ts';
import { reindexPledge } from '../search/repository.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import { isPublishedSql } from '../pledges/conditions.ts';

export type Unit = typeof units.$inferSelect;
export type UnitInput = Omit<typeof units.$inferInsert, 'id' | 'createdAt' | 'updatedAt'>;
/** A unit as the pledge list's unit filter offers it. */
export type UnitChoice = { id: number; slug: string; name: string };

/** A LIKE pattern matching names that contain the text as typed (its % and _ are not wildcards). */
function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createUnitRepository(db: Db) {
  // The reads every unit page (and every filtered list) makes, built once.
  const byId = preparedOnce(() => db.select().from(units).where(eq(units.id, sql.placeholder('id'))).prepare());
  const byCurrentSlug = preparedOnce(() => db.select().from(units).where(eq(units.slug, sql.placeholder('slug'))).prepare());
  const byRetiredSlug = preparedOnce(() =>
    db
      .select({ unit: units })
      .from(unitSlugHistory)
      .innerJoin(units, eq(units.id, unitSlugHistory.unitId))
      .where(eq(unitSlugHistory.slug, sql.placeholder('slug')))
      .prepare(),
  );
  // Only units leading a published pledge are offered as the pledge list's unit filter: a draft
  // does not make a unit something the public can filter by.
  const leadsPublishedPledge = sql`EXISTS (SELECT 1 FROM ${pledges} WHERE ${pledges.leadUnitId} = ${units.id} AND ${isPublishedSql})`;
  const choiceColumns = { id: units.id, slug: units.slug, name: units.name };
  const leadUnitChoicesQuery = preparedOnce(() =>
    db.select(choiceColumns).from(units).where(leadsPublishedPledge).orderBy(asc(units.name), asc(units.id)).limit(sql.placeholder('limit')).prepare(),
  );
  const byExactNameQuery = preparedOnce(() =>
    db.select(choiceColumns).from(units).where(eq(units.name, sql.placeholder('name'))).orderBy(asc(units.id)).limit(2).prepare(),
  );
  const leadUnitsNamedQuery = preparedOnce(() =>
    db
      // The total rides along on every row (a window over the matches, before LIMIT): one query
      // tells both which units to offer and how many there are in all.
      .select({ ...choiceColumns, total: sql<number>`count(*) OVER ()` })
      .from(units)
      .where(and(sql`${units.name} LIKE ${sql.placeholder('pattern')} ESCAPE '\\'`, leadsPublishedPledge))
      // Shortest names first: the closer a name is to what was typed, the more of it the text covers.
      .orderBy(sql`length(${units.name})`, asc(units.name), asc(units.id))
      .limit(sql.placeholder('limit'))
      .prepare(),
  );
  const childrenOf = preparedOnce(() =>
    db
      .select()
      .from(units)
      .where(eq(units.parentId, sql.placeholder('parentId')))
      .orderBy(asc(units.name))
      .prepare(),
  );

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
      return byId().get({ id });
    },
    async getMany(ids: number[]): Promise<Unit[]> {
      if (!ids.length) return [];
      return db.select().from(units).where(inArray(units.id, ids)).all();
    },
    /** Finds a unit by its current slug, or by a retired one (the caller redirects). */
    async bySlug(slug: string): Promise<{ unit: Unit; current: boolean } | undefined> {
      const unit = byCurrentSlug().get({ slug });
      if (unit) return { unit, current: true };
      const old = byRetiredSlug().get({ slug });
      return old ? { unit: old.unit, current: false } : undefined;
    },
    /**
     * Units leading at least one published pledge, by name, at most `limit` of them (a caller
     * asks for one more than it will show to learn whether there are more).
     */
    async leadUnitChoices(limit: number): Promise<UnitChoice[]> {
      return leadUnitChoicesQuery().all({ limit });
    },
    /** Units with exactly this name, any unit (at most two: enough to tell one from several). */
    async byExactName(name: string): Promise<UnitChoice[]> {
      return byExactNameQuery().all({ name });
    },
    /** Units leading a published pledge whose name contains the text: the first `limit` and how many in all. */
    async leadUnitsNamed(text: string, limit: number): Promise<{ total: number; rows: UnitChoice[] }> {
      const found = leadUnitsNamedQuery().all({ pattern: containsPattern(text), limit });
      return { total: found[0]?.total ?? 0, rows: found.map(({ id, slug, name }) => ({ id, slug, name })) };
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
      return childrenOf().all({ parentId });
    },
    async slugTaken(slug: string, exceptUnitId?: number): Promise<boolean> {
      const current = db.select({ id: units.id }).from(units).where(eq(units.slug, slug)).get();
      if (current && current.id !== exceptUnitId) return true;
      const old = db.select({ unitId: unitSlugHistory.unitId }).from(unitSlugHistory).where(eq(unitSlugHistory.slug, slug)).get();
      return !!old && old.unitId !== exceptUnitId;
    },
    /** The office's unit list: optional kind and name/slug filter, one page at a time, with each unit's parent. */
    async search(opts: { kind?: UnitKind; q?: string; limit: number; offset: number }): Promise<{ total: number; rows: (Unit & { parentName: string | null })[] }> {
      const parent = alias(units, 'parent');
      const where: SQL[] = [];
      if (opts.kind) where.push(eq(units.kind, opts.kind));
      if (opts.q) {
        const pattern = containsPattern(opts.q);
        where.push(or(sql`${units.name} LIKE ${pattern} ESCAPE '\\'`, sql`${units.slug} LIKE ${pattern} ESCAPE '\\'`)!);
      }
      const cond = where.length ? and(...where) : undefined;
      const total = await db.$count(units, cond);
      const rows = db
        .select({ unit: units, parentName: parent.name })
        .from(units)
        .leftJoin(parent, eq(parent.id, units.parentId))
        .where(cond)
        .orderBy(asc(units.name), asc(units.id))
        .limit(opts.limit)
        .offset(opts.offset)
        .all();
      return { total, rows: rows.map((r) => ({ ...r.unit, parentName: r.parentName })) };
    },
    /** True when giving unitId this parent would make the unit its own ancestor. */
    async wouldCreateCycle(unitId: number, parentId: number): Promise<boolean> {
      if (unitId === parentId) return true;
      // UNION (not UNION ALL) stops the walk even if a cycle somehow already exists.
      const found = db.get<{ found: number } | undefined>(
        sql`WITH RECURSIVE up(id) AS (SELECT ${parentId} UNION SELECT u.parent_id FROM units u JOIN up ON u.id = up.id WHERE u.parent_id IS NOT NULL)
            SELECT 1 AS found FROM up WHERE id = ${unitId} LIMIT 1`,
      );
      return !!found;
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
