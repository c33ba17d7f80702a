// What the sitemap lists: published pledges and units' public pages, with when each last changed.
// The sitemap comes in parts of a fixed range of ids, so a part costs the same however large the
// record grows: each part walks the primary key over its range and stops there.
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql } from '../pledges/conditions.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';

/**
 * Ids per sitemap part (the protocol allows 50,000 URLs; a part of a thousand is about 80 KB
 * and is built from a thousand rows at most, at any size of the record).
 */
export const SITEMAP_PART_SIZE = 1_000;

/** The published test as SQL text (these statements are hand-written, on the unaliased table). */
const PUBLISHED = new SQLiteSyncDialect().sqlToQuery(isPublishedSql).sql;

/** A unit's page is listed while it is active, or while it leads a published pledge (its page still tells that story). */
const UNIT_LISTED = `(units.active OR EXISTS (SELECT 1 FROM pledges WHERE pledges.lead_unit_id = units.id AND ${PUBLISHED}))`;

export interface SitemapPart {
  /** 1-based: part n holds ids from (n - 1) × SITEMAP_PART_SIZE + 1 to n × SITEMAP_PART_SIZE. */
  part: number;
  /** The newest change of anything in it (an ISO instant), when known. */
  lastmod: string | null;
}

export function createSitemapRepository(db: Db) {
  const sqlite = db.$client;
  const range = (part: number) => ({ from: (part - 1) * SITEMAP_PART_SIZE, to: part * SITEMAP_PART_SIZE });

  const pledgeParts = preparedOnce(() =>
    sqlite
      .prepare<[], [number, string | null]>(
        `SELECT (pledges.id - 1) / ${SITEMAP_PART_SIZE} + 1, max(pledges.updated_at) FROM pledges WHERE ${PUBLISHED} GROUP BY 1 ORDER BY 1`,
      )
      .raw(),
  );
  const pledgesIn = preparedOnce(() =>
    sqlite
      .prepare<{ from: number; to: number }, [number, string]>(
        `SELECT pledges.id, pledges.updated_at FROM pledges WHERE pledges.id > @from AND pledges.id <= @to AND ${PUBLISHED} ORDER BY pledges.id`,
      )
      .raw(),
  );
  const unitParts = preparedOnce(() =>
    sqlite
      .prepare<[], [number, string | null]>(`SELECT (units.id - 1) / ${SITEMAP_PART_SIZE} + 1, max(units.updated_at) FROM units WHERE ${UNIT_LISTED} GROUP BY 1 ORDER BY 1`)
      .raw(),
  );
  const unitsIn = preparedOnce(() =>
    sqlite
      .prepare<{ from: number; to: number }, [string, string]>(
        `SELECT units.slug, units.updated_at FROM units WHERE units.id > @from AND units.id <= @to AND ${UNIT_LISTED} ORDER BY units.id`,
      )
      .raw(),
  );

  return {
    /**
     * The parts that hold at least one published pledge (an empty part is not a valid sitemap).
     * Reads every pledge: callers keep it per data version.
     */
    pledgeParts(): SitemapPart[] {
      return pledgeParts()
        .all()
        .map(([part, lastmod]) => ({ part, lastmod }));
    },
    /** One part's published pledges: [id, updated_at], by id. */
    pledges(part: number): [number, string][] {
      return pledgesIn().all(range(part));
    },
    /** The parts that hold at least one listed unit. */
    unitParts(): SitemapPart[] {
      return unitParts()
        .all()
        .map(([part, lastmod]) => ({ part, lastmod }));
    },
    /** One part's listed units: [slug, updated_at], by id. */
    units(part: number): [string, string][] {
      return unitsIn().all(range(part));
    },
  };
}
