// The pledge charts of the public pages, built from src/stats/repository.ts numbers: each block
// carries its SVG, its legend and the table of its numbers (the chart's long description), all
// in the page's language. Pure functions: numbers in, strings out.
import { formatNumber, type Locale, type Translate } from '../i18n/index.ts';
import type { Figures, MonthCount, StatusCounts } from '../stats/repository.ts';
import { onTimeRate } from '../pledges/status.ts';
import { barChart, columnChart, stackedBarChart, type Tone } from './svg-charts.ts';

export interface ChartContext {
  t: Translate;
  lang: Locale;
  num: (n: number) => string;
}

export function chartContext(request: { t: Translate; locale: Locale }): ChartContext {
  return { t: request.t, lang: request.locale, num: (n) => formatNumber(n, request.locale) };
}

export interface ChartCell {
  text: string;
  href?: string;
  num?: boolean;
  /** 0..100: drawn as a small bar with the number beside it (views/partials/bar.eta). */
  share?: number;
}

export interface ChartBlock {
  id: string;
  title: string;
  /** SVG markup whose every text is escaped here: templates print it as is. */
  svg: string;
  legend: { label: string; tone: Tone }[];
  table: { caption: string; head: ChartCell[]; rows: ChartCell[][] };
  /** Nothing to draw (no published pledge in scope): the page says so instead. */
  empty: boolean;
}

const STATUS_ROWS: { key: keyof StatusCounts; label: string; tone: Tone }[] = [
  { key: 'pledged', label: 'status.pledged', tone: 'pledged' },
  { key: 'in_progress', label: 'status.in_progress', tone: 'in_progress' },
  { key: 'delayed', label: 'status.delayed', tone: 'delayed' },
  { key: 'overdue', label: 'status.overdue', tone: 'overdue' },
  { key: 'completed_on_time', label: 'status.completed_on_time', tone: 'ok' },
  { key: 'completed_late', label: 'status.completed_late', tone: 'late' },
  { key: 'cancelled', label: 'status.cancelled', tone: 'cancelled' },
];

function percent(part: number, whole: number, ctx: ChartContext): string {
  return whole > 0 ? `${ctx.num(Math.round((part * 100) / whole))}%` : '—';
}

function list(items: string[], ctx: ChartContext): string {
  return items.join(ctx.t('charts.list_separator'));
}

/** Published pledges by state, overdue counted on its own (not inside the open statuses). */
export function statusChart(id: string, counts: StatusCounts, ctx: ChartContext): ChartBlock {
  const { t, num } = ctx;
  const total = STATUS_ROWS.reduce((sum, r) => sum + counts[r.key], 0);
  const rows = STATUS_ROWS.map((r) => ({ label: t(r.label), value: counts[r.key], valueText: num(counts[r.key]), tone: r.tone }));
  const title = t('charts.status.title');
  const desc = t('charts.status.desc', { total: num(total), parts: list(rows.filter((r) => r.value > 0).map((r) => t('charts.count_item', { label: r.label, n: r.valueText })), ctx) });
  return {
    id,
    title,
    svg: barChart({ id, title, desc, rows }),
    legend: [],
    table: {
      caption: title,
      head: [{ text: t('charts.col.status') }, { text: t('charts.col.count'), num: true }, { text: t('charts.col.share'), num: true }],
      rows: [
        ...rows.map((r) => [{ text: r.label }, { text: r.valueText, num: true }, { text: percent(r.value, total, ctx), num: true }]),
        [{ text: t('charts.total') }, { text: num(total), num: true }, { text: total ? '100%' : '—', num: true }],
      ],
    },
    empty: total === 0,
  };
}

export interface CompletionRow {
  label: string;
  href?: string;
  figures: Figures;
  /** The sum of the rows folded away by foldTail (not ranked in the description). */
  folded?: boolean;
}

/**
 * The rows with the most pledges (in their own order) and one more row summing the rest, so a
 * chart stays readable and its page bounded however many districts a campaign has; the full
 * figures stay on the units table and the downloads.
 */
export function foldTail(rows: CompletionRow[], max: number, othersLabel: (count: number) => string): CompletionRow[] {
  if (rows.length <= max) return rows;
  const keep = new Set([...rows].sort((a, b) => b.figures.pledges - a.figures.pledges).slice(0, max - 1));
  const rest = rows.filter((r) => !keep.has(r));
  const sum = (key: Exclude<keyof Figures, 'onTimeRate'>) => rest.reduce((n, r) => n + r.figures[key], 0);
  const figures: Figures = {
    pledges: sum('pledges'),
    completed: sum('completed'),
    open: sum('open'),
    overdue: sum('overdue'),
    cancelled: sum('cancelled'),
    completedOnTime: sum('completedOnTime'),
    dueOrCompleted: sum('dueOrCompleted'),
    onTimeRate: onTimeRate(sum('completedOnTime'), sum('dueOrCompleted')),
  };
  return [...rows.filter((r) => keep.has(r)), { label: othersLabel(rest.length), figures, folded: true }];
}

