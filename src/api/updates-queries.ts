// The stream of progress updates on published pledges (the API's pages and the feeds), newest
// first. A page is read by one of two plans, chosen per filter from how many updates it matches:
// walking every update in time order until the page is full, or collecting the filter's own
// updates from their indexes and sorting them. Each plan is compiled once per filter shape; how
// many updates a filter matches is kept per data version (issue 7: no request reads the whole
// record). Drafts never leave this file: every statement carries the published test.
import type { PledgeStatus } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';
import { PUBLISHED, keptPerVersion, statementsByShape } from './open-data-statements.ts';

export interface UpdateFilter {
  campaignId?: number;
  /** Updates on pledges this unit leads, and updates it posted as a co-unit. */
  unitId?: number;
  pledgeId?: number;
  categoryId?: number;
}

/** A progress update as the API and the feeds show it (the API's field order). */
export interface PublicUpdate {
  id: number;
  happenedOn: string;
  body: string;
  progress: number | null;
  status: PledgeStatus | null;
  reason: string;
  createdAt: string;
  pledge: { id: number; title: string };
  unit: { id: number; slug: string; name: string };
}

type UpdateValues = [number, string, string, number | null, PledgeStatus | null, string, string, number, string, number, string, string];

/** The columns of PublicUpdate, in its order; `pledge` names the table or alias the title comes from. */
const updateColumns = (pledge: string) =>
  `pu.id, pu.happened_on, pu.body, pu.progress, pu.status, pu.reason, pu.created_at, ${pledge}.id, ${pledge}.title, poster.id, poster.slug, poster.name`;

function updateFromValues(v: UpdateValues): PublicUpdate {
  return {
    id: v[0],
    happenedOn: v[1],
    body: v[2],
    progress: v[3],
    status: v[4],
    reason: v[5],
    createdAt: v[6],
    pledge: { id: v[7], title: v[8] },
    unit: { id: v[9], slug: v[10], name: v[11] },
  };
}

/** Which filters are set: the statements differ by shape, the values are bound per request. */
function updateShape(f: UpdateFilter): string {
  return `${f.campaignId !== undefined ? 'c' : ''}${f.categoryId !== undefined ? 'k' : ''}${f.unitId !== undefined ? 'u' : ''}${f.pledgeId !== undefined ? 'p' : ''}`;
}

function updateValues(f: UpdateFilter): Record<string, number> {
  const values: Record<string, number> = {};
  if (f.campaignId !== undefined) values.campaignId = f.campaignId;
  if (f.categoryId !== undefined) values.categoryId = f.categoryId;
  if (f.unitId !== undefined) values.unitId = f.unitId;
  if (f.pledgeId !== undefined) values.pledgeId = f.pledgeId;
  return values;
}

/**
 * How much dearer a row passed by the walk is than a row collected by the set plan: the walk
 * reads each update and its pledge one by one, the set reads a pledge's updates together.
 * Measured on the scale-10 dataset at about 3 (a busy unit) to 5 (a category).
 */
const WALK_ROW_COST = 3;

/**
 * The walk looks at no more than this many times the updates it expects to pass: a filter whose
 * updates are not spread evenly in time (a campaign that ended, a unit gone quiet) would
 * otherwise be walked to through everything posted since. Past that it is collected instead.
 */
const WALK_BUDGET_FACTOR = 4;

/** Filters counted per data version at most (each count is an indexed read of the filter's updates). */
const COUNTS_KEPT = 5_000;

