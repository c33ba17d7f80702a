import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createCampaignRepository, type Campaign } from '../campaigns/repository.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { adminOnly, asFormValues, isUniqueViolation, noticeFor, paramId } from './common.ts';
import { createAdminRepository } from './repository.ts';
import { campaignForm } from './schemas.ts';

const SLUG_TAKEN: FieldErrors = { slug: { key: 'admin.error.slug_taken' } };

export default async function campaignAdminRoutes(app: FastifyInstance) {
  const campaigns = createCampaignRepository(app.db);
  const office = createAdminRepository(app.db);

  function crumbs(request: FastifyRequest, last?: string) {
    const list = [
      { href: '/admin', label: request.t('nav.admin') },
      { href: last ? '/admin/campaigns' : '', label: request.t('admin.campaigns.title') },
    ];
    return last ? [...list, { href: '', label: last }] : list;
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, status: number, data: { campaign?: Campaign; values: Record<string, unknown>; errors?: FieldErrors }) {
    const title = data.campaign ? request.t('admin.campaigns.edit_title', { name: data.campaign.name }) : request.t('admin.campaigns.new_title');
    return reply.code(status).page('admin/campaign-form', { title, breadcrumbs: crumbs(request, title), ...data });
  }

  app.get('/admin/campaigns', adminOnly, async (request, reply) => {
    const list = await campaigns.list();
    const figures = await office.overdueByCampaign(list);
    return reply.page('admin/campaigns', {
      title: request.t('admin.campaigns.title'),
      breadcrumbs: crumbs(request),
      campaigns: list.map((c) => ({ ...c, published: figures.get(c.id)?.published ?? 0, overdue: figures.get(c.id)?.overdue ?? 0 })),
      notice: noticeFor(request),
    });
  });

  app.get('/admin/campaigns/new', adminOnly, async (request, reply) => renderForm(request, reply, 200, { values: { timeZone: app.config.timeZone } }));

  app.post('/admin/campaigns', adminOnly, async (request, reply) => {
    const parsed = parseForm(campaignForm, request.body);
    const again = (errors: FieldErrors) => renderForm(request, reply, 400, { values: formValues(request.body), errors });
    if (!parsed.ok) return again(parsed.errors);
    if (await campaigns.bySlug(parsed.data.slug)) return again(SLUG_TAKEN);
    try {
      await campaigns.create(request.actor(), parsed.data);
    } catch (error) {
      if (isUniqueViolation(error)) return again(SLUG_TAKEN);
      throw error;
    }
    return reply.redirect('/admin/campaigns?saved=created', 303);
  });

  app.get('/admin/campaigns/:id/edit', adminOnly, async (request, reply) => {
    const campaign = await campaigns.get(paramId(request));
    if (!campaign) throw new HttpError(404);
    return renderForm(request, reply, 200, { campaign, values: asFormValues(campaign) });
  });

  app.post('/admin/campaigns/:id', adminOnly, async (request, reply) => {
    const campaign = await campaigns.get(paramId(request));
    if (!campaign) throw new HttpError(404);
    const parsed = parseForm(campaignForm, request.body);
    const again = (errors: FieldErrors) => renderForm(request, reply, 400, { campaign, values: formValues(request.body), errors });
    if (!parsed.ok) return again(parsed.errors);
    const other = await campaigns.bySlug(parsed.data.slug);
    if (other && other.id !== campaign.id) return again(SLUG_TAKEN);
    try {
      await campaigns.update(request.actor(), campaign.id, parsed.data);
    } catch (error) {
      if (isUniqueViolation(error)) return again(SLUG_TAKEN);
      throw error;
    }
    return reply.redirect('/admin/campaigns?saved=updated', 303);
  });
}
