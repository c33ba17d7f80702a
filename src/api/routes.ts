// The read-only JSON API (/api/v1/…), its OpenAPI document and its reference page. Every read
// resource declared in resources.ts is served the same way: strict parameters, the answer
// passed through its response schema, conditional requests, CORS open to any site.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError, sendError } from '../plugins/errors.ts';
import type { Translate } from '../i18n/index.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { createStatsRepository } from '../stats/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createOpenDataQueries } from './repository.ts';
import { createLeagueService } from '../league/table.ts';
import { createSuggestionRepository } from '../suggestions/repository.ts';
import { createNoticeRepository } from '../notices/repository.ts';
import { createDemandStats } from '../demands/stats.ts';
import { allOperations, type ApiOperation } from './registry.ts';
import { READ_RESOURCES, type ApiServices } from './resources.ts';
import { buildOpenApi, exampleCurl, fastifyPath, jsonSchema, parametersOf } from './openapi.ts';
import { expectedText, parseApiQuery } from './query.ts';
import { allowAnyOrigin, answerPreflight, lastModified, sendConditional, weakEtag } from './http.ts';
import { utf8Bytes } from '../plugins/page-bytes.ts';

const noQuery = z.object({}).strict();
const JSON_TYPE = 'application/json; charset=utf-8';

/** Everything /api/docs shows about one operation, ready for the template. */
function describeOperation(op: ApiOperation, publicUrl: string, t: Translate) {
  const pretty = (schema: z.ZodType, io: 'input' | 'output') => JSON.stringify(jsonSchema(schema, io), null, 2);
  return {
    anchor: op.operationId,
    method: op.method.toUpperCase(),
    path: op.path,
    summary: op.summary,
    description: op.description ?? '',
    security: op.security ?? '',
    parameters: parametersOf(op).map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required,
      description: p.description ?? '',
      expected: expectedText(p.schema, t),
      default: p.schema.default !== undefined ? String(p.schema.default) : '',
    })),
    body: op.body ? pretty(op.body, 'input') : '',
    responses: Object.entries(op.responses).map(([status, r]) => ({
      status,
      description: r.description,
      contentType: r.schema ? (r.contentType ?? 'application/json') : '',
      schema: r.schema ? pretty(r.schema, 'output') : '',
    })),
    curl: exampleCurl(op, publicUrl),
  };
}

