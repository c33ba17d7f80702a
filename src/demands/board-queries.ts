// The public board's reads: the board page (one or two statements per filter shape, probe or
// match), tracking pages, headline counts and a pledge's reports. Only public columns leave here.
import { and, asc, count, desc, eq, fillPlaceholders, inArray, sql, type SQL } from 'drizzle-orm';
import { demands, pledgeDemands, type DemandChannel, type DemandStatus, type PledgeStatus } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { normalizeTrackingNo } from './redact.ts';
import { boundLimit, preparedOnce } from '../plugins/statement-cache.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';
import type { QueryTerm } from '../search/tokens.ts';
import { boardProbeTerms, shouldProbeBoard } from './board-search.ts';
import { type DemandFilter, filterSql, paging } from './sql.ts';
import { listColumns, listQuery } from './listing.ts';

export type DemandBoardOptions = {
  /** Read every board search one way instead of choosing by cost (tests compare the two; 'probe' only where the terms allow it). */
  searchPath?: 'probe' | 'matches';
};

export function createDemandBoardQueries(db: Db, opts: DemandBoardOptions = {}) {
  const searchPath = opts.searchPath;
  // Read by every view of a public pledge page, so compiled once on the plain connection (this
  // hand-written SQL has no drizzle form to prepare). The claimed reports themselves plus the
  // reports merged into them — two indexed lookups (a coalesce(duplicate_of_id, id) test would
  // scan every report on every pledge page). The unary + keeps SQLite from reading the
  // duplicate_of index for IS NULL, which matches nearly all rows.
  const channelsAnswered = preparedOnce(() =>
    db.$client.prepare<{ pledgeId: number }, { channel: DemandChannel; n: number }>(`
      SELECT channel, count(*) AS n FROM (
        SELECT d.channel AS channel FROM pledge_demands pd JOIN demands d ON d.id = pd.demand_id
        WHERE pd.pledge_id = @pledgeId AND +d.duplicate_of_id IS NULL
        UNION ALL
        SELECT d.channel FROM pledge_demands pd JOIN demands d ON d.duplicate_of_id = pd.demand_id
        WHERE pd.pledge_id = @pledgeId
      ) GROUP BY channel ORDER BY n DESC, channel`),
  );

  /**
   * The board's statements for one filter shape, built once (a capped map: shapes are few). A
   * page is read in one statement (its rows with their joins) or in two (the ids in order, then
   * the rows of those ids, see readsInTwoSteps); the count is only asked of the full-text shape.
   */
  function buildBoardShape(conditions: SQL[]) {
    const where = and(sql`${demands.status} <> 'duplicate'`, ...conditions);
    const pageIds = db
      .select({ id: demands.id })
      .from(demands)
      .where(where)
      .orderBy(desc(demands.reportedAt), desc(demands.id))
      .limit(boundLimit('limit'))
      .offset(sql.placeholder('offset'));
    return {
      count: db.select({ n: count() }).from(demands).where(where).prepare(),
      page: listQuery(db, listColumns)
        .where(where)
        .orderBy(desc(demands.reportedAt), desc(demands.id))
        .limit(boundLimit('limit'))
        .offset(sql.placeholder('offset'))
        .prepare(),
      pageIds: pageIds.prepare(),
      /** Whether an index gives the page's order (asked of the planner on first use). */
      ordered: undefined as boolean | undefined,
      planOf: () => pageIds.toSQL(),
    };
  }
  const boardShapes = new Map<string, ReturnType<typeof buildBoardShape>>();
  function boardShape(key: string, conditions: SQL[]) {
    let found = boardShapes.get(key);
    if (!found) {
      found = buildBoardShape(conditions);
      if (boardShapes.size >= 64) boardShapes.delete(boardShapes.keys().next().value!);
      boardShapes.set(key, found);
    }
    return found;
  }

  /** A filter's board shape and its placeholder values (the names bound, in order, are the shape). */
  function boardBound(filter: DemandFilter, probeTerms?: readonly QueryTerm[]) {
    const values: Record<string, string | number> = {};
    const names: string[] = [];
    const conditions = filterSql(filter, { publicOnly: true, probeTerms }, (name, value) => {
      names.push(name);
      values[name] = value;
      return sql.placeholder(name);
    });
    return { shape: boardShape(names.join(','), conditions), values };
  }

  /** Reports on the board a filter matches; kept for one data version with a memo (unfiltered it counts every report). */
  function boardTotal(bound: ReturnType<typeof boardBound>, memo: AggregateMemo | undefined): Promise<number> {
    const { shape, values } = bound;
    const countAll = () => Promise.resolve(shape.count.get(values)?.n ?? 0);
    return memo ? memo.get(`demands:board-total|${JSON.stringify(values)}`, countAll, ['demands']) : countAll();
  }

  /**
   * Whether SQLite walks an index in the board's order for this shape rather than sorting every
   * candidate; asked of the planner once per shape, so an index added later is used as it comes.
   */
  function orderedByIndex(shape: ReturnType<typeof buildBoardShape>, values: Record<string, unknown>): boolean {
    if (shape.ordered === undefined) {
      const query = shape.planOf();
      const plan = db.$client.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...fillPlaceholders(query.params, { limit: 25, offset: 0, ...values })) as { detail: string }[];
      shape.ordered = !plan.some((step) => step.detail === 'USE TEMP B-TREE FOR ORDER BY');
    }
    return shape.ordered;
  }

  /**
   * Whether a page is read in two steps: its ids (the WHERE, ORDER BY and OFFSET on demands
   * alone), then the columns and joins of those rows only. In one step every report SQLite passes
   * on the way to the page is joined first (seven joins and the count of its duplicates): the
   * pages before it when an index gives the order, every candidate when SQLite sorts them (a
   * common word at scale 10: 60,000). Two steps once that is more than twice the page's rows;
   * below it the second statement costs more than it saves.
   */
  function readsInTwoSteps(ordered: boolean, end: number, found: number, limit: number): boolean {
    return (ordered ? end : found) > 2 * limit;
  }

  const boardRowsWithIds = preparedOnce(() =>
    listQuery(db, listColumns)
      .where(sql`${demands.id} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`)
      .orderBy(desc(demands.reportedAt), desc(demands.id))
      .prepare(),
  );

  /** A list row as the public may see it: hidden texts are gone, a draft pledge is not named. */
  function publicRow(r: any) {
    const pledgePublic = r.pledgeId && r.pledgeStatus && r.pledgeStatus !== 'draft';
    return {
      id: r.id as number,
      channel: r.channel as DemandChannel,
      status: r.status as DemandStatus,
      reportedAt: r.reportedAt as string,
      location: r.location as string,
      text: r.textHidden ? null : (r.publicText as string),
      category: r.categoryId ? { slug: r.categorySlug as string, nameZh: r.categoryZh as string, nameEn: r.categoryEn as string } : null,
      district: r.districtName ? { name: r.districtName as string, slug: r.districtSlug as string } : null,
      reportCount: Number(r.reportCount),
      unit: r.claimUnitName ? { name: r.claimUnitName as string, slug: r.claimUnitSlug as string } : null,
      pledge: pledgePublic ? { id: r.pledgeId as number, title: r.pledgeTitle as string, status: r.pledgeStatus as PledgeStatus } : null,
      declineReason: r.status === 'declined' ? (r.declineReason as string) : '',
      declinedBy: r.status === 'declined' ? ((r.declinedByName as string | null) ?? null) : null,
    };
  }

  return {
    /**
     * The report the office names: #123 (its number in the list), its tracking number, or its
     * hotline ticket. Plain digits are a list number when one exists, else a ticket.
     */
    async resolveRef(input: string): Promise<number | undefined> {
      const raw = input.trim();
      const find = (where: SQL) => db.select({ id: demands.id }).from(demands).where(where).orderBy(asc(demands.id)).get()?.id;
      if (/^#\d{1,10}$/.test(raw)) return find(eq(demands.id, Number(raw.slice(1))));
      const trackingNo = normalizeTrackingNo(raw);
      if (trackingNo) {
        const found = find(eq(demands.trackingNo, trackingNo));
        if (found) return found;
      }
      if (/^\d{1,10}$/.test(raw)) {
        const found = find(eq(demands.id, Number(raw)));
        if (found) return found;
      }
      return raw ? find(eq(demands.externalRef, raw)) : undefined;
    },

    /** The tracking page: public facts of one report, and of the report it was merged into. */
    async tracking(trackingNo: string) {
      const own = db.select({ id: demands.id, duplicateOfId: demands.duplicateOfId, trackingNo: demands.trackingNo }).from(demands).where(eq(demands.trackingNo, trackingNo)).get();
      if (!own) return undefined;
      const rows = listQuery(db, listColumns)
        .where(inArray(demands.id, [own.id, ...(own.duplicateOfId ? [own.duplicateOfId] : [])]))
        .all();
      const self = publicRow(rows.find((r: any) => r.id === own.id));
      const canonical = own.duplicateOfId ? publicRow(rows.find((r: any) => r.id === own.duplicateOfId)) : null;
      return { trackingNo: own.trackingNo, self, canonical };
    },

    /**
     * The public board: counts, and a page of redacted canonical reports. Its queries are
     * prepared once per filter shape (values bound per request); with a memo the count of a
     * filter is kept for one data version, since unfiltered it is a count of every report.
     */
    async board(filter: DemandFilter, opts: { page?: number; pageSize?: number; memo?: AggregateMemo } = {}) {
      const pageSize = opts.pageSize ?? 25;
      let bound = boardBound(filter);
      const total = await boardTotal(bound, opts.memo);
      const { page, pages } = paging(total, opts.page, pageSize);
      const end = page * pageSize;
      const terms = filter.q ? boardProbeTerms(filter.q) : null;
      if (terms) {
        const probe = boardBound(filter, terms);
        const memo = opts.memo;
        const costs = memo && {
          walked: () => boardTotal(boardBound({ status: filter.status }), memo),
          matches: () => boardTotal(boardBound({ q: filter.q }), memo),
          orderedByIndex: () => orderedByIndex(probe.shape, probe.values),
        };
        if (await shouldProbeBoard(total, end, searchPath, costs)) bound = probe;
      }
      const values = { ...bound.values, limit: pageSize, offset: end - pageSize };
      let rows: any[] = [];
      if (total && readsInTwoSteps(orderedByIndex(bound.shape, bound.values), end, total, pageSize)) {
        const ids = bound.shape.pageIds.all(values).map((r) => r.id);
        rows = boardRowsWithIds().all({ ids: JSON.stringify(ids) });
      } else if (total) rows = bound.shape.page.all(values);
      return { rows: rows.map(publicRow), total, page, pages };
    },

    /** How many reports came in (duplicates included: each was a report), by one dimension. */
    async countsBy(dimension: 'channel' | 'status' | 'category' | 'district' | 'month', opts: { monthOffset?: string } = {}) {
      switch (dimension) {
        case 'channel':
          return db.all<{ key: string; n: number }>(sql`SELECT channel AS key, count(*) AS n FROM demands GROUP BY channel ORDER BY n DESC`);
        case 'status':
          return db.all<{ key: string; n: number }>(sql`SELECT status AS key, count(*) AS n FROM demands GROUP BY status ORDER BY n DESC`);
        case 'category':
          return db.all<{ key: string; nameZh: string; nameEn: string; n: number }>(
            sql`SELECT c.slug AS key, c.name_zh AS nameZh, c.name_en AS nameEn, count(*) AS n FROM demands d JOIN categories c ON c.id = d.category_id GROUP BY c.id ORDER BY n DESC, c.sort_order`,
          );
        case 'district':
          return db.all<{ key: string; name: string; n: number }>(
            sql`SELECT u.slug AS key, u.name AS name, count(*) AS n FROM demands d JOIN units u ON u.id = d.district_unit_id GROUP BY u.id ORDER BY n DESC, u.name`,
          );
        case 'month':
          return db.all<{ key: string; n: number }>(
            sql`SELECT strftime('%Y-%m', reported_at, ${opts.monthOffset ?? '+0 minutes'}) AS key, count(*) AS n FROM demands GROUP BY key ORDER BY key`,
          );
      }
    },

    /** Totals for the board's headline: reports, and reports whose demand a unit took on. */
    async totals() {
      const row = db.get<{ reports: number; claimed: number; resolved: number; declined: number }>(sql`
        SELECT count(*) AS reports,
          coalesce(sum(c.status IN ('claimed','resolved')), 0) AS claimed,
          coalesce(sum(c.status = 'resolved'), 0) AS resolved,
          coalesce(sum(c.status = 'declined'), 0) AS declined
        FROM demands d JOIN demands c ON c.id = coalesce(d.duplicate_of_id, d.id)`);
      return { reports: Number(row?.reports ?? 0), claimed: Number(row?.claimed ?? 0), resolved: Number(row?.resolved ?? 0), declined: Number(row?.declined ?? 0) };
    },

    /** Public facts of some reports (the claim-into-a-new-pledge form shows what is being claimed). */
    async publicRows(ids: number[]) {
      if (!ids.length) return [];
      return listQuery(db, listColumns).where(inArray(demands.id, ids)).orderBy(asc(demands.reportedAt)).all().map(publicRow);
    },

    /** "answers 17 reports — hotline 12, web 4, survey 1": the reports behind a pledge, duplicates included. */
    async answersFor(pledgeId: number): Promise<{ total: number; byChannel: { channel: DemandChannel; n: number }[] }> {
      const byChannel = channelsAnswered().all({ pledgeId });
      return { total: byChannel.reduce((s, r) => s + Number(r.n), 0), byChannel: byChannel.map((r) => ({ channel: r.channel, n: Number(r.n) })) };
    },

    /** Reports claimed into a pledge (the pledge's workspace lists them). */
    async claimedInto(pledgeId: number) {
      return listQuery(db, { ...listColumns, trackingNo: demands.trackingNo })
        .where(eq(pledgeDemands.pledgeId, pledgeId))
        .orderBy(desc(demands.reportedAt))
        .all() as any[];
    },
  };
}
