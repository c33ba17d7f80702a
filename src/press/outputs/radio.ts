// The radio script: written to be read aloud. Numbers, dates and percentages are spelled out in
// words, one pledge per paragraph, with the estimated reading time at the desk's rate and, when the
// desk sets a target length, which items fit it (the rest are marked, not dropped).
import type { NoticeDocument, NoticeRow } from '../render/types.ts';
import { EN_MONTHS, noticeDay, type NoticeLanguage } from './dates.ts';
import { enDecimal, zhDecimal, zhDigits, zhInteger } from './numbers.ts';
import { outputWord } from './words.ts';

export const DEFAULT_ZH_RATE = 240;
export const DEFAULT_EN_RATE = 150;

const NUMBER = String.raw`\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?`;
const MONTHS = EN_MONTHS.join('|');

/** Chinese text with every number, date and percentage in words. */
export function speakZh(text: string): string {
  const day = (y: string | undefined, m: string, d: string | undefined) =>
    `${y ? `${zhDigits(y)}年` : ''}${zhInteger(Number(m))}月${d ? `${zhInteger(Number(d))}日` : ''}`;
  return text
    .replace(/(\d{4})-(\d{1,2})-(\d{1,2})/g, (_, y, m, d) => day(y, m, d))
    .replace(/(\d{4})年(\d{1,2})月(?:(\d{1,2})日)?/g, (_, y, m, d) => day(y, m, d))
    .replace(/(\d{1,2})月(\d{1,2})日/g, (_, m, d) => day(undefined, m, d))
    .replace(/(\d{4})年/g, (_, y) => `${zhDigits(y)}年`)
    .replace(new RegExp(`(${NUMBER})\\s*[%％]`, 'g'), (_, n) => `百分之${zhDecimal(n)}`)
    .replace(new RegExp(NUMBER, 'g'), (n) => zhDecimal(n));
}

/** English text with numbers and percentages in words; dates read as "26 November 2026". */
export function speakEn(text: string): string {
  const kept: string[] = [];
  // Dates are said the way they are written out; keep them out of the number pass.
  // Placeholders are private-use characters, not digits, so the number pass cannot touch them.
  const hold = (s: string) => String.fromCharCode(0xe000 + kept.push(s) - 1);
  const out = text
    .replace(/(\d{4})-(\d{1,2})-(\d{1,2})/g, (_, y, m, d) => hold(noticeDay(`${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`, 'en')))
    .replace(new RegExp(`\\d{1,2} (?:${MONTHS}) \\d{4}|(?:${MONTHS}) \\d{1,2}, \\d{4}`, 'g'), (s) => hold(s))
    .replace(new RegExp(`(${NUMBER})\\s*%`, 'g'), (_, n) => `${enDecimal(n)} percent`)
    .replace(new RegExp(NUMBER, 'g'), (n) => enDecimal(n));
  return out.replace(/[\ue000-\uf8ff]/g, (c) => kept[c.charCodeAt(0) - 0xe000] ?? c);
}

export function speak(text: string, language: NoticeLanguage): string {
  return language === 'en' ? speakEn(text) : speakZh(text);
}

/** Seconds to read a text aloud: Chinese by characters (letters and digits), English by words. */
export function readingSeconds(text: string, language: NoticeLanguage, rate?: number): number {
  if (language === 'en') {
    const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'’\-]*/gu)?.length ?? 0;
    return (words * 60) / (rate ?? DEFAULT_EN_RATE);
  }
  const chars = text.match(/[\p{L}\p{N}]/gu)?.length ?? 0;
  return (chars * 60) / (rate ?? DEFAULT_ZH_RATE);
}

function sentence(text: string, language: NoticeLanguage): string {
  const t = text.replace(/\s+/g, ' ').trim();
  if (!t) return '';
  if (/[。！？.!?]$/.test(t)) return t;
  return t + (language === 'en' ? '.' : '。');
}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
}

