// Discovery and sharing: status widgets partner sites put in an iframe (a pledge, a unit, the
// campaign), sitemap.xml of the public pages, and the preview image link previews show.
import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { createStatsRepository, type Figures } from '../stats/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { createOpenDataQueries } from '../api/repository.ts';
import { lastModified, sendConditional } from '../api/http.ts';
import { xmlEscape } from '../feeds/atom.ts';
import { createSitemapRepository, type SitemapPart } from './repository.ts';
import { SHARE_IMAGE_PATH } from './share.ts';
import { keptUnitsTable } from '../stats/kept.ts';
import { projectPath } from '../paths.ts';

const shareImage = fs.readFileSync(projectPath('src', 'embeds', 'assets', 'share-preview.png'));

const XML_TYPE = 'application/xml; charset=utf-8';

/**
 * Widgets may be framed by any site: their own frame-ancestors replaces the site-wide 'none'
 * (helmet has already written its headers to the raw response when this runs).
 */
async function frameable(_request: FastifyRequest, reply: FastifyReply, payload: unknown) {
  const csp = reply.raw.getHeader('content-security-policy');
  if (typeof csp === 'string') reply.raw.setHeader('content-security-policy', csp.replace(/frame-ancestors[^;]*/, 'frame-ancestors *'));
  reply.raw.removeHeader('x-frame-options');
  reply.raw.setHeader('cross-origin-resource-policy', 'cross-origin');
  return payload;
}

function idParam(raw: string): number {
  if (!/^[0-9]{1,10}$/.test(raw)) throw new HttpError(404);
  const n = Number(raw);
  if (n < 1 || n > 2 ** 31 - 1) throw new HttpError(404);
  return n;
}

export default async function embedsRoutes(app: FastifyInstance) {
  const publicUrl = app.config.publicUrl;
  const queries = createPledgeQueries(app.db, { fallbackZone: app.config.timeZone, aggregates: app.aggregates });
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });
  const units = createUnitRepository(app.db);
  const campaigns = createCampaignRepository(app.db);
  const openData = createOpenDataQueries(app.db, { aggregates: app.aggregates });
  const sitemap = createSitemapRepository(app.db);
  const widget = { onSend: frameable };

  /**
   * A unit's widget figures. Every unit's are in the units table (one grouped pass, shared with
   * /units and /feeds under the same key), kept per data version: a widget on a partner site is
   * requested far more often than the record changes, and one entry serves every unit.
   */
  async function unitFigures(unitId: number): Promise<Figures> {
    const byUnit = await app.aggregates.get('embeds:unit-figures', async () => {
      const table = await keptUnitsTable(app.aggregates, stats);
      return new Map(table.map((row) => [row.id, row]));
    });
    // The table leaves out units with no published pledge and no child units: those figures are one indexed read.
    return byUnit.get(unitId) ?? stats.unitFigures(unitId);
  }

  app.get('/embed/pledges/:id', widget, async (request, reply) => {
    const detail = await queries.detail(idParam((request.params as { id: string }).id));
    if (!detail) throw new HttpError(404);
    return reply.page('embeds/pledge', { title: detail.pledge.title, pledge: detail.pledge, link: `${publicUrl}/pledges/${detail.pledge.id}` });
  });

  app.get('/embed/units/:slug', widget, async (request, reply) => {
    const found = await units.bySlug((request.params as { slug: string }).slug);
    if (!found) throw new HttpError(404);
    const unit = found.unit;
    return reply.page('embeds/unit', { title: unit.name, unit, figures: await unitFigures(unit.id), link: `${publicUrl}/units/${unit.slug}` });
  });

  app.get('/embed/campaign', widget, async (request, reply) => {
    const campaign = await campaigns.current(todayIn(app.config.timeZone));
    if (!campaign) throw new HttpError(404);
    // The campaign's headline is a pass over all its pledges: kept per data version.
    const figures = await app.aggregates.get(`embeds:headline:${campaign.id}`, () => stats.headline(campaign.id));
    return reply.page('embeds/campaign', { title: campaign.name, campaign, figures, link: `${publicUrl}/` });
  });

  app.get(SHARE_IMAGE_PATH, async (_request, reply) => {
    return reply.type('image/png').header('cache-control', 'public, max-age=86400').header('cross-origin-resource-policy', 'cross-origin').send(shareImage);
  });

  async function sendXml(request: FastifyRequest, reply: FastifyReply, body: string) {
    const changedAt = lastModified(await openData.lastWriteAt(), await openData.campaignZones());
    reply.removeHeader('vary');
    return sendConditional(request, reply, { body, type: XML_TYPE, lastModified: changedAt, cacheControl: 'public, max-age=3600' });
  }

  // The sitemap: /sitemap.xml is always an index (it stays a few lines long), pointing at the
  // static pages and at parts of SITEMAP_PART_SIZE ids each; which parts exist is a figure kept
  // per data version, and each part reads only its own range of ids.
  const origin = xmlEscape(publicUrl);
  const isDay = /^\d{4}-\d{2}-\d{2}$/;
  const lastmodTag = (at: string | null | undefined) => {
    const day = at?.slice(0, 10);
    return day && isDay.test(day) ? `<lastmod>${day}</lastmod>` : '';
  };
  const url = (path: string, lastmod?: string | null) => `  <url><loc>${origin}${path}</loc>${lastmodTag(lastmod)}</url>`;
  const urlset = (lines: string[]) => ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...lines, '</urlset>', ''].join('\n');
  const STATIC_PAGES = ['/', '/pledges', '/units', '/league', '/notices', '/suggestions', '/demands', '/feeds', '/open-data', '/api/docs', '/about'];

  const sitemapParts = () => app.aggregates.get('sitemap:parts', async () => ({ units: sitemap.unitParts(), pledges: sitemap.pledgeParts() }));

  const sitemapEntry = (path: string, lastmod?: string | null) => `  <sitemap><loc>${origin}${path}</loc>${lastmodTag(lastmod)}</sitemap>`;
  const partEntries = (kind: 'units' | 'pledges', list: SitemapPart[]) => list.map((p) => sitemapEntry(`/sitemaps/${kind}-${p.part}.xml`, p.lastmod));

  app.get('/sitemap.xml', async (request, reply) => {
    const parts = await sitemapParts();
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      sitemapEntry('/sitemaps/main.xml'),
      ...partEntries('units', parts.units),
      ...partEntries('pledges', parts.pledges),
      '</sitemapindex>',
      '',
    ].join('\n');
    return sendXml(request, reply, body);
  });

  app.get('/sitemaps/main.xml', async (request, reply) => sendXml(request, reply, urlset(STATIC_PAGES.map((p) => url(p)))));

  app.get('/sitemaps/units-:part.xml', async (request, reply) => {
    const rows = sitemap.units(idParam((request.params as { part: string }).part));
    if (!rows.length) throw new HttpError(404);
    return sendXml(request, reply, urlset(rows.map(([slug, updatedAt]) => url(`/units/${xmlEscape(slug)}`, updatedAt))));
  });

  app.get('/sitemaps/pledges-:part.xml', async (request, reply) => {
    const rows = sitemap.pledges(idParam((request.params as { part: string }).part));
    if (!rows.length) throw new HttpError(404);
    return sendXml(request, reply, urlset(rows.map(([id, updatedAt]) => url(`/pledges/${id}`, updatedAt))));
  });
}
