import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createAuditRepository } from '../audit/repository.ts';
import { HttpError } from '../plugins/errors.ts';
import { auditDiff } from './audit-diff.ts';
import { adminOnly, label } from './common.ts';
import { createAdminRepository } from './repository.ts';
import { auditQuery } from './schemas.ts';

const PAGE_SIZE = 50;

/** Where the office can look at the record an entry is about, when it has a page. */
function entityHref(entity: string, entityId: string): string | undefined {
  if (!/^\d+$/.test(entityId)) return undefined;
  switch (entity) {
    case 'campaign':
      return `/admin/campaigns/${entityId}/edit`;
    case 'unit':
      return `/admin/units/${entityId}/edit`;
    case 'category':
      return `/admin/categories/${entityId}/edit`;
    case 'user':
      return `/admin/accounts/${entityId}`;
    case 'pledge':
      return `/pledges/${entityId}`;
    default:
      return undefined;
  }
}


export default async function auditAdminRoutes(app: FastifyInstance) {
  const audit = createAuditRepository(app.db);
  const office = createAdminRepository(app.db);

  const crumbs = (request: FastifyRequest, last?: string) => [
    { href: '/admin', label: request.t('nav.admin') },
    { href: last ? '/admin/audit' : '', label: request.t('admin.audit.title') },
    ...(last ? [{ href: '', label: last }] : []),
  ];

  app.get('/admin/audit', adminOnly, async (request, reply) => {
    const parsed = auditQuery.safeParse(request.query);
    if (!parsed.success) throw new HttpError(400, request.t('admin.error.bad_filter'));
    const { before, entity } = parsed.data;
    // One extra row tells whether an older page exists without counting the whole log.
    const rows = await audit.list({ entity: entity || undefined, beforeId: before, limit: PAGE_SIZE + 1 });
    const page = rows.slice(0, PAGE_SIZE);
    const entities = await office.auditEntities();
    return reply.page('admin/audit', {
      title: request.t('admin.audit.title'),
      breadcrumbs: crumbs(request),
      entries: page.map((e) => ({
        ...e,
        actionLabel: label(request, `admin.audit.action.${e.action}`, e.action),
        entityLabel: label(request, `admin.audit.entity.${e.entity}`, e.entity),
        href: entityHref(e.entity, e.entityId),
        changes: auditDiff(e),
      })),
      entities: entities.map((value) => ({ value, label: label(request, `admin.audit.entity.${value}`, value) })),
      filters: { entity: entity ?? '' },
      olderHref: rows.length > PAGE_SIZE ? `/admin/audit?${new URLSearchParams({ ...(entity ? { entity } : {}), before: String(page[page.length - 1].id) })}` : '',
      newestHref: before ? `/admin/audit${entity ? `?${new URLSearchParams({ entity })}` : ''}` : '',
    });
  });

  app.get('/admin/audit/verify', adminOnly, async (request, reply) => {
    const title = request.t('admin.audit.verify_title');
    return reply.page('admin/audit-verify', { title, breadcrumbs: crumbs(request, title), result: await audit.verify() });
  });
}
