// Atom feeds of the public record: progress updates (the current campaign, one unit, one pledge,
// one category) and newly published pledges, plus the /feeds page that lists them all.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { formatDay, type Translate } from '../i18n/index.ts';
import { z } from 'zod';
import { HttpError } from '../plugins/errors.ts';
import { pageNumber, parseQuery } from '../pledges/list-schema.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createCategoryRepository, categoryName } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createStatsRepository } from '../stats/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { createOpenDataQueries } from '../api/repository.ts';
import type { PublicUpdate, UpdateFilter } from '../api/updates-queries.ts';
import { allowAnyOrigin, lastModified, sendConditional } from '../api/http.ts';
import { renderAtom, type AtomEntry } from './atom.ts';
import { feedPaths } from './links.ts';
import { keptUnitsTable } from '../stats/kept.ts';

/** Entries per feed: readers poll, so the latest are what matters. */
export const FEED_ENTRIES = 50;
/** Units per page of the /feeds units table (the same as /units). */
export const FEEDS_UNITS_PAGE_SIZE = 100;
const ATOM_TYPE = 'application/atom+xml; charset=utf-8';

const feedsQuery = z.object({ page: pageNumber() });

/** The /feeds page number; anything unreadable is the first page (as on every list). */
function pageOf(query: unknown): number {
  const parsed = parseQuery(feedsQuery, query);
  return parsed.ok ? parsed.data.page : 1;
}

/** A positive integer id in a URL; anything else is not a feed. */
function idParam(raw: string): number {
  if (!/^[0-9]{1,10}$/.test(raw)) throw new HttpError(404);
  const n = Number(raw);
  if (n < 1 || n > 2 ** 31 - 1) throw new HttpError(404);
  return n;
}

