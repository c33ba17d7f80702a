// The press desk: build a selection (the public list's filters plus ready-made sets), preview
// exactly what will be published (with preview files rendered on demand, never stored), and
// publish it as a permanent notice with every file.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PLEDGE_TIERS, PUBLICATION_FORMATS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import type { Access } from '../plugins/auth.ts';
import type { FieldErrors } from '../validation.ts';
import { fieldErrors, formValues } from '../validation.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createPledgeQueries } from '../pledges/queries.ts';
import { LIST_STATUSES, badParam, parseQuery } from '../pledges/list-schema.ts';
import { todayIn } from '../pledges/status.ts';
import { createPressRepository } from './repository.ts';
import { createOutletRepository } from './outlets-repository.ts';
import { READY_SETS, SELECTION_KEYS, publishBody, selectionQuery, type PublishFields } from './schemas.ts';
import { resolveSelection, selectedRows, type ResolvedSelection, type SelectionDeps } from './selection.ts';
import { buildNoticeDocument, rowsFingerprint } from './document.ts';
import { isFormat } from './formats.ts';
import { renderInChild } from './render-process.ts';
import type { PressRow } from './repository.ts';

const DESK: { access: Access } = { access: ['press', 'admin'] };

/** The selection as query parameters, for links and hidden fields. */
function selectionParams(query: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of SELECTION_KEYS) {
    const v = query[k];
    if (v !== undefined && v !== null && v !== '') out[k] = String(v);
  }
  return out;
}

