// Public read models for pledges: the filtered list and the city-level major items (one pledge
// with everything that happened to it is in detail-queries.ts; the row columns in row-columns.ts,
// the names rows show in row-names.ts; the search's probing in src/search/probe.ts). Drafts never
// leave this file: every query carries isPublishedSql. Overdue comes from src/pledges/conditions.ts
// and status.ts, never re-derived.
import { and, asc, desc, eq, fillPlaceholders, inArray, isNull, sql, type SQL } from 'drizzle-orm';
import {
  campaigns,
  pledgeCoUnits,
  pledges,
  units,
  type PledgeTier,
} from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql, overdueSql, todayPlaceholderSql, todayPlaceholderValues } from './conditions.ts';
import { ftsExpression, queryTerms } from '../search/tokens.ts';
import { prefixEnd, probeTerms } from '../search/fold.ts';
import { PAGE_SIZE, type ListSort, type ListStatus } from './list-schema.ts';
import { boundLimit, preparedOnce } from '../plugins/statement-cache.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';
import { pledgeRowsFromValues, publicRowsQuery, type PledgeRow } from './row-columns.ts';
import { createRowNames } from './row-names.ts';
import { shouldProbe, termsProbe } from '../search/probe.ts';
import { createPledgeDetailQueries } from './detail-queries.ts';

export type { PledgeRow } from './row-columns.ts';

export interface PledgeFilter {
  campaignId?: number;
  leadUnitId?: number;
  /** Pledges where this unit is a co-unit (not the lead). */
  coUnitId?: number;
  categoryId?: number;
  districtUnitId?: number;
  tier?: PledgeTier;
  status?: ListStatus;
  q?: string;
  /** Only pledges that are not sub-tasks of another. */
  topLevel?: boolean;
  /** Published after this instant (ISO-8601 UTC); the press desk's "since the last notice". */
  publishedAfter?: string;
  /** Completed on or after this day (ISO day). */
  completedSince?: string;
  /** Leave these pledges out. */
  excludeIds?: number[];
}

export interface PledgePage {
  rows: PledgeRow[];
  total: number;
  page: number;
  pages: number;
  pageSize: number;
}

/**
 * Which filters a query has (not their values), plus how many campaigns "today" has to cover
 * for the overdue filter: everything that changes the SQL text. Values are placeholders.
 */
interface FilterShape {
  campaign: boolean;
  leadUnit: boolean;
  coUnit: boolean;
  category: boolean;
  district: boolean;
  tier: boolean;
  topLevel: boolean;
  /** 'stored': a status column value; 'overdue': derived from the due date and today. */
  status: 'any' | 'stored' | 'overdue';
  /** Campaigns in the "today" CASE; only with status 'overdue'. */
  campaigns: number;
  publishedAfter: boolean;
  completedSince: boolean;
  excludeIds: boolean;
  match: boolean;
  /**
   * The search's terms for probing, one letter per term: `e` a whole token, `p` a prefix (see
   * conditions). False without a search, or when a term cannot be probed (src/search/fold.ts).
   */
  terms: string | false;
}

interface BoundFilter {
  shape: FilterShape;
  /** The shape as a Map key. */
  key: string;
  /** One value per placeholder in the shape's WHERE. */
  values: Record<string, string | number>;
  /** The search as typed, for the matches' own count (see probes). */
  q?: string;
}

/**
 * Prepared variants kept per query factory. Shapes come from visitors' filter combinations
 * (a few dozen in practice, about 15,000 in theory), so the oldest is dropped past this.
 */
const MAX_VARIANTS = 300;

const ORDER: Record<ListSort, SQL[]> = {
  due_asc: [asc(pledges.dueOn), asc(pledges.id)],
  due_desc: [desc(pledges.dueOn), desc(pledges.id)],
  updated: [desc(pledges.updatedAt), desc(pledges.id)],
  progress_desc: [desc(pledges.progress), asc(pledges.dueOn), asc(pledges.id)],
  progress_asc: [asc(pledges.progress), asc(pledges.dueOn), asc(pledges.id)],
  title: [asc(pledges.title), asc(pledges.id)],
};

