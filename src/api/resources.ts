// The read API, one declaration per resource: its operation (path, parameters, response schema —
// registered for /api/openapi.json and /api/docs) and how to load it from the public read models.
// Adding a resource is adding one `resource({...})` to READ_RESOURCES; src/api/routes.ts serves it.
import type { z } from 'zod';
import type { AggregateMemo } from '../cache/aggregates.ts';
import { DISTRICT_KINDS } from '../../db/schema.ts';
import type { Translate } from '../i18n/index.ts';
import { HttpError } from '../plugins/errors.ts';
import type { PledgeQueries, PledgeFilter } from '../pledges/queries.ts';
import type { StatsRepository, Figures } from '../stats/repository.ts';
import type { CampaignRepository } from '../campaigns/repository.ts';
import type { UnitRepository } from '../units/repository.ts';
import type { CategoryRepository } from '../categories/repository.ts';
import type { OpenDataQueries } from './repository.ts';
import type { UpdateFilter } from './updates-queries.ts';
import type { LeagueService } from '../league/table.ts';
import { defineOperation, type ApiOperation } from './registry.ts';
import { leagueResource } from '../league/api.ts';
import { suggestionResource } from '../suggestions/api.ts';
import type { SuggestionRepository } from '../suggestions/repository.ts';
import { noticeListResource, noticeResource } from '../notices/api.ts';
import type { NoticeRepository } from '../notices/repository.ts';
import { demandStatsResource } from '../demands/stats-api.ts';
import type { createDemandStats } from '../demands/stats.ts';
import * as s from './schemas.ts';
import { keptUnitsTable } from '../stats/kept.ts';

export interface ApiServices {
  publicUrl: string;
  queries: PledgeQueries;
  stats: StatsRepository;
  campaigns: CampaignRepository;
  units: UnitRepository;
  categories: CategoryRepository;
  openData: OpenDataQueries;
  league: LeagueService;
  suggestions: SuggestionRepository;
  notices: NoticeRepository;
  demandStats: ReturnType<typeof createDemandStats>;
  aggregates: AggregateMemo;
}

export interface LoadContext<P, Q> {
  params: P;
  query: Q;
  t: Translate;
  services: ApiServices;
  /** Absolute URL of this same request with another page number. */
  pageLink(page: number): string;
}

export interface ReadResource {
  op: ApiOperation;
  load(ctx: LoadContext<any, any>): Promise<unknown>;
  /**
   * The answer is figures kept per data version (app.aggregates) and depends on nothing but the
   * parameters: its JSON (and ETag) is then built once per data version too, not per request.
   * Never for rows read per request (the pledge list, one pledge): those are read every time.
   */
  keptPerDataVersion?: boolean;
}

type EmptyObject = z.ZodObject<{}>;

/** Declares a GET operation (with the error responses every read can give) and its loader. */
function resource<P extends z.ZodObject = EmptyObject, Q extends z.ZodObject = EmptyObject>(
  def: Omit<ApiOperation, 'method' | 'params' | 'query' | 'responses'> & {
    params?: P;
    query?: Q;
    response: z.ZodType;
    responseDescription: string;
    load(ctx: LoadContext<z.output<P>, z.output<Q>>): Promise<unknown>;
    keptPerDataVersion?: boolean;
  },
): ReadResource {
  const { load, response, responseDescription, keptPerDataVersion, ...rest } = def;
  const responses: ApiOperation['responses'] = {
    200: { description: responseDescription, schema: response },
    304: { description: 'Not modified: the ETag in If-None-Match (or the If-Modified-Since date) is still current' },
  };
  if (def.query || def.params) responses[400] = { description: 'A query parameter is unknown, repeated or has a value that cannot be used', schema: s.errorBody };
  if (def.params) responses[404] = { description: 'Nothing public has this identifier', schema: s.errorBody };
  responses[429] = { description: 'Too many requests from this address; retry after the time in Retry-After', schema: s.errorBody };
  responses[500] = { description: 'The server failed; nothing about the failure is disclosed', schema: s.errorBody };
  const op = defineOperation({ ...rest, method: 'get', responses });
  return { op, load: load as ReadResource['load'], keptPerDataVersion };
}

function figuresOf(f: Figures): Figures {
  return {
    pledges: f.pledges,
    completed: f.completed,
    open: f.open,
    overdue: f.overdue,
    cancelled: f.cancelled,
    completedOnTime: f.completedOnTime,
    dueOrCompleted: f.dueOrCompleted,
    onTimeRate: f.onTimeRate,
  };
}

function paginate(total: number, page: number, limit: number, link: (page: number) => string) {
  const pages = Math.max(1, Math.ceil(total / limit));
  return {
    total,
    page,
    pages,
    limit,
    next: page < pages ? link(page + 1) : null,
    prev: page > 1 ? link(Math.min(page - 1, pages)) : null,
  };
}

