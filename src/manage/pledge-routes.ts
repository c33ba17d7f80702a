// Creating, editing and publishing pledges. Order in every write: find the pledge (404), check
// who is asking (403, nothing changes), validate (400, input kept), then write with the version
// the form was loaded with (409, input kept, the saved values shown).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { parseForm, formValues, optionalId, type FieldErrors } from '../validation.ts';
import { HttpError } from '../plugins/errors.ts';
import { todayIn } from '../pledges/status.ts';
import { createDraftForm, updateDraftForm, publishedForm, publishForm, checkDates, checkPublishedEdit, draftFieldsOf, withDateCheck, type DraftForm } from '../pledges/schemas.ts';
import type { DraftInput, PledgeSnapshot } from '../pledges/repository.ts';
import { WORKSPACE, leads, coLeads, forgedByEditor } from './access.ts';
import { pledgeIdParam, parseQuery, valuesOf, type Pages, type FormValues } from './pages.ts';

const newQuery = z.object({ parent: optionalId(), unit: optionalId() }).loose();

function hasErrors(errors: FieldErrors): boolean {
  return Object.keys(errors).length > 0;
}

export default function pledgeRoutes(app: FastifyInstance, pages: Pages) {
  const { pledgeRepo, campaignRepo } = pages;

  /** The pledge, if this user leads it (admin: any); 404 / 403 otherwise. */
  async function ledPledge(request: FastifyRequest): Promise<PledgeSnapshot> {
    const pledge = await pledgeRepo.get(pledgeIdParam(request));
    if (!pledge) throw new HttpError(404);
    if (!leads(request.user!, pledge)) throw new HttpError(403);
    return pledge;
  }

  /** An editor's pledges are always their own unit's; the office names the lead unit. */
  function leadUnitFor(request: FastifyRequest, form: DraftForm, errors: FieldErrors, fallback?: number): number {
    const user = request.user!;
    if (user.role !== 'admin') return user.unitId!;
    const chosen = form.leadUnitId ?? fallback;
    if (!chosen) errors.leadUnitId = { key: 'validation.required' };
    return chosen ?? 0;
  }

  async function draftInput(request: FastifyRequest, form: DraftForm, errors: FieldErrors, existing?: PledgeSnapshot): Promise<DraftInput> {
    const leadUnitId = leadUnitFor(request, form, errors, existing?.leadUnitId);
    Object.assign(errors, checkDates(form.startOn, form.dueOn));
    const input: DraftInput = {
      ...draftFieldsOf(form),
      leadUnitId,
      tier: request.user!.role === 'admin' ? (form.tier ?? existing?.tier ?? 'unit') : (existing?.tier ?? 'unit'),
    };
    if (leadUnitId) {
      const refErrors = await pledgeRepo.checkReferences({ ...input, selfId: existing?.id });
      for (const [field, e] of Object.entries(refErrors)) errors[field] ??= e;
    }
    return input;
  }

  app.get('/manage/pledges/new', { config: WORKSPACE }, async (request, reply) => {
    const user = request.user!;
    if (user.role === 'unit' && !user.unitId) throw new HttpError(403);
    const q = parseQuery(newQuery, request.query);
    let parent: PledgeSnapshot | undefined;
    if (q.parent) {
      parent = await pledgeRepo.get(q.parent);
      if (!parent) throw new HttpError(404);
      if (!leads(user, parent)) throw new HttpError(403);
    }
    const current = await campaignRepo.current();
    const campaignId = parent?.campaignId ?? current?.id;
    const campaign = campaignId ? await campaignRepo.get(campaignId) : undefined;
    const values: FormValues = {
      campaignId: campaignId ? String(campaignId) : '',
      leadUnitId: String(parent?.leadUnitId ?? (user.role === 'admin' ? (q.unit ?? '') : user.unitId)),
      tier: 'unit',
      parentId: parent ? String(parent.id) : '',
      categoryId: parent?.categoryId ? String(parent.categoryId) : '',
      districtUnitId: parent?.districtUnitId ? String(parent.districtUnitId) : '',
      startOn: todayIn(campaign?.timeZone ?? app.config.timeZone),
      coUnitIds: [],
    };
    return pages.draftForm(request, reply, { values });
  });

  app.post('/manage/pledges', { config: WORKSPACE }, async (request, reply) => {
    const user = request.user!;
    if (user.role === 'unit' && !user.unitId) throw new HttpError(403);
    if (forgedByEditor(user, request.body, { leadUnitId: user.unitId ?? 0, tier: 'unit' })) throw new HttpError(403);
    const parsed = parseForm(createDraftForm, request.body);
    const refuse = (errors: FieldErrors) => pages.draftForm(request, reply, { status: 400, values: formValues(request.body), errors });
    if (!parsed.ok) return refuse(withDateCheck(parsed.errors, request.body));
    const errors: FieldErrors = {};
    const input = await draftInput(request, parsed.data, errors);
    if (hasErrors(errors)) return refuse(errors);
    const result = await pledgeRepo.createDraft(request.actor(), input);
    return reply.redirect(`/manage/pledges/${result.pledge.id}?done=created`, 303);
  });

  app.get('/manage/pledges/:id', { config: WORKSPACE }, async (request, reply) => {
    const id = pledgeIdParam(request);
    const view = await pledgeRepo.getForManage(id);
    if (!view) throw new HttpError(404);
    const user = request.user!;
    // A co-unit sees a pledge once it is published, to post its part of the progress.
    if (!leads(user, view.pledge) && !(coLeads(user, view.pledge) && view.pledge.status !== 'draft')) throw new HttpError(403);
    return pages.pledgePage(request, reply, view);
  });

  app.get('/manage/pledges/:id/edit', { config: WORKSPACE }, async (request, reply) => {
    const pledge = await ledPledge(request);
    const values = valuesOf(pledge);
    if (pledge.status === 'draft') return pages.draftForm(request, reply, { pledge, values });
    return pages.publishedForm(request, reply, { pledge, values });
  });

  app.post('/manage/pledges/:id/edit', { config: WORKSPACE }, async (request, reply) => {
    const pledge = await ledPledge(request);
    if (pledge.status === 'draft') return saveDraft(request, reply, pledge);
    return savePublished(request, reply, pledge);
  });

  async function saveDraft(request: FastifyRequest, reply: FastifyReply, pledge: PledgeSnapshot) {
    if (forgedByEditor(request.user!, request.body, pledge)) throw new HttpError(403);
    const parsed = parseForm(updateDraftForm, request.body);
    const values = formValues(request.body);
    if (!parsed.ok) return pages.draftForm(request, reply, { status: 400, pledge, values, errors: withDateCheck(parsed.errors, request.body) });
    if (parsed.data.version !== pledge.version) return conflict(pledge);
    const errors: FieldErrors = {};
    const input = await draftInput(request, parsed.data, errors, pledge);
    if (hasErrors(errors)) return pages.draftForm(request, reply, { status: 400, pledge, values, errors });
    const result = await pledgeRepo.updateDraft(request.actor(), pledge.id, parsed.data.version, input);
    if (result.ok) return reply.redirect(`/manage/pledges/${pledge.id}?done=saved`, 303);
    if (result.reason === 'conflict') return conflict(result.current);
    if (result.reason === 'not_draft') throw new HttpError(409, request.t('manage.error.published_meanwhile'));
    throw new HttpError(404);

    function conflict(current: PledgeSnapshot) {
      if (current.status !== 'draft') throw new HttpError(409, request.t('manage.error.published_meanwhile'));
      // The form now carries the saved version: submitting again, after reading, overwrites on purpose.
      return pages.draftForm(request, reply, { status: 409, pledge: current, values: { ...values, version: String(current.version) }, conflict: current });
    }
  }

  async function savePublished(request: FastifyRequest, reply: FastifyReply, pledge: PledgeSnapshot) {
    if (forgedByEditor(request.user!, request.body, pledge)) throw new HttpError(403);
    const parsed = parseForm(publishedForm, request.body);
    const values = formValues(request.body);
    if (!parsed.ok) return pages.publishedForm(request, reply, { status: 400, pledge, values, errors: parsed.errors });
    const form = parsed.data;
    const conflict = (current: PledgeSnapshot) =>
      pages.publishedForm(request, reply, { status: 409, pledge: current, values: { ...values, version: String(current.version) }, conflict: current });
    if (form.version !== pledge.version) return conflict(pledge);
    const errors: FieldErrors = checkPublishedEdit(pledge, form);
    // A unit's new date goes to the office as a request; one may be pending at a time.
    const deadlineMode = request.user!.role === 'admin' ? 'direct' : 'request';
    if (deadlineMode === 'request' && form.dueOn !== pledge.dueOn && !errors.dueOn) {
      if (await pages.deadlineRepo.pendingFor(pledge.id)) errors.dueOn = { key: 'deadlines.error.pending_exists' };
      else if (!['pledged', 'in_progress', 'delayed'].includes(pledge.status)) errors.dueOn = { key: 'deadlines.error.closed' };
    }
    const refErrors = await pledgeRepo.checkReferences({
      leadUnitId: pledge.leadUnitId,
      categoryId: form.categoryId,
      districtUnitId: form.districtUnitId ?? null,
      coUnitIds: form.coUnitIds,
    });
    for (const [field, e] of Object.entries(refErrors)) errors[field] ??= e;
    if (hasErrors(errors)) return pages.publishedForm(request, reply, { status: 400, pledge, values, errors });
    const result = await pledgeRepo.updatePublished(request.actor(), pledge.id, form.version, { ...form, districtUnitId: form.districtUnitId ?? null, deadlineMode });
    if (result.ok) {
      const done = result.changed?.includes('dueOnRequested') ? 'deadline_requested' : result.changed?.length ? 'saved' : 'unchanged';
      return reply.redirect(`/manage/pledges/${pledge.id}?done=${done}`, 303);
    }
    if (result.reason === 'conflict') return conflict(result.current);
    if (result.reason === 'deadline_pending' || result.reason === 'deadline_closed') {
      const key = result.reason === 'deadline_pending' ? 'deadlines.error.pending_exists' : 'deadlines.error.closed';
      return pages.publishedForm(request, reply, { status: 400, pledge, values, errors: { dueOn: { key } } });
    }
    throw new HttpError(404);
  }

  app.post('/manage/pledges/:id/publish', { config: WORKSPACE }, async (request, reply) => {
    const pledge = await ledPledge(request);
    const parsed = parseForm(publishForm, request.body);
    if (!parsed.ok) throw new HttpError(400, 'version');
    if (pledge.status !== 'draft') throw new HttpError(409, request.t('manage.error.already_published'));
    const result = await pledgeRepo.publish(request.actor(), pledge.id, parsed.data.version);
    if (result.ok) return reply.redirect(`/manage/pledges/${pledge.id}?done=published`, 303);
    if (result.reason === 'conflict') {
      // Someone saved the draft after this page was loaded: show what is now saved before publishing it.
      const view = (await pledgeRepo.getForManage(pledge.id))!;
      return pages.pledgePage(request, reply, view, { status: 409, conflict: result.current });
    }
    if (result.reason === 'not_draft') throw new HttpError(409, request.t('manage.error.already_published'));
    throw new HttpError(404);
  });
}
