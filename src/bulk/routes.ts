// Bulk progress updates from a spreadsheet (/manage/bulk): a unit editor (their unit's pledges)
// or the office (any unit's) downloads the sheet, fills it in, uploads it, checks the preview
// row by row, and applies it all at once or not at all.
import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../plugins/errors.ts';
import { WORKSPACE } from '../manage/access.ts';
import { createUnitRepository } from '../units/repository.ts';
import { optionalParam, single } from '../pledges/list-schema.ts';
import { PUBLISHED_STATUSES } from '../../db/schema.ts';
import type { FieldErrors } from '../validation.ts';
import { BOM, csvLine } from '../exports/csv.ts';
import { xlsxStream, XLSX_TYPE } from '../exports/xlsx.ts';
import { createBulkRepository } from './repository.ts';
import { parseSheet, sheetHeaders, sheetRow, SHEET_COLUMNS, MAX_ROWS, MAX_FILE_BYTES } from './sheet.ts';
import { buildPlan } from './plan.ts';
import { createPreviewStore, PREVIEW_TTL_MS } from './store.ts';

const downloadQuery = z.object({ unit: optionalParam(z.string().max(80)) });
const pageQuery = z.object({ applied: z.preprocess(single, z.coerce.number().int().min(0).max(MAX_ROWS).optional()) });
const previewId = z.string().regex(/^[A-Za-z0-9_-]{16,64}$/);
const applyForm = z.object({}).strict();