export function createPledgeQueries(
  db: Db,
  opts: {
    now?: () => Date;
    fallbackZone?: string;
    /** Where the list's totals and the rows' names are kept for one data version; without it every list counts and reads them afresh. */
    aggregates?: AggregateMemo;
    /** Read every search's page one way instead of choosing by cost (tests compare the two; 'probe' only where the terms allow it). */
    searchPath?: 'probe' | 'matches';
  } = {},
) {
  const now = opts.now ?? (() => new Date());
  const fallbackZone = opts.fallbackZone ?? 'Asia/Shanghai';

  // The campaigns table is small and can change (a new campaign, a zone edited), so "today" is
  // read per query; the read itself is prepared.
  const campaignZones = preparedOnce(() => db.select({ id: campaigns.id, timeZone: campaigns.timeZone }).from(campaigns).orderBy(asc(campaigns.id)).prepare());

  /** A filter's shape and placeholder values; the SQL is built only for a shape not seen before. */
  function bind(f: PledgeFilter, at: Date): BoundFilter {
    const values: Record<string, string | number> = {};
    const overdue = f.status === 'overdue';
    const terms = f.q ? queryTerms(f.q) : [];
    const match = ftsExpression(terms);
    const probe = match === null ? null : probeTerms(terms);
    const shape: FilterShape = {
      campaign: f.campaignId !== undefined,
      leadUnit: f.leadUnitId !== undefined,
      coUnit: f.coUnitId !== undefined,
      category: f.categoryId !== undefined,
      district: f.districtUnitId !== undefined,
      tier: !!f.tier,
      topLevel: !!f.topLevel,
      status: overdue ? 'overdue' : f.status ? 'stored' : 'any',
      campaigns: 0,
      publishedAfter: f.publishedAfter !== undefined,
      completedSince: f.completedSince !== undefined,
      excludeIds: !!f.excludeIds?.length,
      match: match !== null,
      terms: probe ? probe.map((t) => (t.prefix ? 'p' : 'e')).join('') : false,
    };
    if (f.campaignId !== undefined) values.campaignId = f.campaignId;
    if (f.leadUnitId !== undefined) values.leadUnitId = f.leadUnitId;
    if (f.coUnitId !== undefined) values.coUnitId = f.coUnitId;
    if (f.categoryId !== undefined) values.categoryId = f.categoryId;
    if (f.districtUnitId !== undefined) values.districtUnitId = f.districtUnitId;
    if (f.tier) values.tier = f.tier;
    if (overdue) {
      const zones = campaignZones().all();
      shape.campaigns = zones.length;
      Object.assign(values, todayPlaceholderValues(zones, at, fallbackZone));
    } else if (f.status) values.status = f.status;
    if (f.publishedAfter !== undefined) values.publishedAfter = f.publishedAfter;
    if (f.completedSince !== undefined) values.completedSince = f.completedSince;
    if (f.excludeIds?.length) values.excludeIds = JSON.stringify(f.excludeIds);
    if (match !== null) values.match = match;
    if (probe) {
      for (let i = 0; i < probe.length; i++) {
        values[`term${i}`] = probe[i].text;
        if (probe[i].prefix) values[`term${i}End`] = prefixEnd(probe[i].text);
      }
    }
    const key = Object.entries(shape)
      .map(([k, v]) => (v === false ? '' : v === true ? k : `${k}=${v}`))
      .filter(Boolean)
      .join(',');
    return { shape, key, values, q: f.q };
  }

  /**
   * The WHERE of a shape, with a placeholder for every value (see bind). With `probe` the
   * search is one pledge_terms seek per term for each pledge the query walks, instead of the
   * full-text match set (src/search/probe.ts).
   */
  function conditions(s: FilterShape, probe = false): SQL | undefined {
    const where: SQL[] = [isPublishedSql];
    const p = sql.placeholder;
    if (s.campaign) where.push(eq(pledges.campaignId, p('campaignId')));
    if (s.leadUnit) where.push(eq(pledges.leadUnitId, p('leadUnitId')));
    if (s.coUnit) {
      where.push(inArray(pledges.id, db.select({ id: pledgeCoUnits.pledgeId }).from(pledgeCoUnits).where(eq(pledgeCoUnits.unitId, p('coUnitId')))));
    }
    if (s.category) where.push(eq(pledges.categoryId, p('categoryId')));
    if (s.district) where.push(eq(pledges.districtUnitId, p('districtUnitId')));
    if (s.tier) where.push(eq(pledges.tier, p('tier')));
    if (s.topLevel) where.push(isNull(pledges.parentId));
    if (s.status === 'overdue') where.push(overdueSql(todayPlaceholderSql(s.campaigns)));
    else if (s.status === 'stored') where.push(eq(pledges.status, p('status')));
    if (s.publishedAfter) where.push(sql`${pledges.publishedAt} > ${p('publishedAfter')}`);
    if (s.completedSince) where.push(sql`(${pledges.status} = 'completed' AND ${pledges.completedOn} >= ${p('completedSince')})`);
    if (s.excludeIds) where.push(sql`${pledges.id} NOT IN (SELECT value FROM json_each(${p('excludeIds')}))`);
    if (s.match) where.push(probe && s.terms ? termsProbe(s.terms) : sql`${pledges.id} IN (SELECT rowid FROM pledge_search WHERE pledge_search MATCH ${p('match')})`);
    return and(...where);
  }

  const rowsQuery = () => publicRowsQuery(db);

  // Prepared per filter shape (and sort), built the first time a shape is asked for.
  const variants = new Map<string, unknown>();
  function variant<T>(key: string, build: () => T): T {
    const found = variants.get(key) as T | undefined;
    if (found) return found;
    const made = build();
    variants.set(key, made);
    if (variants.size > MAX_VARIANTS) variants.delete(variants.keys().next().value!);
    return made;
  }
  const countOf = (b: BoundFilter) =>
    variant(`count|${b.key}`, () =>
      db
        .select({ n: sql<number>`count(*)` })
        .from(pledges)
        .where(conditions(b.shape))
        .prepare(),
    );
  const pageOf = (b: BoundFilter, sort: ListSort, probe = false) =>
    variant(`page|${sort}|${probe ? 'probe|' : ''}${b.key}`, () =>
      rowsQuery()
        .where(conditions(b.shape, probe))
        .orderBy(...ORDER[sort])
        .limit(boundLimit('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(),
    );
  // A page in two steps (see readsInTwoSteps): its ids, then the rows of those ids in the same order.
  const pageIdsOf = (b: BoundFilter, sort: ListSort, probe = false) =>
    variant(`page-ids|${sort}|${probe ? 'probe|' : ''}${b.key}`, () =>
      db
        .select({ id: pledges.id })
        .from(pledges)
        .where(conditions(b.shape, probe))
        .orderBy(...ORDER[sort])
        .limit(boundLimit('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(),
    );
  const rowsWithIds = (sort: ListSort) =>
    variant(`rows-with-ids|${sort}`, () =>
      rowsQuery()
        .where(and(isPublishedSql, sql`${pledges.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`))
        .orderBy(...ORDER[sort])
        .prepare(),
    );
  const allById = (b: BoundFilter) =>
    variant(`all|${b.key}`, () =>
      rowsQuery()
        .where(conditions(b.shape))
        .orderBy(asc(pledges.id))
        .prepare(),
    );
  const idsOf = (b: BoundFilter) =>
    variant(`ids|${b.key}`, () =>
      db
        .select({ id: pledges.id })
        .from(pledges)
        .where(conditions(b.shape))
        .orderBy(asc(pledges.id))
        .prepare(),
    );

  /**
   * Whether SQLite reads a page in its order from an index rather than sorting every candidate
   * (which would make probing slower than starting from the matches, and is why a page is then
   * read in two steps). Asked of the planner once per shape, sort and way of searching, so an
   * index added later is used without a code change.
   */
  const indexOrdered = new Map<string, boolean>();
  function orderedByIndex(b: BoundFilter, sort: ListSort, values: Record<string, unknown>, probe = true): boolean {
    const key = `${sort}|${probe ? 'probe|' : ''}${b.key}`;
    let known = indexOrdered.get(key);
    if (known === undefined) {
      const query = pageIdsOf(b, sort, probe).getQuery();
      const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...fillPlaceholders(query.params, values)) as { detail: string }[];
      // "FOR RIGHT PART OF ORDER BY" sorts only ties within an index's order: that is fine.
      known = !plan.some((step) => step.detail === 'USE TEMP B-TREE FOR ORDER BY');
      indexOrdered.set(key, known);
      if (indexOrdered.size > MAX_VARIANTS) indexOrdered.delete(indexOrdered.keys().next().value!);
    }
    return known;
  }

  /** Whether to read a search's page by probing (src/search/probe.ts); the figures it needs are kept in the memo, so only with one. */
  function probes(b: BoundFilter, sort: ListSort, found: number, values: Record<string, unknown>, end: number): Promise<boolean> {
    return shouldProbe(
      b.shape,
      found,
      end,
      opts.searchPath,
      opts.aggregates && {
        published: () => total(bind({}, new Date(0))),
        matches: () => total(bind({ q: b.q }, new Date(0))),
        orderedByIndex: () => orderedByIndex(b, sort, values),
      },
    );
  }

  /**
   * Whether a page is read in two steps: its ids (the WHERE, ORDER BY and OFFSET, mostly
   * answered from pledges' indexes), then the columns of those rows only. Read in one step, every pledge SQLite passes
   * on the way to the page has its row read first: the pages before it when an index gives the
   * order, every pledge the filters let through when SQLite sorts them. Two steps are taken once
   * that is more than twice the page's own rows; below that the second statement costs more
   * than it saves.
   */
  function readsInTwoSteps(b: BoundFilter, sort: ListSort, values: { offset: number; limit: number }, probe: boolean, found: number): boolean {
    const rowsRead = orderedByIndex(b, sort, values, probe) ? values.offset + values.limit : found;
    return rowsRead > 2 * values.limit;
  }

  /** How many published pledges a filter matches; kept for one data version when the factory has a memo. */
  function total(b: BoundFilter): Promise<number> {
    const count = async () => countOf(b).get(b.values)?.n ?? 0;
    // A count is a function of the data (and of today, which the data version includes), so it
    // may be kept until the next write; the rows themselves are always read fresh.
    return opts.aggregates ? opts.aggregates.get(`pledge-list-total|${b.key}|${JSON.stringify(b.values)}`, count) : count();
  }

  const leadUnitsQuery = preparedOnce(() =>
    db
      .select({ slug: units.slug, name: units.name })
      .from(units)
      .where(sql`EXISTS (SELECT 1 FROM ${pledges} WHERE ${pledges.leadUnitId} = ${units.id} AND ${isPublishedSql})`)
      .orderBy(asc(units.name))
      .prepare(),
  );

  const rowNames = createRowNames(db, opts.aggregates);
  const details = createPledgeDetailQueries(db, now, rowNames);

  return {
    /** One page of the filtered list. A page past the end shows the last page (so the OFFSET stays bounded). */
    async list(filter: PledgeFilter, o: { sort?: ListSort; page?: number; pageSize?: number } = {}): Promise<PledgePage> {
      const at = now();
      const pageSize = o.pageSize ?? PAGE_SIZE;
      const bound = bind(filter, at);
      const found = await total(bound);
      const pages = Math.max(1, Math.ceil(found / pageSize));
      const page = Math.min(Math.max(1, o.page ?? 1), pages);
      const sort = o.sort ?? 'due_asc';
      const values = { ...bound.values, limit: pageSize, offset: (page - 1) * pageSize };
      const probe = found > 0 && (await probes(bound, sort, found, values, page * pageSize));
      let rows: PledgeRow[] = [];
      if (found) {
        const names = await rowNames.current();
        if (readsInTwoSteps(bound, sort, values, probe, found)) {
          const ids = pageIdsOf(bound, sort, probe).values(values);
          rows = pledgeRowsFromValues(rowsWithIds(sort).values({ ids: JSON.stringify(ids.flat()) }), at, names);
        } else rows = pledgeRowsFromValues(pageOf(bound, sort, probe).values(values), at, names);
      }
      return { rows, total: found, page, pages, pageSize };
    },

    /** Every id the filter matches, unpaged (the press desk prints whole selections; ids only, so it stays small). */
    async ids(filter: PledgeFilter): Promise<number[]> {
      const bound = bind(filter, now());
      return idsOf(bound)
        .all(bound.values)
        .map((r) => r.id);
    },

    /** The city-level major items of a campaign (top level only; their sub-tasks roll up on the pledge page). */
    async majorItems(campaignId: number): Promise<PledgeRow[]> {
      const at = now();
      const bound = bind({ campaignId, tier: 'major', topLevel: true }, at);
      const names = await rowNames.current();
      return pledgeRowsFromValues(allById(bound).values(bound.values), at, names);
    },

    /** Units that lead at least one published pledge, for the list's unit filter. */
    async leadUnits(): Promise<{ slug: string; name: string }[]> {
      return leadUnitsQuery().all();
    },

    /** One published pledge with everything the public may see about it; undefined for drafts and unknown ids. */
    detail: details.detail,
  };
}
export type PledgeQueries = ReturnType<typeof createPledgeQueries>;
export type { PledgeDetail } from './detail-queries.ts';
