// The unit's side: published suggestions addressed to the unit (a pledge's suggestions go to its
// lead unit), unanswered first, and the public answer. A unit editor answers for their own unit
// only; the office answers campaign-wide suggestions and, when needed, on a unit's behalf.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SessionUser } from '../auth/repository.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { parseListQuery } from '../demands/schemas.ts';
import { paramId, noticeFor } from '../admin/common.ts';
import { WORKSPACE } from '../manage/access.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createSuggestionRepository } from './repository.ts';
import { REPLY_FILTERS, REPLY_MAX, replyForm, workspaceQuery } from './schemas.ts';

/** A unit editor may answer what is addressed to their unit; the office anything. */
export function mayAnswer(user: SessionUser, suggestion: { unitId: number | null }): boolean {
  if (user.role === 'admin') return true;
  return user.role === 'unit' && user.unitId !== null && suggestion.unitId === user.unitId;
}

export default async function suggestionManageRoutes(app: FastifyInstance) {
  const repo = createSuggestionRepository(app.db);
  const unitRepo = createUnitRepository(app.db);

  app.get('/manage/suggestions', { config: WORKSPACE }, async (request, reply) => {
    const t = request.t;
    const user = request.user!;
    const q = parseListQuery(workspaceQuery, request.query, t);
    const isAdmin = user.role === 'admin';
    if (!isAdmin && !user.unitId) throw new HttpError(403);
    const unitId = isAdmin ? (q.unit ?? null) : user.unitId!;
    const unit = unitId ? await unitRepo.get(unitId) : undefined;
    if (unitId && !unit) throw new HttpError(400, t('suggestions.error.unknown_target'));
    const [result, unanswered, units] = await Promise.all([
      repo.workspace({ unitId, answered: q.answered }, { page: q.page }),
      repo.unansweredCount(unitId),
      isAdmin ? repo.unitsWithSuggestions() : Promise.resolve([]),
    ]);
    return reply.page('suggestions/manage-list', {
      title: t('suggestions.manage.title'),
      breadcrumbs: [{ href: '/manage', label: t('manage.title') }, { label: t('suggestions.manage.title') }],
      isAdmin,
      unit,
      units,
      query: q,
      filters: REPLY_FILTERS,
      result,
      unanswered,
      notice: noticeFor(request, 'suggestions.notice'),
    });
  });

  async function loadFor(request: FastifyRequest, suggestionId: number) {
    const state = await repo.replyState(suggestionId);
    // Pending and rejected ones are the office's business: to the workspace they do not exist.
    if (!state || state.status !== 'published') throw new HttpError(404);
    if (!mayAnswer(request.user!, state)) throw new HttpError(403);
    return state;
  }

  async function replyPage(request: FastifyRequest, reply: FastifyReply, suggestionId: number, opts: { status?: number; values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const t = request.t;
    const s = (await repo.getPublic(suggestionId))!;
    return reply.code(opts.status ?? 200).page('suggestions/manage-reply', {
      title: t('suggestions.manage.reply_title', { id: s.id }),
      breadcrumbs: [
        { href: '/manage', label: t('manage.title') },
        { href: '/manage/suggestions', label: t('suggestions.manage.title') },
        { label: `#${s.id}` },
      ],
      s,
      replyMax: REPLY_MAX,
      values: opts.values ?? { reply: s.reply?.text ?? '' },
      errors: opts.errors,
      notice: noticeFor(request, 'suggestions.notice'),
    });
  }

  app.get('/manage/suggestions/:id', { config: WORKSPACE }, async (request, reply) => {
    const suggestionId = paramId(request);
    await loadFor(request, suggestionId);
    return replyPage(request, reply, suggestionId);
  });

  app.post('/manage/suggestions/:id/reply', { config: WORKSPACE }, async (request, reply) => {
    const suggestionId = paramId(request);
    const state = await loadFor(request, suggestionId);
    const parsed = parseForm(replyForm, request.body);
    if (!parsed.ok) return replyPage(request, reply, suggestionId, { status: 400, values: formValues(request.body), errors: parsed.errors });
    const user = request.user!;
    // The answer is signed by the unit addressed; the office answering a campaign-wide one signs as the office.
    const replyUnitId = user.role === 'admin' ? state.unitId : user.unitId;
    const outcome = await repo.reply(request.actor(), suggestionId, { text: parsed.data.reply, replyUnitId });
    if (outcome === 'not_found' || outcome === 'not_published') throw new HttpError(404);
    return reply.redirect(`/manage/suggestions/${suggestionId}?saved=${outcome === 'ok' ? 'replied' : 'unchanged'}`, 303);
  });
}
