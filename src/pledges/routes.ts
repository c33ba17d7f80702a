// The public pledge list and pledge page. Read-only: drafts are invisible (the queries see to it).
import type { FastifyInstance } from 'fastify';
import { DISTRICT_KINDS, PLEDGE_TIERS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createPledgeQueries, type PledgeFilter } from './queries.ts';
import { LIST_SORTS, LIST_STATUSES, badParam, parseQuery, pledgeListQuery, unknownValue } from './list-schema.ts';
import { createListExports, exportFormat } from '../exports/lists.ts';
import { pledgeFeeds } from '../feeds/links.ts';
import { embedSnippet, shareImageUrl } from '../embeds/share.ts';
import { createDemandRepository } from '../demands/repository.ts';

/** Whole days from one calendar day to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Ids in URLs (printed in QR codes) are plain positive integers; anything else is simply not a page. */
function pledgeId(raw: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : undefined;
}

function excerpt(text: string, max: number): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : chars.join('');
}

export default async function pledgeRoutes(app: FastifyInstance) {
  const queries = createPledgeQueries(app.db, { fallbackZone: app.config.timeZone, aggregates: app.aggregates });
  const campaignRepo = createCampaignRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const listExports = createListExports(app);
  const demandRepo = createDemandRepository(app.db);

  app.get('/pledges', async (request, reply) => {
    const t = request.t;
    const parsed = parseQuery(pledgeListQuery, request.query);
    if (!parsed.ok) throw badParam(t, parsed.param, parsed.value);
    const q = parsed.data;
    const format = exportFormat(request.query, t);

    // Slugs are resolved to ids here; one that names nothing is a 400 naming it (not an empty list
    // that looks like "this unit has no pledges"). A renamed unit's old slug still filters.
    const filter: PledgeFilter = { tier: q.tier, status: q.status, q: q.q };
    const selected = { campaign: '', unit: '', category: '', district: '' };
    if (q.campaign !== undefined) {
      const campaign = await campaignRepo.get(q.campaign);
      if (!campaign) throw unknownValue(t, 'campaign', q.campaign);
      filter.campaignId = campaign.id;
      selected.campaign = String(campaign.id);
    }
    if (q.unit) {
      const found = await unitRepo.bySlug(q.unit);
      if (!found) throw unknownValue(t, 'unit', q.unit);
      filter.leadUnitId = found.unit.id;
      selected.unit = found.unit.slug;
    }
    if (q.category) {
      const category = await categoryRepo.bySlug(q.category);
      if (!category) throw unknownValue(t, 'category', q.category);
      filter.categoryId = category.id;
      selected.category = category.slug;
    }
    if (q.district) {
      const found = await unitRepo.bySlug(q.district);
      if (!found || !DISTRICT_KINDS.includes(found.unit.kind)) throw unknownValue(t, 'district', q.district);
      filter.districtUnitId = found.unit.id;
      selected.district = found.unit.slug;
    }
    // ?format=csv|xlsx downloads every row the page's filters match (not only this page).
    if (format) return listExports.pledges(request, reply, format, filter, q.sort);

    const [result, choices] = await Promise.all([
      queries.list(filter, { sort: q.sort, page: q.page }),
      // The filters' choices scan the units and pledges: kept until the next write.
      app.aggregates.get('pledge-list:choices', () => Promise.all([campaignRepo.list(), queries.leadUnits(), categoryRepo.list(), unitRepo.districts()])),
    ]);
    const [campaigns, sharedLeadUnits, categories, districts] = choices;
    const leadUnits = [...sharedLeadUnits];
    // A filtered unit that leads nothing yet still shows as chosen in its select.
    if (selected.unit && !leadUnits.some((u) => u.slug === selected.unit)) {
      const unit = (await unitRepo.bySlug(selected.unit))!.unit;
      leadUnits.unshift({ slug: unit.slug, name: unit.name });
    }

    return reply.page('pledges/list', {
      title: t('pledges.title'),
      description: t('pledges.description'),
      breadcrumbs: [{ label: t('pledges.title') }],
      result,
      query: q,
      selected,
      options: { campaigns, leadUnits, categories, districts, tiers: PLEDGE_TIERS, statuses: LIST_STATUSES, sorts: LIST_SORTS },
    });
  });

  app.get('/pledges/:id', async (request, reply) => {
    const t = request.t;
    const id = pledgeId((request.params as { id: string }).id);
    if (id === undefined) throw new HttpError(404);
    const detail = await queries.detail(id);
    if (!detail) throw new HttpError(404);
    const { pledge, today } = detail;

    const crumbs: { href?: string; label: string }[] = [{ href: '/pledges', label: t('pledges.title') }];
    if (detail.parent) crumbs.push({ href: `/pledges/${detail.parent.id}`, label: excerpt(detail.parent.title, 30) });
    crumbs.push({ label: excerpt(pledge.title, 30) });

    return reply.page('pledges/show', {
      title: pledge.title,
      description: excerpt(pledge.commitment || pledge.title, 150),
      canonical: `/pledges/${pledge.id}`,
      feeds: pledgeFeeds(t, pledge),
      ogImage: shareImageUrl(app.config.publicUrl),
      embedCode: embedSnippet(app.config.publicUrl, `/embed/pledges/${pledge.id}`, pledge.title),
      breadcrumbs: crumbs,
      ...detail,
      answers: await demandRepo.answersFor(pledge.id),
      overdueDays: pledge.display.overdue ? daysBetween(pledge.dueOn, today) : 0,
      lateDays: pledge.display.completedLate && pledge.completedOn ? daysBetween(pledge.dueOn, pledge.completedOn) : 0,
      sections: await app.sections.load('pledge', { pledgeId: pledge.id, status: pledge.status, campaignId: pledge.campaign.id, leadUnitId: pledge.leadUnit.id, today }, request),
    });
  });
}
