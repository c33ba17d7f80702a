// TV caption cards (1920×1080) as SVG: a title card, then a card per pledge, or for notices past
// `perPledgeMax` a summary card per unit. resvg doesn't wrap text, so lines are broken here with
// the same font's metrics and kinsoku rules as the PDF; everything stays inside the title-safe area.
import { esc } from '../../charts/svg.ts';
import { measure, textPath, type FontWeight } from './font.ts';
import { wrapText } from './linebreak.ts';
import { qrMatrix, qrSvgPath } from './qr.ts';
import { colon, formatDay, headline, labeller, metaLine, numberedRows, responsibleText, statusText, summaryLine, type L } from './content.ts';
import type { NoticeDocument, NoticeGroup, NoticeRow } from './types.ts';

export const CARD_W = 1920;
export const CARD_H = 1080;
/** Title-safe area: 10% in from each side horizontally, 9% vertically (broadcast convention). */
const SAFE = { left: 192, right: CARD_W - 192, top: 100, bottom: CARD_H - 100 };
const RED = '#8a1c1c';
const INK = '#111111';
const GREY = '#555555';

export interface CardSpec {
  /** File name inside the ZIP (server-generated, never user text). */
  name: string;
  svg: string;
}

interface TextBox {
  x: number;
  y: number;
  width: number;
  size: number;
  weight?: FontWeight;
  color?: string;
  maxLines: number;
  leading?: number;
}

/** Wrapped text as SVG lines of glyph outlines; the last allowed line ends in "…" if the text is longer. */
function textBlock(text: string, box: TextBox): { svg: string; height: number } {
  const weight = box.weight ?? 'regular';
  const m = (t: string) => measure(t, box.size, weight);
  let lines = wrapText(text, box.width, m);
  if (lines.length > box.maxLines) {
    lines = lines.slice(0, box.maxLines);
    let last = lines[box.maxLines - 1]!;
    while (last && m(`${last}…`) > box.width) last = Array.from(last).slice(0, -1).join('');
    lines[box.maxLines - 1] = `${last}…`;
  }
  const lh = box.size * (box.leading ?? 1.3);
  const svg = lines.map((t, i) => line(t, box.x, box.y + box.size * 0.88 + i * lh, box.size, weight, box.color ?? INK)).join('');
  return { svg, height: lines.length * lh };
}

/** One line of text drawn as glyph outlines; aria-label and data-right say what and how far it goes. */
function line(text: string, x: number, baseline: number, size: number, weight: FontWeight, color: string): string {
  if (!text) return '';
  const right = x + measure(text, size, weight);
  return `<path aria-label="${esc(text)}" data-right="${right.toFixed(1)}" fill="${color}" d="${textPath(text, x, baseline, size, weight)}"/>`;
}

/** The largest size (of the given steps) at which the text fits in `maxLines`. */
function fittingSize(text: string, width: number, sizes: number[], maxLines: number, weight: FontWeight): number {
  for (const s of sizes) if (wrapText(text, width, (t) => measure(t, s, weight)).length <= maxLines) return s;
  return sizes[sizes.length - 1]!;
}

function frame(doc: NoticeDocument, l: L, inner: string, corner: string): string {
  const band = `${doc.outletName} · ${doc.campaignName}`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${CARD_W}" height="${CARD_H}" viewBox="0 0 ${CARD_W} ${CARD_H}">` +
    `<rect width="${CARD_W}" height="${CARD_H}" fill="#fbf8f3"/>` +
    `<rect width="${CARD_W}" height="150" fill="${RED}"/>` +
    textBlock(band, { x: SAFE.left, y: SAFE.top - 40, width: SAFE.right - SAFE.left - 420, size: 40, weight: 'bold', color: '#ffffff', maxLines: 1 }).svg +
    line(corner, SAFE.right - measure(corner, 36, 'regular'), SAFE.top - 5, 36, 'regular', '#ffffff') +
    inner +
    `<rect x="0" y="${CARD_H - 70}" width="${CARD_W}" height="70" fill="#efe7dc"/>` +
    textBlock(`${l('followAll')} ${doc.publicUrl}`, { x: SAFE.left, y: CARD_H - 58, width: SAFE.right - SAFE.left, size: 30, color: GREY, maxLines: 1 }).svg +
    '</svg>'
  );
}