export default async function pressRoutes(app: FastifyInstance) {
  const deps: SelectionDeps = {
    queries: createPledgeQueries(app.db, { fallbackZone: app.config.timeZone }),
    press: createPressRepository(app.db),
    outlets: createOutletRepository(app.db),
    campaigns: createCampaignRepository(app.db),
    categories: createCategoryRepository(app.db),
    units: createUnitRepository(app.db),
  };
  const publicUrl = app.config.publicUrl;

  async function resolve(request: FastifyRequest, source: unknown) {
    const parsed = parseQuery(selectionQuery, source);
    if (!parsed.ok) throw badParam(request.t, parsed.param, parsed.value);
    const current = await deps.campaigns.current(todayIn(app.config.timeZone));
    const sel = await resolveSelection(deps, request.t, parsed.data, { campaign: current });
    return { query: parsed.data, sel };
  }

  function documentFor(sel: ResolvedSelection, rows: PressRow[], meta: { noticeNo: string; edition: string; publishedOn: string; title: string; corrects: { outletName: string; noticeNo: string; publishedOn: string } | null }) {
    return buildNoticeDocument(rows, {
      outlet: sel.outlet,
      campaign: sel.campaign,
      publicUrl,
      ...meta,
    });
  }

  async function builderOptions() {
    const [campaigns, outlets, leadUnits, categories, districts] = await Promise.all([
      deps.campaigns.list(),
      deps.outlets.list({ activeOnly: true }),
      deps.queries.leadUnits(),
      deps.categories.list(),
      deps.units.districts(),
    ]);
    return { campaigns, outlets, leadUnits, categories, districts, tiers: PLEDGE_TIERS, statuses: LIST_STATUSES, sets: READY_SETS };
  }

  app.get('/press', { config: DESK }, async (request, reply) => {
    const t = request.t;
    const { query, sel } = await resolve(request, request.query);
    const base = { title: t('press.title'), breadcrumbs: [{ label: t('press.title') }], options: await builderOptions(), selected: selectionParams({ ...query, campaign: sel?.campaign.id, outlet: sel?.outlet.id }) };
    if (!sel) return reply.page('press/index', { ...base, sel: null, count: 0, since: null, problem: null });
    const count = sel.problem ? 0 : (await deps.queries.ids(sel.filter)).length;
    return reply.page('press/index', { ...base, sel, count, since: sel.record.since, problem: sel.problem });
  });

  async function previewPage(request: FastifyRequest, reply: FastifyReply, source: unknown, form: { status?: number; errors?: FieldErrors; values?: Record<string, unknown>; problem?: string } = {}) {
    const t = request.t;
    const { query, sel } = await resolve(request, source);
    if (!sel) throw new HttpError(400, t('press.nothing_to_build'));
    const rows = await selectedRows(deps, sel);
    const today = todayIn(sel.campaign.timeZone);
    const params = selectionParams({ ...query, campaign: sel.campaign.id, outlet: sel.outlet.id });
    const crumbs = [{ href: '/press', label: t('press.title') }, { label: t('press.preview.title') }];
    if (!rows.length) {
      return reply.code(form.status ?? 200).page('press/empty', { title: t('press.preview.title'), breadcrumbs: crumbs, problem: sel.problem ?? t('press.zero_rows'), params });
    }
    const doc = documentFor(sel, rows, { noticeNo: '', edition: '', publishedOn: today, title: '', corrects: null });
    return reply.code(form.status ?? 200).page('press/preview', {
      title: t('press.preview.title'),
      breadcrumbs: crumbs,
      doc,
      sel,
      params,
      query: new URLSearchParams(params).toString(),
      formats: PUBLICATION_FORMATS,
      earlier: await deps.press.outletPublications(sel.outlet.id),
      fingerprint: rowsFingerprint(doc),
      errors: form.errors,
      problem: form.problem ?? null,
      values: { publishedOn: today, columns: '3', ...(form.values ?? {}) },
    });
  }

  app.get('/press/preview', { config: DESK }, async (request, reply) => previewPage(request, reply, request.query));

  // Files of an unpublished preview: rendered on demand for the desk, never stored or cached.
  app.get('/press/preview/files/:format', { config: DESK }, async (request, reply) => {
    const format = (request.params as { format: string }).format;
    if (!isFormat(format)) throw new HttpError(404);
    const { sel } = await resolve(request, request.query);
    if (!sel) throw new HttpError(400, request.t('press.nothing_to_build'));
    const rows = await selectedRows(deps, sel);
    if (!rows.length) throw new HttpError(400, sel.problem ?? request.t('press.zero_rows'));
    const today = todayIn(sel.campaign.timeZone);
    const doc = documentFor(sel, rows, { noticeNo: request.t('press.preview.no'), edition: '', publishedOn: today, title: '', corrects: null });
    // Off the server's thread: a whole campaign's PDF or cards take seconds of CPU.
    const [file] = await renderInChild(doc, {}, format);
    reply.header('content-disposition', `attachment; filename="preview-${format.replace(/_/g, '-')}.${file.ext}"`);
    reply.header('cache-control', 'private, no-store');
    if (format === 'html') reply.header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
    return reply.type(file.mime).send(file.bytes);
  });

  app.post('/press/publish', { config: DESK }, async (request, reply) => {
    const t = request.t;
    const body = (request.body ?? {}) as Record<string, unknown>;
    const parsed = publishBody.safeParse(body);
    const selection = selectionParams(body);
    const again = (status: number, opts: { errors?: FieldErrors; problem?: string }) =>
      previewPage(request, reply, selection, { status, values: formValues(body), ...opts });
    if (!parsed.success) return again(400, { errors: fieldErrors(parsed.error) });
    const fields: PublishFields = parsed.data;
    const { query, sel } = await resolve(request, selection);
    if (!sel) throw new HttpError(400, t('press.nothing_to_build'));
    const rows = await selectedRows(deps, sel);
    if (!rows.length) {
      const params = selectionParams({ ...query, campaign: sel.campaign.id, outlet: sel.outlet.id });
      return reply.code(400).page('press/empty', { title: t('press.preview.title'), breadcrumbs: [{ href: '/press', label: t('press.title') }, { label: t('press.preview.title') }], problem: sel.problem ?? t('press.zero_rows'), params });
    }
    const earlier = await deps.press.outletPublications(sel.outlet.id);
    if (earlier.some((p) => p.noticeNo === fields.noticeNo)) return again(400, { errors: { noticeNo: { key: 'press.error.notice_no_taken' } } });
    let corrects: { outletName: string; noticeNo: string; publishedOn: string } | null = null;
    if (fields.corrects !== undefined) {
      const old = earlier.find((p) => p.id === fields.corrects);
      if (!old) return again(400, { errors: { corrects: { key: 'press.error.corrects_other_outlet' } } });
      corrects = { outletName: sel.outlet.name, noticeNo: old.noticeNo, publishedOn: old.publishedOn };
    }
    const doc = documentFor(sel, rows, { noticeNo: fields.noticeNo, edition: fields.edition, publishedOn: fields.publishedOn, title: fields.title, corrects });
    // What the preview showed must be what is published: a change in between sends the desk back to look again.
    if (fields.fingerprint !== rowsFingerprint(doc)) return again(409, { problem: t('press.error.changed_since_preview') });
    const options = { columns: fields.columns as 2 | 3 | 4, crawlWidth: fields.crawlWidth, radioMinutes: fields.radioMinutes };
    // Rendering is slow: it happens in a child process, before the (synchronous) write transaction opens.
    const files = await renderInChild(doc, options);
    let pub: { id: number };
    try {
      pub = await deps.press.publish(request.actor(), {
        campaignId: sel.campaign.id,
        outletId: sel.outlet.id,
        kind: sel.outlet.kind,
        language: sel.outlet.language,
        noticeNo: fields.noticeNo,
        edition: fields.edition,
        publishedOn: fields.publishedOn,
        title: doc.title,
        correctsId: fields.corrects ?? null,
        selection: { ...sel.record, options },
        snapshot: doc,
        pledgeIds: doc.groups.flatMap((g) => g.rows.map((r) => r.pledgeId)),
        files,
      });
    } catch (err) {
      // Another publish with this number landed while ours was rendering.
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') return again(400, { errors: { noticeNo: { key: 'press.error.notice_no_taken' } } });
      throw err;
    }
    return reply.redirect(`/notices/${pub.id}`, 303);
  });
}
