// The public's votes: satisfaction with a pledge or a service window, confirm/dispute of a
// completed pledge, and verified votes with a printed code. Anonymous forms: no per-visitor
// token (the pages stay cacheable), an Origin check instead, and the voter cookie is set only
// here, when someone votes. Every answer is a 303 back to the page with a thank-you notice.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { formValues, id as idSchema, parseForm, type FieldErrors } from '../validation.ts';
import { createRatingsRepository } from './repository.ts';
import { createCodeRepository, hashCode } from './codes.ts';
import { COMMENT_MAX, checkForm, formatCode, normalizeCode, voteForm } from './schemas.ts';
import { rememberVoter, voterOf } from './voter.ts';
import { addressKey } from '../app.ts';

type VoteFormKind = 'rating' | 'check';

export default async function ratingPublicRoutes(app: FastifyInstance) {
  const repo = createRatingsRepository(app.db);
  const codes = createCodeRepository(app.db);
  const secure = app.config.publicUrl.startsWith('https:');
  // Votes get a bucket of their own per address (IPv6: per /64), as large as the general one
  // (RATE_LIMIT_PER_MINUTE): a carrier's NAT can put a whole district behind one address, so
  // this only stops floods; bursts on one target are caught by stuffing flags instead.
  const publicWrite = { config: { csrf: 'origin' as const, rateLimit: { max: app.config.rateLimitPerMinute, timeWindow: 60_000 } } };

  function paramId(request: FastifyRequest): number {
    const parsed = idSchema().safeParse((request.params as { id?: string }).id);
    if (!parsed.success) throw new HttpError(404);
    return parsed.data;
  }

  /** The form again, on a page of its own, with what was typed and a message by each field. */
  function formPage(request: FastifyRequest, reply: FastifyReply, o: { kind: VoteFormKind; action: string; back: string; subject: string; body: unknown; errors: FieldErrors; status?: number; verified?: boolean }) {
    return reply.code(o.status ?? 400).page('ratings/vote', {
      title: request.t(o.kind === 'check' ? 'ratings.check.title' : 'ratings.form.title'),
      breadcrumbs: [{ href: o.back, label: o.subject }, { label: request.t(o.kind === 'check' ? 'ratings.check.title' : 'ratings.form.title') }],
      kind: o.kind,
      action: o.action,
      back: o.back,
      subject: o.subject,
      verified: o.verified ?? false,
      commentMax: COMMENT_MAX,
      values: formValues(o.body),
      errors: o.errors,
    });
  }

  /** A vote the target cannot take: a page saying why, nothing stored. */
  function refused(request: FastifyRequest, reply: FastifyReply, status: number, messageKey: string, back?: string) {
    return reply.code(status).page('ratings/notice', { title: request.t('ratings.refused.title'), message: request.t(messageKey), back });
  }

  async function votablePledge(request: FastifyRequest) {
    const pledge = await repo.pledgeTarget(paramId(request));
    // A draft is not public: as far as the public knows it does not exist.
    if (!pledge || pledge.status === 'draft') throw new HttpError(404);
    return pledge;
  }

  app.post('/pledges/:id/rating', publicWrite, async (request, reply) => {
    const pledge = await votablePledge(request);
    const back = `/pledges/${pledge.id}`;
    if (pledge.status === 'cancelled') return refused(request, reply, 400, 'ratings.error.cancelled', back);
    const parsed = parseForm(voteForm, request.body);
    if (!parsed.ok) return formPage(request, reply, { kind: 'rating', action: `${back}/rating`, back, subject: pledge.title, body: request.body, errors: parsed.errors });
    const voter = voterOf(request, secure);
    const stored = await repo.vote({ pledgeId: pledge.id }, { voterId: voter.id, addressKey: voter.addressKey, ...parsed.data });
    if (stored.flagged) request.log.info({ target: `p:${pledge.id}` }, 'vote held in a stuffing flag');
    rememberVoter(reply, voter, secure);
    return reply.redirect(`${back}?voted=1#rating`, 303);
  });

  app.post('/pledges/:id/check', publicWrite, async (request, reply) => {
    const pledge = await votablePledge(request);
    const back = `/pledges/${pledge.id}`;
    if (pledge.status !== 'completed') return refused(request, reply, 400, 'ratings.error.not_completed', back);
    const parsed = parseForm(checkForm, request.body);
    if (!parsed.ok) return formPage(request, reply, { kind: 'check', action: `${back}/check`, back, subject: pledge.title, body: request.body, errors: parsed.errors });
    const voter = voterOf(request, secure);
    await repo.check(pledge.id, { voterId: voter.id, addressKey: voter.addressKey, ...parsed.data });
    rememberVoter(reply, voter, secure);
    return reply.redirect(`${back}?checked=1#check`, 303);
  });

  app.post('/units/:slug/rating', publicWrite, async (request, reply) => {
    const slug = (request.params as { slug: string }).slug;
    const unit = await repo.unitTarget(slug);
    if (!unit || !unit.active) throw new HttpError(404);
    const back = `/units/${unit.slug}`;
    if (!unit.isServiceWindow) return refused(request, reply, 400, 'ratings.error.not_window', back);
    const parsed = parseForm(voteForm, request.body);
    if (!parsed.ok) return formPage(request, reply, { kind: 'rating', action: `${back}/rating`, back, subject: unit.name, body: request.body, errors: parsed.errors });
    const voter = voterOf(request, secure);
    const stored = await repo.vote({ unitId: unit.id }, { voterId: voter.id, addressKey: voter.addressKey, ...parsed.data });
    if (stored.flagged) request.log.info({ target: `u:${unit.id}` }, 'vote held in a stuffing flag');
    rememberVoter(reply, voter, secure);
    return reply.redirect(`${back}?voted=1#rating`, 303);
  });

  /** Typing a code from paper: /rate?code=… goes to the code's page. */
  app.get('/rate', async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).code;
    const typed = typeof raw === 'string' ? raw.trim().slice(0, 40) : '';
    const code = typed ? normalizeCode(typed) : undefined;
    if (code) return reply.redirect(`/rate/${code}`, 303);
    return reply.code(typed ? 400 : 200).page('ratings/code-lookup', {
      title: request.t('ratings.code.lookup_title'),
      values: { code: typed },
      errors: typed ? { code: { key: 'ratings.code.malformed' } } : undefined,
    });
  });

  async function codePage(request: FastifyRequest, reply: FastifyReply, opts: { errors?: FieldErrors; body?: unknown } = {}) {
    const code = normalizeCode((request.params as { code: string }).code);
    const state = code ? await codes.state(code) : { state: 'unknown' as const };
    if (state.state !== 'valid') {
      return refused(request, reply, state.state === 'unknown' ? 404 : 410, `ratings.code.${state.state}`);
    }
    return reply.code(opts.errors ? 400 : 200).page('ratings/vote', {
      title: request.t('ratings.code.title', { unit: state.unitName }),
      kind: 'rating',
      action: `/rate/${code}`,
      back: `/units/${state.unitSlug}`,
      subject: state.unitName,
      verified: true,
      code: formatCode(code!),
      expiresAt: state.expiresAt,
      commentMax: COMMENT_MAX,
      values: opts.body ? formValues(opts.body) : {},
      errors: opts.errors,
    });
  }

  app.get('/rate/:code', async (request, reply) => codePage(request, reply));

  app.post('/rate/:code', publicWrite, async (request, reply) => {
    const code = normalizeCode((request.params as { code: string }).code);
    if (!code) return refused(request, reply, 404, 'ratings.code.unknown');
    const parsed = parseForm(voteForm, request.body);
    if (!parsed.ok) return codePage(request, reply, { errors: parsed.errors, body: request.body });
    const result = await repo.voteWithCode(hashCode(code), { addressKey: addressKey(request.ip), ...parsed.data });
    if (!result.ok) return refused(request, reply, result.reason === 'unknown' ? 404 : 410, `ratings.code.${result.reason}`);
    // A verified vote needs no voter cookie: the spent code is its identity.
    return reply.redirect(`/units/${result.unitSlug}?voted=1&verified=1#rating`, 303);
  });
}
