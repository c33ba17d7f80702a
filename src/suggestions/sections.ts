// The blocks suggestions add to other features' pages (src/plugins/sections.ts): the published
// suggestions and the form on a pledge's and a unit's page, the latest ones on the home page,
// the pending count on the office overview and the unanswered count in the unit workspace.
import type { FastifyInstance } from 'fastify';
import { createFormGuard } from '../abuse/form-guard.ts';
import { createSuggestionRepository } from './repository.ts';
import { createTargetResolver } from './targets.ts';
import { formData } from './public-routes.ts';

/** Suggestions shown on a pledge's or unit's page; the rest are a link away. */
export const ON_PAGE = 10;
export const ON_HOME = 5;

export function registerSuggestionSections(app: FastifyInstance) {
  const repo = createSuggestionRepository(app.db);
  const targets = createTargetResolver(app);
  const guard = createFormGuard(app);

  app.sections.add('pledge', {
    template: '/suggestions/_target',
    slot: 'main',
    order: 50,
    async load(ctx) {
      const target = await targets.resolve({ pledgeId: ctx.pledgeId });
      if (!target) return null;
      const list = await repo.listPublic({ pledgeId: ctx.pledgeId }, { pageSize: ON_PAGE });
      return { suggestionList: list, suggestForm: formData(guard, target) };
    },
  });

  app.sections.add('unit', {
    template: '/suggestions/_target',
    slot: 'main',
    order: 50,
    async load(ctx) {
      const target = await targets.resolve({ unitId: ctx.unitId });
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
      const list = await app.aggregates.get('suggestions:home', () => repo.listPublic({}, { pageSize: ON_HOME }));
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
