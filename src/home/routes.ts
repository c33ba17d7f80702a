// The home page: the current campaign at a glance.
import type { FastifyInstance } from 'fastify';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createStatsRepository } from '../stats/repository.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { todayIn } from '../pledges/status.ts';
import { chartContext, completionChart, fillMonths, foldTail, monthlyChart, statusChart } from '../charts/pledge-charts.ts';

const LATEST_UPDATES = 10;
/**
 * The home page stays the same size however large the campaign grows: this many major items
 * (the rest one click away in the list) and chart rows (the rest summed into one row).
 */
const HOME_MAJOR_ITEMS = 12;
const HOME_CHART_ROWS = 12;

export default async function homeRoutes(app: FastifyInstance) {
  const campaigns = createCampaignRepository(app.db);
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });
  const queries = createPledgeQueries(app.db, { fallbackZone: app.config.timeZone });

  app.get('/', async (request, reply) => {
    const t = request.t;
    const campaign = await campaigns.current(todayIn(app.config.timeZone));
    if (!campaign) return reply.page('home/index', { description: t('home.description'), campaign: null });

    // Every figure here is a scan of the campaign: computed once per data version, not per request.
    const [headline, majorItems, latest, byCategory, byDistrict, statusCounts, monthly, demandFigures] = await app.aggregates.get(`home:${campaign.id}`, () =>
      Promise.all([
        stats.headline(campaign.id),
        queries.majorItems(campaign.id),
        stats.latestUpdates(campaign.id, LATEST_UPDATES),
        stats.byCategory(campaign.id),
        stats.byDistrict(campaign.id),
        stats.statusCounts({ campaignId: campaign.id }),
        stats.monthly({ campaignId: campaign.id }),
        stats.demandFigures(campaign.id),
      ]),
    );
    const ctx = chartContext(request);
    const charts = {
      status: statusChart('chart-status', statusCounts, ctx),
      monthly: monthlyChart('chart-monthly', fillMonths(monthly, { from: campaign.startsOn, to: campaign.endsOn }), ctx),
      byCategory: completionChart(
        'chart-category',
        {
          title: t('home.by_category'),
          nameHeader: t('home.col.category'),
          rows: foldTail(
            byCategory.map((r) => ({ label: request.locale === 'en' ? r.nameEn || r.nameZh : r.nameZh, href: `/categories/${r.slug}`, figures: r })),
            HOME_CHART_ROWS,
            (n) => t('home.chart_others', { n }),
          ),
        },
        ctx,
      ),
      byDistrict: completionChart(
        'chart-district',
        {
          title: t('home.by_district'),
          nameHeader: t('home.col.district'),
          rows: foldTail(
            byDistrict.map((r) => ({ label: r.name, href: `/pledges?campaign=${campaign.id}&district=${r.slug}`, figures: r })),
            HOME_CHART_ROWS,
            (n) => t('home.chart_others', { n }),
          ),
        },
        ctx,
      ),
    };
    return reply.page('home/index', {
      title: campaign.name,
      description: t('home.description'),
      canonical: '/',
      campaign,
      headline,
      majorItems: majorItems.slice(0, HOME_MAJOR_ITEMS),
      majorTotal: majorItems.length,
      latest,
      byCategory,
      byDistrict,
      charts,
      demandFigures,
      sections: await app.sections.load('home', { campaignId: campaign.id, today: todayIn(campaign.timeZone) }, request),
    });
  });
}
