// Deadline accountability: a unit requests a new date and may withdraw it (workspace), the
// office decides (/admin/deadlines) and watches who is late (/admin/overdue). Sections add the
// request history to the public pledge page, the workspace pledge page, the unit's dashboard
// ("due within 14 days") and the office overview.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UNIT_KINDS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { todayIn } from '../pledges/status.ts';
import { checkDates } from '../pledges/schemas.ts';
import { DUE_SOON_DAYS } from '../pledges/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createPages, pledgeIdParam, parseQuery } from '../manage/pages.ts';
import { leads } from '../manage/access.ts';
import { adminOnly, paramId } from '../admin/common.ts';
import { createDeadlineRepository } from './repository.ts';
import { createOverdueRepository, OVERDUE_SORTS } from './overdue.ts';
import { decisionForm, overdueQuery, requestForm } from './schemas.ts';

const OPEN = ['pledged', 'in_progress', 'delayed'];
const UNIT_ONLY = { access: ['unit' as const] };

export default async function deadlineRoutes(app: FastifyInstance) {
  const repo = createDeadlineRepository(app.db);
  const overdue = createOverdueRepository(app.db);
  const campaigns = createCampaignRepository(app.db);
  const pages = createPages(app);

  // ——— The unit's side ———

  app.post('/manage/pledges/:id/deadline-requests', { config: UNIT_ONLY }, async (request, reply) => {
    const view = await pages.pledgeRepo.getForManage(pledgeIdParam(request));
    if (!view || view.pledge.status === 'draft') throw new HttpError(404);
    const { pledge } = view;
    if (!leads(request.user!, pledge)) throw new HttpError(403);
    const body = request.body ?? {};
    const parsed = parseForm(requestForm, body);
    const errors: FieldErrors = parsed.ok ? checkDates(pledge.startOn, parsed.data.requestedDueOn, 'requestedDueOn') : parsed.errors;
    if (parsed.ok && parsed.data.requestedDueOn === pledge.dueOn) errors.requestedDueOn = { key: 'deadlines.error.same_date' };
    if (!OPEN.includes(pledge.status)) errors.requestedDueOn = { key: 'deadlines.error.closed' };
    else if (await repo.pendingFor(pledge.id)) errors.requestedDueOn = { key: 'deadlines.error.pending_exists' };
    const refuse = (e: FieldErrors) =>
      pages.pledgePage(request, reply, view, { status: 400, values: { happenedOn: todayIn(view.campaign.timeZone), ...formValues(body) }, errors: e });
    if (!parsed.ok || Object.keys(errors).length) return refuse(errors);
    const result = await repo.file(request.actor(), pledge.id, parsed.data.requestedDueOn, parsed.data.requestReason);
    if (!result.ok) return refuse({ requestedDueOn: { key: result.reason === 'pending_exists' ? 'deadlines.error.pending_exists' : 'deadlines.error.closed' } });
    return reply.redirect(`/manage/pledges/${pledge.id}?done=deadline_requested#deadline-requests`, 303);
  });

  app.post('/manage/deadline-requests/:id/withdraw', { config: UNIT_ONLY }, async (request, reply) => {
    const found = await repo.get(paramId(request));
    if (!found) throw new HttpError(404);
    if (!leads(request.user!, { leadUnitId: found.leadUnitId })) throw new HttpError(403);
    const result = await repo.withdraw(request.actor(), found.request.id, found.leadUnitId);
    if (!result.ok && result.reason === 'not_pending') throw new HttpError(409, request.t('deadlines.error.not_pending'));
    if (!result.ok) throw new HttpError(404);
    return reply.redirect(`/manage/pledges/${found.request.pledgeId}?done=deadline_withdrawn#deadline-requests`, 303);
  });

  // ——— The office's side ———

  async function queuePage(request: FastifyRequest, reply: FastifyReply, opts: { status?: number; errorFor?: number; errors?: FieldErrors; values?: Record<string, unknown>; notice?: string } = {}) {
    const [pending, decided] = await Promise.all([repo.list({ status: 'pending' }), repo.list({ status: 'decided', limit: 50 })]);
    const daysBetween = (a: string, b: string) => Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
    return reply.code(opts.status ?? 200).page('deadlines/admin', {
      title: request.t('deadlines.admin.title'),
      breadcrumbs: [{ href: '/admin', label: request.t('nav.admin') }, { label: request.t('deadlines.admin.title') }],
      pending: pending.map((r) => ({ ...r, daysLate: OPEN.includes(r.pledgeStatus) && r.dueOn < r.today ? daysBetween(r.dueOn, r.today) : 0, moveDays: daysBetween(r.oldDueOn, r.requestedDueOn) })),
      decided,
      errorFor: opts.errorFor,
      errors: opts.errors,
      values: opts.values ?? {},
      notice: opts.notice,
    });
  }

  app.get('/admin/deadlines', adminOnly, async (request, reply) => {
    const saved = (request.query as { done?: string }).done;
    return queuePage(request, reply, { notice: saved === 'approved' || saved === 'rejected' ? request.t(`deadlines.done.${saved}`) : undefined });
  });

  app.post('/admin/deadlines/:id/decide', adminOnly, async (request, reply) => {
    const id = paramId(request);
    const found = await repo.get(id);
    if (!found) throw new HttpError(404);
    const parsed = parseForm(decisionForm, request.body);
    const errors: FieldErrors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok && parsed.data.decision === 'rejected' && !parsed.data.note) errors.note = { key: 'deadlines.error.note_required' };
    if (Object.keys(errors).length || !parsed.ok) return queuePage(request, reply, { status: 400, errorFor: id, errors, values: formValues(request.body) });
    const result = await repo.decide(request.actor(), id, parsed.data.decision, parsed.data.note);
    if (!result.ok && result.reason === 'not_pending') throw new HttpError(409, request.t('deadlines.error.not_pending'));
    if (!result.ok && result.reason === 'not_allowed') throw new HttpError(409, request.t('deadlines.error.pledge_closed'));
    if (!result.ok) throw new HttpError(404);
    return reply.redirect(`/admin/deadlines?done=${parsed.data.decision}`, 303);
  });

  app.get('/admin/overdue', adminOnly, async (request, reply) => {
    const q = parseQuery(overdueQuery, request.query);
    const campaignList = await campaigns.list();
    if (q.campaign && !campaignList.some((c) => c.id === q.campaign)) throw new HttpError(400, 'campaign');
    const rows = await overdue.list({ campaignId: q.campaign, unitKind: q.kind, sort: q.sort });
    return reply.page('deadlines/overdue', {
      title: request.t('deadlines.overdue.title'),
      breadcrumbs: [{ href: '/admin', label: request.t('nav.admin') }, { label: request.t('deadlines.overdue.title') }],
      rows,
      units: overdue.byUnit(rows),
      query: { campaign: q.campaign ? String(q.campaign) : '', kind: q.kind ?? '', sort: q.sort ?? 'most_late' },
      campaigns: campaignList.map((c) => ({ id: c.id, name: c.name })),
      kinds: UNIT_KINDS,
      sorts: OVERDUE_SORTS,
    });
  });

  // ——— Sections on other features' pages ———

  // Public pledge page: data only; the page's DEADLINES part reads it.
  app.sections.add('pledge', {
    template: 'deadlines',
    slot: 'data',
    async load(ctx) {
      const requests = ctx.has.deadlineRequests ? await repo.forPledge(ctx.pledgeId) : [];
      const fromRequests = new Set(requests.map((r) => r.deadlineChangeId).filter((id) => id !== null));
      // Moves that no request explains: the office's own edits (and moves from before requests
      // existed). The page has read the moves already and passes them on.
      const direct = ctx.deadlineMoves.filter((c) => !fromRequests.has(c.id));
      const events = [
        ...requests.map((r) => ({ kind: 'request' as const, at: r.requestedAt, ...r })),
        ...direct.map((c) => ({ kind: 'direct' as const, at: c.createdAt, status: 'approved', oldDueOn: c.oldDueOn, requestedDueOn: c.newDueOn, reason: c.reason, decisionNote: '', decidedAt: c.createdAt, requestedAt: c.createdAt })),
      ].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
      return { deadlineEvents: events };
    },
  });

  app.sections.add('manage-pledge', {
    template: '/deadlines/_manage',
    slot: 'main',
    order: 10,
    async load(ctx, request) {
      if (ctx.status === 'draft') return null;
      const user = request.user!;
      const requests = await repo.forPledge(ctx.pledgeId, { withStaff: true });
      const isLeadEditor = user.role === 'unit' && ctx.leads;
      return {
        deadlineRequests: requests,
        canRequestDeadline: isLeadEditor && OPEN.includes(ctx.status) && !requests.some((r) => r.status === 'pending'),
        canWithdrawDeadline: isLeadEditor,
      };
    },
  });

  app.sections.add('manage', {
    template: '/deadlines/_due-soon',
    slot: 'main',
    order: -10,
    async load(ctx, request) {
      // Like the page's own attention block: only on the unfiltered dashboard.
      const status = (request.query as { status?: unknown }).status;
      if (status !== undefined && status !== '' && status !== 'all') return null;
      const [dueSoonRows, record] = await Promise.all([overdue.dueSoon({ unitId: ctx.unitId, campaignId: ctx.campaignId }), overdue.record({ unitId: ctx.unitId, campaignId: ctx.campaignId })]);
      return { dueSoonRows, dueSoonWindow: DUE_SOON_DAYS, record };
    },
  });

  app.sections.add('admin', {
    template: '/deadlines/_admin',
    slot: 'main',
    order: 10,
    async load() {
      const [pendingDeadlines, overdueCount] = await Promise.all([repo.pendingCount(), overdue.count()]);
      return { pendingDeadlines, overdueCount };
    },
  });
}
