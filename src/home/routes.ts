// The home page: the current campaign at a glance.
import type { FastifyInstance } from 'fastify';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createStatsRepository } from '../stats/repository.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { todayIn } from '../pledges/status.ts';

const LATEST_UPDATES = 10;

export default async function homeRoutes(app: FastifyInstance) {
  const campaigns = createCampaignRepository(app.db);
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });
  const queries = createPledgeQueries(app.db, { fallbackZone: app.config.timeZone });

  app.get('/', async (request, reply) => {
    const t = request.t;
    const campaign = await campaigns.current(todayIn(app.config.timeZone));
    if (!campaign) return reply.page('home/index', { description: t('home.description'), campaign: null });

    const [headline, majorItems, latest, byCategory, byDistrict] = await Promise.all([
      stats.headline(campaign.id),
      queries.majorItems(campaign.id),
      stats.latestUpdates(campaign.id, LATEST_UPDATES),
      stats.byCategory(campaign.id),
      stats.byDistrict(campaign.id),
    ]);
    return reply.page('home/index', {
      title: campaign.name,
      description: t('home.description'),
      canonical: '/',
      campaign,
      headline,
      majorItems,
      latest,
      byCategory,
      byDistrict,
    });
  });
}
