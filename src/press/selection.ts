// From the builder's query to the rows of a notice: slugs resolved to ids (one that names nothing
// is a 400, as on the public list), the ready-made set turned into conditions of the shared
// pledge filter (src/pledges/queries.ts — the one filter implementation), the rows loaded whole.
import { DISTRICT_KINDS } from '../../db/schema.ts';
import type { Translate } from '../i18n/index.ts';
import { HttpError } from '../plugins/errors.ts';
import { unknownValue } from '../pledges/list-schema.ts';
import type { PledgeFilter, PledgeQueries } from '../pledges/queries.ts';
import type { CampaignRepository, Campaign } from '../campaigns/repository.ts';
import type { CategoryRepository } from '../categories/repository.ts';
import type { UnitRepository } from '../units/repository.ts';
import type { NoticeDocument } from './render/types.ts';
import type { Outlet, OutletRepository } from './outlets-repository.ts';
import type { PressRepository, PressRow } from './repository.ts';
import type { SelectionQuery } from './schemas.ts';

export interface SelectionDeps {
  queries: PledgeQueries;
  press: PressRepository;
  outlets: OutletRepository;
  campaigns: CampaignRepository;
  categories: CategoryRepository;
  units: UnitRepository;
}

/** What a publication records about how its rows were chosen. */
export interface SelectionRecord {
  campaignId: number;
  outletId: number;
  set: string | null;
  unit: string | null;
  category: string | null;
  district: string | null;
  tier: string | null;
  status: string | null;
  q: string | null;
  /** For the "since the last notice" sets: the notice they counted from. */
  since: { publicationId: number; noticeNo: string; at: string; publishedOn: string } | null;
}

export interface ResolvedSelection {
  campaign: Campaign;
  outlet: Outlet;
  filter: PledgeFilter;
  record: SelectionRecord;
  /** A message instead of rows (e.g. the "one unit" set without a unit). */
  problem: string | null;
}

/** The pledges a snapshot carried as completed: the "completed since" set leaves them out. */
function completedIn(snapshot: string): number[] {
  try {
    const doc = JSON.parse(snapshot) as NoticeDocument;
    return doc.groups.flatMap((g) => g.rows.filter((r) => r.status === 'completed').map((r) => r.pledgeId));
  } catch {
    return [];
  }
}

export async function resolveSelection(deps: SelectionDeps, t: Translate, q: SelectionQuery, fallback: { campaign?: Campaign }): Promise<ResolvedSelection | null> {
  const campaign = q.campaign !== undefined ? await deps.campaigns.get(q.campaign) : fallback.campaign;
  if (q.campaign !== undefined && !campaign) throw unknownValue(t, 'campaign', q.campaign);
  if (!campaign) return null;
  let outlet: Outlet | undefined;
  if (q.outlet !== undefined) {
    outlet = await deps.outlets.get(q.outlet);
    if (!outlet || !outlet.active) throw new HttpError(400, t('press.unknown_outlet'));
  } else {
    outlet = (await deps.outlets.list({ activeOnly: true }))[0];
  }
  if (!outlet) return null;

  const filter: PledgeFilter = { campaignId: campaign.id, tier: q.tier, status: q.status, q: q.q };
  const record: SelectionRecord = {
    campaignId: campaign.id,
    outletId: outlet.id,
    set: q.set ?? null,
    unit: q.unit ?? null,
    category: q.category ?? null,
    district: q.district ?? null,
    tier: q.tier ?? null,
    status: q.status ?? null,
    q: q.q ?? null,
    since: null,
  };
  if (q.unit) {
    const found = await deps.units.bySlug(q.unit);
    if (!found) throw unknownValue(t, 'unit', q.unit);
    filter.leadUnitId = found.unit.id;
  }
  if (q.category) {
    const category = await deps.categories.bySlug(q.category);
    if (!category) throw unknownValue(t, 'category', q.category);
    filter.categoryId = category.id;
  }
  if (q.district) {
    const found = await deps.units.bySlug(q.district);
    if (!found || !DISTRICT_KINDS.includes(found.unit.kind)) throw unknownValue(t, 'district', q.district);
    filter.districtUnitId = found.unit.id;
  }

  let problem: string | null = null;
  switch (q.set) {
    case 'since_published':
    case 'since_completed': {
      const last = await deps.press.lastPublication(outlet.id, campaign.id);
      if (last) record.since = { publicationId: last.id, noticeNo: last.noticeNo, at: last.createdAt, publishedOn: last.publishedOn };
      if (q.set === 'since_published') {
        if (last) filter.publishedAfter = last.createdAt;
      } else {
        // Completed on or after the last notice's day, less what that notice already showed as completed.
        filter.completedSince = last ? last.publishedOn : '0000-01-01';
        if (last) filter.excludeIds = completedIn(last.snapshot);
      }
      break;
    }
    case 'overdue':
      filter.status = 'overdue';
      break;
    case 'major':
      filter.tier = 'major';
      break;
    case 'unit':
      // One unit's full list: every published pledge it leads, whatever the other filters say.
      if (filter.leadUnitId === undefined) problem = t('press.set_unit_needs_unit');
      else Object.assign(filter, { tier: undefined, status: undefined, q: undefined, categoryId: undefined, districtUnitId: undefined });
      break;
  }
  return { campaign, outlet, filter, record, problem };
}

export async function selectedRows(deps: SelectionDeps, sel: ResolvedSelection): Promise<PressRow[]> {
  if (sel.problem) return [];
  return deps.press.rows(await deps.queries.ids(sel.filter));
}
