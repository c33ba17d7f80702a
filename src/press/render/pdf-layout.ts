// Page geometry and pledge blocks for the newspaper PDF. A block is a list of positioned lines
// (already wrapped with the real font metrics) plus its QR code; the flow in pdf.ts only decides
// where blocks go and where they may split. Kept free of pdfkit so it can be tested on its own.
import { measure, type FontWeight } from './font.ts';
import { wrapText } from './linebreak.ts';
import { colon, rowFields, type L } from './content.ts';
import type { NoticeDocument, NoticeRow } from './types.ts';

const MM = 72 / 25.4;

export type PdfOptions = { layout: 'a4' } | { layout: 'half'; columns: 2 | 3 | 4 };

export interface Geometry {
  width: number;
  height: number;
  margin: { top: number; bottom: number; left: number; right: number };
  columns: number;
  gutter: number;
  size: {
    headline: number;
    kicker: number;
    meta: number;
    group: number;
    title: number;
    body: number;
    caption: number;
    footer: number;
  };
  /** Line height as a multiple of the font size. */
  leading: number;
  qr: number;
  blockGap: number;
}

/**
 * A4 portrait in one column, for offices and the web; or a newspaper half-page. The half-page is
 * 350 × 245 mm landscape, the type area of a horizontal half of a 对开 (broadsheet) page, set in
 * 2–4 columns with body text at newspaper size.
 */
export function geometry(opts: PdfOptions): Geometry {
  if (opts.layout === 'a4') {
    return {
      width: 595.28,
      height: 841.89,
      margin: { top: 15 * MM, bottom: 17 * MM, left: 16 * MM, right: 16 * MM },
      columns: 1,
      gutter: 0,
      size: { headline: 20, kicker: 12, meta: 9, group: 12.5, title: 10.5, body: 9, caption: 5.5, footer: 7.5 },
      leading: 1.5,
      qr: 50,
      blockGap: 9,
    };
  }
  const narrow = opts.columns >= 4;
  return {
    width: 350 * MM,
    height: 245 * MM,
    margin: { top: 10 * MM, bottom: 12 * MM, left: 10 * MM, right: 10 * MM },
    columns: opts.columns,
    gutter: 5 * MM,
    size: { headline: 22, kicker: 11, meta: 8, group: narrow ? 9.5 : 10.5, title: narrow ? 8.5 : 9, body: narrow ? 7.5 : 8, caption: 5, footer: 7 },
    leading: 1.42,
    qr: narrow ? 40 : 44,
    blockGap: 7,
  };
}

export function columnWidth(g: Geometry): number {
  return (g.width - g.margin.left - g.margin.right - g.gutter * (g.columns - 1)) / g.columns;
}

export interface Run {
  dx: number;
  text: string;
  weight: FontWeight;
  size: number;
  color: string;
}

export interface Line {
  /** Top of the line box, relative to the block's top. */
  dy: number;
  height: number;
  runs: Run[];
  /** The block may be split after this line (keeps title and QR with the first lines). */
  breakAfter: boolean;
}

export interface Block {
  lines: Line[];
  height: number;
  /** QR target and its box relative to the block (only in the block's first part). */
  qr: { url: string; dx: number; size: number; caption: string[] } | null;
}

const INK = '#111111';
const LABEL = '#8a1c1c';

/** The lines of one labelled paragraph: a bold label, then the value wrapping under it. */
function labelled(
  labelText: string,
  value: string,
  size: number,
  lh: number,
  top: number,
  widthAt: (y: number) => number,
  weight: FontWeight = 'regular',
): Line[] {
  const labelWidth = labelText ? measure(labelText, size, 'bold') : 0;
  const wrapped = wrapText(value, (i) => widthAt(top + i * lh) - (i === 0 ? labelWidth : 0), (t) => measure(t, size, weight));
  return wrapped.map((text, i) => {
    const runs: Run[] = [];
    if (i === 0 && labelText) runs.push({ dx: 0, text: labelText, weight: 'bold', size, color: LABEL });
    if (text) runs.push({ dx: i === 0 ? labelWidth : 0, text, weight, size, color: INK });
    return { dy: top + i * lh, height: lh, runs, breakAfter: false };
  });
}

/** Builds a pledge's block for a column `width` wide: title, labelled fields, QR at the top right. */
export function pledgeBlock(row: NoticeRow, n: number, doc: NoticeDocument, l: L, g: Geometry, width: number): Block {
  const qrGap = 6;
  const caption = wrapText(l('scanToFollow'), g.qr, (t) => measure(t, g.size.caption));
  const qrZone = g.qr + caption.length * g.size.caption * 1.25 + 2;
  // Lines beside the QR are narrower; below it they use the column's full width.
  const widthAt = (y: number) => (y < qrZone ? width - g.qr - qrGap : width);
  const lines: Line[] = [];
  let y = 0;
  const titleLh = g.size.title * g.leading;
  const number = doc.language === 'zh-CN' ? `${n}．` : `${n}. `;
  for (const line of labelled(number, row.title, g.size.title, titleLh, y, widthAt, 'bold')) {
    line.runs = line.runs.map((r) => ({ ...r, color: INK }));
    lines.push(line);
  }
  y += lines.length * titleLh + 1;
  const bodyLh = g.size.body * g.leading;
  const c = colon(doc.language);
  for (const f of rowFields(row, doc, l)) {
    const ls = labelled(`${f.label}${c}`, f.value, g.size.body, bodyLh, y, widthAt);
    lines.push(...ls);
    y += ls.length * bodyLh;
  }
  const titleLines = lines.findIndex((ln) => ln.runs.some((r) => r.weight === 'regular'));
  lines.forEach((ln, i) => {
    // Split only once the QR is complete, after the title and at least one field line, and
    // carrying at least two lines over (a lone last line in the next column reads as an orphan).
    ln.breakAfter = ln.dy + ln.height >= qrZone && i >= Math.max(titleLines, 1) && i < lines.length - 2;
  });
  return { lines, height: Math.max(y, qrZone), qr: { url: row.url, dx: width - g.qr, size: g.qr, caption } };
}

/** The masthead lines across the full width of the first page. */
export function mastheadLines(
  parts: { kicker: string; title: string; meta: string; corrects: string | null; summary: string },
  g: Geometry,
  width: number,
): Line[] {
  const lines: Line[] = [];
  let y = 0;
  const add = (text: string, size: number, weight: FontWeight, color: string, lh: number) => {
    for (const t of wrapText(text, width, (s) => measure(s, size, weight))) {
      lines.push({ dy: y, height: lh, runs: [{ dx: (width - measure(t, size, weight)) / 2, text: t, weight, size, color }], breakAfter: false });
      y += lh;
    }
  };
  if (parts.kicker) add(parts.kicker, g.size.kicker, 'regular', '#333333', g.size.kicker * 1.5);
  add(parts.title, g.size.headline, 'bold', LABEL, g.size.headline * 1.35);
  y += 3;
  add(parts.meta, g.size.meta, 'regular', '#333333', g.size.meta * 1.6);
  if (parts.corrects) add(parts.corrects, g.size.meta, 'bold', LABEL, g.size.meta * 1.6);
  add(parts.summary, g.size.meta, 'regular', '#333333', g.size.meta * 1.6);
  return lines;
}

export function linesHeight(lines: Line[]): number {
  const last = lines[lines.length - 1];
  return last ? last.dy + last.height : 0;
}
