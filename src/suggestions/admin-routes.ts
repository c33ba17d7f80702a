// The office's moderation queue: publish, or reject with a reason. The text as sent is shown
// and kept whatever the decision (the office cannot edit it); every decision is audit-logged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SUGGESTION_STATUSES, SUGGESTION_TARGETS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { parseListQuery } from '../demands/schemas.ts';
import { adminOnly, noticeFor, paramId } from '../admin/common.ts';
import { createSuggestionRepository } from './repository.ts';
import type { WriteOutcome } from './moderation.ts';
import { publishForm, queueQuery, REASON_MAX, rejectForm } from './schemas.ts';

export default async function suggestionAdminRoutes(app: FastifyInstance) {
  const repo = createSuggestionRepository(app.db);

  app.get('/admin/suggestions', adminOnly, async (request, reply) => {
    const t = request.t;
    const q = parseListQuery(queueQuery, request.query, t);
    const [result, counts, units] = await Promise.all([
      repo.queue({ status: q.status, targetKind: q.target, unitId: q.unit }, { page: q.page }),
      repo.countByStatus(),
      repo.unitsWithSuggestions(),
    ]);
    return reply.page('suggestions/admin-queue', {
      title: t('suggestions.admin.title'),
      breadcrumbs: [{ href: '/admin', label: t('nav.admin') }, { label: t('suggestions.admin.title') }],
      query: q,
      result,
      counts,
      options: { statuses: SUGGESTION_STATUSES, targets: SUGGESTION_TARGETS, units },
      notice: noticeFor(request, 'suggestions.notice'),
    });
  });

  async function showPage(request: FastifyRequest, reply: FastifyReply, suggestionId: number, opts: { status?: number; values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const t = request.t;
    const s = await repo.officeView(suggestionId);
    if (!s) throw new HttpError(404);
    return reply.code(opts.status ?? 200).page('suggestions/admin-show', {
      title: t('suggestions.admin.show_title', { id: s.id }),
      breadcrumbs: [
        { href: '/admin', label: t('nav.admin') },
        { href: '/admin/suggestions', label: t('suggestions.admin.title') },
        { label: `#${s.id}` },
      ],
      s,
      reasonMax: REASON_MAX,
      values: opts.values ?? { reason: s.rejectReason },
      errors: opts.errors,
      notice: noticeFor(request, 'suggestions.notice'),
    });
  }

  app.get('/admin/suggestions/:id', adminOnly, async (request, reply) => showPage(request, reply, paramId(request)));

  function afterWrite(reply: FastifyReply, suggestionId: number, outcome: WriteOutcome, saved: string) {
    if (outcome === 'not_found') throw new HttpError(404);
    return reply.redirect(`/admin/suggestions/${suggestionId}?saved=${outcome === 'unchanged' ? 'unchanged' : saved}`, 303);
  }

  app.post('/admin/suggestions/:id/publish', adminOnly, async (request, reply) => {
    const suggestionId = paramId(request);
    const parsed = parseForm(publishForm, request.body);
    if (!parsed.ok) return showPage(request, reply, suggestionId, { status: 400, errors: parsed.errors });
    return afterWrite(reply, suggestionId, await repo.moderate(request.actor(), suggestionId, { status: 'published' }), 'published');
  });

  app.post('/admin/suggestions/:id/reject', adminOnly, async (request, reply) => {
    const suggestionId = paramId(request);
    const parsed = parseForm(rejectForm, request.body);
    if (!parsed.ok) return showPage(request, reply, suggestionId, { status: 400, values: formValues(request.body), errors: parsed.errors });
    return afterWrite(reply, suggestionId, await repo.moderate(request.actor(), suggestionId, { status: 'rejected', reason: parsed.data.reason }), 'rejected');
  });
}
