// The press desk's page. For now it reads the published record; building notices comes later.
import type { FastifyInstance } from 'fastify';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { HttpError } from '../plugins/errors.ts';
import type { Access } from '../plugins/auth.ts';
import { displayStatus, todayIn } from '../pledges/status.ts';
import { PUBLISHED_STATUSES } from '../../db/schema.ts';
import { createPressRepository } from './repository.ts';
import { pressQuery } from './schemas.ts';

const PAGE_SIZE = 50;

export default async function pressRoutes(app: FastifyInstance) {
  const press = createPressRepository(app.db);
  const campaigns = createCampaignRepository(app.db);

  app.get('/press', { config: { access: ['press', 'admin'] as Access } }, async (request, reply) => {
    const parsed = pressQuery.safeParse(request.query);
    if (!parsed.success) throw new HttpError(400, request.t('press.bad_filter'));
    const { unit, status } = parsed.data;
    const campaign = await campaigns.current(todayIn(app.config.timeZone));
    const base = { title: request.t('press.title'), breadcrumbs: [{ href: '', label: request.t('press.title') }], statuses: [...PUBLISHED_STATUSES, 'overdue'] };
    if (!campaign) return reply.page('press/index', { ...base, campaign: null, pledges: [], units: [], filters: { unit: '', status: '' }, total: 0, page: 1, pages: 1 });

    const filter = { campaign, unitId: unit, status: status || undefined };
    const asked = parsed.data.page ?? 1;
    let result = await press.publishedPledges({ ...filter, limit: PAGE_SIZE, offset: (asked - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(result.total / PAGE_SIZE));
    const page = Math.min(asked, pages);
    if (page !== asked) result = await press.publishedPledges({ ...filter, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    const today = todayIn(campaign.timeZone);
    return reply.page('press/index', {
      ...base,
      campaign,
      pledges: result.rows.map((p) => ({ ...p, display: displayStatus(p, today) })),
      units: await press.leadUnits(campaign.id),
      filters: { unit: unit ? String(unit) : '', status: status ?? '' },
      total: result.total,
      page,
      pages,
    });
  });
}
