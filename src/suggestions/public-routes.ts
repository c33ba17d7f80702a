// The public side of suggestions: the form (its own page; pledge and unit pages carry it inline
// as a section), the confirmation, and the list of published suggestions. Nothing here reads an
// author's contact: the public queries do not select it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { addressKey } from '../app.ts';
import { HttpError } from '../plugins/errors.ts';
import { id, parseForm, type FieldErrors } from '../validation.ts';
import { parseListQuery } from '../demands/schemas.ts';
import { createFormGuard, perHour, type FormGuard } from '../abuse/form-guard.ts';
import { createSuggestionRepository } from './repository.ts';
import { SUGGESTIONS_FEED } from './feed.ts';
import { createTargetResolver, type Target, type TargetRef } from './targets.ts';
import { BODY_MAX, BODY_MIN, CONTACT_MAX, NAME_MAX, publicListQuery, suggestionForm, targetQuery } from './schemas.ts';

/** Suggestions one address (IPv6: one /64) may send per hour (kept in memory by the rate limiter)… */
export const SUGGESTIONS_PER_HOUR = 10;
/** …and per day, counted in the database, so a restart does not reset it. */
export const SUGGESTIONS_PER_DAY = 30;

/** What the form partial needs besides the page's own `it`. */
export function formData(guard: FormGuard, target: Target) {
  return { target, started: guard.startedToken(), limits: { bodyMin: BODY_MIN, bodyMax: BODY_MAX, nameMax: NAME_MAX, contactMax: CONTACT_MAX } };
}

/** A target named by a query string or a form's hidden fields; anything malformed names nothing. */
function refFrom(source: Record<string, unknown>, pledgeKey: string): TargetRef | null {
  const rawPledge = source[pledgeKey];
  const rawUnit = source.unit;
  const ref: TargetRef = {};
  if (rawPledge !== undefined && rawPledge !== '') {
    const parsed = id().safeParse(Array.isArray(rawPledge) ? rawPledge[0] : rawPledge);
    if (!parsed.success) return null;
    ref.pledgeId = parsed.data;
  }
  if (typeof rawUnit === 'string' && rawUnit.trim() !== '') {
    if (ref.pledgeId !== undefined) return null;
    ref.unitSlug = rawUnit.trim().slice(0, 80);
  }
  return ref;
}

export default async function suggestionPublicRoutes(app: FastifyInstance) {
  const repo = createSuggestionRepository(app.db);
  const targets = createTargetResolver(app);
  const guard = createFormGuard(app);

  async function targetOr404(ref: TargetRef | null): Promise<Target> {
    const target = ref && (await targets.resolve(ref));
    if (!target) throw new HttpError(404);
    return target;
  }

  function formPage(request: FastifyRequest, reply: FastifyReply, target: Target, opts: { status?: number; values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const t = request.t;
    return reply.code(opts.status ?? 200).page('suggestions/new', {
      title: t('suggestions.new.title'),
      description: t('suggestions.new.description'),
      breadcrumbs: [{ href: '/suggestions', label: t('suggestions.list.title') }, { label: t('suggestions.new.title') }],
      ...formData(guard, target),
      values: opts.values ?? {},
      errors: opts.errors,
    });
  }

  app.get('/suggest', async (request, reply) => {
    const q = parseListQuery(targetQuery, request.query, request.t);
    const target = await targetOr404({ pledgeId: q.pledge, unitSlug: q.unit });
    // An old unit slug still works; the form is served under the current one.
    if (target.kind === 'unit' && q.unit !== target.unitSlug) return reply.redirect(`/suggest?${target.query}`, 301);
    return formPage(request, reply, target);
  });

  app.post(
    '/suggestions',
    { config: { csrf: 'origin', rateLimit: perHour(SUGGESTIONS_PER_HOUR) } },
    async (request, reply) => {
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      const target = await targetOr404(refFrom(body, 'pledgeId'));
      const values = guard.values(body);
      const again = (status: number, errors: FieldErrors) => formPage(request, reply, target, { status, values, errors });
      // The honeypot is invisible to people; a filled one is a form-filling robot. It learns nothing more.
      if (guard.honeypotFilled(body)) return again(400, { _form: { key: 'suggestions.error.not_accepted' } });
      const parsed = parseForm(suggestionForm, body);
      if (!parsed.ok) return again(400, parsed.errors);
      if (!guard.fillTimeOk(parsed.data.started)) return again(400, { _form: { key: 'suggestions.error.too_fast' } });

      const key = addressKey(request.ip);
      const since = new Date(Date.now() - 24 * 3600_000).toISOString();
      if ((await repo.countFromAddress(key, since)) >= SUGGESTIONS_PER_DAY) {
        reply.header('retry-after', String(3600));
        return again(429, { _form: { key: 'suggestions.error.too_many' } });
      }
      const form = parsed.data;
      await repo.create({
        campaignId: target.campaignId,
        targetKind: target.kind,
        pledgeId: target.pledgeId,
        unitId: target.unitId,
        authorName: form.name,
        authorContact: form.contact,
        body: form.body,
        addressKey: key,
      });
      return reply.redirect(`/suggestions/received${target.query ? `?${target.query}` : ''}`, 303);
    },
  );

  app.get('/suggestions/received', async (request, reply) => {
    const q = parseListQuery(targetQuery, request.query, request.t);
    const target = await targetOr404({ pledgeId: q.pledge, unitSlug: q.unit });
    const t = request.t;
    return reply.page('suggestions/received', {
      title: t('suggestions.received.title'),
      breadcrumbs: [{ href: '/suggestions', label: t('suggestions.list.title') }, { label: t('suggestions.received.title') }],
      target,
    });
  });

  app.get('/suggestions', async (request, reply) => {
    const t = request.t;
    const q = parseListQuery(publicListQuery, request.query, t);
    // ?pledge= or ?unit= narrows the list to one target ("all suggestions on this pledge").
    let target: Target | undefined;
    if (q.pledge !== undefined || q.unit !== undefined) {
      target = await targets.resolve({ pledgeId: q.pledge, unitSlug: q.pledge === undefined ? q.unit : undefined });
      if (!target) throw new HttpError(400, t('suggestions.error.unknown_target'));
    }
    const filter = target
      ? { pledgeId: target.pledgeId ?? undefined, unitId: target.kind === 'unit' ? (target.unitId ?? undefined) : undefined }
      : { targetKind: q.target };
    const result = await repo.listPublic(filter, { page: q.page });
    const campaignTarget = await targets.resolve({});
    return reply.page('suggestions/list', {
      title: target ? t('suggestions.list.title_for', { target: target.label }) : t('suggestions.list.title'),
      description: t('suggestions.list.description'),
      canonical: '/suggestions',
      feeds: [{ title: t('suggestions.feed.title'), href: SUGGESTIONS_FEED }],
      breadcrumbs: target ? [{ href: '/suggestions', label: t('suggestions.list.title') }, { label: target.label }] : [{ label: t('suggestions.list.title') }],
      query: q,
      target,
      result,
      // The campaign-wide form sits under the list; a target's own form is on its page.
      suggestForm: !target && campaignTarget ? formData(guard, campaignTarget) : null,
    });
  });
}