const COLUMN_WIDTHS: Record<string, number> = { id: 8, version: 8, title: 40, lead_unit: 20, due_on: 12, status: 12, progress: 10, happened_on: 14, body: 50, reason: 30 };

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export default async function bulkRoutes(app: FastifyInstance) {
  const repo = createBulkRepository(app.db);
  const units = createUnitRepository(app.db);
  const store = createPreviewStore();

  function owner(request: FastifyRequest) {
    return { sessionId: request.session!.id, userId: request.user!.id };
  }

  /** The unit whose pledges a request may touch: the editor's own, or (office) all of them. */
  function scope(request: FastifyRequest): number | null {
    const user = request.user!;
    if (user.role === 'admin') return null;
    if (user.unitId === null) throw new HttpError(403);
    return user.unitId;
  }

  async function uploadPage(request: FastifyRequest, reply: FastifyReply, opts: { status?: number; errors?: FieldErrors; notice?: string } = {}) {
    const t = request.t;
    const user = request.user!;
    const isAdmin = user.role === 'admin';
    return reply.code(opts.status ?? 200).page('bulk/index', {
      title: t('bulk.title'),
      breadcrumbs: [{ href: '/manage', label: t('manage.title') }, { label: t('bulk.title') }],
      isAdmin,
      unitName: user.unitName,
      units: isAdmin ? (await units.list({ activeOnly: true })).map((u) => ({ slug: u.slug, name: u.name })) : [],
      statuses: PUBLISHED_STATUSES,
      columns: SHEET_COLUMNS,
      maxRows: MAX_ROWS,
      ttlMinutes: PREVIEW_TTL_MS / 60_000,
      errors: opts.errors,
      notice: opts.notice,
    });
  }

  app.get('/manage/bulk', { config: WORKSPACE }, async (request, reply) => {
    const q = pageQuery.safeParse(request.query ?? {});
    const applied = q.success ? q.data.applied : undefined;
    return uploadPage(request, reply, { notice: applied !== undefined ? request.t('bulk.applied', { n: applied }) : undefined });
  });

  app.get('/manage/bulk/pledges.:format', { config: WORKSPACE }, async (request, reply) => {
    const t = request.t;
    const format = (request.params as { format: string }).format;
    if (format !== 'xlsx' && format !== 'csv') throw new HttpError(404);
    let unitId = scope(request);
    let label = request.user!.unitSlug ?? 'all';
    const q = downloadQuery.safeParse(request.query ?? {});
    // The office may narrow the sheet to one unit; an editor's sheet is always their own unit's.
    if (unitId === null && q.success && q.data.unit) {
      const found = await units.bySlug(q.data.unit);
      if (!found) throw new HttpError(400, t('bulk.error.unknown_unit', { value: q.data.unit.slice(0, 40) }));
      unitId = found.unit.id;
      label = found.unit.slug;
    } else if (unitId === null) label = 'all';
    const pledges = await repo.forDownload(unitId);
    const rows = pledges.map((p) => sheetRow({ ...p, revision: Number(p.revision), leadUnit: p.leadUnitName }, t));
    const filename = `progress-${label}-${new Date().toISOString().slice(0, 10)}.${format}`;
    reply.header('content-disposition', `attachment; filename="${filename}"`);
    if (format === 'csv') {
      return reply.type('text/csv; charset=utf-8').send(Readable.from([BOM + csvLine(sheetHeaders(t)), ...rows.map(csvLine)]));
    }
    const statusLabels = PUBLISHED_STATUSES.map((s) => t(`status.${s}`));
    const columns = SHEET_COLUMNS.map((key, i) => ({
      header: sheetHeaders(t)[i],
      width: COLUMN_WIDTHS[key],
      choices: key === 'status' ? statusLabels : undefined,
    }));
    return reply.type(XLSX_TYPE).send(xlsxStream([{ name: t('bulk.sheet_name'), columns, rows }]));
  });

  // Multipart bodies are not parsed before handlers, so the shared CSRF check cannot see the
  // form's token: it is checked here, from the `_csrf` field that precedes the file (or the
  // x-csrf-token header), before a byte of the file is read.
  app.post('/manage/bulk/preview', { config: { ...WORKSPACE, csrf: 'none' } }, async (request, reply) => {
    const t = request.t;
    const session = request.session!;
    const refuse = () => reply.code(403).page('error', { status: 403, title: t('error.403.title'), message: t('error.csrf') });
    if (!request.isMultipart()) return refuse();
    const header = request.headers['x-csrf-token'];
    let trusted = typeof header === 'string' && sameToken(header, session.csrfToken);
    let file: { buffer: Buffer; name: string } | undefined;
    for await (const part of request.parts({ limits: { fileSize: MAX_FILE_BYTES } })) {
      if (part.type === 'field') {
        if (part.fieldname === '_csrf') trusted = typeof part.value === 'string' && sameToken(part.value, session.csrfToken);
        else throw new HttpError(400, t('validation.unknown_field', { fields: part.fieldname.slice(0, 40) }));
        continue;
      }
      if (!trusted) {
        // Stop reading: a request without the token does not get its upload parsed.
        part.file.resume();
        return refuse();
      }
      if (part.fieldname !== 'file' || file) throw new HttpError(400, t('validation.unknown_field', { fields: part.fieldname.slice(0, 40) }));
      file = { buffer: await part.toBuffer(), name: part.filename.slice(0, 120) };
    }
    if (!trusted) return refuse();
    if (!file || !file.buffer.length) return uploadPage(request, reply, { status: 400, errors: { file: { key: 'bulk.error.no_file' } } });

    const sheet = await parseSheet(file.buffer);
    if (!sheet.ok) return uploadPage(request, reply, { status: 400, errors: { file: sheet.problem } });
    const ids = sheet.rows.map((r) => Number(r.id)).filter((n) => Number.isInteger(n) && n > 0 && n <= 2 ** 31 - 1);
    const plan = buildPlan(sheet.rows, { user: request.user!, current: await repo.current(ids), t });
    const id = store.put(owner(request), file.name, plan);
    return reply.redirect(`/manage/bulk/previews/${id}`, 303);
  });

  function storedPreview(request: FastifyRequest) {
    const parsed = previewId.safeParse((request.params as { id: string }).id);
    return parsed.success ? store.get(parsed.data, owner(request)) : undefined;
  }

  async function previewPage(request: FastifyRequest, reply: FastifyReply, preview: NonNullable<ReturnType<typeof storedPreview>>, opts: { status?: number; problem?: string } = {}) {
    const t = request.t;
    return reply.code(opts.status ?? 200).page('bulk/preview', {
      title: t('bulk.preview.title'),
      breadcrumbs: [{ href: '/manage', label: t('manage.title') }, { href: '/manage/bulk', label: t('bulk.title') }, { label: t('bulk.preview.title') }],
      preview,
      plan: preview.plan,
      problem: opts.problem,
    });
  }

  app.get('/manage/bulk/previews/:id', { config: WORKSPACE }, async (request, reply) => {
    const preview = storedPreview(request);
    if (!preview) return uploadPage(request, reply, { status: 404, errors: { file: { key: 'bulk.error.preview_gone' } } });
    return previewPage(request, reply, preview);
  });

  app.post('/manage/bulk/previews/:id/apply', { config: WORKSPACE }, async (request, reply) => {
    const t = request.t;
    if (!applyForm.safeParse(request.body ?? {}).success) throw new HttpError(400);
    const preview = storedPreview(request);
    if (!preview) return uploadPage(request, reply, { status: 404, errors: { file: { key: 'bulk.error.preview_gone' } } });
    const plan = preview.plan;
    if (plan.errors) return previewPage(request, reply, preview, { status: 400, problem: t('bulk.preview.has_errors', { n: plan.errors }) });
    const updates = plan.rows.flatMap((r) => (r.update ? [r.update] : []));
    if (!updates.length) return previewPage(request, reply, preview, { status: 400, problem: t('bulk.preview.nothing') });
    const result = await repo.apply(request.actor(), updates, { unitId: scope(request), label: preview.id });
    if (!result.ok) {
      return previewPage(request, reply, preview, { status: 409, problem: t(`bulk.apply.${result.reason}`, { row: result.row }) });
    }
    store.delete(preview.id);
    return reply.redirect(`/manage/bulk?applied=${result.applied}`, 303);
  });
}
