// The /open-data page (every way to take the public record away) and the bundle download.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createOpenDataQueries } from '../api/repository.ts';
import { allowAnyOrigin, lastModified, sendConditional, weakEtag } from '../api/http.ts';
import { id } from '../validation.ts';
import { optionalParam, badParam, parseQuery, unknownValue } from '../pledges/list-schema.ts';
import { createExportRepository } from './repository.ts';
import { buildBundle, BUNDLE_TABLES } from './bundle.ts';

const bundleQuery = z.object({ campaign: optionalParam(id()) });

/** The last bundle built for each scope, kept until the record changes. */
interface CachedBundle {
  stamp: string;
  built: Promise<{ body: Buffer; etag: string }>;
}
const MAX_CACHED = 8;

export default async function exportsRoutes(app: FastifyInstance) {
  const repo = createExportRepository(app.db);
  const openData = createOpenDataQueries(app.db);
  const campaigns = createCampaignRepository(app.db);
  const cache = new Map<string, CachedBundle>();

  app.get('/open-data', async (request, reply) => {
    const t = request.t;
    return reply.page('exports/open-data', {
      title: t('exports.page.title'),
      description: t('exports.page.description'),
      breadcrumbs: [{ label: t('exports.page.title') }],
      campaigns: await repo.campaignsWithPledges(),
      tables: BUNDLE_TABLES.map((table) => ({ name: table.name, description: t(`exports.bundle.${table.name}`), columns: table.columns.map((c) => c.name) })),
    });
  });

  app.get('/open-data/bundle.zip', async (request, reply) => {
    const t = request.t;
    const parsed = parseQuery(bundleQuery, request.query);
    if (!parsed.ok) throw badParam(t, parsed.param, parsed.value);
    const campaignId = parsed.data.campaign;
    const campaign = campaignId === undefined ? undefined : await campaigns.get(campaignId);
    if (campaignId !== undefined && !campaign) throw unknownValue(t, 'campaign', campaignId);

    const changedAt = lastModified(await openData.lastWriteAt(), await openData.campaignZones());
    const scope = campaignId === undefined ? 'all' : String(campaignId);
    const stamp = changedAt.toISOString();
    let entry = cache.get(scope);
    if (!entry || entry.stamp !== stamp) {
      const built = buildBundle(repo, { publicUrl: app.config.publicUrl, now: new Date(), campaignId, campaignName: campaign?.name }).then((body) => ({ body, etag: weakEtag(body) }));
      entry = { stamp, built };
      cache.delete(scope);
      cache.set(scope, entry);
      if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value!);
      built.catch(() => cache.get(scope) === entry && cache.delete(scope));
    }
    const { body, etag } = await entry.built;
    allowAnyOrigin(reply);
    const name = campaignId === undefined ? 'pledge-board-open-data' : `pledge-board-open-data-campaign-${campaignId}`;
    reply.header('content-disposition', `attachment; filename="${name}-${stamp.slice(0, 10)}.zip"`);
    return sendConditional(request, reply, { body, etag, type: 'application/zip', lastModified: changedAt, cacheControl: 'public, max-age=300' });
  });
}
