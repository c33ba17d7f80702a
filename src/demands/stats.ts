// Public demand statistics as open data: the very figures the /demands board shows (totals and
// counts by channel, status, category, district and month), read once here for the board's
// spreadsheet download and the JSON API. Only counts and public names leave: no report text,
// address or contact is ever selected by the queries behind them.
import type { Db } from '../plugins/db.ts';
import type { Translate } from '../i18n/index.ts';
import { categoryName } from '../categories/repository.ts';
import type { ExportColumn } from '../exports/lists.ts';
import { createDemandQueries } from './queries.ts';
import { sqliteOffset } from './time.ts';
import type { AggregateMemo } from '../cache/aggregates.ts';

export const STAT_DIMENSIONS = ['total', 'channel', 'status', 'category', 'district', 'month'] as const;
export type StatDimension = (typeof STAT_DIMENSIONS)[number];

/** The keys of the board's headline figures, in the board's order. */
const TOTAL_KEYS = ['reports', 'claimed', 'resolved', 'declined'] as const;
const TOTAL_LABELS: Record<(typeof TOTAL_KEYS)[number], string> = {
  reports: 'demands.home.collected',
  claimed: 'demands.home.claimed',
  resolved: 'demands.board.resolved',
  declined: 'demands.board.declined',
};

/**
 * `load()`'s figures kept until the reports or the record change: they scan every report, so
 * the board's download and the API read them through here, sharing one memo entry.
 */
export function keptDemandStats(aggregates: AggregateMemo, stats: ReturnType<typeof createDemandStats>): Promise<DemandStats> {
  return aggregates.get('demands:stats', () => stats.load(), ['demands']);
}

export function createDemandStats(db: Db, timeZone: string) {
  const queries = createDemandQueries(db);
  return {
    /** Everything the board's figures show, plus the count by status. Months are in the campaign's zone. */
    async load() {
      const [totals, byChannel, byStatus, byCategory, byDistrict, byMonth] = await Promise.all([
        queries.totals(),
        queries.countsBy('channel'),
        queries.countsBy('status'),
        queries.countsBy('category'),
        queries.countsBy('district'),
        queries.countsBy('month', { monthOffset: sqliteOffset(timeZone) }),
      ]);
      const n = <R extends { n: number }>(rows: R[]) => rows.map((r) => ({ ...r, n: Number(r.n) }));
      return {
        totals,
        byChannel: n(byChannel as { key: string; n: number }[]),
        byStatus: n(byStatus as { key: string; n: number }[]),
        byCategory: n(byCategory as { key: string; nameZh: string; nameEn: string; n: number }[]),
        byDistrict: n(byDistrict as { key: string; name: string; n: number }[]),
        byMonth: n(byMonth as { key: string; n: number }[]),
      };
    },
  };
}
export type DemandStats = Awaited<ReturnType<ReturnType<typeof createDemandStats>['load']>>;

export interface StatRow {
  dimension: StatDimension;
  key: string;
  label: string;
  count: number;
}

/** One row per (dimension, key): the shape of the CSV/XLSX download. Labels in the reader's language. */
export function statRows(s: DemandStats, t: Translate, locale: string): StatRow[] {
  return [
    ...TOTAL_KEYS.map((key) => ({ dimension: 'total' as const, key, label: t(TOTAL_LABELS[key]), count: s.totals[key] })),
    ...s.byChannel.map((r) => ({ dimension: 'channel' as const, key: r.key, label: t(`demands.channel.${r.key}`), count: r.n })),
    ...s.byStatus.map((r) => ({ dimension: 'status' as const, key: r.key, label: t(`demands.status.${r.key}`), count: r.n })),
    ...s.byCategory.map((r) => ({ dimension: 'category' as const, key: r.key, label: categoryName(r, locale), count: r.n })),
    ...s.byDistrict.map((r) => ({ dimension: 'district' as const, key: r.key, label: r.name, count: r.n })),
    ...s.byMonth.map((r) => ({ dimension: 'month' as const, key: r.key, label: r.key, count: r.n })),
  ];
}

export function statColumns(t: Translate): ExportColumn<StatRow>[] {
  return [
    { header: t('demands.stats.col.dimension'), width: 12, value: (r) => r.dimension },
    { header: t('demands.stats.col.key'), width: 16, value: (r) => r.key },
    { header: t('demands.stats.col.label'), width: 24, value: (r) => r.label },
    { header: t('demands.stats.col.count'), width: 10, value: (r) => r.count },
  ];
}
