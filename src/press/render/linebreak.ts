// Line breaking for mixed Chinese/Latin text with kinsoku rules: closing punctuation never starts a
// line, opening punctuation never ends one, and numbers, dates and Latin words are never split
// (unless a single one is wider than the whole line, where overflowing would be worse). Shared by
// the PDF and the caption cards so both wrap the same way; widths come from the real font.
import type { Measure } from './font.ts';

/** May not start a line (closing brackets and quotes, sentence and clause punctuation). */
const NO_START = new Set(Array.from('，。、；：！？）》」』】〉〕］｝〗”’…‥·・%％‰℃°,.;:!?)]}>〟ー々〻'));
/** May not end a line (opening brackets and quotes). */
const NO_END = new Set(Array.from('（《「『【〈〔［｛〖“‘([{<〝'));

/** One unbreakable piece: a CJK character, a Latin word/number run, or a run of spaces. */
interface Token {
  text: string;
  space: boolean;
}

// Latin letters, digits and the joiners that keep "2026-11-26", "45%", "3.5", "No.3", URLs whole.
const WORD = /[\p{L}\p{N}._\-/:%@#&+'’=?~]/u;
const WIDE = /[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\u3000-\u303f]|[\u{20000}-\u{3ffff}]/u;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let word = '';
  const flush = () => {
    if (word) out.push({ text: word, space: false });
    word = '';
  };
  for (const ch of text) {
    if (ch === ' ' || ch === '\t' || ch === '\u00a0') {
      flush();
      const last = out[out.length - 1];
      if (last?.space) last.text += ' ';
      else out.push({ text: ' ', space: true });
    } else if (!WIDE.test(ch) && WORD.test(ch)) {
      word += ch;
    } else {
      flush();
      out.push({ text: ch, space: false });
    }
  }
  flush();
  return out;
}

function firstChar(s: string): string {
  return s.length ? String.fromCodePoint(s.codePointAt(0)!) : '';
}
function lastChar(s: string): string {
  const a = Array.from(s);
  return a[a.length - 1] ?? '';
}

/**
 * May a line break before tokens[i]? Not if the next real token (spaces skipped: they vanish at a
 * break) is closing punctuation, nor if the last real token before it is opening punctuation.
 */
function canBreakBefore(tokens: Token[], i: number): boolean {
  let j = i;
  while (j < tokens.length && tokens[j]!.space) j++;
  if (j < tokens.length && NO_START.has(firstChar(tokens[j]!.text))) return false;
  let k = i - 1;
  while (k >= 0 && tokens[k]!.space) k--;
  if (k >= 0 && NO_END.has(lastChar(tokens[k]!.text))) return false;
  return true;
}

/** Splits one over-long token into pieces that each fit (last resort, never for normal text). */
function hardSplit(text: string, width: number, measure: Measure): string[] {
  const pieces: string[] = [];
  let cur = '';
  for (const ch of text) {
    if (cur && measure(cur + ch) > width) {
      // Even here, closing punctuation takes the character before it along to the next line.
      const chars = Array.from(cur);
      let keep = chars.length;
      if (NO_START.has(ch)) {
        while (keep > 0 && NO_START.has(chars[keep - 1]!)) keep--;
        keep--;
        if (keep <= 0) keep = chars.length; // nothing to take along: cut here after all
      }
      pieces.push(chars.slice(0, keep).join(''));
      cur = chars.slice(keep).join('');
    }
    cur += ch;
  }
  if (cur) pieces.push(cur);
  return pieces;
}

/**
 * Wraps one paragraph (newlines start new paragraphs) into lines no wider than `width(lineIndex)`.
 * Greedy, and when the next token doesn't fit, backs up to the last position kinsoku allows.
 */
export function wrapText(text: string, width: number | ((line: number) => number), measure: Measure): string[] {
  const widthOf = typeof width === 'number' ? () => width : width;
  const lines: string[] = [];
  for (const para of text.replace(/\r\n?/g, '\n').split('\n')) {
    wrapParagraph(para, widthOf, measure, lines);
  }
  return lines;
}

function wrapParagraph(text: string, widthOf: (line: number) => number, measure: Measure, lines: string[]): void {
  let tokens = tokenize(text.trim());
  if (!tokens.length) {
    lines.push('');
    return;
  }
  while (tokens.length) {
    const max = widthOf(lines.length);
    // How many tokens fit on this line.
    let w = 0;
    let n = 0;
    while (n < tokens.length) {
      const tw = measure(tokens[n]!.text);
      if (w + tw > max && !(tokens[n]!.space)) break;
      w += tw;
      n++;
    }
    if (n === tokens.length) {
      lines.push(join(tokens));
      return;
    }
    // Back up to an allowed break at or before n (break before token `cut`).
    let cut = n;
    while (cut > 0 && !canBreakBefore(tokens, cut)) cut--;
    if (cut === 0) {
      // Nothing allowed fits: a token wider than the line, or a run kinsoku won't let us split
      // (e.g. an opening quote glued to a long word). Cut inside that run, kinsoku still applied
      // to the cut, rather than overflow the column.
      const glued = tokens.slice(0, n + 1).map((tk) => tk.text).join('');
      const [head, ...rest] = hardSplit(glued, max, measure);
      lines.push(head!);
      tokens = rest.length ? [{ text: rest.join(''), space: false }, ...tokens.slice(n + 1)] : tokens.slice(n + 1);
      continue;
    }
    lines.push(join(tokens.slice(0, cut)));
    tokens = tokens.slice(cut);
    while (tokens[0]?.space) tokens = tokens.slice(1);
  }
}

function join(tokens: Token[]): string {
  return tokens.map((t) => t.text).join('').trimEnd();
}

export const kinsoku = { NO_START, NO_END };
