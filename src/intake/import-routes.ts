// Hotline import (office): upload a CSV or XLSX export, map unknown columns, store the valid
// rows in one transaction, and show what was stored, skipped and refused (with an error file).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { adminOnly, paramId } from '../admin/common.ts';
import { HttpError } from '../plugins/errors.ts';
import { createCategoryRepository } from '../categories/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createCampaignRepository } from '../campaigns/repository.ts';
import { createDemandRepository } from '../demands/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { readUpload, type Table } from './decode.ts';
import { IMPORT_FIELDS, REQUIRED_FIELDS, autoMap, mappingProblems, type Mapping } from './columns.ts';
import { validateRows, type RefusedRow } from './rows.ts';
import { createPendingStore } from './pending.ts';
import { toCsv } from './csv.ts';

/** Refused rows kept for the error file; a file refused wholesale (wrong columns) is re-uploaded, not read row by row. */
const MAX_REFUSED_KEPT = 10_000;
const REFUSED_SHOWN = 200;

function sameToken(sent: unknown, expected: string): boolean {
  if (typeof sent !== 'string') return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

interface StoredRefusals {
  headers: string[];
  rows: RefusedRow[];
}

function refusalsOf(json: string): StoredRefusals {
  const parsed = JSON.parse(json) as unknown;
  if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as StoredRefusals;
  return { headers: [], rows: [] };
}

export default async function importRoutes(app: FastifyInstance) {
  const repo = createDemandRepository(app.db);
  const categoryRepo = createCategoryRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const campaignRepo = createCampaignRepository(app.db);
  const pending = createPendingStore();
  const limitMb = app.config.uploadLimitMb;

  const crumbs = (request: FastifyRequest, last?: string) => [
    { href: '/admin', label: request.t('nav.admin') },
    { href: '/admin/demands', label: request.t('demands.triage.title') },
    { href: last ? '/admin/demands/import' : undefined, label: request.t('intake.title') },
    ...(last ? [{ label: last }] : []),
  ];

  async function uploadPage(request: FastifyRequest, reply: FastifyReply, status = 200, error?: { key: string; params?: Record<string, string | number> }) {
    return reply.code(status).page('demands/import', {
      title: request.t('intake.title'),
      breadcrumbs: crumbs(request),
      limitMb,
      batches: await repo.recentBatches(10),
      errors: error ? { file: error } : undefined,
    });
  }

  app.get('/admin/demands/import', adminOnly, async (request, reply) => uploadPage(request, reply));

  /** Stores the valid rows and records the batch; the answer is a redirect to its result page. */
  async function runImport(request: FastifyRequest, reply: FastifyReply, file: { fileName: string; format: 'csv' | 'xlsx'; encoding: string; table: Table }, mapping: Mapping) {
    const [categories, districts, campaign] = await Promise.all([categoryRepo.list(), unitRepo.districts(), campaignRepo.current(todayIn(app.config.timeZone))]);
    const { valid, refused } = validateRows(file.table, mapping, { categories, districts, campaignId: campaign?.id ?? null, timeZone: app.config.timeZone });
    const kept: StoredRefusals = { headers: file.table.headers, rows: refused.slice(0, MAX_REFUSED_KEPT) };
    const result = await repo.importBatch(
      request.actor(),
      // The headers are kept beside the refused rows so the error file has them.
      { fileName: file.fileName, format: file.format, encoding: file.encoding, totalRows: file.table.rows.length, refusedRows: JSON.stringify(kept), refusedCount: refused.length },
      valid,
    );
    return reply.redirect(`/admin/demands/import/${result.batchId}`, 303);
  }

  function mappingPage(request: FastifyRequest, reply: FastifyReply, key: string, file: { fileName: string; table: Table }, mapping: Mapping, status = 200, problems?: { missing: string[]; twice: string[] }) {
    const title = request.t('intake.map.title');
    return reply.code(status).page('demands/import-map', {
      title,
      breadcrumbs: crumbs(request, title),
      key,
      fileName: file.fileName,
      rowCount: file.table.rows.length,
      columns: file.table.headers.map((header, i) => ({
        index: i,
        header,
        field: mapping[i] ?? '',
        samples: file.table.rows.slice(0, 3).map((r) => (r[i] ?? '').slice(0, 60)),
      })),
      fields: IMPORT_FIELDS,
      required: REQUIRED_FIELDS,
      problems,
      errors: problems && (problems.missing.length || problems.twice.length) ? { _form: { key: 'intake.map.problems', params: { missing: problems.missing.map((f) => request.t(`intake.field.${f}`)).join('、'), twice: problems.twice.map((f) => request.t(`intake.field.${f}`)).join('、') } } } : undefined,
    });
  }

  // multipart/form-data: the shared CSRF check cannot read multipart fields, so the token is
  // checked here, from the _csrf field that precedes the file (or the x-csrf-token header),
  // before a byte of the file is read.
  app.post('/admin/demands/import', { config: { access: ['admin'], csrf: 'none' } }, async (request, reply) => {
    const expected = request.session?.csrfToken ?? '';
    if (!request.isMultipart()) return uploadPage(request, reply, 400, { key: 'intake.error.no_file' });
    let token: unknown = request.headers['x-csrf-token'];
    let upload: { buffer: Buffer; fileName: string } | undefined;
    try {
      for await (const part of request.parts()) {
        if (part.type === 'field') {
          if (part.fieldname === '_csrf') token = part.value;
          continue;
        }
        if (!sameToken(token, expected)) {
          part.file.resume();
          return reply.code(403).page('error', { status: 403, title: request.t('error.403.title'), message: request.t('error.csrf') });
        }
        upload = { buffer: await part.toBuffer(), fileName: (part.filename || 'upload').slice(0, 200) };
      }
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') return uploadPage(request, reply, 413, { key: 'intake.error.too_large', params: { mb: limitMb } });
      if (error instanceof HttpError) throw error;
      // FST_ limits and malformed multipart bodies (no boundary, cut short) alike: the sender's error.
      return uploadPage(request, reply, 400, { key: 'intake.error.upload' });
    }
    if (!sameToken(token, expected)) return reply.code(403).page('error', { status: 403, title: request.t('error.403.title'), message: request.t('error.csrf') });
    if (!upload) return uploadPage(request, reply, 400, { key: 'intake.error.no_file' });

    const decoded = await readUpload(upload.buffer, upload.fileName);
    if (!decoded.ok) return uploadPage(request, reply, 400, { key: decoded.error, params: decoded.params });
    const file = { fileName: upload.fileName, format: decoded.format, encoding: decoded.encoding, table: decoded.table };
    const { mapping, unknown } = autoMap(decoded.table.headers);
    const problems = mappingProblems(mapping);
    if (unknown.length === 0 && problems.missing.length === 0) return runImport(request, reply, file, mapping);
    const key = pending.put({ ...file, sessionId: request.session!.id });
    if (!key) return uploadPage(request, reply, 413, { key: 'intake.error.too_large', params: { mb: limitMb } });
    return mappingPage(request, reply, key, file, mapping);
  });

  app.post('/admin/demands/import/mapping/:key', adminOnly, async (request, reply) => {
    const key = (request.params as { key: string }).key;
    const file = pending.get(key, request.session!.id);
    if (!file) return uploadPage(request, reply, 404, { key: 'intake.error.expired' });
    const schema = z
      .object(Object.fromEntries(file.table.headers.map((_, i) => [`col_${i}`, z.enum([...IMPORT_FIELDS, '']).optional().default('')])))
      .strict();
    const parsed = schema.safeParse(request.body ?? {});
    if (!parsed.success) throw new HttpError(400, 'col');
    const mapping: Mapping = file.table.headers.map((_, i) => ((parsed.data as Record<string, string>)[`col_${i}`] || null) as Mapping[number]);
    const problems = mappingProblems(mapping);
    if (problems.missing.length || problems.twice.length) return mappingPage(request, reply, key, file, mapping, 400, problems);
    pending.delete(key);
    return runImport(request, reply, file, mapping);
  });

  app.get('/admin/demands/import/:id', adminOnly, async (request, reply) => {
    const batch = await repo.batch(paramId(request));
    if (!batch) throw new HttpError(404);
    const refusals = refusalsOf(batch.refusedRows);
    const title = request.t('intake.result.title', { id: batch.id });
    return reply.page('demands/import-result', {
      title,
      breadcrumbs: crumbs(request, title),
      batch,
      gaps: await repo.batchGaps(batch.id),
      refused: refusals.rows.slice(0, REFUSED_SHOWN),
      refusedKept: refusals.rows.length,
      headers: refusals.headers,
    });
  });

  app.get('/admin/demands/import/:id/errors.csv', adminOnly, async (request, reply) => {
    const batch = await repo.batch(paramId(request));
    if (!batch) throw new HttpError(404);
    const t = request.t;
    const { headers, rows } = refusalsOf(batch.refusedRows);
    const lines: string[][] = [[t('intake.csv.row'), t('intake.csv.reasons'), ...headers]];
    for (const r of rows) lines.push([String(r.row), r.reasons.map((x) => t(x.key, x.params)).join('；'), ...r.cells]);
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="import-${batch.id}-errors.csv"`)
      .header('cache-control', 'private, no-store')
      .send(toCsv(lines));
  });
}
