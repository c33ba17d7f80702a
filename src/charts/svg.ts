// Small helpers for the server-rendered SVG charts: escaping, a text-width estimate (no font
// metrics on the server), round axis steps and short coordinates.

const ESCAPED: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const NEEDS_ESCAPE = /[&<>"']/;
const ESCAPABLE = /[&<>"']/g;
const escapeChar = (c: string) => ESCAPED[c];

/** Escapes text for SVG/HTML content and double-quoted attribute values. */
export function esc(value: unknown): string {
  const s = String(value);
  // Most labels and numbers hold nothing to escape: a test is cheaper than a replace.
  return NEEDS_ESCAPE.test(s) ? s.replace(ESCAPABLE, escapeChar) : s;
}

/** Wide (CJK, full-width) characters take about one em; others about 0.56 em on average. */
function isWide(code: number): boolean {
  return (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || code >= 0x20000;
}

/** Width in em of one character (a code point). */
function charEm(ch: string): number {
  return isWide(ch.codePointAt(0) ?? 0) ? 1 : 0.56;
}

export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += charEm(ch);
  return em * fontSize;
}

/** Cuts a label to fit a width, ending it with an ellipsis; the full text goes in the chart's table. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  // Widths summed as the label grows (the same sums as measuring each prefix anew).
  const ellipsis = charEm('…');
  let em = 0;
  let out = '';
  for (const ch of text) {
    const next = em + charEm(ch);
    if ((next + ellipsis) * fontSize > maxWidth) break;
    em = next;
    out += ch;
  }
  return out + '…';
}

/** A round upper bound for an axis (1, 2, 5 × 10ⁿ steps) and its tick values, 0 included. */
export function axisTicks(max: number, maxTicks = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const rough = max / maxTicks;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const stepInt = Math.max(1, Math.round(step));
  const ticks: number[] = [];
  for (let v = 0; v < max + stepInt; v += stepInt) ticks.push(v);
  return ticks;
}

const TENTHS = ['', '.1', '.2', '.3', '.4', '.5', '.6', '.7', '.8', '.9'];

/**
 * Rounds to one decimal place for coordinates, so the markup stays short. Written from whole
 * tenths: String() of a fraction costs about five times as much, and a chart prints hundreds.
 */
export function r1(n: number): string {
  const tenths = Math.round(n * 10);
  if (!(tenths >= 0)) return String(tenths / 10);
  const whole = Math.floor(tenths / 10);
  return whole + TENTHS[tenths - whole * 10];
}
