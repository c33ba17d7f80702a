// The league table in the read API: declared here, registered in src/api/resources.ts, served
// (strict query, response checked against its schema, conditional requests) by src/api/routes.ts.
import type { z } from 'zod';
import { HttpError } from '../plugins/errors.ts';
import type { LoadContext } from '../api/resources.ts';
import { MIN_DUE_OR_COMPLETED, WEIGHTS } from './ranking.ts';
import { allRows } from './table.ts';
import { leagueApiQuery, leagueApiResponse, leagueApiRowOf } from './schemas.ts';

export const leagueResource = {
  path: '/api/v1/league',
  operationId: 'getLeague',
  summary: 'The league table of one kind group of units (the /league page)',
  description:
    'Units are ranked by 0.6 × the Wilson lower bound (95%) of their on-time rate + 0.4 × that of their satisfaction rate. ' +
    'Units below the minimum sample are listed after the ranked ones with rank null and the reason. Same rows as /league?format=csv.',
  tags: ['Read API'],
  query: leagueApiQuery,
  example: { query: { group: 'districts' } },
  response: leagueApiResponse,
  responseDescription: 'The league table',
  keptPerDataVersion: true,
  async load({ services, query, t }: LoadContext<unknown, z.output<typeof leagueApiQuery>>) {
    const campaign = await services.league.campaign(query.campaign);
    if (campaign === null) throw new HttpError(400, t('api.error.unknown_value', { param: 'campaign', value: String(query.campaign) }));
    const scope = { group: query.group, campaignId: campaign?.id };
    // The rows as the API writes them, shaped once per data version like the table they come
    // from (a group at ten times a city's size has over a thousand units), not for every call.
    const data = await services.aggregates.get(`league-api:${scope.group}:${scope.campaignId ?? ''}`, async () =>
      allRows(await services.league.table(scope)).map((r) => leagueApiRowOf(r, services.publicUrl)),
    );
    return {
      data,
      method: {
        group: query.group,
        campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
        minRatings: services.league.minRatings,
        minDueOrCompleted: MIN_DUE_OR_COMPLETED,
        weights: { onTime: WEIGHTS.onTime, satisfaction: WEIGHTS.satisfaction },
        explained: `${services.publicUrl}/league`,
      },
    };
  },
};