function qrBlock(url: string, x: number, y: number, size: number, caption: string): string {
  const m = qrMatrix(url);
  const q = 2;
  const total = m.size + 2 * q;
  const scale = size / total;
  return (
    `<rect x="${x}" y="${y}" width="${size}" height="${size}" fill="#ffffff"/>` +
    `<path transform="translate(${x + q * scale} ${y + q * scale}) scale(${scale})" d="${qrSvgPath(m)}" fill="#000000" shape-rendering="crispEdges"/>` +
    textBlock(caption, { x, y: y + size + 12, width: size, size: 26, color: GREY, maxLines: 2 }).svg
  );
}

export function titleCard(doc: NoticeDocument, l: L): string {
  const { kicker, title } = headline(doc, l);
  const width = SAFE.right - SAFE.left;
  let y = 260;
  let inner = '';
  if (kicker) {
    const k = textBlock(kicker, { x: SAFE.left, y, width, size: 52, color: GREY, maxLines: 2 });
    inner += k.svg;
    y += k.height + 30;
  }
  const size = fittingSize(title, width, [110, 96, 84, 72], 3, 'bold');
  const t = textBlock(title, { x: SAFE.left, y, width, size, weight: 'bold', color: RED, maxLines: 3, leading: 1.2 });
  inner += t.svg;
  y += t.height + 50;
  inner += `<rect x="${SAFE.left}" y="${y - 25}" width="240" height="8" fill="${RED}"/>`;
  const meta = textBlock(metaLine(doc, l), { x: SAFE.left, y, width, size: 40, color: INK, maxLines: 3 });
  inner += meta.svg;
  y += meta.height + 30;
  if (doc.corrects) {
    const c = textBlock(`${l('correctsNotice')}${colon(doc.language)}${doc.corrects}`, { x: SAFE.left, y, width, size: 40, weight: 'bold', color: RED, maxLines: 2 });
    inner += c.svg;
    y += c.height + 30;
  }
  inner += textBlock(summaryLine(doc, l), { x: SAFE.left, y, width, size: 44, weight: 'bold', color: INK, maxLines: 1 }).svg;
  return frame(doc, l, inner, doc.publishedOnLabel || formatDay(doc.publishedOn, doc.language));
}

export function pledgeCard(doc: NoticeDocument, l: L, row: NoticeRow, n: number): string {
  const qrSize = 300;
  const textWidth = SAFE.right - SAFE.left - qrSize - 60;
  const c = colon(doc.language);
  let y = SAFE.top + 110;
  let inner = textBlock(row.leadUnitName, { x: SAFE.left, y, width: textWidth, size: 44, weight: 'bold', color: RED, maxLines: 1 }).svg;
  y += 80;
  const size = fittingSize(row.title, textWidth, [76, 66, 58, 50], 3, 'bold');
  const t = textBlock(row.title, { x: SAFE.left, y, width: textWidth, size, weight: 'bold', maxLines: 3, leading: 1.22 });
  inner += t.svg;
  y += t.height + 36;
  const fields: [string, string, number][] = [
    [l('commitment'), row.commitment, 2],
    [l('deadline'), formatDay(row.dueOn, doc.language), 1],
    [l('responsibleUnit'), responsibleText(row, doc, l), 2],
    [l('status'), statusText(row, doc, l), 1],
  ];
  for (const [label, value, maxLines] of fields) {
    if (!value || y > SAFE.bottom - 120) continue;
    const b = textBlock(`${label}${c}${value}`, { x: SAFE.left, y, width: textWidth, size: 38, color: INK, maxLines });
    inner += b.svg;
    y += b.height + 14;
  }
  // Progress bar under the QR code.
  const barX = SAFE.right - qrSize;
  const barY = SAFE.top + 110 + qrSize + 110;
  const progress = Math.max(0, Math.min(100, row.progress));
  inner += qrBlock(row.url, SAFE.right - qrSize, SAFE.top + 110, qrSize, l('scanToFollow'));
  inner += `<rect x="${barX}" y="${barY}" width="${qrSize}" height="24" rx="12" fill="#e3d6c6"/>`;
  inner += `<rect x="${barX}" y="${barY}" width="${(qrSize * progress) / 100}" height="24" rx="12" fill="${row.overdue ? '#b45309' : RED}"/>`;
  inner += line(`${l('progress')} ${Math.round(progress)}%`, barX, barY + 70, 36, 'bold', INK);
  return frame(doc, l, inner, `${l('itemNo', { n })} / ${doc.total}`);
}

