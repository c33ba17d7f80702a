// The pledge charts of the public pages, built from src/stats/repository.ts numbers: each block
// carries its SVG, its legend and the table of its numbers (the chart's long description), all
// in the page's language. Pure functions: numbers in, strings out.
import { formatNumber, translator, type Locale, type Translate } from '../i18n/index.ts';
import type { Figures, MonthCount, StatusCounts } from '../stats/repository.ts';
import { onTimeRate } from '../pledges/status.ts';
import { barChart, columnChart, stackedBarChart, type StackedRow, type Tone } from './svg-charts.ts';

export interface ChartContext {
  t: Translate;
  lang: Locale;
  num: (n: number) => string;
}

/** One context per language for the shared translators (what every request carries), made once. */
const contexts = new Map<Locale, ChartContext>();

export function chartContext(request: { t: Translate; locale: Locale }): ChartContext {
  const kept = contexts.get(request.locale);
  if (kept && kept.t === request.t) return kept;
  const made = contextFor(request.t, request.locale);
  if (request.t === translator(request.locale)) contexts.set(request.locale, made);
  return made;
}

/** Formatted numbers kept per context; a full table starts again. */
const NUMBERS_KEPT = 4096;

function contextFor(t: Translate, lang: Locale): ChartContext {
  // Charts print the same counts on every view of a page: each count's text is made once
  // (formatNumber's regex test and String(), or toLocaleString above a thousand, cost more
  // than a lookup). -0 is left out: a Map takes it for 0, which formats differently.
  const seen = new Map<number, string>();
  const num = (n: number) => {
    let text = seen.get(n);
    if (text === undefined || Object.is(n, -0)) {
      text = formatNumber(n, lang);
      if (seen.size >= NUMBERS_KEPT) seen.clear();
      if (!Object.is(n, -0)) seen.set(n, text);
    }
    return text;
  };
  return { t, lang, num };
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

/** What foldRows leaves: the rows kept, in their own order, and the sum of the others (null when none was folded). */
export interface FoldedRows<R> {
  kept: R[];
  rest: { count: number; figures: Figures } | null;
}

/**
 * The rows with the most pledges (in their own order) and the sum of the rest, so a chart
 * stays readable and its page bounded however many districts a campaign has; the full figures
 * stay on the units table and the downloads. Needs no language: the home page folds once per
 * data version and names the summed row per request.
 */
export function foldRows<R extends { figures: Figures }>(rows: R[], max: number): FoldedRows<R> {
  if (rows.length <= max) return { kept: rows, rest: null };
  const keep = new Set([...rows].sort((a, b) => b.figures.pledges - a.figures.pledges).slice(0, max - 1));
  const kept: R[] = [];
  const sum = { pledges: 0, completed: 0, open: 0, overdue: 0, cancelled: 0, completedOnTime: 0, dueOrCompleted: 0 };
  for (const r of rows) {
    if (keep.has(r)) {
      kept.push(r);
      continue;
    }
    const f = r.figures;
    sum.pledges += f.pledges;
    sum.completed += f.completed;
    sum.open += f.open;
    sum.overdue += f.overdue;
    sum.cancelled += f.cancelled;
    sum.completedOnTime += f.completedOnTime;
    sum.dueOrCompleted += f.dueOrCompleted;
  }
  return { kept, rest: { count: rows.length - kept.length, figures: { ...sum, onTimeRate: onTimeRate(sum.completedOnTime, sum.dueOrCompleted) } } };
}

/** foldRows with the summed row appended as a chart row named by othersLabel. */
export function foldTail(rows: CompletionRow[], max: number, othersLabel: (count: number) => string): CompletionRow[] {
  const { kept, rest } = foldRows(rows, max);
  return rest ? [...kept, { label: othersLabel(rest.count), figures: rest.figures, folded: true }] : kept;
}

const COMPLETION_TONES: Tone[] = ['ok', 'late', 'open', 'overdue', 'cancelled'];
const COMPLETION_LABELS = ['status.completed_on_time', 'status.completed_late', 'home.figure.open', 'status.overdue', 'status.cancelled'];

/** A row's parts in COMPLETION_TONES order: completed on time, late, open, overdue, cancelled. */
function completionParts(f: Figures): number[] {
  return [f.completedOnTime, f.completed - f.completedOnTime, f.open, f.overdue, f.cancelled];
}

const completedShare = (f: Figures) => (f.pledges > 0 ? f.completed / f.pledges : 0);

/** Each category (or district) as one bar split into completed on time, late, open, overdue and cancelled. */
export function completionChart(id: string, o: { title: string; nameHeader: string; rows: CompletionRow[] }, ctx: ChartContext): ChartBlock {
  const { t, num } = ctx;
  const tones = COMPLETION_TONES;
  const labels = COMPLETION_LABELS.map((k) => t(k));

  let best: CompletionRow | undefined;
  let worst: CompletionRow | undefined;
  let ranked = 0;
  for (const r of o.rows) {
    if (r.figures.pledges <= 0 || r.folded) continue;
    ranked++;
    // The first of equal shares stays best and the last becomes worst, as a stable sort would order them.
    if (!best || completedShare(r.figures) > completedShare(best.figures)) best = r;
    if (!worst || completedShare(r.figures) <= completedShare(worst.figures)) worst = r;
  }
  const desc =
    ranked >= 2 && best && worst
      ? t('charts.completion.desc', {
          n: num(o.rows.length),
          best: best.label,
          bestShare: percent(best.figures.completed, best.figures.pledges, ctx),
          worst: worst.label,
          worstShare: percent(worst.figures.completed, worst.figures.pledges, ctx),
        })
      : t('charts.completion.desc_one', { n: num(o.rows.length) });

  const bars: StackedRow[] = [];
  const tableRows: ChartCell[][] = [];
  for (const r of o.rows) {
    const f = r.figures;
    const parts = completionParts(f);
    const note = percent(f.completed, f.pledges, ctx);
    bars.push({ label: r.label, values: parts, note });
    tableRows.push([
      { text: r.label, href: r.href },
      { text: num(f.pledges), num: true },
      { text: num(parts[0]), num: true },
      { text: num(parts[1]), num: true },
      { text: num(parts[2]), num: true },
      { text: num(parts[3]), num: true },
      { text: num(parts[4]), num: true },
      { text: note, share: Math.round(completedShare(f) * 100) },
    ]);
  }

  return {
    id,
    title: o.title,
    svg: stackedBarChart({ id, title: o.title, desc, tones, rows: bars }),
    legend: labels.map((label, k) => ({ label, tone: tones[k] })),
    table: {
      caption: o.title,
      head: [{ text: o.nameHeader }, { text: t('charts.col.pledges'), num: true }, ...labels.map((text) => ({ text, num: true })), { text: t('home.col.completion') }],
      rows: tableRows,
    },
    empty: ranked === 0,
  };
}

const MONTH = /^\d{4}-\d{2}$/;

/** 'YYYY-MM' of a year and a month counted from 0 (12 is January of the next year). */
function monthKey(year: number, month0: number): string {
  const y = year + Math.floor(month0 / 12);
  const m = (month0 % 12 + 12) % 12 + 1;
  return `${y}-${m < 10 ? '0' : ''}${m}`;
}

/**
 * Every month from the first to the last (the campaign's months and any month with data),
 * the gaps filled with zeros; at most `max` months, keeping the latest.
 */
export function fillMonths(rows: MonthCount[], range: { from?: string; to?: string } = {}, max = 24): MonthCount[] {
  const months = rows.map((r) => r.month).filter((m) => MONTH.test(m));
  if (range.from) months.push(range.from.slice(0, 7));
  if (range.to) months.push(range.to.slice(0, 7));
  if (!months.length) return [];
  months.sort();
  const byMonth = new Map(rows.map((r) => [r.month, r]));
  const first = months[0];
  const last = months[months.length - 1];
  const year = Number(first.slice(0, 4));
  const out: MonthCount[] = [];
  for (let i = Number(first.slice(5, 7)) - 1, m = first; m <= last; m = monthKey(year, ++i)) {
    out.push(byMonth.get(m) ?? { month: m, due: 0, completedOnTime: 0, completedLate: 0 });
  }
  return out.slice(-max);
}

const shortMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', timeZone: 'UTC' });
const longMonth = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

// A chart labels the same few dozen months on every page: each label is made once.
const monthLabels: Record<Locale, [Map<string, string>, Map<string, string>]> = { 'zh-CN': [new Map(), new Map()], en: [new Map(), new Map()] };
/** Enough for every month of a long campaign in both forms; months outside a chart's range are not kept. */
const MONTH_LABELS_KEPT = 600;

export function monthLabel(month: string, lang: Locale, long = false): string {
  const kept = monthLabels[lang]?.[long ? 1 : 0];
  const known = kept?.get(month);
  if (known !== undefined) return known;
  const [y, m] = month.split('-').map(Number);
  const label = lang === 'en' ? (long ? longMonth : shortMonth).format(new Date(Date.UTC(y, m - 1, 1))) : long ? `${y}年${m}月` : `${m}月`;
  if (kept && MONTH.test(month) && kept.size < MONTH_LABELS_KEPT) kept.set(month, label);
  return label;
}

/** Pledges falling due each month against pledges completed that month (on time and late stacked). */
export function monthlyChart(id: string, months: MonthCount[], ctx: ChartContext): ChartBlock {
  const { t, num, lang } = ctx;
  const title = t('charts.monthly.title');
  let due = 0;
  let onTime = 0;
  let late = 0;
  for (const m of months) {
    due += m.due;
    onTime += m.completedOnTime;
    late += m.completedLate;
  }
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
