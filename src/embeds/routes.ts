// Discovery and sharing: status widgets partner sites put in an iframe (a pledge, a unit, the
// campaign), sitemap.xml of the public pages, and the preview image link previews show.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { createStatsRepository } from '../stats/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { createOpenDataQueries } from '../api/repository.ts';
import { lastModified, sendConditional } from '../api/http.ts';
import { xmlEscape } from '../feeds/atom.ts';
import { createSitemapRepository } from './repository.ts';
import { SHARE_IMAGE_PATH } from './share.ts';

const shareImage = fs.readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), 'assets', 'share-preview.png'));

/** A sitemap holds at most 50,000 URLs; past this many pledges /sitemap.xml becomes an index. */
export const SITEMAP_PLEDGES = 40_000;
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
  const queries = createPledgeQueries(app.db, { fallbackZone: app.config.timeZone });
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });
  const units = createUnitRepository(app.db);
  const campaigns = createCampaignRepository(app.db);
  const openData = createOpenDataQueries(app.db);
  const sitemap = createSitemapRepository(app.db);
  const widget = { onSend: frameable };

  app.get('/embed/pledges/:id', widget, async (request, reply) => {
    const detail = await queries.detail(idParam((request.params as { id: string }).id));
    if (!detail) throw new HttpError(404);
    return reply.page('embeds/pledge', { title: detail.pledge.title, pledge: detail.pledge, link: `${publicUrl}/pledges/${detail.pledge.id}` });
  });

  app.get('/embed/units/:slug', widget, async (request, reply) => {
    const found = await units.bySlug((request.params as { slug: string }).slug);
    if (!found) throw new HttpError(404);
    const unit = found.unit;
    return reply.page('embeds/unit', { title: unit.name, unit, figures: await stats.unitFigures(unit.id), link: `${publicUrl}/units/${unit.slug}` });
  });

  app.get('/embed/campaign', widget, async (request, reply) => {
    const campaign = await campaigns.current(todayIn(app.config.timeZone));
    if (!campaign) throw new HttpError(404);
    return reply.page('embeds/campaign', { title: campaign.name, campaign, figures: await stats.headline(campaign.id), link: `${publicUrl}/` });
  });

  app.get(SHARE_IMAGE_PATH, async (_request, reply) => {
    return reply.type('image/png').header('cache-control', 'public, max-age=86400').header('cross-origin-resource-policy', 'cross-origin').send(shareImage);
  });

  async function sendXml(request: FastifyRequest, reply: FastifyReply, body: string) {
    const changedAt = lastModified(await openData.lastWriteAt(), await openData.campaignZones());
    reply.removeHeader('vary');
    return sendConditional(request, reply, { body, type: XML_TYPE, lastModified: changedAt, cacheControl: 'public, max-age=3600' });
  }

  const url = (loc: string, lastmod?: string | null) =>
    `  <url><loc>${xmlEscape(`${publicUrl}${loc}`)}</loc>${lastmod ? `<lastmod>${xmlEscape(lastmod.slice(0, 10))}</lastmod>` : ''}</url>`;
  const urlset = (lines: string[]) => ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">', ...lines, '</urlset>', ''].join('\n');
  const STATIC_PAGES = ['/', '/pledges', '/units', '/league', '/notices', '/suggestions', '/demands', '/feeds', '/open-data', '/api/docs', '/about'];

  async function mainEntries(): Promise<string[]> {
    return [...STATIC_PAGES.map((p) => url(p)), ...(await sitemap.units()).map((u) => url(`/units/${u.slug}`, u.updatedAt))];
  }
  async function pledgeEntries(part: number): Promise<string[]> {
    return (await sitemap.pledges(SITEMAP_PLEDGES, part * SITEMAP_PLEDGES)).map((p) => url(`/pledges/${p.id}`, p.updatedAt));
  }

  app.get('/sitemap.xml', async (request, reply) => {
    const count = await sitemap.pledgeCount();
    if (count <= SITEMAP_PLEDGES) return sendXml(request, reply, urlset([...(await mainEntries()), ...(await pledgeEntries(0))]));
    const parts = Math.ceil(count / SITEMAP_PLEDGES);
    const maps = ['/sitemaps/main.xml', ...Array.from({ length: parts }, (_, i) => `/sitemaps/pledges-${i + 1}.xml`)];
    const body = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
      ...maps.map((m) => `  <sitemap><loc>${xmlEscape(`${publicUrl}${m}`)}</loc></sitemap>`),
      '</sitemapindex>',
      '',
    ].join('\n');
    return sendXml(request, reply, body);
  });

  app.get('/sitemaps/main.xml', async (request, reply) => sendXml(request, reply, urlset(await mainEntries())));

  app.get('/sitemaps/pledges-:part.xml', async (request, reply) => {
    const part = idParam((request.params as { part: string }).part);
    const entries = await pledgeEntries(part - 1);
    if (!entries.length) throw new HttpError(404);
    return sendXml(request, reply, urlset(entries));
  });
}
