// `?format=csv|xlsx` on the public lists: the same filters as the page, every matching row (not
// just one page), read in chunks and streamed out while the client downloads.
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Translate } from '../i18n/index.ts';
import { HttpError } from '../plugins/errors.ts';
import { single } from '../pledges/list-schema.ts';
import { createPledgeQueries, type PledgeFilter, type PledgeRow } from '../pledges/queries.ts';
import type { ListSort } from '../pledges/list-schema.ts';
import type { StatsRepository } from '../stats/repository.ts';
import { categoryName } from '../categories/repository.ts';
import { createExportRepository } from './repository.ts';
import { BOM, csvLine, type Cell } from './csv.ts';
import { xlsxStream, XLSX_TYPE, type SheetColumn } from './xlsx.ts';

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Rows read per query while exporting. */
export const EXPORT_CHUNK = 500;

const formatQuery = z.object({ format: z.preprocess(single, z.enum(EXPORT_FORMATS).optional()) });

/** The ?format of a list page: undefined for the page itself; an unknown format is a 400. */
export function exportFormat(query: unknown, t: Translate): ExportFormat | undefined {
  const parsed = formatQuery.safeParse(query ?? {});
  if (parsed.success) return parsed.data.format;
  const raw = single((query as Record<string, unknown>).format);
  throw new HttpError(400, t('exports.bad_format', { value: String(raw ?? '').slice(0, 40) }));
}

export interface ExportColumn<R> {
  header: string;
  width?: number;
  value(row: R): Cell;
}

/** Streams rows as CSV or XLSX, as a download named `<base>-<today>.<ext>`. */
export function sendTable<R>(reply: FastifyReply, opts: { format: ExportFormat; base: string; sheet: string; columns: ExportColumn<R>[]; rows: AsyncIterable<R> }) {
  const { format, columns } = opts;
  const filename = `${opts.base}-${new Date().toISOString().slice(0, 10)}.${format}`;
  reply.header('content-disposition', `attachment; filename="${filename}"`);
  async function* cells() {
    for await (const row of opts.rows) yield columns.map((c) => c.value(row));
  }
  if (format === 'xlsx') {
    const sheetColumns: SheetColumn[] = columns.map((c) => ({ header: c.header, width: c.width }));
    return reply.type(XLSX_TYPE).send(xlsxStream([{ name: opts.sheet, columns: sheetColumns, rows: cells() }]));
  }
  async function* lines() {
    yield BOM + csvLine(columns.map((c) => c.header));
    for await (const row of cells()) yield csvLine(row);
  }
  return reply.type('text/csv; charset=utf-8').send(Readable.from(lines()));
}

type Extras = Awaited<ReturnType<ReturnType<typeof createExportRepository>['pledgeExtras']>> extends Map<number, infer E> ? E : never;
type PledgeExportRow = PledgeRow & { extra?: Extras };

