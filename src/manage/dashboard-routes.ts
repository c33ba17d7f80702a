// The workspace's front page: the unit's pledges (drafts included), what needs attention, and
// the pledges where the unit is a co-unit. The office sees every unit, or one it picks.
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { optionalId } from '../validation.ts';
import { HttpError } from '../plugins/errors.ts';
import { displayStatus, todayIn } from '../pledges/status.ts';
import { MANAGE_FILTERS, DUE_SOON_DAYS, STALE_AFTER_DAYS, type UnitPledgeRow } from '../pledges/repository.ts';
import { WORKSPACE } from './access.ts';
import { parseQuery, type Pages } from './pages.ts';

const MAX_PAGE = 100_000;
const dashboardQuery = z
  .object({
    status: z.preprocess((v) => (v === '' ? undefined : v), z.enum(MANAGE_FILTERS).optional()),
    unit: optionalId(),
    campaign: optionalId(),
    // A page number out of range is clamped, never an error: shared links outlive the data.
    page: z.preprocess((v) => {
      const n = Math.floor(Number(v));
      return Number.isFinite(n) ? Math.min(Math.max(1, n), MAX_PAGE) : 1;
    }, z.number()),
  })
  .loose();

export default function dashboardRoutes(app: FastifyInstance, pages: Pages) {
  const { pledgeRepo, unitRepo, campaignRepo } = pages;

  app.get('/manage', { config: WORKSPACE }, async (request, reply) => {
    const user = request.user!;
    const q = parseQuery(dashboardQuery, request.query);
    const isAdmin = user.role === 'admin';
    if (!isAdmin && !user.unitId) throw new HttpError(403);
    const unitId = isAdmin ? (q.unit ?? null) : user.unitId!;
    const unit = unitId ? await unitRepo.get(unitId) : undefined;
    if (unitId && !unit) throw new HttpError(400, 'unit');
    const campaigns = await campaignRepo.list();
    const campaign = q.campaign ? campaigns.find((c) => c.id === q.campaign) : await campaignRepo.current();
    if (q.campaign && !campaign) throw new HttpError(400, 'campaign');
    const scope = { unitId, campaignId: campaign?.id };
    const filter = q.status ?? 'all';
    const today = todayIn(campaign?.timeZone ?? app.config.timeZone);
    const withStatus = (rows: UnitPledgeRow[]) => rows.map((r) => ({ ...r, ds: displayStatus(r, today) }));

    const [counts, list, attention, coUnitPledges, units] = await Promise.all([
      pledgeRepo.countsForUnit(scope),
      pledgeRepo.listForUnit({ ...scope, filter, page: q.page }),
      filter !== 'all' ? Promise.resolve(undefined) : pledgeRepo.listForUnit({ ...scope, filter: 'attention', pageSize: 20 }),
      isAdmin ? Promise.resolve([]) : pledgeRepo.listCoUnitPledges(user.unitId!),
      isAdmin ? unitRepo.list() : Promise.resolve([]),
    ]);
    return reply.page('manage/index', {
      title: request.t('manage.title'),
      breadcrumbs: [{ label: request.t('manage.title') }],
      isAdmin,
      unit,
      units: units.map((u) => ({ id: u.id, name: u.name })),
      campaigns: campaigns.map((c) => ({ id: c.id, name: c.name })),
      campaign,
      filter,
      filters: MANAGE_FILTERS,
      counts,
      list: { ...list, rows: withStatus(list.rows) },
      attention: attention && { ...attention, rows: withStatus(attention.rows) },
      coUnitPledges: coUnitPledges.map((r) => ({ ...r, ds: displayStatus(r, today) })),
      dueSoonDays: DUE_SOON_DAYS,
      staleDays: STALE_AFTER_DAYS,
      today,
      sections: await app.sections.load('manage', { unitId, campaignId: campaign?.id ?? null, today }, request),
    });
  });
}