/** Each category (or district) as one bar split into completed on time, late, open, overdue and cancelled. */
export function completionChart(id: string, o: { title: string; nameHeader: string; rows: CompletionRow[] }, ctx: ChartContext): ChartBlock {
  const { t, num } = ctx;
  const parts = (f: Figures) => [f.completedOnTime, f.completed - f.completedOnTime, f.open, f.overdue, f.cancelled];
  const tones: Tone[] = ['ok', 'late', 'open', 'overdue', 'cancelled'];
  const labels = ['status.completed_on_time', 'status.completed_late', 'home.figure.open', 'status.overdue', 'status.cancelled'].map((k) => t(k));
  const share = (f: Figures) => (f.pledges > 0 ? f.completed / f.pledges : 0);

  const ranked = o.rows.filter((r) => r.figures.pledges > 0 && !r.folded).sort((a, b) => share(b.figures) - share(a.figures));
  const desc =
    ranked.length >= 2
      ? t('charts.completion.desc', {
          n: num(o.rows.length),
          best: ranked[0].label,
          bestShare: percent(ranked[0].figures.completed, ranked[0].figures.pledges, ctx),
          worst: ranked[ranked.length - 1].label,
          worstShare: percent(ranked[ranked.length - 1].figures.completed, ranked[ranked.length - 1].figures.pledges, ctx),
        })
      : t('charts.completion.desc_one', { n: num(o.rows.length) });

  return {
    id,
    title: o.title,
    svg: stackedBarChart({
      id,
      title: o.title,
      desc,
      tones,
      rows: o.rows.map((r) => ({ label: r.label, values: parts(r.figures), note: percent(r.figures.completed, r.figures.pledges, ctx) })),
    }),
    legend: labels.map((label, k) => ({ label, tone: tones[k] })),
    table: {
      caption: o.title,
      head: [{ text: o.nameHeader }, { text: t('charts.col.pledges'), num: true }, ...labels.map((text) => ({ text, num: true })), { text: t('home.col.completion') }],
      rows: o.rows.map((r) => [
        { text: r.label, href: r.href },
        { text: num(r.figures.pledges), num: true },
        ...parts(r.figures).map((v) => ({ text: num(v), num: true })),
        { text: percent(r.figures.completed, r.figures.pledges, ctx), share: Math.round(share(r.figures) * 100) },
      ]),
    },
    empty: ranked.length === 0,
  };
}

function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/**
 * Every month from the first to the last (the campaign's months and any month with data),
 * the gaps filled with zeros; at most `max` months, keeping the latest.
 */
export function fillMonths(rows: MonthCount[], range: { from?: string; to?: string } = {}, max = 24): MonthCount[] {
  const months = rows.map((r) => r.month).filter((m) => /^\d{4}-\d{2}$/.test(m));
  if (range.from) months.push(range.from.slice(0, 7));
  if (range.to) months.push(range.to.slice(0, 7));
  if (!months.length) return [];
  months.sort();
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  const out: MonthCount[] = [];
  for (let m = months[0]; m <= months[months.length - 1]; m = addMonths(m, 1)) {
    out.push(byMonth.get(m) ?? { month: m, due: 0, completedOnTime: 0, completedLate: 0 });
  }
  return out.slice(-max);
}

const shortMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });
const longMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

export function monthLabel(month: string, lang: Locale, long = false): string {
  const [y, m] = month.split('-').map(Number);
  if (lang === 'en') return (long ? longMonth : shortMonth).format(new Date(Date.UTC(y, m - 1, 1)));
  return long ? `${y}年${m}月` : `${m}月`;
}

/** Pledges falling due each month against pledges completed that month (on time and late stacked). */
export function monthlyChart(id: string, months: MonthCount[], ctx: ChartContext): ChartBlock {
  const { t, num, lang } = ctx;
  const title = t('charts.monthly.title');
  const sum = (f: (m: MonthCount) => number) => months.reduce((a, m) => a + f(m), 0);
  const due = sum((m) => m.due);
  const onTime = sum((m) => m.completedOnTime);
  const late = sum((m) => m.completedLate);
  const desc = months.length
    ? t('charts.monthly.desc', {
        from: monthLabel(months[0].month, lang, true),
        to: monthLabel(months[months.length - 1].month, lang, true),
        due: num(due),
        done: num(onTime + late),
        late: num(late),
      })
    : t('charts.empty');
  const labels = { due: t('charts.monthly.due'), onTime: t('status.completed_on_time'), late: t('status.completed_late') };
  return {
    id,
    title,
    svg: columnChart({
      id,
      title,
      desc,
      groups: months.map((m, i) => ({
        label: monthLabel(m.month, lang),
        sublabel: i === 0 || m.month.endsWith('-01') ? m.month.slice(0, 4) : undefined,
        columns: [
          [{ value: m.due, tone: 'due' as Tone }],
          [
            { value: m.completedOnTime, tone: 'ok' as Tone },
            { value: m.completedLate, tone: 'late' as Tone },
          ],
        ],
      })),
    }),
    legend: [
      { label: labels.due, tone: 'due' },
      { label: labels.onTime, tone: 'ok' },
      { label: labels.late, tone: 'late' },
    ],
    table: {
      caption: title,
      head: [{ text: t('charts.col.month') }, { text: labels.due, num: true }, { text: labels.onTime, num: true }, { text: labels.late, num: true }],
      rows: months.map((m) => [
        { text: monthLabel(m.month, lang, true) },
        { text: num(m.due), num: true },
        { text: num(m.completedOnTime), num: true },
        { text: num(m.completedLate), num: true },
      ]),
    },
    empty: due + onTime + late === 0,
  };
}
