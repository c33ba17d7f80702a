// The one CJK font every press output is set in: Noto Sans Hans (Noto Sans SC, OFL-1.1), shipped
// as OTF files by the npm package @embedpdf/fonts-sc, so PDFs and caption cards render the same on
// a machine with no system Chinese fonts and no browser. The path is resolved from the installed
// package (not a hard-coded node_modules path) so it survives hoisting and a build.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as fontkit from 'fontkit';

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts');

export const FONT_FILES = {
  regular: path.join(fontDir, 'NotoSansHans-Regular.otf'),
  bold: path.join(fontDir, 'NotoSansHans-Bold.otf'),
} as const;

/** The family name inside the files (what resvg matches `font-family` against). */
export const FONT_FAMILY = 'Noto Sans S Chinese';
/** The name Word and HTML ask for: the common installed names first, then ours. */
export const FONT_STACK_NAMES = ['Noto Sans SC', 'Source Han Sans SC', 'Noto Sans S Chinese', 'Microsoft YaHei', 'SimSun'];

export type FontWeight = keyof typeof FONT_FILES;

const bytes = new Map<FontWeight, Buffer>();
/** The font file's bytes, read once per process (pdfkit parses its own copy per document). */
export function fontBytes(weight: FontWeight): Buffer {
  let b = bytes.get(weight);
  if (!b) {
    b = readFileSync(FONT_FILES[weight]);
    bytes.set(weight, b);
  }
  return b;
}

interface Metrics {
  font: fontkit.Font;
  advances: Map<number, number>;
}
const metrics = new Map<FontWeight, Metrics>();

function metricsFor(weight: FontWeight): Metrics {
  let m = metrics.get(weight);
  if (!m) {
    const font = fontkit.create(fontBytes(weight)) as fontkit.Font;
    m = { font, advances: new Map() };
    metrics.set(weight, m);
  }
  return m;
}

/** Advance of one code point in em units (cached; glyph lookups are the slow part). */
function advanceEm(m: Metrics, cp: number): number {
  let a = m.advances.get(cp);
  if (a === undefined) {
    a = m.font.glyphForCodePoint(cp).advanceWidth / m.font.unitsPerEm;
    m.advances.set(cp, a);
  }
  return a;
}

/**
 * Width of a text run set in our font at `size`, from the font's own glyph advances (what pdfkit
 * and resvg use to place glyphs; kerning only ever tightens Latin pairs, so this is an upper bound).
 */
export function measure(text: string, size: number, weight: FontWeight = 'regular'): number {
  const m = metricsFor(weight);
  let em = 0;
  for (const ch of text) em += advanceEm(m, ch.codePointAt(0)!);
  return em * size;
}

export type Measure = (text: string) => number;

export function measurer(size: number, weight: FontWeight = 'regular'): Measure {
  return (text) => measure(text, size, weight);
}

const outlines = new Map<string, string>();

/**
 * A line of text as SVG path data at (x, baseline), from the font's own glyph outlines. The caption
 * cards use this instead of <text>, so resvg needs no fonts at all: loading the 17 MB of font files
 * into every render made each card slow and left hundreds of MB of native memory behind.
 */
export function textPath(text: string, x: number, baseline: number, size: number, weight: FontWeight = 'regular'): string {
  const m = metricsFor(weight);
  const scale = size / m.font.unitsPerEm;
  let pen = x;
  let d = '';
  for (const ch of text) {
    const glyph = m.font.glyphForCodePoint(ch.codePointAt(0)!);
    const key = `${weight}:${glyph.id}`;
    let outline = outlines.get(key);
    if (outline === undefined) {
      outline = glyph.path.toSVG();
      outlines.set(key, outline);
    }
    if (outline) d += glyphAt(outline, pen, baseline, scale);
    pen += advanceEm(m, ch.codePointAt(0)!) * size;
  }
  return d;
}

/** Moves and scales a glyph outline (font units, y up) to the page (y down), rounding to 0.1 px. */
function glyphAt(outline: string, x: number, y: number, scale: number): string {
  let axis = 0;
  return outline.replace(/-?\d*\.?\d+(?:e-?\d+)?/g, (num) => {
    const v = Number(num);
    const out = axis % 2 === 0 ? x + v * scale : y - v * scale;
    axis++;
    return String(Math.round(out * 10) / 10);
  });
}
