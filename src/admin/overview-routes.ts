import type { FastifyInstance } from 'fastify';
import { createAuditRepository } from '../audit/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { adminOnly, label } from './common.ts';
import { createAdminRepository } from './repository.ts';

export default async function overviewAdminRoutes(app: FastifyInstance) {
  const office = createAdminRepository(app.db);
  const campaigns = createCampaignRepository(app.db);
  const audit = createAuditRepository(app.db);

  app.get('/admin', adminOnly, async (request, reply) => {
    const list = await campaigns.list();
    const figures = await office.overdueByCampaign(list);
    return reply.page('admin/index', {
      title: request.t('admin.title'),
      breadcrumbs: [{ href: '', label: request.t('nav.admin') }],
      counts: await office.counts(),
      campaigns: list.map((c) => ({ ...c, published: figures.get(c.id)?.published ?? 0, overdue: figures.get(c.id)?.overdue ?? 0 })),
      recent: (await audit.list({ limit: 8 })).map((e) => ({
        ...e,
        actionLabel: label(request, `admin.audit.action.${e.action}`, e.action),
        entityLabel: label(request, `admin.audit.entity.${e.entity}`, e.entity),
      })),
      sections: await app.sections.load('admin', {}, request),
    });
  });
}
