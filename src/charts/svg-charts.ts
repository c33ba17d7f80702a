// Chart shapes as SVG strings: horizontal bars, 100 % stacked bars and grouped columns.
// Colours come from classes (tone-*) in public/app.css: the CSP forbids inline styles, and a
// stylesheet lets print and high-contrast modes restyle them. Every chart is role="img" named
// by its <title> and described by its <desc>; the numbers are also printed in a table beside it.
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

function open(o: ChartText, height: number, extraClass: string): string {
  const id = esc(o.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart ${extraClass}" viewBox="0 0 ${WIDTH} ${r1(height)}" width="${WIDTH}" height="${r1(height)}" role="img" aria-labelledby="${id}-title ${id}-desc" font-size="${FONT}">` +
    `<title id="${id}-title">${esc(o.title)}</title><desc id="${id}-desc">${esc(o.desc)}</desc>` +
    `<defs><pattern id="${id}-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><line x1="0" y1="0" x2="0" y2="6" class="hatch-line"/></pattern></defs>`
  );
}

function rect(o: ChartText, tone: Tone, x: number, y: number, w: number, h: number): string {
  const box = `x="${r1(x)}" y="${r1(y)}" width="${r1(Math.max(0, w))}" height="${r1(Math.max(0, h))}"`;
  const solid = `<rect class="tone-${tone}" ${box}/>`;
  return HATCHED.has(tone) && w > 0 && h > 0 ? `${solid}<rect class="hatch" fill="url(#${esc(o.id)}-hatch)" ${box}/>` : solid;
}

function text(x: number, y: number, s: string, anchor: 'start' | 'middle' | 'end' = 'start', cls = 'chart-text'): string {
  return `<text class="${cls}" x="${r1(x)}" y="${r1(y)}" text-anchor="${anchor}">${esc(s)}</text>`;
}

const widest = (labels: string[], font = FONT) => Math.max(0, ...labels.map((l) => textWidth(l, font)));

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
  const max = Math.max(1, ...o.rows.map((r) => r.value));
  const height = o.rows.length * rowH + 6;
  let body = '';
  o.rows.forEach((row, i) => {
    const mid = 3 + i * rowH + rowH / 2;
    const w = row.value > 0 ? Math.max(2, (row.value / max) * plotW) : 0;
    body += text(labelW - 8, mid + 4.5, fitText(row.label, labelW - 10, FONT), 'end');
    body += `<rect class="track" x="${r1(labelW)}" y="${r1(mid - barH / 2)}" width="${r1(plotW)}" height="${barH}"/>`;
    body += rect(o, row.tone, labelW, mid - barH / 2, w, barH);
    body += text(labelW + w + 6, mid + 4.5, row.valueText, 'start', 'chart-text chart-value');
  });
  return open(o, height, 'chart-bars') + body + '</svg>';
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
  let body = '';
  o.rows.forEach((row, i) => {
    const mid = 3 + i * rowH + rowH / 2;
    const y = mid - barH / 2;
    const total = row.values.reduce((a, b) => a + b, 0);
    body += text(labelW - 8, mid + 4.5, fitText(row.label, labelW - 10, FONT), 'end');
    body += `<rect class="track" x="${r1(labelW)}" y="${r1(y)}" width="${r1(plotW)}" height="${barH}"/>`;
    let x = labelW;
    if (total > 0) {
      row.values.forEach((v, k) => {
        const w = (v / total) * plotW;
        if (w > 0) body += rect(o, o.tones[k] ?? 'neutral', x, y, w, barH);
        x += w;
      });
    }
    body += text(WIDTH - 2, mid + 4.5, row.note, 'end', 'chart-text chart-value');
  });
  return open(o, height, 'chart-stacked') + body + '</svg>';
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
  const totals = o.groups.flatMap((g) => g.columns.map((c) => c.reduce((a, p) => a + p.value, 0)));
  const ticks = axisTicks(Math.max(1, ...totals));
  const max = ticks[ticks.length - 1];
  const axisW = widest(ticks.map(String), 12) + 8;
  const plotX = axisW;
  const plotW = WIDTH - plotX - 2;
  const n = Math.max(1, o.groups.length);
  const slot = plotW / n;
  const perGroup = Math.max(1, ...o.groups.map((g) => g.columns.length));
  const colW = Math.min(14, (slot * 0.8) / perGroup);
  // Label every k-th group when labels would collide.
  const labelEvery = Math.max(1, Math.ceil((widest(o.groups.map((g) => g.label), 12) + 4) / slot));
  const yOf = (v: number) => top + plotH - (v / max) * plotH;

  let body = '';
  for (const t of ticks) {
    const y = yOf(t);
    body += `<line class="grid" x1="${r1(plotX)}" y1="${r1(y)}" x2="${WIDTH - 2}" y2="${r1(y)}"/>`;
    body += `<text class="chart-text chart-axis" x="${r1(plotX - 5)}" y="${r1(y + 4)}" text-anchor="end" font-size="12">${t}</text>`;
  }
  o.groups.forEach((g, i) => {
    const center = plotX + slot * i + slot / 2;
    const startX = center - (colW * g.columns.length) / 2;
    g.columns.forEach((parts, k) => {
      let base = 0;
      for (const p of parts) {
        if (p.value > 0) body += rect(o, p.tone, startX + k * colW, yOf(base + p.value), colW - 1, yOf(base) - yOf(base + p.value));
        base += p.value;
      }
    });
    if (i % labelEvery === 0) body += `<text class="chart-text chart-axis" x="${r1(center)}" y="${r1(top + plotH + 15)}" text-anchor="middle" font-size="12">${esc(g.label)}</text>`;
    if (g.sublabel) body += `<text class="chart-text chart-axis" x="${r1(center)}" y="${r1(top + plotH + 30)}" text-anchor="middle" font-size="12">${esc(g.sublabel)}</text>`;
  });
  body += `<line class="axis" x1="${r1(plotX)}" y1="${r1(top + plotH)}" x2="${WIDTH - 2}" y2="${r1(top + plotH)}"/>`;
  return open(o, height, 'chart-columns') + body + '</svg>';
}
