// The office creates and revokes the intake API's tokens.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { adminOnly, paramId } from '../admin/common.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, requiredText, type FieldErrors } from '../validation.ts';
import { doneNotice } from '../demands/notices.ts';
import { createTokenRepository } from './token-repository.ts';

const tokenForm = z.object({ name: requiredText(100) }).strict();
const revokeForm = z.object({}).strict();

export default async function tokenRoutes(app: FastifyInstance) {
  const tokens = createTokenRepository(app.db);

  async function page(request: FastifyRequest, reply: FastifyReply, opts: { status?: number; created?: { id: number; token: string; name: string }; values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    return reply.code(opts.status ?? 200).page('demands/tokens', {
      title: request.t('tokens.title'),
      breadcrumbs: [{ href: '/admin', label: request.t('nav.admin') }, { label: request.t('tokens.title') }],
      tokens: await tokens.list(),
      created: opts.created,
      values: opts.values ?? {},
      errors: opts.errors,
      notice: doneNotice(request),
    });
  }

  app.get('/admin/tokens', adminOnly, async (request, reply) => page(request, reply));

  // The new token is shown in the answer to this POST and nowhere else, ever: a redirect would
  // have to carry it in a URL or keep it somewhere. The page is not cached (signed-in pages never are).
  app.post('/admin/tokens', adminOnly, async (request, reply) => {
    const parsed = parseForm(tokenForm, request.body);
    if (!parsed.ok) return page(request, reply, { status: 400, values: formValues(request.body), errors: parsed.errors });
    const created = await tokens.create(request.actor(), parsed.data.name);
    reply.header('cache-control', 'private, no-store');
    return page(request, reply, { status: 201, created: { ...created, name: parsed.data.name } });
  });

  app.post('/admin/tokens/:id/revoke', adminOnly, async (request, reply) => {
    if (!parseForm(revokeForm, request.body).ok) throw new HttpError(400);
    const id = paramId(request);
    if (!(await tokens.revoke(request.actor(), id))) throw new HttpError(404);
    return reply.redirect('/admin/tokens?done=revoked', 303);
  });
}
