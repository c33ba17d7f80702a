// The public pledge list and pledge page. Read-only: drafts are invisible (the queries see to it).
import type { FastifyInstance } from 'fastify';
import { DISTRICT_KINDS, PLEDGE_TIERS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository, type UnitChoice } from '../units/repository.ts';
import { createPledgeQueries, type PledgeFilter } from './queries.ts';
import { LIST_SORTS, LIST_STATUSES, UNIT_PARAM_MAX, badParam, parseQuery, pledgeListQuery, unknownValue } from './list-schema.ts';
import { createListExports, exportFormat } from '../exports/lists.ts';
import { pledgeFeeds } from '../feeds/links.ts';
import { embedSnippet, shareImageUrl } from '../embeds/share.ts';
import { createDemandRepository } from '../demands/repository.ts';
import type { Translate } from '../i18n/index.ts';

/**
 * Up to this many units leading published pledges, the list's unit filter is a select; past it
 * (a city has over a thousand) a select is too long to send or to scroll on a phone, and the
 * filter is a text box for the unit's name instead.
 */
export const UNIT_SELECT_MAX = 200;
/** Units listed to choose from when the typed text matches several. */
const UNIT_MATCHES_SHOWN = 20;

/** A calendar day ('YYYY-MM-DD') as a count of days since 1970-01-01 (cheaper than Date.parse of a built string). */
function dayNumber(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10))) / 86_400_000;
}

/** Whole days from one calendar day to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round(dayNumber(to) - dayNumber(from));
}

/** Ids in URLs (printed in QR codes) are plain positive integers; anything else is simply not a page. */
function pledgeId(raw: string): number | undefined {
  if (!/^[0-9]{1,10}$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : undefined;
}

const HTML_SPECIAL = /[&<>"']/g;
const HTML_ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * A fixed label of the pledge page (a message without placeholders) in one language, escaped
 * for HTML exactly as the templates' <%= escapes: translated and escaped once per language and
 * key, where each view did both again for some thirty labels. views/pledges/show.eta prints it
 * as it is (<%~ label(key) %>).
 */
const labelsByLanguage = new WeakMap<Translate, (key: string) => string>();
function labelsIn(t: Translate): (key: string) => string {
  let label = labelsByLanguage.get(t);
  if (!label) {
    const escaped = new Map<string, string>();
    label = (key) => {
      let text = escaped.get(key);
      if (text === undefined) escaped.set(key, (text = t(key).replace(HTML_SPECIAL, (c) => HTML_ENTITY[c])));
      return text;
    };
    labelsByLanguage.set(t, label);
  }
  return label;
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  // No more UTF-16 units than max is no more characters either: only a longer text is split into characters.
  if (flat.length <= max) return flat;
  const chars = Array.from(flat);
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : flat;
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

    // The filters' choices scan the units and pledges: kept until the next write. Lead units are
    // read only up to one past the select's limit: past it the form has a text box instead.
    const [campaigns, leadUnitChoices, categories, districts] = await app.aggregates.get('pledge-list:choices', () =>
      Promise.all([campaignRepo.list(), unitRepo.leadUnitChoices(UNIT_SELECT_MAX + 1), categoryRepo.list(), unitRepo.districts()]),
    );
    const unitSelect = leadUnitChoices.length <= UNIT_SELECT_MAX;

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
    // What the unit text box shows, and the units to choose from when the text named several or none.
    let unitText = '';
    let unitMatches: { text: string; total: number; rows: UnitChoice[] } | undefined;
    if (q.unit) {
      const found = await resolveUnit(q.unit, unitSelect);
      if ('unit' in found) {
        filter.leadUnitId = found.unit.id;
        selected.unit = found.unit.slug;
        unitText = found.unit.name;
      } else if (unitSelect) {
        // With a select, a value it does not offer can only come from a crafted or stale URL.
        throw unknownValue(t, 'unit', q.unit);
      } else {
        // Typed text is ordinary input: it gets a friendly notice, and the list stays unfiltered.
        unitText = q.unit;
        unitMatches = { text: q.unit, ...found.matches };
      }
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

    const result = await queries.list(filter, { sort: q.sort, page: q.page });
    let leadUnits: { slug: string; name: string }[] | undefined;
    if (unitSelect) {
      leadUnits = leadUnitChoices;
      // A filtered unit that leads nothing yet still shows as chosen in its select.
      if (selected.unit && !leadUnits.some((u) => u.slug === selected.unit)) leadUnits = [{ slug: selected.unit, name: unitText }, ...leadUnits];
    }

    return reply.page('pledges/list', {
      title: t('pledges.title'),
      description: t('pledges.description'),
      breadcrumbs: [{ label: t('pledges.title') }],
      result,
      query: q,
      selected,
      unitText,
      unitMatches,
      unitTextMax: UNIT_PARAM_MAX,
      options: { campaigns, leadUnits, categories, districts, tiers: PLEDGE_TIERS, statuses: LIST_STATUSES, sorts: LIST_SORTS },
    });
  });

  /**
   * The unit ?unit= names: a current or retired slug (every link ever shared keeps working); with
   * the text box also an exact name, then the one unit leading published pledges whose name
   * contains the text. Otherwise the units that matched (none, or several to choose from).
   */
  async function resolveUnit(value: string, slugOnly: boolean): Promise<{ unit: UnitChoice } | { matches: { total: number; rows: UnitChoice[] } }> {
    const bySlug = await unitRepo.bySlug(value);
    if (bySlug) return { unit: bySlug.unit };
    if (slugOnly) return { matches: { total: 0, rows: [] } };
    const named = await unitRepo.byExactName(value);
    if (named.length === 1) return { unit: named[0] };
    const matches = await unitRepo.leadUnitsNamed(value, UNIT_MATCHES_SHOWN);
    return matches.total === 1 ? { unit: matches.rows[0] } : { matches };
  }

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
      label: labelsIn(t),
      ...detail,
      answers: detail.answersReports ? await demandRepo.answersFor(pledge.id) : undefined,
      overdueDays: pledge.display.overdue ? daysBetween(pledge.dueOn, today) : 0,
      lateDays: pledge.display.completedLate && pledge.completedOn ? daysBetween(pledge.dueOn, pledge.completedOn) : 0,
      sections: await app.sections.load(
        'pledge',
        { pledgeId: pledge.id, status: pledge.status, campaignId: pledge.campaign.id, leadUnitId: pledge.leadUnit.id, title: pledge.title, today, deadlineMoves: detail.deadlines, has: detail.has },
        request,
      ),
    });
  });
}
