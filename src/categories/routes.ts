// The public category page: one category's figures and charts in a campaign, linking to the
// filtered pledge list for the rows themselves.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { id } from '../validation.ts';
import { HttpError } from '../plugins/errors.ts';
import { createCategoryRepository } from './repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createStatsRepository } from '../stats/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { badParam, optionalParam, parseQuery, unknownValue } from '../pledges/list-schema.ts';
import { chartContext, completionChart, fillMonths, monthlyChart, statusChart } from '../charts/pledge-charts.ts';

const categoryQuery = z.object({ campaign: optionalParam(id()) });

export default async function categoryRoutes(app: FastifyInstance) {
  const categoryRepo = createCategoryRepository(app.db);
  const campaignRepo = createCampaignRepository(app.db);
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });

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

    const scope = { campaignId: campaign.id, categoryId: category.id };
    const [figures, statusCounts, monthly, byDistrict] = await Promise.all([
      stats.scopeFigures(scope),
      stats.statusCounts(scope),
      stats.monthly(scope),
      stats.byDistrict(campaign.id, { categoryId: category.id }),
    ]);
    const ctx = chartContext(request);
    const listHref = `/pledges?campaign=${campaign.id}&category=${category.slug}`;
    return reply.page('categories/show', {
      ...page,
      category,
      name,
      campaign,
      figures,
      listHref,
      charts: {
        status: statusChart('chart-status', statusCounts, ctx),
        monthly: monthlyChart('chart-monthly', fillMonths(monthly, { from: campaign.startsOn, to: campaign.endsOn }), ctx),
        byDistrict: completionChart(
          'chart-district',
          {
            title: t('home.by_district'),
            nameHeader: t('home.col.district'),
            rows: byDistrict.map((r) => ({ label: r.name, href: `${listHref}&district=${r.slug}`, figures: r })),
          },
          ctx,
        ),
      },
    });
  });
}
