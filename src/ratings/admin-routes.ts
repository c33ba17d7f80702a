// The office's ratings page: the stuffing-flag queue (accept or discount the held votes, with a
// note) and the moderation queue of rating and completion-check comments.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../plugins/errors.ts';
import { adminOnly, paramId } from '../admin/common.ts';
import { parseForm } from '../validation.ts';
import { createRatingsOffice } from './office.ts';
import { BURST_MINUTES, BURST_VOTES } from './stuffing.ts';
import { COMMENT_KINDS, flagDecisionForm, moderationForm } from './schemas.ts';

const NOTICES = ['accepted', 'discounted', 'published', 'rejected', 'already_decided', 'changed'] as const;
const noticeQuery = z.object({ done: z.enum(NOTICES).optional() }).loose();

export default async function ratingAdminRoutes(app: FastifyInstance) {
  const office = createRatingsOffice(app.db);

  app.get('/admin/ratings', adminOnly, async (request, reply) => {
    const done = noticeQuery.safeParse(request.query).data?.done;
    const [flags, comments, counts] = await Promise.all([office.flags(), office.pendingComments(), office.counts()]);
    return reply.page('ratings/admin', {
      title: request.t('ratings.admin.title'),
      breadcrumbs: [{ href: '/admin', label: request.t('nav.admin') }, { label: request.t('ratings.admin.title') }],
      notice: done ? request.t(`ratings.admin.done.${done}`) : undefined,
      flags,
      comments,
      counts,
      burst: { votes: BURST_VOTES, minutes: BURST_MINUTES },
    });
  });

  app.post('/admin/ratings/flags/:id', adminOnly, async (request, reply) => {
    const id = paramId(request);
    const parsed = parseForm(flagDecisionForm, request.body);
    if (!parsed.ok) throw new HttpError(400, Object.keys(parsed.errors).join(', '));
    const result = await office.decideFlag(request.actor(), id, parsed.data.decision, parsed.data.note);
    if (result === 'not_found') throw new HttpError(404);
    const done = result === 'decided' ? 'already_decided' : parsed.data.decision === 'accept' ? 'accepted' : 'discounted';
    return reply.redirect(`/admin/ratings?done=${done}#flags`, 303);
  });

  app.post('/admin/ratings/comments/:kind/:id', adminOnly, async (request, reply) => {
    const kind = z.enum(COMMENT_KINDS).safeParse((request.params as { kind: string }).kind);
    if (!kind.success) throw new HttpError(404);
    const id = paramId(request);
    const parsed = parseForm(moderationForm, request.body);
    if (!parsed.ok) throw new HttpError(400, Object.keys(parsed.errors).join(', '));
    const result = await office.moderate(request.actor(), kind.data, id, parsed.data.action, parsed.data.seen);
    if (result === 'not_found') throw new HttpError(404);
    if (result === 'changed') return reply.redirect('/admin/ratings?done=changed#comments', 303);
    return reply.redirect(`/admin/ratings?done=${parsed.data.action === 'publish' ? 'published' : 'rejected'}#comments`, 303);
  });
}
