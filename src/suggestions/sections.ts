// The blocks suggestions add to other features' pages (src/plugins/sections.ts): the published
// suggestions and the form on a pledge's and a unit's page, the latest ones on the home page,
// the pending count on the office overview and the unanswered count in the unit workspace.
import type { FastifyInstance } from 'fastify';
import { createFormGuard, type FormGuard } from '../abuse/form-guard.ts';
import { createSuggestionRepository } from './repository.ts';
import { createTargetResolver, type Target } from './targets.ts';
import type { SectionContexts } from '../plugins/sections.ts';
import { formData } from './public-routes.ts';

/** Suggestions shown on a pledge's or unit's page; the rest are a link away. */
export const ON_PAGE = 10;
export const ON_HOME = 5;

/**
 * A pledge page's suggestion target, made of what the page has read already (the page shows
 * only published pledges): the same as targets.resolve({ pledgeId }) answers, without reading
 * the pledge again (test/suggestions/sections.test.ts holds the two equal).
 */
export function pledgeTarget(ctx: Pick<SectionContexts['pledge'], 'pledgeId' | 'campaignId' | 'leadUnitId' | 'title'>): Target {
  return {
    kind: 'pledge',
    campaignId: ctx.campaignId,
    unitId: ctx.leadUnitId,
    pledgeId: ctx.pledgeId,
    label: ctx.title,
    href: `/pledges/${ctx.pledgeId}`,
    query: `pledge=${ctx.pledgeId}`,
    unitSlug: '',
  };
}

/**
 * The form guard for the inline forms of pledge and unit pages, signing the time a form was
 * served once a second rather than on every view (an HMAC per view cost more than the rest of
 * this block). The time signed is the next whole second, never earlier than the page was
 * served: the minimum fill time (src/abuse/form-guard.ts) can only grow, by under a second.
 */
export function signedOncePerSecond(guard: FormGuard): FormGuard {
  let second = -1;
  let token = '';
  return {
    ...guard,
    startedToken(now = Date.now()) {
      const next = Math.ceil(now / 1000) * 1000;
      if (next !== second) {
        token = guard.startedToken(next);
        second = next;
      }
      return token;
    },
  };
}

export function registerSuggestionSections(app: FastifyInstance) {
  const repo = createSuggestionRepository(app.db);
  const targets = createTargetResolver(app);
  const guard = signedOncePerSecond(createFormGuard(app));

  app.sections.add('pledge', {
    template: '/suggestions/_target',
    slot: 'main',
    order: 50,
    async load(ctx) {
      const target = pledgeTarget(ctx);
      const list = await repo.listPublic({ pledgeId: ctx.pledgeId }, { pageSize: ON_PAGE });
      return { suggestionList: list, suggestForm: formData(guard, target) };
    },
  });

  app.sections.add('unit', {
    template: '/suggestions/_target',
    slot: 'main',
    order: 50,
    async load(ctx) {
      const target = await targets.ofUnit({ id: ctx.unitId, slug: ctx.slug, name: ctx.name, active: ctx.active });
      const list = await repo.listPublic({ unitId: ctx.unitId }, { pageSize: ON_PAGE });
      // An inactive unit takes no new suggestions, but still shows what it answered.
      if (!target && !list.total) return null;
      return { suggestionList: list, suggestForm: target ? formData(guard, target) : null };
    },
  });

  app.sections.add('home', {
    template: '/suggestions/_home',
    slot: 'main',
    order: 50,
    async load(ctx) {
      if (ctx.campaignId === null) return null;
      // Counting every published suggestion reads the whole status index (a millisecond at ten
      // times a city's size): once per data version is enough.
      const list = await app.aggregates.get('suggestions:home', () => repo.listPublic({}, { pageSize: ON_HOME }), ['suggestions']);
      return { latestSuggestions: list.rows, suggestionTotal: list.total };
    },
  });

  app.sections.add('admin', {
    template: '/suggestions/_admin',
    slot: 'main',
    order: 50,
    async load() {
      const counts = await repo.countByStatus();
      return { suggestionCounts: counts };
    },
  });

  app.sections.add('manage', {
    template: '/suggestions/_manage',
    slot: 'main',
    order: 50,
    async load(ctx) {
      return { suggestionsUnanswered: await repo.unansweredCount(ctx.unitId) };
    },
  });
}
