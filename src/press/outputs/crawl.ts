// The TV crawl (滚动字幕): plain UTF-8 text, one item per line, each line at most `width` columns
// (a CJK character counts two). Lines break only at safe points: between CJK characters, at
// spaces, never inside a number, a date or a Latin word, never before closing punctuation or
// after opening punctuation. An item longer than a line continues on the next line. Only a single
// unbreakable piece wider than a whole line (a pasted URL, say) is cut, because nothing else can fit.
import type { NoticeDocument, NoticeRow } from '../render/types.ts';
import { displayWidth, graphemes, graphemeWidth, type WidthOptions } from './width.ts';
import { EN_MONTHS, noticeDay } from './dates.ts';

export const DEFAULT_CRAWL_WIDTH = 60;
export const MIN_CRAWL_WIDTH = 20;
export const MAX_CRAWL_WIDTH = 200;

const MONTHS = EN_MONTHS.join('|');
// Order matters: whole dates first, then runs of Latin letters and digits (numbers with their
// separators and a trailing %, words with inner apostrophes and hyphens), then spaces.
const TOKEN = new RegExp(
  [
    String.raw`\d{4}年\d{1,2}月(?:\d{1,2}日)?`,
    String.raw`\d{1,2}月\d{1,2}日`,
    String.raw`\d{4}-\d{1,2}-\d{1,2}`,
    String.raw`\d{1,2} (?:${MONTHS}) \d{4}`,
    String.raw`(?:${MONTHS}) \d{1,2}, \d{4}`,
    String.raw`[+\-−]?[\p{Script=Latin}\d]+(?:[,.:'’\-/&_][\p{Script=Latin}\d]+)*%?`,
    String.raw`\s+`,
  ].join('|'),
  'uy',
);

/** No line may start with these: they stay with what comes before. */
const CLOSING = new Set([...'，。、；：？！）》」』】〕〗〙〛”’…—·,.;:?!)]}%％', '……']);
/** No line may end with these: they stay with what comes after. */
const OPENING = new Set([...'（《「『【〔〖〘〚“‘([{']);

interface Token {
  text: string;
  width: number;
  space: boolean;
}

/** Splits text into pieces that must stay together on one line. */
export function unbreakables(text: string, opts: WidthOptions = {}): Token[] {
  const raw: Token[] = [];
  let i = 0;
  while (i < text.length) {
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (m && m[0].length > 0) {
      raw.push({ text: m[0], width: displayWidth(m[0], opts), space: /^\s+$/u.test(m[0]) });
      i += m[0].length;
      continue;
    }
    // One grapheme (a CJK character, a punctuation mark, an emoji with its modifiers).
    const g = graphemes(text.slice(i, i + 8))[0];
    raw.push({ text: g, width: graphemeWidth(g, opts), space: false });
    i += g.length;
  }
  const out: Token[] = [];
  let glueNext = false;
  for (const tok of raw) {
    const prev = out[out.length - 1];
    if (tok.space) {
      glueNext = false;
      out.push(tok);
    } else if (prev && !prev.space && (glueNext || CLOSING.has(tok.text))) {
      prev.text += tok.text;
      prev.width += tok.width;
      glueNext = OPENING.has(tok.text);
    } else {
      out.push({ ...tok });
      glueNext = OPENING.has(tok.text);
    }
  }
  return out;
}

/** Cuts a piece wider than a whole line into line-sized parts (only ever needed for a single giant word). */
function hardSplit(tok: Token, width: number, opts: WidthOptions): Token[] {
  const parts: Token[] = [];
  let cur = '';
  let w = 0;
  for (const g of graphemes(tok.text)) {
    const gw = graphemeWidth(g, opts);
    if (w + gw > width && cur) {
      parts.push({ text: cur, width: w, space: false });
      cur = '';
      w = 0;
    }
    cur += g;
    w += gw;
  }
  if (cur) parts.push({ text: cur, width: w, space: false });
  return parts;
}

/** Wraps one item into lines of at most `width` columns. */
export function wrapItem(text: string, width: number, opts: WidthOptions = {}): string[] {
  const clean = text.replace(/[\r\n\t\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim();
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  let pendingSpace = false;
  const flush = () => {
    if (line) lines.push(line);
    line = '';
    lineWidth = 0;
  };
  for (const tok of unbreakables(clean, opts)) {
    if (tok.space) {
      pendingSpace = line !== '';
      continue;
    }
    const pieces = tok.width > width ? hardSplit(tok, width, opts) : [tok];
    for (const piece of pieces) {
      const gap = pendingSpace ? 1 : 0;
      if (line && lineWidth + gap + piece.width > width) flush();
      if (line && gap) {
        line += ' ';
        lineWidth += 1;
      }
      line += piece.text;
      lineWidth += piece.width;
      pendingSpace = false;
    }
  }
  flush();
  return lines;
}

/** The crawl's wording of one pledge: unit, title, deadline, status. */
export function crawlItem(doc: Pick<NoticeDocument, 'language' | 'labels'>, row: NoticeRow): string {
  const due = noticeDay(row.dueOn, doc.language);
  const deadline = doc.labels.deadline ?? '';
  if (doc.language === 'en') return `${row.leadUnitName}: ${row.title} (${deadline} ${due}; ${row.statusLabel})`;
  return `【${row.leadUnitName}】${row.title}（${deadline}：${due}，${row.statusLabel}）`;
}

export interface CrawlOptions {
  width?: number;
}

/** The crawl file: a heading line, then every pledge of the notice in print order. */
export function renderCrawl(doc: NoticeDocument, opts: CrawlOptions = {}): string {
  const width = Math.min(MAX_CRAWL_WIDTH, Math.max(MIN_CRAWL_WIDTH, Math.floor(opts.width ?? DEFAULT_CRAWL_WIDTH)));
  const widthOpts: WidthOptions = { ambiguousAsWide: true };
  const sep = doc.language === 'en' ? ' · ' : '　';
  const heading = [doc.outletName, doc.title, doc.noticeNo, doc.publishedOnLabel].filter(Boolean).join(sep);
  const lines = [...wrapItem(heading, width, widthOpts)];
  if (doc.corrects) lines.push(...wrapItem(doc.corrects, width, widthOpts));
  for (const group of doc.groups) for (const row of group.rows) lines.push(...wrapItem(crawlItem(doc, row), width, widthOpts));
  return lines.join('\n') + '\n';
}
