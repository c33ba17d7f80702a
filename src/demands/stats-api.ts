// Public demand statistics in the read API: declared here, registered in src/api/resources.ts,
// served (strict query, response checked against its schema, conditional requests) by
// src/api/routes.ts. The response schema is the privacy boundary: counts and public names only.
import { z } from 'zod';
import { DEMAND_CHANNELS, DEMAND_STATUSES } from '../../db/schema.ts';
import type { LoadContext } from '../api/resources.ts';
import { keptDemandStats } from './stats.ts';

const count = () => z.number().int().min(0);

export const demandStatsResponse = z.object({
  data: z
    .object({
      totals: z
        .object({
          reports: count().meta({ description: 'Reports collected through every channel (each report counts, also when merged)' }),
          claimed: count().meta({ description: 'Reports whose demand a unit took on (claimed or resolved)' }),
          resolved: count().meta({ description: 'Reports whose demand was resolved' }),
          declined: count().meta({ description: 'Reports whose demand was declined' }),
        })
        .strict(),
      byChannel: z.array(z.object({ key: z.enum(DEMAND_CHANNELS), count: count() }).strict()),
      byStatus: z.array(z.object({ key: z.enum(DEMAND_STATUSES), count: count() }).strict().meta({ description: 'A merged report counts once under duplicate' })),
      byCategory: z.array(z.object({ key: z.string().meta({ description: 'Category slug' }), nameZh: z.string(), nameEn: z.string(), count: count() }).strict()),
      byDistrict: z.array(z.object({ key: z.string().meta({ description: 'District unit slug' }), name: z.string(), count: count() }).strict()),
      byMonth: z.array(
        z
          .object({ key: z.string().meta({ description: 'Month the report came in, YYYY-MM, in the site’s time zone' }), count: count() })
          .strict(),
      ),
      explained: z.string().meta({ format: 'uri', description: 'The public board that shows these figures' }),
    })
    .strict(),
});

export const demandStatsResource = {
  path: '/api/v1/demands/stats',
  operationId: 'getDemandStats',
  summary: 'Public demand statistics: totals and reports by channel, status, category, district and month (the /demands board)',
  description:
    'Counted by report: when several people report the same problem, each report counts, also after they are merged. ' +
    'Largest first, months in order. Same figures as /demands?format=csv. No report text, address or contact is part of this resource.',
  tags: ['Read API'],
  response: demandStatsResponse,
  responseDescription: 'The demand statistics',
  keptPerDataVersion: true,
  async load({ services }: LoadContext<unknown, unknown>) {
    // Six scans of every report (half a second at 200,000): kept until the next write, shared
    // with the board's CSV/XLSX download, which reads the same key.
    const s = await keptDemandStats(services.aggregates, services.demandStats);
    const out = <R extends { n: number }>(rows: R[]) => rows.map(({ n, ...rest }) => ({ ...rest, count: n }));
    return {
      data: {
        totals: s.totals,
        byChannel: out(s.byChannel),
        byStatus: out(s.byStatus),
        byCategory: out(s.byCategory),
        byDistrict: out(s.byDistrict),
        byMonth: out(s.byMonth),
        explained: `${services.publicUrl}/demands`,
      },
    };
  },
};