export default async function feedsRoutes(app: FastifyInstance) {
  const publicUrl = app.config.publicUrl;
  const openData = createOpenDataQueries(app.db, { aggregates: app.aggregates });
  const campaigns = createCampaignRepository(app.db);
  const categories = createCategoryRepository(app.db);
  const units = createUnitRepository(app.db);
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });

  function updateEntry(t: Translate, locale: 'zh-CN' | 'en', u: PublicUpdate): AtomEntry {
    const lines = [`${formatDay(u.happenedOn, locale)}：${u.body}`];
    if (u.progress !== null) lines.push(t('feeds.update.progress', { n: u.progress }));
    if (u.status) lines.push(t('feeds.update.status', { status: t(`status.${u.status}`) }));
    if (u.reason) lines.push(t('feeds.update.reason', { reason: u.reason }));
    return {
      id: `${publicUrl}/pledges/${u.pledge.id}#update-${u.id}`,
      title: t('feeds.update.title', { unit: u.unit.name, pledge: u.pledge.title }),
      updated: u.createdAt,
      published: u.createdAt,
      link: `${publicUrl}/pledges/${u.pledge.id}`,
      author: u.unit.name,
      content: lines.join('\n'),
      categories: u.status ? [t(`status.${u.status}`)] : [],
    };
  }

  async function sendFeed(
    request: FastifyRequest,
    reply: FastifyReply,
    feed: { path: string; title: string; alternate: string; entries: AtomEntry[] },
  ) {
    allowAnyOrigin(reply);
    const changedAt = lastModified(await openData.lastWriteAt(), await openData.campaignZones());
    const body = renderAtom({
      id: `${publicUrl}${feed.path}`,
      title: feed.title,
      lang: request.locale,
      updated: feed.entries[0]?.updated ?? changedAt.toISOString(),
      selfLink: `${publicUrl}${feed.path}`,
      alternateLink: `${publicUrl}${feed.alternate}`,
      author: request.t('site.name'),
      entries: feed.entries,
    });
    return sendConditional(request, reply, { body, type: ATOM_TYPE, lastModified: changedAt });
  }

  async function updatesFeed(request: FastifyRequest, reply: FastifyReply, filter: UpdateFilter, feed: { path: string; title: string; alternate: string }) {
    const rows = await openData.latestUpdates(filter, FEED_ENTRIES);
    return sendFeed(request, reply, { ...feed, entries: rows.map((u) => updateEntry(request.t, request.locale, u)) });
  }

  async function currentCampaign() {
    return campaigns.current(todayIn(app.config.timeZone));
  }

  app.get('/feeds/updates.atom', async (request, reply) => {
    const t = request.t;
    const campaign = await currentCampaign();
    const feed = { path: feedPaths.updates, title: t('feeds.title.updates', { campaign: campaign?.name ?? t('site.name') }), alternate: '/' };
    // With no campaign yet the feed exists and is empty, so subscriptions made early keep working.
    if (!campaign) return sendFeed(request, reply, { ...feed, entries: [] });
    return updatesFeed(request, reply, { campaignId: campaign.id }, feed);
  });

  app.get('/feeds/pledges.atom', async (request, reply) => {
    const t = request.t;
    const rows = await openData.recentlyPublished({}, FEED_ENTRIES);
    const entries: AtomEntry[] = rows.map((p) => ({
      id: `${publicUrl}/pledges/${p.id}`,
      title: p.title,
      updated: p.publishedAt,
      published: p.publishedAt,
      link: `${publicUrl}/pledges/${p.id}`,
      author: p.leadUnit.name,
      content: [
        t('feeds.published.lead', { unit: p.leadUnit.name }),
        t('feeds.published.due', { due: formatDay(p.dueOn, request.locale) }),
        p.commitment && t('feeds.published.commitment', { text: p.commitment }),
        p.standard && t('feeds.published.standard', { text: p.standard }),
      ]
        .filter(Boolean)
        .join('\n'),
      categories: [t(`tier.${p.tier}`), ...(p.category ? [categoryName(p.category, request.locale)] : [])],
    }));
    return sendFeed(request, reply, { path: feedPaths.published, title: t('feeds.title.published'), alternate: '/pledges?sort=updated', entries });
  });

  app.get('/feeds/units/:slug.atom', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const found = await units.bySlug(slug);
    if (!found) throw new HttpError(404);
    if (!found.current) return reply.redirect(feedPaths.unit(found.unit.slug), 301);
    const unit = found.unit;
    return updatesFeed(request, reply, { unitId: unit.id }, {
      path: feedPaths.unit(unit.slug),
      title: request.t('feeds.title.unit', { unit: unit.name }),
      alternate: `/units/${unit.slug}`,
    });
  });

  app.get('/feeds/pledges/:id.atom', async (request, reply) => {
    const id = idParam((request.params as { id: string }).id);
    const pledge = await openData.publishedPledge(id);
    if (!pledge) throw new HttpError(404);
    return updatesFeed(request, reply, { pledgeId: id }, {
      path: feedPaths.pledge(id),
      title: request.t('feeds.title.pledge', { pledge: pledge.title }),
      alternate: `/pledges/${id}`,
    });
  });

  app.get('/feeds/categories/:slug.atom', async (request, reply) => {
    const { slug } = request.params as { slug: string };
    const category = await categories.bySlug(slug);
    if (!category) throw new HttpError(404);
    return updatesFeed(request, reply, { categoryId: category.id }, {
      path: feedPaths.category(category.slug),
      title: request.t('feeds.title.category', { category: categoryName(category, request.locale) }),
      alternate: `/pledges?category=${category.slug}`,
    });
  });

  app.get('/feeds', async (request, reply) => {
    const t = request.t;
    const page = pageOf(request.query);
    // The units table is a scan of every pledge: kept per data version, like /units. The units
    // with a feed are that table's units leading a pledge, filtered once per version too.
    const [campaign, categoryList, unitRows] = await Promise.all([
      currentCampaign(),
      categories.list(),
      app.aggregates.get('feeds:units', async () => (await keptUnitsTable(app.aggregates, stats)).filter((u) => u.pledges > 0), []),
    ]);
    // A city has about 1,500 units: the table comes in pages, like /units (a page past the end shows the last).
    const pages = Math.max(1, Math.ceil(unitRows.length / FEEDS_UNITS_PAGE_SIZE));
    const current = Math.min(page, pages);
    const general = [
      { title: t('feeds.title.updates', { campaign: campaign?.name ?? t('site.name') }), href: feedPaths.updates },
      { title: t('feeds.title.published'), href: feedPaths.published },
      { title: t('notices.feed.title'), href: feedPaths.notices },
      { title: t('suggestions.feed.title'), href: '/feeds/suggestions.atom' },
    ];
    return reply.page('feeds/index', {
      title: t('feeds.index.title'),
      description: t('feeds.index.description'),
      breadcrumbs: [{ label: t('feeds.index.title') }],
      feeds: general,
      general,
      categories: categoryList.map((c) => ({ name: categoryName(c, request.locale), href: feedPaths.category(c.slug), page: `/pledges?category=${c.slug}` })),
      units: unitRows.slice((current - 1) * FEEDS_UNITS_PAGE_SIZE, current * FEEDS_UNITS_PAGE_SIZE).map((u) => ({ name: u.name, kind: u.kind, href: feedPaths.unit(u.slug), page: `/units/${u.slug}` })),
      page: current,
      pages,
      publicUrl,
    });
  });
}
