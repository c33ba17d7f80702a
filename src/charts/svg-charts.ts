// Chart shapes as SVG strings: horizontal bars, 100 % stacked bars and grouped columns.
// Colours come from classes (tone-*) in public/app.css: the CSP forbids inline styles, and a
// stylesheet lets print and high-contrast modes restyle them. Every chart is role="img" named
// by its <title> and described by its <desc>; the numbers are also printed in a table beside it.
//
// The markup is kept short because a page carries several charts (the home page four or five):
// the bars of one tone are the sub-paths of one <path>, and texts that share their class and
// anchor sit in one <g> that carries them (fill, font-size and text-anchor are inherited).
// Each piece is pushed onto one array and joined once: a flat string, not thousands of
// concatenations for the page to flatten later.
import { axisTicks, esc, fitText, r1, textWidth } from './svg.ts';

export const TONES = ['pledged', 'in_progress', 'delayed', 'overdue', 'ok', 'late', 'cancelled', 'open', 'due', 'neutral'] as const;
export type Tone = (typeof TONES)[number];

/** Tones drawn with diagonal stripes as well as colour, so they stay apart in greyscale. */
const HATCHED: ReadonlySet<Tone> = new Set(['overdue', 'late']);

export interface ChartText {
  /** Unique on the page: the ids of <title>, <desc> and patterns start with it. */
  id: string;
  title: string;
  /** The text alternative: what the chart shows, in a sentence or two. */
  desc: string;
}

const WIDTH = 360;
const FONT = 14;

/** The opening of a chart: its size, name, description and (when a hatched tone is drawn) the stripes. */
function open(out: string[], o: ChartText, height: number, extraClass: string, hatched: boolean): void {
  const id = esc(o.id);
  const h = r1(height);
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${extraClass}" viewBox="0 0 ${WIDTH} ${h}" width="${WIDTH}" height="${h}" role="img" aria-labelledby="${id}-title ${id}-desc" font-size="${FONT}">`,
    `<title id="${id}-title">${esc(o.title)}</title><desc id="${id}-desc">${esc(o.desc)}</desc>`,
  );
  if (hatched) out.push(`<defs><pattern id="${id}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>`);
}

/** One rectangle as a closed sub-path (x, y, width, height already written as coordinates). */
function box(x: string, y: string, w: string, h: string): string {
  return `M${x} ${y}h${w}v${h}h-${w}z`;
}

/**
 * Bars collected per tone and drawn as one path a tone, the tones in series order (declared
 * with `use` before any bar is added), each hatched tone's stripes right after it: within a row
 * or a column the shapes are painted in the same order as one element per bar would be, so
 * even the anti-aliased seams between neighbouring parts come out the same.
 */
class TonePaths {
  private readonly byTone = new Map<Tone, string[]>();

  /** Gives a tone its place in the drawing order (a later `use` of it changes nothing). */
  use(tone: Tone): void {
    if (!this.byTone.has(tone)) this.byTone.set(tone, []);
  }

  add(tone: Tone, part: string): void {
    const parts = this.byTone.get(tone);
    if (parts) parts.push(part);
    else this.byTone.set(tone, [part]);
  }

  get hatched(): boolean {
    for (const [tone, parts] of this.byTone) if (parts.length && HATCHED.has(tone)) return true;
    return false;
  }

  write(out: string[], o: ChartText): void {
    for (const [tone, parts] of this.byTone) {
      if (!parts.length) continue;
      const d = parts.join('');
      out.push(`<path class="tone-${tone}" d="${d}"/>`);
      if (HATCHED.has(tone)) out.push(`<path class="hatch" fill="url(#${esc(o.id)}-hatch)" d="${d}"/>`);
    }
  }
}

/** Texts sharing class and anchor, in one group that carries both. */
function textGroup(out: string[], cls: string, anchor: 'start' | 'middle' | 'end', texts: string[], fontSize?: number): void {
  if (!texts.length) return;
  out.push(`<g class="${cls}" text-anchor="${anchor}"${fontSize ? ` font-size="${fontSize}"` : ''}>`, texts.join(''), '</g>');
}

