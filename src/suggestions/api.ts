// Published suggestions in the read API: declared here, registered in src/api/resources.ts, served
// (strict query, response checked against its schema, conditional requests) by src/api/routes.ts.
// The response schema is the privacy boundary: it has no field for a contact or an address key.
import { z } from 'zod';
import { SUGGESTION_TARGETS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import type { LoadContext } from '../api/resources.ts';
import type { PublicSuggestion } from './public-queries.ts';

const MAX_LIMIT = 100;
const id = (description: string) => z.coerce.number().int().positive().max(2 ** 31 - 1).meta({ description });

export const suggestionApiQuery = z
  .object({
    target: z.enum(SUGGESTION_TARGETS).optional().meta({ description: 'Only suggestions about a pledge, a unit or the campaign as a whole' }),
    pledge: id('Only suggestions about this pledge').optional(),
    unit: z
      .string()
      .max(80)
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      .optional()
      .meta({ description: 'Only suggestions addressed to this unit itself (slug)' }),
    campaign: id('Only suggestions of this campaign').optional(),
    page: z.coerce.number().int().min(1).max(1_000_000).default(1).meta({ description: 'Page number, from 1' }),
    limit: z.coerce.number().int().min(1).max(MAX_LIMIT).default(50).meta({ description: `Rows per page, 1–${MAX_LIMIT}` }),
  })
  .strict();

const ref = z.object({ slug: z.string(), name: z.string(), url: z.string().meta({ format: 'uri' }) });
const instant = () => z.string().meta({ format: 'date-time', description: 'An instant, ISO 8601 UTC' });

export const suggestionApiRow = z
  .object({
    id: z.number().int(),
    campaignId: z.number().int(),
    about: z.enum(SUGGESTION_TARGETS),
    pledge: z.object({ id: z.number().int(), title: z.string(), url: z.string().meta({ format: 'uri' }) }).nullable(),
    unit: ref.nullable().meta({ description: 'The unit addressed (a pledge’s lead unit for a suggestion on a pledge); null for the campaign' }),
    name: z.string().nullable().meta({ description: 'The public name its author gave, or null (anonymous)' }),
    text: z.string().meta({ description: 'The text as sent (plain text)' }),
    createdAt: instant(),
    reply: z
      .object({
        text: z.string(),
        at: instant(),
        unit: ref.nullable().meta({ description: 'The unit that answered; null when the campaign office did' }),
        office: z.string().meta({ description: 'The campaign office’s name (who signs when unit is null)' }),
      })
      .nullable(),
  })
  .strict();

export const suggestionApiResponse = z.object({
  data: z.array(suggestionApiRow),
  pagination: z.object({
    total: z.number().int(),
    page: z.number().int(),
    pages: z.number().int(),
    limit: z.number().int(),
    next: z.string().nullable(),
    prev: z.string().nullable(),
  }),
});

function rowOut(s: PublicSuggestion, publicUrl: string): z.output<typeof suggestionApiRow> {
  const unitRef = (u: { slug: string; name: string } | null) => (u ? { slug: u.slug, name: u.name, url: `${publicUrl}/units/${u.slug}` } : null);
  return {
    id: s.id,
    campaignId: s.campaignId,
    about: s.targetKind,
    pledge: s.pledge ? { id: s.pledge.id, title: s.pledge.title, url: `${publicUrl}/pledges/${s.pledge.id}` } : null,
    unit: unitRef(s.unit),
    name: s.authorName || null,
    text: s.body,
    createdAt: s.createdAt,
    reply: s.reply ? { text: s.reply.text, at: s.reply.at, unit: unitRef(s.reply.unit), office: s.reply.office } : null,
  };
}

export const suggestionResource = {
  path: '/api/v1/suggestions',
  operationId: 'listSuggestions',
  summary: 'Published suggestions (建言献策) and the units’ public answers, the latest first',
  description: 'Only suggestions the campaign office published; pending and rejected ones never appear, and neither does any author’s contact.',
  tags: ['Read API'],
  query: suggestionApiQuery,
  example: { query: { target: 'unit', limit: 20 } },
  response: suggestionApiResponse,
  responseDescription: 'One page of published suggestions',
  async load({ services, query, t, pageLink }: LoadContext<unknown, z.output<typeof suggestionApiQuery>>) {
    const bad = (param: string, value: string | number) => new HttpError(400, t('api.error.unknown_value', { param, value: String(value) }));
    let unitId: number | undefined;
    if (query.pledge !== undefined && !(await services.suggestions.isPublicPledge(query.pledge))) throw bad('pledge', query.pledge);
    if (query.unit !== undefined) {
      const found = await services.units.bySlug(query.unit);
      if (!found) throw bad('unit', query.unit);
      unitId = found.unit.id;
    }
    if (query.campaign !== undefined && !(await services.campaigns.get(query.campaign))) throw bad('campaign', query.campaign);
    const result = await services.suggestions.listPublic(
      { targetKind: query.target, pledgeId: query.pledge, unitId, campaignId: query.campaign },
      { page: query.page, pageSize: query.limit },
    );
    // The repository clamps a page past the end to the last; a client walking pages needs it empty.
    const rows = result.page === query.page ? result.rows : [];
    const pages = result.pages;
    return {
      data: rows.map((s) => rowOut(s, services.publicUrl)),
      pagination: {
        total: result.total,
        page: query.page,
        pages,
        limit: query.limit,
        next: query.page < pages ? pageLink(query.page + 1) : null,
        prev: query.page > 1 ? pageLink(Math.min(query.page - 1, pages)) : null,
      },
    };
  },
};