export function createUpdateStreamQueries(
  db: Db,
  opts: {
    /** Where to keep how many updates each filter matches for one data version; without it they are counted on every call. */
    aggregates?: AggregateMemo;
  } = {},
) {
  const perVersion = keptPerVersion(opts.aggregates);
  const statement = statementsByShape(db.$client);

  /** A filter's tests on the pledge (the table named "pledges") and on the update (pu). */
  function pledgeTests(f: UpdateFilter): string {
    const tests = [PUBLISHED];
    if (f.campaignId !== undefined) tests.push('pledges.campaign_id = @campaignId');
    if (f.categoryId !== undefined) tests.push('pledges.category_id = @categoryId');
    if (f.pledgeId !== undefined) tests.push('pledges.id = @pledgeId');
    return tests.join(' AND ');
  }

  /**
   * The newest updates by walking progress_updates in time order (its created_at index) and
   * testing each one's pledge, stopping after the page: the plan when the filter matches a
   * good share of the record, so the walk is short. The walk looks only at the newest @window
   * updates (read from the index alone): when fewer than the page match there, the caller
   * collects the page instead. Any match outside the window is older than every update in it,
   * so a page found inside it is exact.
   *
   * CROSS JOIN keeps the window the outer loop (SQLite would otherwise walk progress_updates
   * itself and look each row up in the window), and ordering by the window's own columns lets
   * it stream the window in its order and stop at the page, without a sort. The test is a
   * correlated lookup rather than a join condition: as a join condition SQLite (with
   * statistics) first builds a Bloom filter over every pledge, a full scan per request.
   */
  const walkQuery = (f: UpdateFilter) =>
    statement(`walk|${updateShape(f)}`, () => {
      const tests = [pledgeTests(f)];
      // A unit's stream: the pledges it leads, or what it posted as a co-unit.
      if (f.unitId !== undefined) tests.push('(pledges.lead_unit_id = @unitId OR pu.unit_id = @unitId)');
      return `SELECT ${updateColumns('pl')}
        FROM (SELECT recent.id, recent.created_at FROM progress_updates recent ORDER BY recent.created_at DESC, recent.id DESC LIMIT @window + 0) newest
        CROSS JOIN progress_updates pu ON pu.id = newest.id
        JOIN pledges pl ON pl.id = pu.pledge_id
        JOIN units poster ON poster.id = pu.unit_id
        WHERE (SELECT ${tests.join(' AND ')} FROM pledges WHERE pledges.id = pu.pledge_id)
        ORDER BY newest.created_at DESC, newest.id DESC
        LIMIT @limit + 0 OFFSET @offset + 0`;
    }).raw();

  /**
   * The newest updates by collecting the filter's updates from its own indexes (a pledge's, a
   * category's pledges, a unit's pledges and postings) and sorting them: the plan when the
   * filter matches few updates, where a walk in time order would pass many before the page.
   * (`LIMIT ? + 0`: see boundLimit in src/plugins/statement-cache.ts.)
   */
  const setQuery = (f: UpdateFilter) =>
    statement(`set|${updateShape(f)}`, () => {
      const tests = [pledgeTests(f)];
      if (f.unitId !== undefined) {
        // Two indexed sets (pledges it leads; what it posted), not an OR across the two
        // tables, which no index can serve.
        tests.push(`pu.id IN (
          SELECT lu.id FROM progress_updates lu JOIN pledges lp ON lp.id = lu.pledge_id WHERE lp.lead_unit_id = @unitId
          UNION SELECT cu.id FROM progress_updates cu WHERE cu.unit_id = @unitId)`);
      }
      return `SELECT ${updateColumns('pledges')}
        FROM progress_updates pu
        JOIN pledges ON pledges.id = pu.pledge_id
        JOIN units poster ON poster.id = pu.unit_id
        WHERE ${tests.join(' AND ')}
        ORDER BY pu.created_at DESC, pu.id DESC
        LIMIT @limit + 0 OFFSET @offset + 0`;
    }).raw();

  /**
   * How many published updates a filter matches, through the filter's own indexes (the same
   * sets as setQuery). For a pledge it is a handful of rows; for the rest it grows with the
   * filter, so the callers keep it per data version.
   */
  const countQuery = (f: UpdateFilter) =>
    statement(`count|${updateShape(f)}`, () => {
      const tests = [pledgeTests(f)];
      if (f.unitId !== undefined) {
        tests.push(`pu.id IN (
          SELECT lu.id FROM progress_updates lu JOIN pledges lp ON lp.id = lu.pledge_id WHERE lp.lead_unit_id = @unitId
          UNION SELECT cu.id FROM progress_updates cu WHERE cu.unit_id = @unitId)`);
      }
      return `SELECT count(*) FROM progress_updates pu JOIN pledges ON pledges.id = pu.pledge_id WHERE ${tests.join(' AND ')}`;
    }).pluck();

  /** Counts of this data version, by filter: one memo entry, filled as filters are asked for. */
  const versionCounts = () => perVersion('open-data:update-counts', () => new Map<string, number>());

  async function countOf(f: UpdateFilter): Promise<number> {
    const count = () => Number(countQuery(f).get(updateValues(f)) ?? 0);
    if (f.pledgeId !== undefined) return count();
    // No await between reading the map and counting: the count belongs to the map's version.
    const counts = await versionCounts();
    const key = `${f.campaignId ?? ''}|${f.categoryId ?? ''}|${f.unitId ?? ''}`;
    let n = counts.get(key);
    if (n === undefined) {
      n = count();
      if (counts.size >= COUNTS_KEPT) counts.delete(counts.keys().next().value!);
      counts.set(key, n);
    }
    return n;
  }

  /**
   * One page of a filter's updates, newest first (`matching`: how many the filter matches). The
   * plan is chosen by the counts: walking in time order passes about (end of page × all updates
   * ÷ matching updates) rows; collecting reads each matching update once. A pledge's updates
   * are always collected.
   */
  async function updatePage(f: UpdateFilter, matching: number, page: { limit: number; offset: number }): Promise<PublicUpdate[]> {
    if (page.offset >= matching || page.limit <= 0) return [];
    const values: Record<string, number> = { ...updateValues(f), limit: page.limit, offset: page.offset };
    if (f.pledgeId === undefined) {
      const end = page.offset + page.limit;
      const all = await countOf({});
      const walked = (end * all) / matching;
      if (WALK_ROW_COST * walked <= matching) {
        const rows = walkQuery(f).all({ ...values, window: Math.min(all, Math.ceil(WALK_BUDGET_FACTOR * walked)) }) as UpdateValues[];
        // A full page (or the last, shorter one) means the window held it.
        if (rows.length === Math.min(page.limit, matching - page.offset)) return rows.map(updateFromValues);
      }
    }
    return (setQuery(f).all(values) as UpdateValues[]).map(updateFromValues);
  }

  return {
    /** Progress updates on published pledges, the latest posted first, with how many match (the API's pages). */
    async updates(filter: UpdateFilter, page: { limit: number; offset: number }): Promise<{ total: number; rows: PublicUpdate[] }> {
      const total = await countOf(filter);
      return { total, rows: await updatePage(filter, total, page) };
    },

    /** The latest progress updates on published pledges, newest first (a feed: no total). */
    async latestUpdates(filter: UpdateFilter, limit: number): Promise<PublicUpdate[]> {
      // A campaign's feed (or everything) is most of the newest updates: the walk finds its page
      // among the newest few without counting anything, so a feed polled after each write does
      // not pay for the counts. Otherwise, or if that falls short, the counts choose the plan.
      if (filter.unitId === undefined && filter.categoryId === undefined && filter.pledgeId === undefined && limit > 0) {
        const rows = walkQuery(filter).all({ ...updateValues(filter), limit, offset: 0, window: WALK_BUDGET_FACTOR * limit }) as UpdateValues[];
        if (rows.length === limit) return rows.map(updateFromValues);
      }
      return updatePage(filter, await countOf(filter), { limit, offset: 0 });
    },
  };
}
export type UpdateStreamQueries = ReturnType<typeof createUpdateStreamQueries>;
