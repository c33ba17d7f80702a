// The public side of demands: the report form, the reporter's tracking page and the board.
// Nothing here ever reads a reporter's contact: the queries behind these pages do not select it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEMAND_CHANNELS, DISTRICT_KINDS, type DemandStatus } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import { parseForm, type FieldErrors } from '../validation.ts';
import { createFormGuard, perHour } from '../abuse/form-guard.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { createPledgeRepository } from '../pledges/repository.ts';
import { createDemandRepository } from './repository.ts';
import { BOARD_STATUSES, boardQuery, parseListQuery, reportForm } from './schemas.ts';
import { normalizeTrackingNo } from './redact.ts';
import { sqliteOffset } from './time.ts';
import { exportFormat, sendTable } from '../exports/lists.ts';
import { createDemandStats, keptDemandStats, statColumns, statRows } from './stats.ts';

// The fill-time limits live with the shared form guard; re-exported for the tests that import them here.
export { MIN_FILL_MS, MAX_FILL_MS } from '../abuse/form-guard.ts';
/** Reports one address (IPv6: one /64) may send per hour. */
export const REPORTS_PER_HOUR = 10;

export default async function demandPublicRoutes(app: FastifyInstance) {
  const repo = createDemandRepository(app.db);
  const campaigns = createCampaignRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const pledgeRepo = createPledgeRepository(app.db);
  const guard = createFormGuard(app);
  const stats = createDemandStats(app.db, app.config.timeZone);

  async function reportPage(request: FastifyRequest, reply: FastifyReply, opts: { status?: number; values?: Record<string, unknown>; errors?: FieldErrors } = {}) {
    const [categories, districts] = await Promise.all([categoryRepo.list(), unitRepo.districts()]);
    return reply.code(opts.status ?? 200).page('reports/new', {
      title: request.t('reports.new.title'),
      description: request.t('reports.new.description'),
      breadcrumbs: [{ href: '/demands', label: request.t('demands.board.title') }, { label: request.t('reports.new.title') }],
      categories,
      districts: districts.filter((d) => d.active),
      started: guard.startedToken(),
      retentionDays: app.config.demandContactRetentionDays,
      values: opts.values ?? {},
      errors: opts.errors,
    });
  }

  app.get('/report', async (request, reply) => reportPage(request, reply));

  app.post(
    '/report',
    { config: { csrf: 'origin', rateLimit: perHour(REPORTS_PER_HOUR) } },
    async (request, reply) => {
      const body = (request.body ?? {}) as Record<string, unknown>;
      const values = guard.values(body);
      // The honeypot is invisible to people; a filled one is a form-filling robot. It learns nothing.
      if (guard.honeypotFilled(body)) {
        return reportPage(request, reply, { status: 400, values, errors: { _form: { key: 'reports.error.not_accepted' } } });
      }
      const parsed = parseForm(reportForm, body);
      if (!parsed.ok) return reportPage(request, reply, { status: 400, values, errors: parsed.errors });
      if (!guard.fillTimeOk(parsed.data.started)) {
        return reportPage(request, reply, { status: 400, values, errors: { _form: { key: 'reports.error.too_fast' } } });
      }
      const form = parsed.data;
      const errors: FieldErrors = {};
      if (!(await categoryRepo.get(form.categoryId))) errors.categoryId = { key: 'validation.invalid_choice' };
      const district = await unitRepo.get(form.districtUnitId);
      if (!district || !DISTRICT_KINDS.includes(district.kind)) errors.districtUnitId = { key: 'validation.invalid_choice' };
      if (Object.keys(errors).length) return reportPage(request, reply, { status: 400, values, errors });

      const campaign = await campaigns.current(todayIn(app.config.timeZone));
      // The audit entry names no one: the reporter's address is personal and the log is forever.
      const created = await repo.create(
        { userId: null, username: '', ip: '' },
        {
          channel: 'web',
          source: '',
          externalRef: null,
          campaignId: campaign?.id ?? null,
          categoryId: form.categoryId,
          districtUnitId: form.districtUnitId,
          text: form.text,
          address: form.address,
          reportedAt: new Date().toISOString(),
          reporterName: form.name,
          reporterPhone: '',
          reporterContact: form.contact,
        },
      );
      return reply.redirect(`/reports/${created.trackingNo}?submitted=1`, 303);
    },
  );

  /** The lookup box: a tracking number typed in by hand. */
  app.get('/reports', async (request, reply) => {
    const raw = (request.query as Record<string, unknown>).no;
    const typed = typeof raw === 'string' ? raw.trim() : '';
    if (typed) {
      const no = normalizeTrackingNo(typed);
      if (no) return reply.redirect(`/reports/${no}`, 303);
    }
    return reply.code(typed ? 400 : 200).page('reports/lookup', {
      title: request.t('reports.lookup.title'),
      breadcrumbs: [{ href: '/demands', label: request.t('demands.board.title') }, { label: request.t('reports.lookup.title') }],
      values: { no: typed.slice(0, 40) },
      errors: typed ? { no: { key: 'reports.error.bad_tracking_no' } } : undefined,
    });
  });

  app.get('/reports/:trackingNo', async (request, reply) => {
    const raw = (request.params as { trackingNo: string }).trackingNo;
    const no = normalizeTrackingNo(raw);
    if (!no) throw new HttpError(404);
    if (no !== raw) return reply.redirect(`/reports/${no}`, 301);
    const found = await repo.tracking(no);
    if (!found) throw new HttpError(404);
    const submitted = (request.query as Record<string, unknown>).submitted === '1';
    return reply.page('reports/show', {
      title: request.t('reports.show.title'),
      breadcrumbs: [{ href: '/demands', label: request.t('demands.board.title') }, { label: request.t('reports.show.title') }],
      trackingNo: found.trackingNo,
      report: found.self,
      canonical: found.canonical,
      submitted,
      retentionDays: app.config.demandContactRetentionDays,
    });
  });

  app.get('/demands', async (request, reply) => {
    const t = request.t;
    const q = parseListQuery(boardQuery, request.query, t);
    // ?format=csv|xlsx downloads the board's figures (not the list): the same counts whatever the filters.
    const format = exportFormat(request.query, t);
    if (format) {
      const rows = statRows(await keptDemandStats(app.aggregates, stats), t, request.locale);
      async function* all() {
        yield* rows;
      }
      return sendTable(reply, { format, base: 'demand-stats', sheet: t('demands.stats.sheet'), columns: statColumns(t), rows: all() });
    }
    const selected = { category: '', district: '' };
    let categoryId: number | undefined;
    let districtUnitId: number | undefined;
    if (q.category) {
      const c = await categoryRepo.bySlug(q.category);
      if (!c) throw new HttpError(400, t('demands.unknown_value', { param: 'category', value: q.category }));
      categoryId = c.id;
      selected.category = c.slug;
    }
    if (q.district) {
      const found = await unitRepo.bySlug(q.district);
      if (!found || !DISTRICT_KINDS.includes(found.unit.kind)) throw new HttpError(400, t('demands.unknown_value', { param: 'district', value: q.district }));
      districtUnitId = found.unit.id;
      selected.district = found.unit.slug;
    }
    let pledge: { id: number; title: string } | undefined;
    if (q.pledge) {
      // Only a published pledge: a draft's claims are the unit's business until it publishes.
      const found = await pledgeRepo.get(q.pledge);
      if (!found || found.status === 'draft') throw new HttpError(400, t('demands.unknown_value', { param: 'pledge', value: q.pledge }));
      pledge = { id: found.id, title: found.title };
    }
    const filter = { channel: q.channel, categoryId, districtUnitId, status: q.status as DemandStatus | undefined, q: q.q, pledgeId: pledge?.id };
    const [result, [totals, byChannel, byCategory, byDistrict, byMonth, categories, districts]] = await Promise.all([
      repo.board(filter, { page: q.page, memo: app.aggregates }),
      // The board's figures count every report whatever the filters: a scan of the demands,
      // kept until the next write instead of redone per request.
      app.aggregates.get('demands:board', () =>
        Promise.all([
          repo.totals(),
          repo.countsBy('channel'),
          repo.countsBy('category'),
          repo.countsBy('district'),
          repo.countsBy('month', { monthOffset: sqliteOffset(app.config.timeZone) }),
          categoryRepo.list(),
          unitRepo.districts(),
        ]),
        ['demands'],
      ),
    ]);
    return reply.page('demands/board', {
      title: t('demands.board.title'),
      description: t('demands.board.description'),
      canonical: '/demands',
      breadcrumbs: [{ label: t('demands.board.title') }],
      query: q,
      selected,
      pledge,
      result,
      totals,
      counts: { byChannel, byCategory, byDistrict, byMonth },
      options: { channels: DEMAND_CHANNELS, statuses: BOARD_STATUSES, categories, districts },
    });
  });
}