export default async function apiRoutes(app: FastifyInstance) {
  const publicUrl = app.config.publicUrl;
  const services: ApiServices = {
    publicUrl,
    aggregates: app.aggregates,
    queries: createPledgeQueries(app.db, { fallbackZone: app.config.timeZone, aggregates: app.aggregates }),
    stats: createStatsRepository(app.db, { fallbackZone: app.config.timeZone }),
    campaigns: createCampaignRepository(app.db),
    units: createUnitRepository(app.db),
    categories: createCategoryRepository(app.db),
    openData: createOpenDataQueries(app.db, { aggregates: app.aggregates }),
    league: createLeagueService(app.db, app.config, app.aggregates),
    suggestions: createSuggestionRepository(app.db),
    notices: createNoticeRepository(app.db),
    demandStats: createDemandStats(app.db, app.config.timeZone),
  };

  async function recordChangedAt(): Promise<Date> {
    // Both facts in one look-up of the memo (each look-up checks the data version); on a
    // miss they are read through the open-data queries' own memo as usual.
    const { lastWriteAt, zones } = await app.aggregates.get('api:record-change-facts', async () => ({
      lastWriteAt: await services.openData.lastWriteAt(),
      zones: await services.openData.campaignZones(),
    }));
    return lastModified(lastWriteAt, zones);
  }

  const openApi = new Map<string, { count: number; doc: string }>();
  function openApiDocument(request: FastifyRequest): string {
    const t = request.t;
    const ops = allOperations();
    // Operations are declared when their modules load; rebuild only if one was added since.
    let cached = openApi.get(request.locale);
    if (!cached || cached.count !== ops.length) {
      const doc = buildOpenApi(ops, { publicUrl, title: t('api.doc.title'), description: t('api.doc.description', { docs: `${publicUrl}/api/docs` }) });
      cached = { count: ops.length, doc: JSON.stringify(doc, null, 2) };
      openApi.set(request.locale, cached);
    }
    return cached.doc;
  }

  // Under /api, even a path that matches nothing answers JSON a script on another site can read.
  await app.register(
    async (api) => {
      api.setNotFoundHandler({ preHandler: app.rateLimit() }, async (request, reply) => {
        allowAnyOrigin(reply);
        return sendError(request, reply, 404);
      });
      api.options('/*', async (_request, reply) => answerPreflight(reply));
    },
    { prefix: '/api' },
  );

  for (const { op, load, keptPerDataVersion } of READ_RESOURCES) {
    const paramsSchema = op.params;
    const querySchema = op.query ?? noQuery;
    const response = op.responses[200].schema!;
    app.get(fastifyPath(op.path), { config: { csrf: 'none' } }, async (request: FastifyRequest, reply) => {
      allowAnyOrigin(reply);
      const t = request.t;
      let params: unknown = {};
      if (paramsSchema) {
        const parsed = paramsSchema.safeParse(request.params);
        if (!parsed.success) throw new HttpError(404);
        params = parsed.data;
      }
      const { data: query, given } = parseApiQuery(querySchema, request.query, t);
      const pageLink = (page: number) => `${publicUrl}${op.path}?${new URLSearchParams({ ...given, page: String(page) })}`;
      const answer = async () => {
        const result = response.parse(await load({ params, query, t, services, pageLink })) as { pagination?: { next: string | null; prev: string | null } };
        const links = [result.pagination?.next && `<${result.pagination.next}>; rel="next"`, result.pagination?.prev && `<${result.pagination.prev}>; rel="prev"`].filter(Boolean).join(', ');
        // Kept as bytes: a large answer is then not encoded to UTF-8 again for every request.
        const body = utf8Bytes(JSON.stringify(result));
        return { body, etag: weakEtag(body), links };
      };
      // A table of every unit is 400–650 KB of JSON at city scale: checking, serialising and
      // hashing it cost more than the rest of the request. Figures kept per data version are
      // answered with JSON kept for that version (a failed load, e.g. a 400, is not kept).
      const { body, etag, links } = keptPerDataVersion
        ? await app.aggregates.get(`api:${op.operationId}:${JSON.stringify([params, query])}`, answer)
        : await answer();
      if (links) reply.header('link', links);
      // The body is the same whatever the visitor's cookies or language.
      reply.removeHeader('vary');
      return sendConditional(request, reply, { body, etag, type: JSON_TYPE, lastModified: await recordChangedAt() });
    });
  }

  app.get('/api/openapi.json', { config: { csrf: 'none' } }, async (request, reply) => {
    allowAnyOrigin(reply);
    parseApiQuery(noQuery, request.query, request.t);
    return sendConditional(request, reply, { body: openApiDocument(request), type: JSON_TYPE });
  });

  app.get('/api/docs', async (request, reply) => {
    const t = request.t;
    const operations = allOperations().map((op) => describeOperation(op, publicUrl, t));
    const tags = [...new Set(allOperations().flatMap((op) => op.tags))];
    const byTag = tags.map((tag) => ({
      tag,
      operations: allOperations()
        .filter((op) => op.tags.includes(tag))
        .map((op) => operations.find((o) => o.anchor === op.operationId)!),
    }));
    return reply.page('api/docs', {
      title: t('api.docs.title'),
      description: t('api.docs.description'),
      breadcrumbs: [{ label: t('api.docs.title') }],
      byTag,
      baseUrl: publicUrl,
      exampleEtagCurl: `curl -i -H 'If-None-Match: W/"…"' '${publicUrl}/api/v1/categories'`,
    });
  });
}
