// One form for staff (office and unit editors) to record reports that came in through field
// surveys, reception days, public-opinion diaries and letters, naming the channel and the source.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DISTRICT_KINDS, STAFF_CHANNELS } from '../../db/schema.ts';
import type { Access } from '../plugins/auth.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { createDemandRepository } from './repository.ts';
import { staffForm } from './schemas.ts';
import { parseReportedAt } from './time.ts';

export function registerStaffEntry(app: FastifyInstance, opts: { base: '/admin/demands' | '/manage/demands'; access: Access; crumbs: (request: FastifyRequest) => { href?: string; label: string }[] }) {
  const repo = createDemandRepository(app.db);
  const campaigns = createCampaignRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const config = { access: opts.access };

  function forbiddenWithoutUnit(request: FastifyRequest) {
    const user = request.user!;
    if (user.role === 'unit' && !user.unitId) throw new HttpError(403);
  }

  async function formPage(request: FastifyRequest, reply: FastifyReply, status: number, values: Record<string, unknown>, errors?: FieldErrors) {
    const [categories, districts] = await Promise.all([categoryRepo.list(), unitRepo.districts()]);
    const title = request.t('demands.staff.title');
    return reply.code(status).page('demands/staff-form', {
      title,
      breadcrumbs: [...opts.crumbs(request), { label: title }],
      action: opts.base,
      channels: STAFF_CHANNELS,
      categories,
      districts,
      values,
      errors,
    });
  }

  app.get(`${opts.base}/new`, { config }, async (request, reply) => {
    forbiddenWithoutUnit(request);
    const now = new Date();
    const local = new Intl.DateTimeFormat('sv-SE', { timeZone: app.config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .format(now)
      .replace(' ', 'T');
    return formPage(request, reply, 200, { reportedAt: local });
  });

  app.post(opts.base, { config }, async (request, reply) => {
    forbiddenWithoutUnit(request);
    const values = formValues(request.body);
    const parsed = parseForm(staffForm, request.body);
    if (!parsed.ok) return formPage(request, reply, 400, values, parsed.errors);
    const form = parsed.data;
    const errors: FieldErrors = {};
    if (!(await categoryRepo.get(form.categoryId))) errors.categoryId = { key: 'validation.invalid_choice' };
    if (form.districtUnitId) {
      const d = await unitRepo.get(form.districtUnitId);
      if (!d || !DISTRICT_KINDS.includes(d.kind)) errors.districtUnitId = { key: 'validation.invalid_choice' };
    }
    const reportedAt = parseReportedAt(form.reportedAt.replace('T', ' '), app.config.timeZone);
    if (!reportedAt) errors.reportedAt = { key: 'demands.error.reported_at' };
    if (Object.keys(errors).length) return formPage(request, reply, 400, values, errors);

    const user = request.user!;
    const campaign = await campaigns.current(todayIn(app.config.timeZone));
    const created = await repo.create(request.actor(), {
      channel: form.channel,
      source: form.source,
      externalRef: null,
      campaignId: campaign?.id ?? null,
      categoryId: form.categoryId,
      districtUnitId: form.districtUnitId ?? null,
      text: form.text,
      address: form.address,
      reportedAt: reportedAt!,
      reporterName: form.reporterName,
      reporterPhone: form.reporterPhone,
      reporterContact: form.reporterContact,
      suggestedUnitId: user.role === 'unit' ? user.unitId : null,
    });
    return reply.redirect(`${opts.base}/${created.id}?done=recorded`, 303);
  });
}