function unknownValue(t: Translate, param: string, value: string | number): HttpError {
  return new HttpError(400, t('api.error.unknown_value', { param, value: String(value) }));
}

/** Slugs and ids in a query resolve to rows; one that names nothing is a 400, not an empty list. */
async function resolveFilter(
  { services, t }: { services: ApiServices; t: Translate },
  q: { campaign?: number; unit?: string; category?: string; district?: string },
) {
  const out: { campaignId?: number; unitId?: number; categoryId?: number; districtUnitId?: number } = {};
  if (q.campaign !== undefined) {
    if (!(await services.campaigns.get(q.campaign))) throw unknownValue(t, 'campaign', q.campaign);
    out.campaignId = q.campaign;
  }
  if (q.unit !== undefined) {
    const found = await services.units.bySlug(q.unit);
    if (!found) throw unknownValue(t, 'unit', q.unit);
    out.unitId = found.unit.id;
  }
  if (q.category !== undefined) {
    const category = await services.categories.bySlug(q.category);
    if (!category) throw unknownValue(t, 'category', q.category);
    out.categoryId = category.id;
  }
  if (q.district !== undefined) {
    const found = await services.units.bySlug(q.district);
    if (!found || !DISTRICT_KINDS.includes(found.unit.kind)) throw unknownValue(t, 'district', q.district);
    out.districtUnitId = found.unit.id;
  }
  return out;
}

type ListRow = Awaited<ReturnType<PledgeQueries['list']>>['rows'][number];

/** A row as s.pledgeRow has it, field by field in its order (no copy of the row to drop `display` from). */
function pledgeRowOut(publicUrl: string, row: ListRow) {
  return {
    id: row.id,
    title: row.title,
    tier: row.tier,
    status: row.display.status,
    overdue: row.display.overdue,
    completedLate: row.display.completedLate,
    progress: row.progress,
    dueOn: row.dueOn,
    completedOn: row.completedOn,
    updatedAt: row.updatedAt,
    leadUnit: row.leadUnit,
    category: row.category,
    district: row.district,
    url: `${publicUrl}/pledges/${row.id}`,
  };
}

const READ = ['Read API'];