export function pledgeColumns(t: Translate, locale: string, publicUrl: string): ExportColumn<PledgeExportRow>[] {
  const yesNo = (b: boolean) => (b ? t('common.yes') : t('common.no'));
  return [
    { header: t('exports.pledge.id'), width: 8, value: (r) => r.id },
    { header: t('exports.pledge.title'), width: 40, value: (r) => r.title },
    { header: t('exports.pledge.tier'), value: (r) => t(`tier.${r.tier}`) },
    { header: t('exports.pledge.status'), value: (r) => t(`status.${r.display.status}`) },
    { header: t('exports.pledge.overdue'), value: (r) => yesNo(r.display.overdue) },
    { header: t('exports.pledge.completed_late'), value: (r) => (r.display.status === 'completed' ? yesNo(r.display.completedLate) : '') },
    { header: t('exports.pledge.progress'), width: 8, value: (r) => r.progress },
    { header: t('exports.pledge.lead_unit'), width: 20, value: (r) => r.leadUnit.name },
    { header: t('exports.pledge.co_units'), width: 20, value: (r) => (r.extra?.coUnits ?? []).join(locale === 'en' ? '; ' : '、') },
    { header: t('exports.pledge.category'), value: (r) => (r.category ? categoryName(r.category, locale) : '') },
    { header: t('exports.pledge.district'), value: (r) => r.district?.name ?? '' },
    { header: t('exports.pledge.start_on'), value: (r) => r.extra?.startOn ?? '' },
    { header: t('exports.pledge.due_on'), value: (r) => r.dueOn },
    { header: t('exports.pledge.completed_on'), value: (r) => r.completedOn ?? '' },
    { header: t('exports.pledge.lead_official'), value: (r) => r.extra?.leadOfficial ?? '' },
    { header: t('exports.pledge.responsible_person'), value: (r) => r.extra?.responsiblePerson ?? '' },
    { header: t('exports.pledge.commitment'), width: 50, value: (r) => r.extra?.commitment ?? '' },
    { header: t('exports.pledge.standard'), width: 50, value: (r) => r.extra?.standard ?? '' },
    { header: t('exports.pledge.published_at'), width: 22, value: (r) => r.extra?.publishedAt ?? '' },
    { header: t('exports.pledge.updated_at'), width: 22, value: (r) => r.updatedAt },
    { header: t('exports.pledge.url'), width: 30, value: (r) => `${publicUrl}/pledges/${r.id}` },
  ];
}

type UnitTableRow = Awaited<ReturnType<StatsRepository['unitsTable']>>[number];

export function unitColumns(t: Translate, publicUrl: string): ExportColumn<UnitTableRow>[] {
  return [
    { header: t('exports.unit.name'), width: 24, value: (u) => u.name },
    { header: t('exports.unit.slug'), width: 16, value: (u) => u.slug },
    { header: t('exports.unit.kind'), value: (u) => t(`kind.${u.kind}`) },
    { header: t('exports.unit.parent'), width: 20, value: (u) => u.parent?.name ?? '' },
    { header: t('exports.unit.pledges'), value: (u) => u.pledges },
    { header: t('exports.unit.completed'), value: (u) => u.completed },
    { header: t('exports.unit.open'), value: (u) => u.open },
    { header: t('exports.unit.overdue'), value: (u) => u.overdue },
    { header: t('exports.unit.cancelled'), value: (u) => u.cancelled },
    { header: t('exports.unit.on_time_rate'), value: (u) => (u.onTimeRate === null ? '' : Math.round(u.onTimeRate * 1000) / 10) },
    { header: t('exports.unit.url'), width: 30, value: (u) => `${publicUrl}/units/${u.slug}` },
  ];
}

export function createListExports(app: FastifyInstance) {
  const queries = createPledgeQueries(app.db, { fallbackZone: app.config.timeZone });
  const repo = createExportRepository(app.db);
  const publicUrl = app.config.publicUrl;

  async function* pledgeRows(filter: PledgeFilter, sort: ListSort): AsyncIterable<PledgeExportRow> {
    for (let page = 1; ; page++) {
      const result = await queries.list(filter, { sort, page, pageSize: EXPORT_CHUNK });
      if (result.page !== page) return; // past the end: the read model clamps to the last page
      const extras = await repo.pledgeExtras(result.rows.map((r) => r.id));
      for (const row of result.rows) yield { ...row, extra: extras.get(row.id) };
      if (page >= result.pages) return;
    }
  }

  return {
    pledges(request: FastifyRequest, reply: FastifyReply, format: ExportFormat, filter: PledgeFilter, sort: ListSort) {
      const t = request.t;
      return sendTable(reply, { format, base: 'pledges', sheet: t('exports.sheet.pledges'), columns: pledgeColumns(t, request.locale, publicUrl), rows: pledgeRows(filter, sort) });
    },
    units(request: FastifyRequest, reply: FastifyReply, format: ExportFormat, rows: UnitTableRow[]) {
      const t = request.t;
      async function* all() {
        yield* rows;
      }
      return sendTable(reply, { format, base: 'units', sheet: t('exports.sheet.units'), columns: unitColumns(t, publicUrl), rows: all() });
    },
  };
}
export type ListExports = ReturnType<typeof createListExports>;
