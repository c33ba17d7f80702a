// The blocks ratings adds to other features' pages (src/plugins/sections.ts). Each loader's data
// sits under one key named after its block, so it cannot shadow anything of the host page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createRatingsRepository } from './repository.ts';
import { createRatingsOffice } from './office.ts';
import { createCodeRepository } from './codes.ts';
import { satisfactionRate, type TargetFigures } from './figures.ts';
import { COMMENT_MAX } from './schemas.ts';
import { satisfactionChart } from './chart.ts';
import { keptCharts } from '../charts/kept.ts';
import { keptUnitSatisfaction, tallyOfUnits } from './by-unit.ts';

/** The figures as the panels print them: each group's tally with its rate (or "too few"). */
export function panelFigures(f: TargetFigures, minRatings: number) {
  return {
    web: { ...f.web, rate: satisfactionRate(f.web, minRatings) },
    verified: { ...f.verified, rate: satisfactionRate(f.verified, minRatings) },
    all: { ...f.all, rate: satisfactionRate(f.all, minRatings) },
    held: f.held,
    minRatings,
  };
}
export type PanelFigures = ReturnType<typeof panelFigures>;

function flag(request: FastifyRequest, name: string): boolean {
  return (request.query as Record<string, unknown> | undefined)?.[name] === '1';
}

export function registerRatingSections(app: FastifyInstance) {
  const repo = createRatingsRepository(app.db);
  const office = createRatingsOffice(app.db);
  const codes = createCodeRepository(app.db);
  const min = app.config.minRatings;

  app.sections.add('pledge', {
    template: '/ratings/_pledge',
    slot: 'aside',
    order: 10,
    async load(ctx, request) {
      if (ctx.status === 'draft' || ctx.status === 'cancelled') return null;
      const figures = await repo.figuresFor({ pledgeId: ctx.pledgeId });
      return { ratingPanel: { figures: panelFigures(figures, min), action: `/pledges/${ctx.pledgeId}/rating`, voted: flag(request, 'voted'), commentMax: COMMENT_MAX, isUnit: false } };
    },
  });

  app.sections.add('pledge', {
    template: '/ratings/_check',
    slot: 'main',
    order: 10,
    async load(ctx, request) {
      if (ctx.status !== 'completed') return null;
      return { checkPanel: { counts: await repo.checksFor(ctx.pledgeId), action: `/pledges/${ctx.pledgeId}/check`, checked: flag(request, 'checked'), commentMax: COMMENT_MAX } };
    },
  });

  app.sections.add('pledge', {
    template: '/ratings/_comments',
    slot: 'main',
    order: 11,
    async load(ctx) {
      if (!ctx.has.ratingComments) return null;
      const comments = await repo.publishedComments({ pledgeId: ctx.pledgeId });
      return comments.length ? { ratingComments: comments } : null;
    },
  });

  app.sections.add('unit', {
    template: '/ratings/_pledge',
    slot: 'aside',
    order: 10,
    async load(ctx, request) {
      if (!ctx.isServiceWindow || !ctx.active) return null;
      const figures = await repo.figuresFor({ unitId: ctx.unitId });
      return {
        ratingPanel: { figures: panelFigures(figures, min), action: `/units/${ctx.slug}/rating`, voted: flag(request, 'voted'), verifiedVote: flag(request, 'verified'), commentMax: COMMENT_MAX, isUnit: true },
      };
    },
  });

  app.sections.add('unit', {
    template: '/ratings/_comments',
    slot: 'main',
    order: 10,
    async load(ctx) {
      if (!ctx.isServiceWindow) return null;
      const comments = await repo.publishedComments({ unitId: ctx.unitId });
      return comments.length ? { ratingComments: comments } : null;
    },
  });

  app.sections.add('admin', {
    template: '/ratings/_admin',
    slot: 'main',
    order: 10,
    async load() {
      return { ratingsAdmin: await office.counts() };
    },
  });

  app.sections.add('home', {
    template: '/ratings/_home',
    slot: 'main',
    order: 10,
    async load(ctx, request) {
      if (ctx.campaignId === null) return null;
      const campaignId = ctx.campaignId;
      const tally = await app.aggregates.get(`ratings:tally:${campaignId}`, async () => tallyOfUnits(await keptUnitSatisfaction(app.aggregates, repo, campaignId)), ['ratings']);
      const chart = await keptCharts(app, request, `satisfaction:${campaignId}`, ['ratings'], (ctx) => ({
        satisfaction: { block: satisfactionChart('chart-satisfaction', tally, ctx) },
      }));
      return { ratingsHome: { chart: chart.satisfaction, rate: satisfactionRate(tally, min), verified: tally.verified, minRatings: min } };
    },
  });

  app.sections.add('manage', {
    template: '/ratings/_manage',
    slot: 'main',
    order: 10,
    async load(ctx, request) {
      if (ctx.unitId === null) {
        // The office prints for any window; it gets the link, not figures of a unit.
        return request.user?.role === 'admin' ? { ratingsManage: { unit: null } } : null;
      }
      const unit = await codes.unit(ctx.unitId);
      if (!unit || !unit.isServiceWindow) return null;
      const figures = await repo.figuresFor({ unitId: unit.id });
      return { ratingsManage: { unit, figures: panelFigures(figures, min), batches: await codes.batches(unit.id, 3) } };
    },
  });
}
