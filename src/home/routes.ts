// The home page: the current campaign at a glance.
import type { FastifyInstance } from 'fastify';
import type { Locale } from '../i18n/index.ts';
import { createCampaignRepository, type Campaign } from '../campaigns/repository.ts';
import { createStatsRepository, type Figures } from '../stats/repository.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { todayIn } from '../pledges/status.ts';
import { keptCharts } from '../charts/kept.ts';
import { completionChart, fillMonths, foldRows, monthlyChart, statusChart, type CompletionRow, type FoldedRows } from '../charts/pledge-charts.ts';

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

  /**
   * Every figure on the page is a scan of the campaign: computed once per data version, not
   * per request, and shaped here as far as it does not depend on the language (the months
   * filled in, the chart rows folded), so a request only names and draws them.
   */
  async function campaignFigures(campaign: Campaign) {
    const [headline, majorItems, latest, byCategory, byDistrict, statusCounts, monthly] = await Promise.all([
      stats.headline(campaign.id),
      queries.majorItems(campaign.id),
      stats.latestUpdates(campaign.id, LATEST_UPDATES),
      stats.byCategory(campaign.id),
      stats.byDistrict(campaign.id),
      stats.statusCounts({ campaignId: campaign.id }),
      stats.monthly({ campaignId: campaign.id }),
    ]);
    return {
      headline,
      majorItems: majorItems.slice(0, HOME_MAJOR_ITEMS),
      majorTotal: majorItems.length,
      latest,
      statusCounts,
      months: fillMonths(monthly, { from: campaign.startsOn, to: campaign.endsOn }),
      byCategory: foldRows(
        byCategory.map((r) => ({ nameZh: r.nameZh, nameEn: r.nameEn, href: `/categories/${r.slug}`, figures: r })),
        HOME_CHART_ROWS,
      ),
      byDistrict: foldRows(
        byDistrict.map((r) => ({ name: r.name, href: `/pledges?campaign=${campaign.id}&district=${r.slug}`, figures: r })),
        HOME_CHART_ROWS,
      ),
      districtCount: byDistrict.length,
    };
  }

  app.get('/', async (request, reply) => {
    const t = request.t;
    const campaign = await campaigns.current(todayIn(app.config.timeZone));
    if (!campaign) return reply.page('home/index', { description: t('home.description'), campaign: null });

    // The campaign's figures read only the public record; the reports' two counts only the
    // reports: a vote or a new report leaves the scans of the campaign standing.
    const [figures, demandFigures] = await Promise.all([
      app.aggregates.get(`home:${campaign.id}`, () => campaignFigures(campaign), []),
      app.aggregates.get(`home-demands:${campaign.id}`, () => stats.demandFigures(campaign.id), ['demands']),
    ]);
    const others = (n: number) => t('home.chart_others', { n });
    const categoryName = categoryNameIn(request.locale);
    const charts = await keptCharts(app, request, `home:${campaign.id}`, [], (ctx) => ({
      status: { block: statusChart('chart-status', figures.statusCounts, ctx), level: 3 },
      monthly: { block: monthlyChart('chart-monthly', figures.months, ctx), level: 3 },
      byCategory: {
        block: completionChart(
          'chart-category',
          { title: t('home.by_category'), nameHeader: t('home.col.category'), rows: chartRows(figures.byCategory, categoryName, others) },
          ctx,
        ),
      },
      byDistrict: {
        block: completionChart(
          'chart-district',
          { title: t('home.by_district'), nameHeader: t('home.col.district'), rows: chartRows(figures.byDistrict, districtName, others) },
          ctx,
        ),
      },
    }));
    return reply.page('home/index', {
      title: campaign.name,
      description: t('home.description'),
      canonical: '/',
      campaign,
      headline: figures.headline,
      majorItems: figures.majorItems,
      majorTotal: figures.majorTotal,
      latest: figures.latest,
      charts,
      // More districts than chart rows: the page links to every unit's figures.
      districtsFolded: figures.byDistrict.rest !== null,
      demandFigures,
      sections: await app.sections.load('home', { campaignId: campaign.id, today: todayIn(campaign.timeZone) }, request),
    });
  });
}

interface CategoryRow {
  nameZh: string;
  nameEn: string | null;
  href: string;
  figures: Figures;
}

const categoryNameZh = (r: CategoryRow) => r.nameZh;
const categoryNameEn = (r: CategoryRow) => r.nameEn || r.nameZh;
const categoryNameIn = (locale: Locale) => (locale === 'en' ? categoryNameEn : categoryNameZh);
const districtName = (r: { name: string }) => r.name;

/** The folded rows as chart rows in the page's language, the summed rest last. */
function chartRows<R extends { href: string; figures: Figures }>(folded: FoldedRows<R>, name: (row: R) => string, others: (count: number) => string): CompletionRow[] {
  const rows: CompletionRow[] = folded.kept.map((r) => ({ label: name(r), href: r.href, figures: r.figures }));
  if (folded.rest) rows.push({ label: others(folded.rest.count), figures: folded.rest.figures, folded: true });
  return rows;
}
