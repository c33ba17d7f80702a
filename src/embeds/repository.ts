// What the sitemap lists: published pledges and units' public pages, with when each last changed.
import { and, asc, eq, or, sql } from 'drizzle-orm';
import { pledges, units } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql } from '../pledges/conditions.ts';

export function createSitemapRepository(db: Db) {
  return {
    async pledgeCount(): Promise<number> {
      return Number(db.select({ n: sql<number>`count(*)` }).from(pledges).where(isPublishedSql).get()?.n ?? 0);
    },
    async pledges(limit: number, offset: number) {
      return db
        .select({ id: pledges.id, updatedAt: pledges.updatedAt })
        .from(pledges)
        .where(isPublishedSql)
        .orderBy(asc(pledges.id))
        .limit(limit)
        .offset(offset)
        .all();
    },
    /** Active units, and any unit that leads a published pledge (its page still tells that story). */
    async units() {
      return db
        .select({ slug: units.slug, updatedAt: units.updatedAt })
        .from(units)
        .where(or(eq(units.active, true), sql`EXISTS (SELECT 1 FROM ${pledges} WHERE ${and(eq(pledges.leadUnitId, units.id), isPublishedSql)})`))
        .orderBy(asc(units.id))
        .all();
    },
  };
}