/** Counts for a unit's summary card: on time = neither overdue nor completed late, not cancelled. */
export function unitStats(g: NoticeGroup): { total: number; onTime: number; overdue: number; completed: number } {
  let onTime = 0;
  let overdue = 0;
  let completed = 0;
  for (const r of g.rows) {
    if (r.overdue) overdue++;
    if (r.status === 'completed') completed++;
    if (!r.overdue && !r.completedLate && r.status !== 'cancelled') onTime++;
  }
  return { total: g.rows.length, onTime, overdue, completed };
}

/** Key items first: city-level major items, then overdue ones, then by deadline. */
function topItems(g: NoticeGroup, k: number): NoticeRow[] {
  return [...g.rows]
    .sort((a, b) => Number(b.tier === 'major') - Number(a.tier === 'major') || Number(b.overdue) - Number(a.overdue) || a.dueOn.localeCompare(b.dueOn))
    .slice(0, k);
}

export function summaryCard(doc: NoticeDocument, l: L, g: NoticeGroup, index: number): string {
  const width = SAFE.right - SAFE.left;
  const stats = unitStats(g);
  let y = SAFE.top + 100;
  let inner = textBlock(g.unitName, { x: SAFE.left, y, width, size: 72, weight: 'bold', color: RED, maxLines: 2, leading: 1.2 }).svg;
  y += fittingSizeHeight(g.unitName, width, 72) + 30;
  const tiles: [string, number, string][] = [
    [l('summaryTotal'), stats.total, INK],
    [l('summaryOnTime'), stats.onTime, '#166534'],
    [l('summaryOverdue'), stats.overdue, '#b45309'],
    [l('summaryCompleted'), stats.completed, RED],
  ];
  const tileW = (width - 3 * 30) / 4;
  tiles.forEach(([label, value, color], i) => {
    const x = SAFE.left + i * (tileW + 30);
    inner += `<rect x="${x}" y="${y}" width="${tileW}" height="170" rx="10" fill="#ffffff" stroke="#e3d6c6" stroke-width="2"/>`;
    inner += line(String(value), x + 30, y + 95, 80, 'bold', color);
    inner += textBlock(label, { x: x + 30, y: y + 112, width: tileW - 60, size: 34, color: GREY, maxLines: 1 }).svg;
  });
  y += 210;
  inner += textBlock(l('summaryTopItems'), { x: SAFE.left, y, width, size: 40, weight: 'bold', color: RED, maxLines: 1 }).svg;
  y += 62;
  const items = topItems(g, 5);
  for (const r of items) {
    if (y > SAFE.bottom - 60) break;
    const b = textBlock(`· ${r.title}`, { x: SAFE.left, y, width, size: 38, maxLines: 1 });
    inner += b.svg;
    y += b.height + 6;
  }
  if (g.rows.length > items.length && y <= SAFE.bottom - 40) {
    inner += textBlock(l('summaryMore', { n: g.rows.length - items.length }), { x: SAFE.left, y, width, size: 32, color: GREY, maxLines: 1 }).svg;
  }
  return frame(doc, l, inner, `${l('summaryCard')} ${index}/${doc.groups.length}`);
}

function fittingSizeHeight(text: string, width: number, size: number): number {
  return Math.min(2, wrapText(text, width, (t) => measure(t, size, 'bold')).length) * size * 1.2;
}

/** Every card of a notice, lazily (a big notice never holds all its SVGs at once). */
export function* cardSpecs(doc: NoticeDocument, perPledgeMax = 200): Generator<CardSpec> {
  const l = labeller(doc);
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  yield { name: '000-title.png', svg: titleCard(doc, l) };
  if (doc.total <= perPledgeMax) {
    const w = Math.max(3, String(doc.total).length);
    for (const { row, n } of numberedRows(doc)) yield { name: `${pad(n, w)}-pledge-${row.pledgeId}.png`, svg: pledgeCard(doc, l, row, n) };
  } else {
    const w = Math.max(3, String(doc.groups.length).length);
    for (let i = 0; i < doc.groups.length; i++) yield { name: `${pad(i + 1, w)}-unit-summary.png`, svg: summaryCard(doc, l, doc.groups[i]!, i + 1) };
  }
}
