// Small helpers for the server-rendered SVG charts: escaping, a text-width estimate (no font
// metrics on the server) and round axis steps.

/** Escapes text for SVG/HTML content and double-quoted attribute values. */
export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Wide (CJK, full-width) characters take about one em; others about 0.56 em on average. */
function isWide(ch: string): boolean {
  const code = ch.codePointAt(0) ?? 0;
  return (code >= 0x2e80 && code <= 0xa4cf) || (code >= 0xac00 && code <= 0xd7a3) || (code >= 0xf900 && code <= 0xfaff) || (code >= 0xfe30 && code <= 0xfe4f) || (code >= 0xff00 && code <= 0xff60) || code >= 0x20000;
}

export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += isWide(ch) ? 1 : 0.56;
  return em * fontSize;
}

/** Cuts a label to fit a width, ending it with an ellipsis; the full text goes in the chart's table. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  const chars = Array.from(text);
  let out = '';
  for (const ch of chars) {
    if (textWidth(out + ch + '…', fontSize) > maxWidth) break;
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

/** Rounds to one decimal place for coordinates, so the markup stays short. */
export function r1(n: number): string {
  return String(Math.round(n * 10) / 10);
}
