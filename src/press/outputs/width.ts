// How many terminal/character-generator columns a piece of text takes. A CJK or full-width
// character takes two, combining marks and zero-width characters none, and "ambiguous" characters
// (curly quotes, middle dots, …) take two in a Chinese context, where CJK fonts draw them wide —
// counting them wide can only make a line shorter than it has to be, never longer.
import { eastAsianWidth } from 'get-east-asian-width';

export interface WidthOptions {
  /** Count East Asian "ambiguous" characters as two columns (default true). */
  ambiguousAsWide?: boolean;
}

const ZERO_WIDTH = /^(?:\p{Mn}|\p{Me}|\p{Cf}|[\u200B-\u200F\u2028-\u202E\u2060-\u2064\uFE00-\uFE0F\uFEFF])$/u;
const CONTROL = /^\p{Cc}$/u;

export function codePointWidth(cp: number, opts: WidthOptions = {}): number {
  const ch = String.fromCodePoint(cp);
  if (CONTROL.test(ch) || ZERO_WIDTH.test(ch)) return 0;
  // Emoji presentation characters are drawn wide by every modern font.
  if (/^\p{Extended_Pictographic}$/u.test(ch) && cp > 0x2000) return 2;
  return eastAsianWidth(cp, { ambiguousAsWide: opts.ambiguousAsWide ?? true });
}

/** Columns a grapheme cluster takes: the widest of its code points (a base plus marks, or an emoji sequence). */
export function graphemeWidth(g: string, opts: WidthOptions = {}): number {
  let w = 0;
  for (const ch of g) w = Math.max(w, codePointWidth(ch.codePointAt(0)!, opts));
  return w;
}

const segmenter = new Intl.Segmenter('zh', { granularity: 'grapheme' });

export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

export function displayWidth(text: string, opts: WidthOptions = {}): number {
  let w = 0;
  for (const g of graphemes(text)) w += graphemeWidth(g, opts);
  return w;
}
