// The office's triage: list and filter every report, merge duplicates, suggest a responsible
// unit, decline with a reason, correct the category, hide a text, and (audited) read contacts.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEMAND_CHANNELS, DEMAND_STATUSES } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { adminOnly, paramId } from '../admin/common.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createDemandRepository } from './repository.ts';
import { bulkForm, classifyForm, emptyForm, hideForm, mergeForm, officeDeclineForm, parseListQuery, suggestForm, triageQuery } from './schemas.ts';
import { dayBoundsUtc } from './time.ts';
import { registerStaffEntry } from './staff-entry.ts';
import { doneNotice } from './notices.ts';

export default async function demandAdminRoutes(app: FastifyInstance) {
  const repo = createDemandRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const unitRepo = createUnitRepository(app.db);

  const crumbs = (request: FastifyRequest, last?: string) => [
    { href: '/admin', label: request.t('nav.admin') },
    { href: last ? '/admin/demands' : undefined, label: request.t('demands.triage.title') },
    ...(last ? [{ label: last }] : []),
  ];

  async function options() {
    const [categories, districts, units] = await Promise.all([categoryRepo.list(), unitRepo.districts(), unitRepo.list({ activeOnly: true })]);
    return { categories, districts, units, channels: DEMAND_CHANNELS, statuses: DEMAND_STATUSES };
  }

  async function listPage(request: FastifyRequest, reply: FastifyReply, opts: { status?: number; errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const t = request.t;
    const q = parseListQuery(triageQuery, request.query, t);
    const tz = app.config.timeZone;
    const filter = {
      channel: q.channel,
      categoryId: q.category,
      districtUnitId: q.district,
      status: q.status,
      suggestedUnitId: q.suggested,
      from: q.from ? dayBoundsUtc(q.from, tz)[0] : undefined,
      to: q.to ? dayBoundsUtc(q.to, tz)[1] : undefined,
      q: q.q,
      importBatchId: q.batch,
      ref: q.ref,
    };
    const [result, opt, batches] = await Promise.all([repo.triage(filter, { page: q.page }), options(), repo.recentBatches(3)]);
    return reply.code(opts.status ?? 200).page('demands/triage', {
      title: t('demands.triage.title'),
      breadcrumbs: crumbs(request),
      query: q,
      result,
      options: opt,
      batches,
      back: request.method === 'GET' ? request.url : backTo(String(opts.values?.back ?? '')),
      values: opts.values ?? {},
      errors: opts.errors,
      notice: doneNotice(request),
    });
  }

  app.get('/admin/demands', adminOnly, async (request, reply) => listPage(request, reply));

  /** Where a bulk action returns to: the list the office was looking at, never another site. */
  function backTo(back: string): string {
    return /^\/admin\/demands(?:\?|$)/.test(back) ? back : '/admin/demands';
  }

  function withDone(url: string, done: string): string {
    const u = new URL(url, 'http://x');
    u.searchParams.set('done', done);
    return u.pathname + u.search;
  }

  app.post('/admin/demands/bulk', adminOnly, async (request, reply) => {
    const values = formValues(request.body);
    const parsed = parseForm(bulkForm, request.body);
    if (!parsed.ok) return listPage(request, reply, { status: 400, errors: parsed.errors, values });
    const form = parsed.data;
    const actor = request.actor();
    const refuse = (errors: FieldErrors, status = 400) => listPage(request, reply, { status, errors, values });
    if (form.action === 'merge') {
      if (!form.target) return refuse({ target: { key: 'validation.required' } });
      const targetId = await repo.resolveRef(form.target);
      if (!targetId) return refuse({ target: { key: 'demands.error.target_unknown' } });
      const result = await repo.merge(actor, form['ids[]'], targetId);
      if (!result.ok) return refuse(result.reason === 'target' ? { target: { key: 'demands.error.target_duplicate' } } : { 'ids[]': { key: 'demands.error.cannot_merge', params: { ids: result.ids?.join(', ') ?? '' } } }, 409);
      return reply.redirect(withDone(backTo(form.back), 'merged'), 303);
    }
    if (form.action === 'suggest') {
      if (form.unitId && !(await unitRepo.get(form.unitId))) return refuse({ unitId: { key: 'validation.invalid_choice' } });
      const result = await repo.suggest(actor, form['ids[]'], form.unitId ?? null);
      if (!result.ok) return refuse({ 'ids[]': { key: 'demands.error.not_new', params: { ids: result.ids.join(', ') } } }, 409);
      return reply.redirect(withDone(backTo(form.back), 'suggested'), 303);
    }
    if (!form.reason) return refuse({ reason: { key: 'validation.required' } });
    const result = await repo.decline(actor, form['ids[]'], form.reason, null);
    if (!result.ok) return refuse({ 'ids[]': { key: 'demands.error.not_new', params: { ids: result.ids.join(', ') } } }, 409);
    return reply.redirect(withDone(backTo(form.back), 'declined'), 303);
  });

  registerStaffEntry(app, { base: '/admin/demands', access: ['admin'], crumbs: (request) => crumbs(request).map((c, i) => (i === 1 ? { ...c, href: '/admin/demands' } : c)) });

  async function detailPage(
    request: FastifyRequest,
    reply: FastifyReply,
    id: number,
    opts: { status?: number; errors?: FieldErrors; values?: Record<string, unknown>; contact?: Awaited<ReturnType<typeof repo.contactFor>> } = {},
  ) {
    const view = await repo.staffView(id);
    if (!view) throw new HttpError(404);
    const title = request.t('demands.show.title', { id });
    return reply.code(opts.status ?? 200).page('demands/admin-show', {
      title,
      breadcrumbs: crumbs(request, `#${id}`),
      d: view,
      options: await options(),
      contact: opts.contact,
      values: opts.values ?? { categoryId: view.categoryId ? String(view.categoryId) : '', districtUnitId: view.districtUnitId ? String(view.districtUnitId) : '', unitId: view.suggestedUnitId ? String(view.suggestedUnitId) : '' },
      errors: opts.errors,
      notice: doneNotice(request),
    });
  }

  app.get('/admin/demands/:id', adminOnly, async (request, reply) => detailPage(request, reply, paramId(request)));

  // A POST, not a GET: reading a contact is written to the audit log, and a link prefetcher or
  // a crawler must not be able to do that. The answer is the page itself, never cached.
  app.post('/admin/demands/:id/contact', adminOnly, async (request, reply) => {
    const id = paramId(request);
    if (!parseForm(emptyForm, request.body).ok) throw new HttpError(400);
    const contact = await repo.contactFor(request.actor(), id);
    if (!contact) throw new HttpError(404);
    reply.header('cache-control', 'private, no-store');
    return detailPage(request, reply, id, { contact });
  });

  /** One action of the detail page: parse, act, 303 back on success or show the page again. */
  function action<S extends Parameters<typeof parseForm>[0]>(
    path: string,
    schema: S,
    run: (request: FastifyRequest, id: number, form: any) => Promise<{ done: string } | { errors: FieldErrors; status?: number }>,
  ) {
    app.post(`/admin/demands/:id/${path}`, adminOnly, async (request, reply) => {
      const id = paramId(request);
      if (!(await repo.get(id))) throw new HttpError(404);
      const values = formValues(request.body);
      const parsed = parseForm(schema, request.body);
      if (!parsed.ok) return detailPage(request, reply, id, { status: 400, errors: parsed.errors, values });
      const outcome = await run(request, id, parsed.data);
      if ('done' in outcome) return reply.redirect(`/admin/demands/${id}?done=${outcome.done}`, 303);
      return detailPage(request, reply, id, { status: outcome.status ?? 400, errors: outcome.errors, values });
    });
  }

  action('merge', mergeForm, async (request, id, form) => {
    const targetId = await repo.resolveRef(form.target);
    if (!targetId || targetId === id) return { errors: { target: { key: 'demands.error.target_unknown' } } };
    const result = await repo.merge(request.actor(), [id], targetId);
    if (!result.ok) return { status: 409, errors: result.reason === 'target' ? { target: { key: 'demands.error.target_duplicate' } } : { target: { key: 'demands.error.cannot_merge', params: { ids: String(id) } } } };
    return { done: 'merged' };
  });

  action('suggest', suggestForm, async (request, id, form) => {
    if (form.unitId && !(await unitRepo.get(form.unitId))) return { errors: { unitId: { key: 'validation.invalid_choice' } } };
    const result = await repo.suggest(request.actor(), [id], form.unitId ?? null);
    if (!result.ok) return { status: 409, errors: { unitId: { key: 'demands.error.not_new', params: { ids: String(id) } } } };
    return { done: 'suggested' };
  });

  action('decline', officeDeclineForm, async (request, id, form) => {
    const result = await repo.decline(request.actor(), [id], form.reason, null);
    if (!result.ok) return { status: 409, errors: { reason: { key: 'demands.error.not_new', params: { ids: String(id) } } } };
    return { done: 'declined' };
  });

  action('reopen', emptyForm, async (request, id) => {
    if (!(await repo.reopen(request.actor(), id))) return { status: 409, errors: { _form: { key: 'demands.error.not_declined' } } };
    return { done: 'reopened' };
  });

  action('classify', classifyForm, async (request, id, form) => {
    const errors: FieldErrors = {};
    if (form.categoryId && !(await categoryRepo.get(form.categoryId))) errors.categoryId = { key: 'validation.invalid_choice' };
    if (form.districtUnitId) {
      const d = await unitRepo.get(form.districtUnitId);
      if (!d || !['county', 'district'].includes(d.kind)) errors.districtUnitId = { key: 'validation.invalid_choice' };
    }
    if (Object.keys(errors).length) return { errors };
    await repo.classify(request.actor(), id, { categoryId: form.categoryId ?? null, districtUnitId: form.districtUnitId ?? null });
    return { done: 'classified' };
  });

  action('hide', hideForm, async (request, id, form) => {
    await repo.setHidden(request.actor(), id, form.hidden);
    return { done: form.hidden ? 'hidden' : 'shown' };
  });
}
