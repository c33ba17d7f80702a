// The league table (创先争优) at /league, its CSV/XLSX download, and its block on the home page.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../plugins/errors.ts';
import { id } from '../validation.ts';
import { optionalParam, pageNumber, parseQuery, single } from '../pledges/list-schema.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { exportFormat, sendTable } from '../exports/lists.ts';
import { GROUP_KINDS, LEAGUE_GROUPS, type LeagueGroup } from './repository.ts';
import { MIN_DUE_OR_COMPLETED, WEIGHTS } from './ranking.ts';
import { allRows, createLeagueService, pageOfTable } from './table.ts';
import { leagueColumns } from './columns.ts';
import { columnLabels } from './display.ts';

/** HTML pages ignore keys they do not know; a known key with a value we cannot use is a 400. */
const leagueQuery = z.object({
  group: z.preprocess(single, z.enum(LEAGUE_GROUPS).optional().default('departments')),
  campaign: optionalParam(id()),
  page: pageNumber(),
});

/** How many units per group the home page shows. */
const HOME_TOP = 5;
/** Units per page of /league: a group at ten times a city's size has hundreds. */
export const LEAGUE_PAGE_SIZE = 50;

export default async function leagueRoutes(app: FastifyInstance) {
  const league = createLeagueService(app.db, app.config, app.aggregates);
  const campaigns = createCampaignRepository(app.db);
  const minRatings = league.minRatings;

  async function resolve(request: FastifyRequest) {
    const t = request.t;
    const parsed = parseQuery(leagueQuery, request.query);
    if (!parsed.ok) throw new HttpError(400, t('league.bad_param', { param: parsed.param, value: parsed.value }));
    const { group, campaign: asked, page } = parsed.data;
    const campaign = await league.campaign(asked);
    if (campaign === null) throw new HttpError(400, t('league.unknown_campaign', { value: String(asked) }));
    return { group, campaign: campaign ?? undefined, page };
  }

  app.get('/league', async (request, reply) => {
    const t = request.t;
    const { group, campaign, page } = await resolve(request);
    const format = exportFormat(request.query, t);
    if (format) {
      const table = await league.table({ group, campaignId: campaign?.id }, request.locale);
      async function* rows() {
        yield* allRows(table);
      }
      return sendTable(reply, { format, base: `league-${group}`, sheet: t('league.sheet'), columns: leagueColumns(t, app.config.publicUrl), rows: rows() });
    }
    const table = await league.display({ group, campaignId: campaign?.id }, request.locale);
    const shown = pageOfTable(table, page, LEAGUE_PAGE_SIZE);
    return reply.page('league/index', {
      title: t('league.title'),
      description: t('league.description'),
      canonical: `/league?group=${group}${campaign ? `&campaign=${campaign.id}` : ''}${shown.page > 1 ? `&page=${shown.page}` : ''}`,
      breadcrumbs: [{ label: t('league.title') }],
      group,
      groups: LEAGUE_GROUPS.map((g) => ({ value: g, kinds: GROUP_KINDS[g] })),
      campaign,
      campaigns: (await campaigns.list()).map((c) => ({ id: c.id, name: c.name })),
      rankedCount: table.ranked.length,
      shown,
      columnLabels: columnLabels(request.locale),
      method: { minRatings, minDue: MIN_DUE_OR_COMPLETED, onTimeWeight: WEIGHTS.onTime * 100, satisfactionWeight: WEIGHTS.satisfaction * 100 },
    });
  });

  app.sections.add('home', {
    template: '/league/_home',
    slot: 'main',
    order: 50,
    async load(ctx, request) {
      if (ctx.campaignId === null) return null;
      const campaignId = ctx.campaignId;
      const groups = await Promise.all(
        LEAGUE_GROUPS.map(async (group: LeagueGroup) => {
          const table = await league.display({ group, campaignId }, request.locale);
          return { group, top: table.ranked.slice(0, HOME_TOP), unranked: table.unranked.length };
        }),
      );
      if (groups.every((g) => g.top.length === 0 && g.unranked === 0)) return null;
      return { league: { campaignId, groups } };
    },
  });
}