function text(x: number, y: number, s: string): string {
  return `<text x="${r1(x)}" y="${r1(y)}">${esc(s)}</text>`;
}

function widest(labels: string[], font = FONT): number {
  let max = 0;
  for (const l of labels) max = Math.max(max, textWidth(l, font));
  return max;
}

export interface BarRow {
  label: string;
  value: number;
  /** The number as the page's language writes it. */
  valueText: string;
  tone: Tone;
}

/** One horizontal bar a row, labelled on the left, its number on the right (status breakdown, satisfaction). */
export function barChart(o: ChartText & { rows: BarRow[] }): string {
  const rowH = 26;
  const barH = 14;
  const labelW = Math.min(widest(o.rows.map((r) => r.label)) + 10, WIDTH * 0.46);
  const valueW = widest(o.rows.map((r) => r.valueText)) * 1.1 + 10;
  const plotW = WIDTH - labelW - valueW;
  let max = 1;
  for (const r of o.rows) max = Math.max(max, r.value);
  const height = o.rows.length * rowH + 6;
  const x = r1(labelW);
  const trackW = r1(plotW);
  const tracks: string[] = [];
  const bars = new TonePaths();
  const labels: string[] = [];
  const values: string[] = [];
  for (let i = 0; i < o.rows.length; i++) {
    const row = o.rows[i];
    const mid = 3 + i * rowH + rowH / 2;
    const y = r1(mid - barH / 2);
    const w = row.value > 0 ? Math.max(2, (row.value / max) * plotW) : 0;
    labels.push(text(labelW - 8, mid + 4.5, fitText(row.label, labelW - 10, FONT)));
    tracks.push(box(x, y, trackW, String(barH)));
    if (w > 0) bars.add(row.tone, box(x, y, r1(w), String(barH)));
    values.push(text(labelW + w + 6, mid + 4.5, row.valueText));
  }
  const out: string[] = [];
  open(out, o, height, 'chart-bars', bars.hatched);
  if (tracks.length) out.push(`<path class="track" d="${tracks.join('')}"/>`);
  bars.write(out, o);
  textGroup(out, 'chart-text', 'end', labels);
  textGroup(out, 'chart-text chart-value', 'start', values);
  out.push('</svg>');
  return out.join('');
}

export interface StackedRow {
  label: string;
  /** One value a series, in the series' order. */
  values: number[];
  /** Printed at the row's end, e.g. the share completed. */
  note: string;
}

/** Each row a full-width bar split into its parts in proportion (completion by category or district). */
export function stackedBarChart(o: ChartText & { tones: Tone[]; rows: StackedRow[] }): string {
  const rowH = 26;
  const barH = 16;
  const labelW = Math.min(widest(o.rows.map((r) => r.label)) + 10, WIDTH * 0.4);
  // Notes are bold and right-aligned: leave room for the heavier digits and a clear gap.
  const noteW = widest(o.rows.map((r) => r.note)) * 1.1 + 14;
  const plotW = WIDTH - labelW - noteW;
  const height = o.rows.length * rowH + 6;
  const x0 = r1(labelW);
  const trackW = r1(plotW);
  const h = String(barH);
  const tracks: string[] = [];
  const bars = new TonePaths();
  let series = 0;
  for (const row of o.rows) series = Math.max(series, row.values.length);
  for (let k = 0; k < series; k++) bars.use(o.tones[k] ?? 'neutral');
  const labels: string[] = [];
  const notes: string[] = [];
  for (let i = 0; i < o.rows.length; i++) {
    const row = o.rows[i];
    const mid = 3 + i * rowH + rowH / 2;
    const y = r1(mid - barH / 2);
    let total = 0;
    for (const v of row.values) total += v;
    labels.push(text(labelW - 8, mid + 4.5, fitText(row.label, labelW - 10, FONT)));
    tracks.push(box(x0, y, trackW, h));
    let x = labelW;
    if (total > 0) {
      for (let k = 0; k < row.values.length; k++) {
        const w = (row.values[k] / total) * plotW;
        if (w > 0) bars.add(o.tones[k] ?? 'neutral', box(r1(x), y, r1(w), h));
        x += w;
      }
    }
    notes.push(text(WIDTH - 2, mid + 4.5, row.note));
  }
  const out: string[] = [];
  open(out, o, height, 'chart-stacked', bars.hatched);
  if (tracks.length) out.push(`<path class="track" d="${tracks.join('')}"/>`);
  bars.write(out, o);
  textGroup(out, 'chart-text', 'end', labels);
  textGroup(out, 'chart-text chart-value', 'end', notes);
  out.push('</svg>');
  return out.join('');
}

