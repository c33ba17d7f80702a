// The public category page: one category's figures and charts in a campaign, linking to the
// filtered pledge list for the rows themselves. It stays the same size however large the
// record grows: no list of pledges, and the by-district chart folded like the home page's.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { id } from '../validation.ts';
import { HttpError } from '../plugins/errors.ts';
import { createCategoryRepository } from './repository.ts';
import { createCampaignRepository, type Campaign } from '../campaigns/repository.ts';
import { createStatsRepository, type ChartScope } from '../stats/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { badParam, optionalParam, parseQuery, unknownValue } from '../pledges/list-schema.ts';
import { keptCharts } from '../charts/kept.ts';
import { completionChart, fillMonths, foldRows, monthlyChart, statusChart, type CompletionRow } from '../charts/pledge-charts.ts';

const categoryQuery = z.object({ campaign: optionalParam(id()) });

/**
 * Districts drawn in the by-district chart, the rest summed into one row (as on the home page):
 * a city of a hundred districts and counties would otherwise make this page 100 KB.
 */
const CATEGORY_CHART_ROWS = 12;

export default async function categoryRoutes(app: FastifyInstance) {
  const categoryRepo = createCategoryRepository(app.db);
  const campaignRepo = createCampaignRepository(app.db);
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });

  /** The page's figures, shaped as far as they do not depend on the language (months filled in, districts folded). */
  async function categoryFigures(campaign: Campaign, scope: Required<Pick<ChartScope, 'campaignId' | 'categoryId'>>) {
    const [figures, statusCounts, monthly, byDistrict] = await Promise.all([
      stats.scopeFigures(scope),
      stats.statusCounts(scope),
      stats.monthly(scope),
      stats.byDistrict(scope.campaignId, { categoryId: scope.categoryId }),
    ]);
    return {
      figures,
      statusCounts,
      months: fillMonths(monthly, { from: campaign.startsOn, to: campaign.endsOn }),
      byDistrict: foldRows(
        byDistrict.map(({ slug, name, ...figures }) => ({ slug, name, figures })),
        CATEGORY_CHART_ROWS,
      ),
    };
  }

  app.get('/categories/:slug', async (request, reply) => {
    const t = request.t;
    const { slug } = request.params as { slug: string };
    const category = await categoryRepo.bySlug(slug);
    if (!category) throw new HttpError(404);
    const parsed = parseQuery(categoryQuery, request.query);
    if (!parsed.ok) throw badParam(t, parsed.param, parsed.value);

    const campaign = parsed.data.campaign !== undefined ? await campaignRepo.get(parsed.data.campaign) : await campaignRepo.current(todayIn(app.config.timeZone));
    if (parsed.data.campaign !== undefined && !campaign) throw unknownValue(t, 'campaign', parsed.data.campaign);
    const name = request.locale === 'en' ? category.nameEn || category.nameZh : category.nameZh;
    const page = { title: name, description: t('category.description', { name }), canonical: `/categories/${category.slug}`, breadcrumbs: [{ href: '/pledges', label: t('pledges.title') }, { label: name }] };
    if (!campaign) return reply.page('categories/show', { ...page, category, name, campaign: null });

    // Four grouped scans over every published pledge of the category (thousands in a big city):
    // kept until the next write or midnight, not redone per request.
    const { figures, statusCounts, months, byDistrict } = await app.aggregates.get(`category:${campaign.id}:${category.id}`, () =>
      categoryFigures(campaign, { campaignId: campaign.id, categoryId: category.id }),
    );
    const listHref = `/pledges?campaign=${campaign.id}&category=${category.slug}`;
    const charts = await keptCharts(app, request, `category:${campaign.id}:${category.id}`, [], (ctx) => {
      const districtRows: CompletionRow[] = byDistrict.kept.map((r) => ({ label: r.name, href: `${listHref}&district=${r.slug}`, figures: r.figures }));
      if (byDistrict.rest) districtRows.push({ label: t('home.chart_others', { n: byDistrict.rest.count }), figures: byDistrict.rest.figures, folded: true });
      return {
        status: { block: statusChart('chart-status', statusCounts, ctx), level: 3 },
        monthly: { block: monthlyChart('chart-monthly', months, ctx), level: 3 },
        byDistrict: { block: completionChart('chart-district', { title: t('home.by_district'), nameHeader: t('home.col.district'), rows: districtRows }, ctx) },
      };
    });
    return reply.page('categories/show', {
      ...page,
      category,
      name,
      campaign,
      figures,
      listHref,
      charts,
      // More districts than chart rows: the page links to every unit's figures, as the home page does.
      districtsFolded: byDistrict.rest !== null,
    });
  });
}
