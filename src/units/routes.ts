// The public units table and unit page.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { UNIT_KINDS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { createUnitRepository } from './repository.ts';
import { createStatsRepository, UNIT_SORTS } from '../stats/repository.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { badParam, optionalParam, pageNumber, parseQuery, single } from '../pledges/list-schema.ts';
import { createListExports, exportFormat } from '../exports/lists.ts';
import { unitFeeds } from '../feeds/links.ts';
import { embedSnippet, shareImageUrl } from '../embeds/share.ts';
import { keptCharts } from '../charts/kept.ts';
import { fillMonths, monthlyChart, statusChart } from '../charts/pledge-charts.ts';
import { keptUnitsTable } from '../stats/kept.ts';

const unitListQuery = z.object({
  kind: optionalParam(z.enum(UNIT_KINDS)),
  sort: z.preprocess(single, z.enum(UNIT_SORTS).optional().default('name')),
  page: pageNumber(),
});

/** The units table shows this many rows a page (a city has about 1,500 units); downloads have them all. */
const UNITS_PAGE_SIZE = 100;

/**
 * The unit page lists this many led pledges, soonest due first, and links to the full list
 * (filters, sorting, pages) for the rest. A unit leads ten pledges on average; the few that lead
 * hundreds would otherwise send a phone fifty six-line cards (and every visitor 37 KB of table).
 */
const LEAD_PLEDGES_SHOWN = 20;
const CO_PLEDGES_SHOWN = 100;

export default async function unitRoutes(app: FastifyInstance) {
  const unitRepo = createUnitRepository(app.db);
  const stats = createStatsRepository(app.db, { fallbackZone: app.config.timeZone });
  const queries = createPledgeQueries(app.db, { fallbackZone: app.config.timeZone, aggregates: app.aggregates });
  const listExports = createListExports(app);

  app.get('/units', async (request, reply) => {
    const t = request.t;
    const parsed = parseQuery(unitListQuery, request.query);
    if (!parsed.ok) throw badParam(t, parsed.param, parsed.value);
    const format = exportFormat(request.query, t);
    const { kind, sort, page } = parsed.data;
    // Every page of one kind and order is a slice of the same rows, kept until the next write.
    const rows = await keptUnitsTable(app.aggregates, stats, { kind, sort });
    if (format) return listExports.units(request, reply, format, rows);
    const pages = Math.max(1, Math.ceil(rows.length / UNITS_PAGE_SIZE));
    // A page past the end (a link from when the table was longer) shows the last one.
    const current = Math.min(page, pages);
    return reply.page('units/list', {
      title: t('units.title'),
      description: t('units.description'),
      breadcrumbs: [{ label: t('units.title') }],
      rows: rows.slice((current - 1) * UNITS_PAGE_SIZE, current * UNITS_PAGE_SIZE),
      total: rows.length,
      page: current,
      pages,
      query: parsed.data,
      kinds: UNIT_KINDS,
      sorts: UNIT_SORTS,
    });
  });

  app.get('/units/:slug', async (request, reply) => {
    const t = request.t;
    const { slug } = request.params as { slug: string };
    const found = await unitRepo.bySlug(slug);
    if (!found) throw new HttpError(404);
    const unit = found.unit;
    if (!found.current) {
      const search = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      return reply.redirect(`/units/${unit.slug}${search}`, 301);
    }

    const [parent, children, [figures, statusCounts, monthly], lead, co] = await Promise.all([
      unit.parentId ? unitRepo.get(unit.parentId) : undefined,
      unitRepo.children(unit.id),
      // The unit's figures and charts scan all its pledges (a big unit leads over a thousand):
      // kept until the next write, like every other figure.
      app.aggregates.get(
        `unit-figures:${unit.id}`,
        () => Promise.all([stats.unitFigures(unit.id), stats.statusCounts({ leadUnitId: unit.id }), stats.monthly({ leadUnitId: unit.id })]),
        [],
      ),
      queries.list({ leadUnitId: unit.id }, { pageSize: LEAD_PLEDGES_SHOWN }),
      queries.list({ coUnitId: unit.id }, { pageSize: CO_PLEDGES_SHOWN }),
    ]);
    const charts = await keptCharts(app, request, `unit:${unit.id}`, [], (ctx) => ({
      status: { block: statusChart('chart-status', statusCounts, ctx), level: 3 },
      monthly: { block: monthlyChart('chart-monthly', fillMonths(monthly), ctx), level: 3 },
    }));
    const crumbs: { href?: string; label: string }[] = [{ href: '/units', label: t('units.title') }];
    if (parent) crumbs.push({ href: `/units/${parent.slug}`, label: parent.name });
    crumbs.push({ label: unit.name });

    return reply.page('units/show', {
      title: unit.name,
      description: t('units.page_description', { name: unit.name }),
      canonical: `/units/${unit.slug}`,
      feeds: unitFeeds(t, unit),
      ogImage: shareImageUrl(app.config.publicUrl),
      embedCode: embedSnippet(app.config.publicUrl, `/embed/units/${unit.slug}`, unit.name, 260),
      breadcrumbs: crumbs,
      unit,
      parent,
      children: children.filter((c) => c.active),
      figures,
      lead,
      co,
      charts,
      sections: await app.sections.load(
        'unit',
        { unitId: unit.id, slug: unit.slug, name: unit.name, active: unit.active, isServiceWindow: unit.isServiceWindow, kind: unit.kind },
        request,
      ),
    });
  });
}