export interface ColumnGroup {
  /** Under the group, e.g. a month. */
  label: string;
  /** A second line under some groups, e.g. the year at January. */
  sublabel?: string;
  /** Side by side; each column's parts stack from the bottom. */
  columns: { value: number; tone: Tone }[][];
}

/** Groups of columns along a value axis (pledges due against pledges completed, per month). */
export function columnChart(o: ChartText & { groups: ColumnGroup[] }): string {
  const height = 230;
  const top = 10;
  const bottom = 40;
  const plotH = height - top - bottom;
  let highest = 1;
  let perGroup = 1;
  let widestLabel = 0;
  for (const g of o.groups) {
    perGroup = Math.max(perGroup, g.columns.length);
    widestLabel = Math.max(widestLabel, textWidth(g.label, 12));
    for (const c of g.columns) {
      let sum = 0;
      for (const p of c) sum += p.value;
      highest = Math.max(highest, sum);
    }
  }
  const ticks = axisTicks(highest);
  const max = ticks[ticks.length - 1];
  const axisW = widest(ticks.map(String), 12) + 8;
  const plotX = axisW;
  const plotW = WIDTH - plotX - 2;
  const n = Math.max(1, o.groups.length);
  const slot = plotW / n;
  const colW = Math.min(14, (slot * 0.8) / perGroup);
  const colWidth = r1(Math.max(0, colW - 1));
  // Label every k-th group when labels would collide.
  const labelEvery = Math.max(1, Math.ceil((widestLabel + 4) / slot));
  const left = r1(plotX);
  const right = String(WIDTH - 2);

  const grid: string[] = [];
  const tickTexts: string[] = [];
  for (const t of ticks) {
    const y = top + plotH - (t / max) * plotH;
    grid.push(`M${left} ${r1(y)}H${right}`);
    tickTexts.push(text(plotX - 5, y + 4, String(t)));
  }
  const bars = new TonePaths();
  for (const g of o.groups) for (const c of g.columns) for (const p of c) bars.use(p.tone);
  const groupTexts: string[] = [];
  const labelY = top + plotH + 15;
  const sublabelY = top + plotH + 30;
  for (let i = 0; i < o.groups.length; i++) {
    const g = o.groups[i];
    const center = plotX + slot * i + slot / 2;
    const startX = center - (colW * g.columns.length) / 2;
    for (let k = 0; k < g.columns.length; k++) {
      let base = 0;
      const x = r1(startX + k * colW);
      for (const p of g.columns[k]) {
        if (p.value > 0) {
          const yBase = top + plotH - (base / max) * plotH;
          const y = top + plotH - ((base + p.value) / max) * plotH;
          bars.add(p.tone, box(x, r1(y), colWidth, r1(Math.max(0, yBase - y))));
        }
        base += p.value;
      }
    }
    if (i % labelEvery === 0) groupTexts.push(text(center, labelY, g.label));
    if (g.sublabel) groupTexts.push(text(center, sublabelY, g.sublabel));
  }
  const out: string[] = [];
  open(out, o, height, 'chart-columns', bars.hatched);
  out.push(`<path class="grid" d="${grid.join('')}"/>`);
  textGroup(out, 'chart-text chart-axis', 'end', tickTexts, 12);
  bars.write(out, o);
  textGroup(out, 'chart-text chart-axis', 'middle', groupTexts, 12);
  out.push(`<path class="axis" d="M${left} ${r1(top + plotH)}H${right}"/>`);
  out.push('</svg>');
  return out.join('');
}
