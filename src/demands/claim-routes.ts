// Claiming (认领) in the unit workspace: a unit editor browses unclaimed reports relevant to
// their unit, claims one or many into a new pledge (a draft they then complete) or into one of
// their unit's pledges, or declines them with a reason the public reads. Order in every write:
// who is asking (403, nothing changes), what was sent (400, input kept), then the write (409
// when the reports changed meanwhile).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { createUnitRepository, type Unit } from '../units/repository.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createPledgeRepository } from '../pledges/repository.ts';
import { checkDates, draftFieldsOf, withDateCheck } from '../pledges/schemas.ts';
import { todayIn } from '../pledges/status.ts';
import { WORKSPACE, forgedByEditor } from '../manage/access.ts';
import { paramId } from '../admin/common.ts';
import { createDemandRepository } from './repository.ts';
import { claimActionForm, claimListQuery, claimNewForm, claimNewQuery, emptyForm, idsField, parseListQuery } from './schemas.ts';
import { registerStaffEntry } from './staff-entry.ts';
import { doneNotice } from './notices.ts';

function mostCommon(values: (number | null | undefined)[]): number | undefined {
  const counts = new Map<number, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
}

export default async function claimRoutes(app: FastifyInstance) {
  const repo = createDemandRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const campaignRepo = createCampaignRepository(app.db);
  const pledgeRepo = createPledgeRepository(app.db);

  const crumbs = (request: FastifyRequest, last?: string) => [
    { href: '/manage', label: request.t('manage.title') },
    { href: last ? '/manage/demands' : undefined, label: request.t('claims.title') },
    ...(last ? [{ label: last }] : []),
  ];

  /** The editor's unit. The office triages at /admin/demands; an account without a unit has nothing here. */
  async function editorUnit(request: FastifyRequest): Promise<Unit> {
    const user = request.user!;
    if (user.role !== 'unit' || !user.unitId) throw new HttpError(403);
    const unit = await unitRepo.get(user.unitId);
    if (!unit) throw new HttpError(403);
    return unit;
  }

  async function listPage(request: FastifyRequest, reply: FastifyReply, unit: Unit, opts: { status?: number; errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const q = parseListQuery(claimListQuery, request.query, request.t);
    const filter = { categoryId: q.category, districtUnitId: q.district, q: q.q };
    const [result, pledges, categories, districts] = await Promise.all([
      repo.forUnit({ id: unit.id, parentId: unit.parentId }, q.scope, filter, { page: q.page }),
      repo.claimablePledges(unit.id),
      categoryRepo.list(),
      unitRepo.districts(),
    ]);
    return reply.code(opts.status ?? 200).page('claims/list', {
      title: request.t('claims.title'),
      breadcrumbs: crumbs(request),
      unit,
      query: q,
      result,
      pledges,
      categories,
      districts,
      values: opts.values ?? {},
      errors: opts.errors,
      notice: doneNotice(request),
    });
  }

  app.get('/manage/demands', { config: WORKSPACE }, async (request, reply) => {
    if (request.user!.role === 'admin') return reply.redirect('/admin/demands', 303);
    return listPage(request, reply, await editorUnit(request));
  });

  registerStaffEntry(app, { base: '/manage/demands', access: ['unit'], crumbs: (request) => crumbs(request).map((c, i) => (i === 1 ? { ...c, href: '/manage/demands' } : c)) });

  app.post('/manage/demands/claim', { config: WORKSPACE }, async (request, reply) => {
    const unit = await editorUnit(request);
    const values = formValues(request.body);
    const parsed = parseForm(claimActionForm, request.body);
    if (!parsed.ok) return listPage(request, reply, unit, { status: 400, errors: parsed.errors, values });
    if (!parsed.data.pledgeId) return listPage(request, reply, unit, { status: 400, errors: { pledgeId: { key: 'validation.required' } }, values });
    // Another unit's pledge: refused before anything else is looked at.
    const pledge = await pledgeRepo.get(parsed.data.pledgeId);
    if (!pledge || pledge.leadUnitId !== unit.id) throw new HttpError(403);
    const result = await repo.claim(request.actor(), parsed.data['ids[]'], pledge.id, unit.id);
    if (result.ok) return reply.redirect(`/manage/demands?scope=claimed&done=claimed`, 303);
    if (result.reason === 'forbidden') throw new HttpError(403);
    if (result.reason === 'pledge') return listPage(request, reply, unit, { status: 409, errors: { pledgeId: { key: 'claims.error.pledge_closed' } }, values });
    return listPage(request, reply, unit, { status: 409, errors: { 'ids[]': { key: 'claims.error.unavailable', params: { ids: result.ids.join(', ') } } }, values });
  });

  /** "Claim into a new pledge": the ticked reports go to the pledge form (a GET, so it can be reloaded). */
  app.post('/manage/demands/claim-start', { config: WORKSPACE }, async (request, reply) => {
    const unit = await editorUnit(request);
    const parsed = parseForm(claimActionForm, request.body);
    if (!parsed.ok) return listPage(request, reply, unit, { status: 400, errors: parsed.errors, values: formValues(request.body) });
    const query = new URLSearchParams(parsed.data['ids[]'].map((id) => ['ids', String(id)]));
    return reply.redirect(`/manage/demands/claim-new?${query}`, 303);
  });

  app.post('/manage/demands/decline', { config: WORKSPACE }, async (request, reply) => {
    const unit = await editorUnit(request);
    const values = formValues(request.body);
    const parsed = parseForm(claimActionForm, request.body);
    if (!parsed.ok) return listPage(request, reply, unit, { status: 400, errors: parsed.errors, values });
    if (!parsed.data.reason) return listPage(request, reply, unit, { status: 400, errors: { reason: { key: 'claims.error.reason_required' } }, values });
    const result = await repo.decline(request.actor(), parsed.data['ids[]'], parsed.data.reason, { id: unit.id, parentId: unit.parentId });
    if (result.ok) return reply.redirect('/manage/demands?done=declined', 303);
    if (result.reason === 'forbidden') throw new HttpError(403, request.t('claims.error.decline_not_yours', { ids: result.ids.join(', ') }));
    return listPage(request, reply, unit, { status: 409, errors: { 'ids[]': { key: 'claims.error.unavailable', params: { ids: result.ids.join(', ') } } }, values });
  });

  async function claimNewPage(request: FastifyRequest, reply: FastifyReply, unit: Unit, ids: number[], opts: { status?: number; values: Record<string, unknown>; errors?: FieldErrors }) {
    const [reports, campaigns, categories, districts] = await Promise.all([repo.publicRows(ids), campaignRepo.list(), categoryRepo.list(), unitRepo.districts()]);
    const title = request.t('claims.new.title');
    return reply.code(opts.status ?? 200).page('claims/claim-new', {
      title,
      breadcrumbs: crumbs(request, title),
      unit,
      reports,
      ids,
      campaigns,
      categories,
      districts,
      values: opts.values,
      errors: opts.errors,
    });
  }

  app.get('/manage/demands/claim-new', { config: WORKSPACE }, async (request, reply) => {
    const unit = await editorUnit(request);
    const q = claimNewQuery.safeParse(request.query);
    if (!q.success || !q.data.ids.length) throw new HttpError(400, request.t('demands.error.none_selected'));
    const ids = [...new Set(q.data.ids)];
    const unavailable = await repo.notClaimable(ids, unit.id);
    if (unavailable.length) throw new HttpError(409, request.t('claims.error.unavailable', { ids: unavailable.join(', ') }));
    const reports = await repo.publicRows(ids);
    const current = await campaignRepo.current(todayIn(app.config.timeZone));
    const categories = await categoryRepo.list();
    const bySlug = (slug?: string) => categories.find((c) => c.slug === slug)?.id;
    const districts = await unitRepo.districts();
    const byName = (name?: string) => districts.find((d) => d.name === name)?.id;
    const values: Record<string, unknown> = {
      campaignId: current ? String(current.id) : '',
      categoryId: String(mostCommon(reports.map((r) => bySlug(r.category?.slug))) ?? ''),
      districtUnitId: String(mostCommon(reports.map((r) => byName(r.district?.name))) ?? ''),
      startOn: todayIn(current?.timeZone ?? app.config.timeZone),
    };
    return claimNewPage(request, reply, unit, ids, { values });
  });

  app.post('/manage/demands/claim-new', { config: WORKSPACE }, async (request, reply) => {
    const unit = await editorUnit(request);
    const user = request.user!;
    if (forgedByEditor(user, request.body, { leadUnitId: unit.id, tier: 'unit' })) throw new HttpError(403);
    const values = formValues(request.body);
    const rawIds = idsField().safeParse((request.body as Record<string, unknown> | undefined)?.demandIds);
    const ids = rawIds.success ? [...new Set(rawIds.data)] : [];
    const parsed = parseForm(claimNewForm, request.body);
    if (!parsed.ok) return claimNewPage(request, reply, unit, ids, { status: 400, values, errors: withDateCheck(parsed.errors, request.body) });
    const form = parsed.data;
    const errors: FieldErrors = { ...checkDates(form.startOn, form.dueOn) };
    const input = { ...draftFieldsOf(form), leadUnitId: unit.id, tier: 'unit' as const };
    for (const [field, e] of Object.entries(await pledgeRepo.checkReferences(input))) errors[field] ??= e;
    if (Object.keys(errors).length) return claimNewPage(request, reply, unit, ids, { status: 400, values, errors });
    const unavailable = await repo.notClaimable(form.demandIds, unit.id);
    if (unavailable.length) {
      return claimNewPage(request, reply, unit, ids, { status: 409, values, errors: { demandIds: { key: 'claims.error.unavailable', params: { ids: unavailable.join(', ') } } } });
    }
    const created = await pledgeRepo.createDraft(request.actor(), input);
    const claimed = await repo.claim(request.actor(), form.demandIds, created.pledge.id, unit.id);
    // Only a claim that raced this one can fail here; the draft is kept (it is not public) and says so.
    if (!claimed.ok) throw new HttpError(409, request.t('claims.error.raced', { id: created.pledge.id }));
    return reply.redirect(`/manage/pledges/${created.pledge.id}?done=created`, 303);
  });

  /** Unit editors see unclaimed reports open to them and those their unit claimed or declined. */
  async function visibleTo(unit: Unit, id: number) {
    const d = await repo.get(id);
    if (!d) throw new HttpError(404);
    const claimingUnit = await repo.claimingUnitOf(id);
    const open = d.status === 'new' && (d.suggestedUnitId === null || d.suggestedUnitId === unit.id);
    const ours = claimingUnit === unit.id;
    if (!open && !ours && d.declinedByUnitId !== unit.id) throw new HttpError(403);
    return { ours };
  }

  async function detailPage(request: FastifyRequest, reply: FastifyReply, unit: Unit, id: number, opts: { contact?: Awaited<ReturnType<typeof repo.contactFor>> } = {}) {
    const { ours } = await visibleTo(unit, id);
    const view = (await repo.staffView(id))!;
    return reply.page('claims/show', {
      title: request.t('demands.show.title', { id }),
      breadcrumbs: crumbs(request, `#${id}`),
      d: view,
      ours,
      contact: opts.contact,
      notice: doneNotice(request),
    });
  }

  app.get('/manage/demands/:id', { config: WORKSPACE }, async (request, reply) => {
    if (request.user!.role === 'admin') return reply.redirect(`/admin/demands/${paramId(request)}`, 303);
    return detailPage(request, reply, await editorUnit(request), paramId(request));
  });

  app.post('/manage/demands/:id/contact', { config: WORKSPACE }, async (request, reply) => {
    const unit = await editorUnit(request);
    const id = paramId(request);
    if (!(await repo.get(id))) throw new HttpError(404);
    // Only the unit that claimed the report may read how to reach the reporter.
    if ((await repo.claimingUnitOf(id)) !== unit.id) throw new HttpError(403);
    if (!parseForm(emptyForm, request.body).ok) throw new HttpError(400);
    const contact = await repo.contactFor(request.actor(), id);
    reply.header('cache-control', 'private, no-store');
    return detailPage(request, reply, unit, id, { contact });
  });
}