export const READ_RESOURCES: ReadResource[] = [
  resource({
    path: '/api/v1/campaigns',
    operationId: 'listCampaigns',
    summary: 'Campaigns, with their headline figures',
    tags: READ,
    response: s.campaignList,
    responseDescription: 'Every campaign, the latest first',
    keptPerDataVersion: true,
    async load({ services }) {
      const rows = await services.campaigns.list();
      const data = [];
      for (const c of rows) {
        data.push({ ...c, figures: figuresOf(await services.stats.headline(c.id)), url: `${services.publicUrl}/pledges?campaign=${c.id}` });
      }
      return { data };
    },
  }),

  resource({
    path: '/api/v1/campaigns/{id}',
    operationId: 'getCampaign',
    summary: 'One campaign, with completion by category and by district',
    tags: READ,
    params: s.campaignParams,
    example: { params: { id: 1 } },
    response: s.campaignDetail,
    responseDescription: 'The campaign',
    keptPerDataVersion: true,
    async load({ services, params }) {
      const c = await services.campaigns.get(params.id);
      if (!c) throw new HttpError(404);
      const [headline, byCategory, byDistrict] = await Promise.all([
        services.stats.headline(c.id),
        services.stats.byCategory(c.id),
        services.stats.byDistrict(c.id),
      ]);
      return {
        data: {
          ...c,
          figures: figuresOf(headline),
          url: `${services.publicUrl}/pledges?campaign=${c.id}`,
          byCategory: byCategory.map((r) => ({ slug: r.slug, nameZh: r.nameZh, nameEn: r.nameEn, figures: figuresOf(r) })),
          byDistrict: byDistrict.map((r) => ({ slug: r.slug, name: r.name, figures: figuresOf(r) })),
        },
      };
    },
  }),

  resource({
    path: '/api/v1/units',
    operationId: 'listUnits',
    summary: 'Units that lead published pledges (or have units under them), with their figures',
    description: 'The same table as the /units page.',
    tags: READ,
    query: s.unitListQuery,
    example: { query: { sort: 'overdue' } },
    response: s.unitList,
    responseDescription: 'The units',
    keptPerDataVersion: true,
    async load({ services, query }) {
      const rows = await keptUnitsTable(services.aggregates, services.stats, { kind: query.kind, sort: query.sort });
      return {
        data: rows.map((u) => ({
          id: u.id,
          slug: u.slug,
          name: u.name,
          kind: u.kind,
          parent: u.parent?.slug ? { slug: u.parent.slug, name: u.parent.name } : null,
          figures: figuresOf(u),
          url: `${services.publicUrl}/units/${u.slug}`,
        })),
      };
    },
  }),

  resource({
    path: '/api/v1/units/{slug}',
    operationId: 'getUnit',
    summary: 'One unit: its public contact, the units under it and its figures',
    tags: READ,
    params: s.unitParams,
    example: { params: { slug: 'shuiwu' } },
    response: s.unitDetail,
    responseDescription: 'The unit',
    async load({ services, params }) {
      const found = await services.units.bySlug(params.slug);
      if (!found) throw new HttpError(404);
      const u = found.unit;
      const [parent, children, figures] = await Promise.all([
        u.parentId ? services.units.get(u.parentId) : undefined,
        services.units.children(u.id),
        services.stats.unitFigures(u.id),
      ]);
      return {
        data: {
          id: u.id,
          slug: u.slug,
          name: u.name,
          kind: u.kind,
          parent: parent ? { slug: parent.slug, name: parent.name } : null,
          figures: figuresOf(figures),
          url: `${services.publicUrl}/units/${u.slug}`,
          contact: { phone: u.contactPhone, address: u.contactAddress, email: u.contactEmail },
          children: children.filter((c) => c.active).map((c) => ({ slug: c.slug, name: c.name, kind: c.kind })),
          feed: `${services.publicUrl}/feeds/units/${u.slug}.atom`,
        },
      };
    },
  }),

  resource({
    path: '/api/v1/categories',
    operationId: 'listCategories',
    summary: 'Categories of pledges',
    tags: READ,
    response: s.categoryList,
    responseDescription: 'Every category, in the site’s order',
    async load({ services }) {
      return { data: await services.categories.list() };
    },
  }),

  resource({
    path: '/api/v1/pledges',
    operationId: 'listPledges',
    summary: 'Published pledges, filtered and sorted like the /pledges page',
    description: 'Every filter of the public list. A page after the last one is empty. Drafts never appear.',
    tags: READ,
    query: s.pledgeListQuery,
    example: { query: { status: 'overdue', sort: 'due_asc', limit: 20 } },
    response: s.pledgeList,
    responseDescription: 'One page of pledges',
    async load(ctx) {
      const { services, query } = ctx;
      const r = await resolveFilter(ctx, query);
      const filter: PledgeFilter = {
        campaignId: r.campaignId,
        leadUnitId: r.unitId,
        categoryId: r.categoryId,
        districtUnitId: r.districtUnitId,
        tier: query.tier,
        status: query.status,
        q: query.q,
      };
      const result = await services.queries.list(filter, { sort: query.sort, page: query.page, pageSize: query.limit });
      // The read model clamps a page past the end to the last page; an API client walking pages needs it empty.
      const rows = result.page === query.page ? result.rows : [];
      return {
        data: rows.map((row) => pledgeRowOut(services.publicUrl, row)),
        pagination: paginate(result.total, query.page, query.limit, ctx.pageLink),
      };
    },
  }),

  resource({
    path: '/api/v1/pledges/{id}',
    operationId: 'getPledge',
    summary: 'One published pledge with its timeline, deadline changes, amendments and sub-tasks',
    tags: READ,
    params: s.pledgeParams,
    example: { params: { id: 1 } },
    response: s.pledgeDetail,
    responseDescription: 'The pledge',
    async load({ services, params }) {
      const d = await services.queries.detail(params.id);
      if (!d) throw new HttpError(404);
      const p = d.pledge;
      return {
        data: {
          ...p,
          status: p.display.status,
          overdue: p.display.overdue,
          completedLate: p.display.completedLate,
          url: `${services.publicUrl}/pledges/${p.id}`,
          feed: `${services.publicUrl}/feeds/pledges/${p.id}.atom`,
          coUnits: d.coUnits,
          parent: d.parent ?? null,
          subTasks: d.subTasks.map((row) => pledgeRowOut(services.publicUrl, row)),
          updates: d.updates,
          deadlineChanges: d.deadlines,
          amendments: d.amendments,
        },
      };
    },
  }),

  resource({
    path: '/api/v1/updates',
    operationId: 'listUpdates',
    summary: 'Progress updates on published pledges, the latest posted first',
    tags: READ,
    query: s.updateListQuery,
    example: { query: { unit: 'shuiwu', limit: 10 } },
    response: s.updateList,
    responseDescription: 'One page of progress updates',
    async load(ctx) {
      const { services, query } = ctx;
      const r = await resolveFilter(ctx, query);
      const filter: UpdateFilter = { campaignId: r.campaignId, unitId: r.unitId, categoryId: r.categoryId, pledgeId: query.pledge };
      const { total, rows } = await services.openData.updates(filter, { limit: query.limit, offset: (query.page - 1) * query.limit });
      return { data: rows, pagination: paginate(total, query.page, query.limit, ctx.pageLink) };
    },
  }),

  resource(leagueResource),
  resource(suggestionResource),
  resource(noticeListResource),
  resource(noticeResource),
  resource(demandStatsResource),
];
