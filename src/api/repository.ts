// Public read queries the page read models do not already have: newly published pledges
// (feeds), when the public record last changed (Last-Modified), and the stream of progress
// updates (API and feeds; its plans are in updates-queries.ts). Drafts never leave these files:
// every query carries the published test (isPublishedSql).
//
// These answer feeds that readers poll and API pages, so none of them may read the whole
// record per request (issue 7): each page walks an index in its order and stops after the
// page, every statement is compiled once, and the figures that do need every row (how many
// updates a filter matches) are kept per data version.
import { campaigns, type PledgeTier } from '../../db/schema.ts';
import type { Db } from '../plugins/db.ts';
import { preparedOnce } from '../plugins/statement-cache.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';
import { PUBLISHED, keptPerVersion, statementsByShape } from './open-data-statements.ts';
import { createUpdateStreamQueries } from './updates-queries.ts';

export interface PublishedFilter {
  campaignId?: number;
  unitId?: number;
  categoryId?: number;
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
  const perVersion = keptPerVersion(opts.aggregates);
  const statement = statementsByShape(sqlite);

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
    ...createUpdateStreamQueries(db, opts),

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