/** One pledge as a paragraph, still with digits (spoken afterwards). */
export function radioParagraph(doc: Pick<NoticeDocument, 'language' | 'labels'>, row: NoticeRow, n: number): string {
  const L = doc.labels;
  const lang = doc.language;
  const colon = lang === 'en' ? ': ' : '：';
  const parts = [
    sentence(fill(L.itemNo ?? '{n}', { n }), lang),
    sentence(`${row.leadUnitName}${colon}${row.title}`, lang),
    row.commitment && row.commitment !== row.title ? sentence(`${L.commitment}${colon}${row.commitment}`, lang) : '',
    row.standard ? sentence(`${L.standard}${colon}${row.standard}`, lang) : '',
    sentence(`${L.deadline}${colon}${noticeDay(row.dueOn, lang)}`, lang),
    sentence(`${L.status}${colon}${row.statusLabel}${lang === 'en' ? ', ' : '，'}${L.progress} ${row.progress}%`, lang),
  ];
  return parts.filter(Boolean).join(lang === 'en' ? ' ' : '');
}

export interface RadioOptions {
  /** Characters (Chinese) or words (English) a minute. */
  rate?: number;
  /** The length the desk wants, in minutes; items past it are marked as not fitting. */
  targetMinutes?: number;
}

export interface RadioScript {
  text: string;
  totalSeconds: number;
  items: { pledgeId: number; seconds: number; fits: boolean }[];
}

function duration(seconds: number, language: NoticeLanguage): string {
  const s = Math.round(seconds);
  const m = Math.floor(s / 60);
  return m ? outputWord(language, 'minutesSeconds', { m, s: s % 60 }) : outputWord(language, 'seconds', { s });
}

export function renderRadio(doc: NoticeDocument, opts: RadioOptions = {}): RadioScript {
  const lang = doc.language;
  const rate = opts.rate ?? (lang === 'en' ? DEFAULT_EN_RATE : DEFAULT_ZH_RATE);
  const intro = speak(outputWord(lang, 'intro', { campaign: doc.campaignName, n: doc.total }), lang);
  const heading = speak([doc.title, doc.noticeNo, doc.publishedOnLabel].filter(Boolean).join(lang === 'en' ? ', ' : '，'), lang);
  const corrects = doc.corrects ? speak(sentence(doc.corrects, lang), lang) : '';
  let elapsed = readingSeconds(heading, lang, rate) + readingSeconds(intro, lang, rate) + readingSeconds(corrects, lang, rate);
  const target = opts.targetMinutes && opts.targetMinutes > 0 ? opts.targetMinutes * 60 : Infinity;
  const items: RadioScript['items'] = [];
  const fitting: string[] = [];
  const over: string[] = [];
  let n = 0;
  for (const group of doc.groups) {
    for (const row of group.rows) {
      const paragraph = speak(radioParagraph(doc, row, ++n), lang);
      const seconds = readingSeconds(paragraph, lang, rate);
      // Items fit in print order; once one does not, none after it is read (the order is the notice's).
      const fits = over.length === 0 && elapsed + seconds <= target;
      if (fits) elapsed += seconds;
      items.push({ pledgeId: row.pledgeId, seconds, fits });
      (fits ? fitting : over).push(paragraph);
    }
  }
  const totalSeconds = items.reduce((sum, i) => sum + i.seconds, 0) + readingSeconds(heading + intro + corrects, lang, rate);
  const notes = [outputWord(lang, 'readingTime', { time: duration(totalSeconds, lang), rate })];
  if (Number.isFinite(target)) {
    notes.push(
      over.length
        ? outputWord(lang, 'target', { minutes: opts.targetMinutes!, fit: fitting.length, over: over.length })
        : outputWord(lang, 'targetAll', { minutes: opts.targetMinutes!, fit: fitting.length }),
    );
  }
  const blocks = [`${outputWord(lang, 'radioNote')}${notes.join(' ')}`, heading, ...(corrects ? [corrects] : []), intro, ...fitting];
  if (over.length) blocks.push(outputWord(lang, 'overTarget', { n: over.length }), ...over);
  return { text: blocks.join('\n\n') + '\n', totalSeconds, items };
}
