// Public read queries the page read models do not already have: the stream of progress updates
// (API and feeds), newly published pledges (feeds), and when the public record last changed
// (Last-Modified). Drafts never leave this file: every query carries the published test
// (isPublishedSql).
//
// These answer feeds that readers poll and API pages, so none of them may read the whole
// record per request (issue 7): each page walks an index in its order and stops after the
// page, every statement is compiled once, and the figures that do need every row (how many
// updates a filter matches) are kept per data version.
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core';
import { campaigns, type PledgeStatus, type PledgeTier } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { isPublishedSql } from '../pledges/conditions.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';

export interface UpdateFilter {
  campaignId?: number;
  /** Updates on pledges this unit leads, and updates it posted as a co-unit. */
  unitId?: number;
  pledgeId?: number;
  categoryId?: number;
}

export interface PublishedFilter {
  campaignId?: number;
  unitId?: number;
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

export interface PublishedPledge {
  id: number;
  title: string;
  tier: PledgeTier;
  commitment: string;
  standard: string;
  startOn: string;
  dueOn: string;
  publishedAt: string;
  leadUnit: { id: number; slug: string; name: string };
  category: { slug: string; nameZh: string; nameEn: string } | null;
}

/**
 * The published test as SQL text, for the hand-written statements below: one definition for
 * every query (it names the table "pledges", so those statements leave that table unaliased).
 */
const PUBLISHED = new SQLiteSyncDialect().sqlToQuery(isPublishedSql).sql;

/** Statements kept per filter shape (a handful of shapes exist; the bound is a safeguard). */
const MAX_SHAPES = 64;

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

export function createOpenDataQueries(
  db: Db,
  opts: {
    /**
     * Where to keep figures for one data version: when the record last changed (every open-data
     * response asks, for Last-Modified) and how many updates each filter matches. Without it
     * they are read on every call.
     */
    aggregates?: AggregateMemo;
  } = {},
) {
  const sqlite = db.$client;
  const perVersion = <T>(key: string, read: () => T): Promise<T> => (opts.aggregates ? opts.aggregates.get(key, async () => read()) : Promise.resolve(read()));

  // Every max() answers from an index (units and campaigns are small); the value is still kept
  // per data version, as it changes only with the data.
  const lastWriteQuery = preparedOnce(() =>
    sqlite
      .prepare<[], string | null>(
        `SELECT max(at) AS at FROM (
          SELECT max(updated_at) AS at FROM pledges
          UNION ALL SELECT max(created_at) FROM progress_updates
          UNION ALL SELECT max(updated_at) FROM units
          UNION ALL SELECT max(updated_at) FROM campaigns
          UNION ALL SELECT max(updated_at) FROM ratings
          UNION ALL SELECT max(updated_at) FROM completion_checks
          UNION ALL SELECT at FROM audit_log WHERE id = (SELECT max(id) FROM audit_log))`,
      )
      .pluck(),
  );
  const campaignZonesQuery = preparedOnce(() => db.selectDistinct({ timeZone: campaigns.timeZone }).from(campaigns).prepare());

  // ---- progress updates ------------------------------------------------------------------

  const statements = new Map<string, ReturnType<typeof sqlite.prepare>>();
  function statement(key: string, source: () => string) {
    let found = statements.get(key);
    if (!found) {
      found = sqlite.prepare(source());
      statements.set(key, found);
      if (statements.size > MAX_SHAPES) statements.delete(statements.keys().next().value!);
    }
    return found;
  }

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

  // ---- newly published pledges ------------------------------------------------------------

  /**
   * Walks the pledges' published_at index newest first and stops after the page (the index's
   * entries end in the rowid, so "published_at DESC, id DESC" is its own order).
   */
  const publishedQuery = (f: PublishedFilter) =>
    statement(`published|${f.campaignId !== undefined ? 'c' : ''}${f.unitId !== undefined ? 'u' : ''}${f.categoryId !== undefined ? 'k' : ''}`, () => {
      const tests = [PUBLISHED, 'pledges.published_at IS NOT NULL'];
      if (f.campaignId !== undefined) tests.push('pledges.campaign_id = @campaignId');
      if (f.unitId !== undefined) tests.push('pledges.lead_unit_id = @unitId');
      if (f.categoryId !== undefined) tests.push('pledges.category_id = @categoryId');
      return `SELECT pledges.id, pledges.title, pledges.tier, pledges.commitment, pledges.standard, pledges.start_on, pledges.due_on, pledges.published_at,
          lead.id, lead.slug, lead.name, category.slug, category.name_zh, category.name_en
        FROM pledges
        JOIN units lead ON lead.id = pledges.lead_unit_id
        LEFT JOIN categories category ON category.id = pledges.category_id
        WHERE ${tests.join(' AND ')}
        ORDER BY pledges.published_at DESC, pledges.id DESC
        LIMIT @limit + 0`;
    }).raw();

  type PublishedValues = [number, string, PledgeTier, string, string, string, string, string, number, string, string, string | null, string | null, string | null];

  const publishedPledgeQuery = preparedOnce(() =>
    sqlite.prepare<{ id: number }, { id: number; title: string }>(`SELECT pledges.id, pledges.title FROM pledges WHERE pledges.id = @id AND ${PUBLISHED}`),
  );

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

    /** Published pledges, the most recently published first. */
    async recentlyPublished(filter: PublishedFilter, limit: number): Promise<PublishedPledge[]> {
      const values: Record<string, number> = { limit };
      if (filter.campaignId !== undefined) values.campaignId = filter.campaignId;
      if (filter.unitId !== undefined) values.unitId = filter.unitId;
      if (filter.categoryId !== undefined) values.categoryId = filter.categoryId;
      return (publishedQuery(filter).all(values) as PublishedValues[]).map((v) => ({
        id: v[0],
        title: v[1],
        tier: v[2],
        commitment: v[3],
        standard: v[4],
        startOn: v[5],
        dueOn: v[6],
        publishedAt: v[7],
        leadUnit: { id: v[8], slug: v[9], name: v[10] },
        category: v[11] === null ? null : { slug: v[11], nameZh: v[12]!, nameEn: v[13]! },
      }));
    },

    /** A published pledge's id and title; undefined for drafts and unknown ids. */
    async publishedPledge(id: number): Promise<{ id: number; title: string } | undefined> {
      return publishedPledgeQuery().get({ id });
    },

    /**
     * When anything public last changed: writes through the app are audited (votes are not —
     * their own timestamps count), and the tables' timestamps cover rows written by other tools
     * (demo loader, dataset generator).
     */
    async lastWriteAt(): Promise<string | null> {
      return perVersion('open-data:last-write', () => lastWriteQuery().get() ?? null);
    },

    async campaignZones(): Promise<string[]> {
      return perVersion('open-data:campaign-zones', () =>
        campaignZonesQuery()
          .all()
          .map((c) => c.timeZone),
      );
    },
  };
}
export type OpenDataQueries = ReturnType<typeof createOpenDataQueries>;
