// The interface in two languages. Each feature keeps its strings in messages/<feature>.ts
// with both languages side by side; test/i18n.test.ts checks that neither lacks a key.
import common from './messages/common.ts';
import auth from './messages/auth.ts';
import pledges from './messages/pledges.ts';
import units from './messages/units.ts';
import manage from './messages/manage.ts';
import admin from './messages/admin.ts';
import account from './messages/account.ts';
import home from './messages/home.ts';
import api from './messages/api.ts';
import feeds from './messages/feeds.ts';
import exportsMessages from './messages/exports.ts';
import embeds from './messages/embeds.ts';
import bulk from './messages/bulk.ts';
import press from './messages/press.ts';
import demands from './messages/demands.ts';
import demandsOffice from './messages/demands-office.ts';
import intake from './messages/intake.ts';
import charts from './messages/charts.ts';
import categories from './messages/categories.ts';
import about from './messages/about.ts';
import system from './messages/system.ts';
import league from './messages/league.ts';
import windows from './messages/windows.ts';
import ratings from './messages/ratings.ts';
import suggestions from './messages/suggestions.ts';
import notices from './messages/notices.ts';
import evidence from './messages/evidence.ts';
import deadlines from './messages/deadlines.ts';
import calendar from './messages/calendar.ts';

export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export type Dictionary = Record<string, string>;
export interface MessageModule {
  'zh-CN': Dictionary;
  en: Dictionary;
}

const modules: MessageModule[] = [common, auth, pledges, units, manage, admin, account, home, press, api, feeds, exportsMessages, embeds, bulk, system, charts, categories, about, demands, demandsOffice, intake, league, windows, ratings, suggestions, notices, evidence, deadlines, calendar];

export const dictionaries: Record<Locale, Dictionary> = {
  'zh-CN': Object.assign({}, ...modules.map((m) => m['zh-CN'])),
  en: Object.assign({}, ...modules.map((m) => m.en)),
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

/** The memo tables in this file hold at most this many answers each, and only for keys this short. */
const MEMO_ENTRIES = 4096;
const MEMO_KEY_MAX = 256;

/** Stores an answer; a full table starts again (what is asked for again comes back soon). */
function remember<V>(table: Map<string, V>, key: string, value: V) {
  if (table.size >= MEMO_ENTRIES) table.clear();
  table.set(key, value);
}

const PLACEHOLDER = /\{(\w+)\}/;

/**
 * A message with {placeholders} split once into text and names (even indexes text, odd indexes
 * names): filling it in is then a few concatenations, where replace() with a callback cost
 * about a microsecond a call (a league table fills in hundreds).
 */
function splitMessage(text: string): string[] {
  return text.split(PLACEHOLDER);
}

function makeTranslator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  const fallback = dictionaries['zh-CN'];
  const split = new Map<string, string[]>();
  return (key, params) => {
    const text = dict[key] ?? fallback[key] ?? key;
    if (!params || !text.includes('{')) return text;
    let parts = split.get(text);
    if (!parts) {
      parts = splitMessage(text);
      remember(split, text, parts);
    }
    let out = parts[0];
    for (let i = 1; i < parts.length; i += 2) {
      const name = parts[i];
      out += (name in params ? String(params[name]) : `{${name}}`) + parts[i + 1];
    }
    return out;
  };
}

// The dictionaries never change while the process runs: one translator per language serves
// every request, instead of a new closure per request.
const translators = new Map<Locale, Translate>();

export function translator(locale: Locale): Translate {
  let t = translators.get(locale);
  if (!t) translators.set(locale, (t = makeTranslator(locale)));
  return t;
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

const acceptLanguageSeen = new Map<string, Locale>();

/** Picks the best supported locale from an Accept-Language header; Chinese first for Chinese browsers. */
export function fromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
  // Browsers send the same few headers on every request: remember the answer for short ones.
  const known = acceptLanguageSeen.get(header);
  if (known) return known;
  const locale = parseAcceptLanguage(header);
  if (header.length <= MEMO_KEY_MAX) remember(acceptLanguageSeen, header, locale);
  return locale;
}

function parseAcceptLanguage(header: string): Locale {
  const ranked = header
    .split(',')
    .map((part) => {
      const [tag, ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((x) => x.tag)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of ranked) {
    if (tag.startsWith('zh')) return 'zh-CN';
    if (tag.startsWith('en')) return 'en';
  }
  return DEFAULT_LOCALE;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function cachedFormat(key: string, make: () => Intl.DateTimeFormat) {
  let f = dateFormats.get(key);
  if (!f) dateFormats.set(key, (f = make()));
  return f;
}

// Intl's DateTimeFormat.format() costs a microsecond or two a call and pages print the same
// dates many times (a due date per row): formatted days and instants are remembered.
const daysFormatted: Record<Locale, Map<string, string>> = { 'zh-CN': new Map(), en: new Map() };

/** A calendar day ('YYYY-MM-DD') in the page's language. */
export function formatDay(day: string | null | undefined, locale: Locale): string {
  if (!day) return '';
  const seen = daysFormatted[locale]?.get(day);
  if (seen !== undefined) return seen;
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  const f = cachedFormat(`day:${locale}`, () =>
    new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: locale === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'UTC' }),
  );
  const text = f.format(new Date(Date.UTC(y, m - 1, d)));
  if (daysFormatted[locale] && day.length <= MEMO_KEY_MAX) remember(daysFormatted[locale], day, text);
  return text;
}

const instantsFormatted = new Map<string, string>();

/** An instant in a given time zone, in the page's language. */
export function formatInstant(iso: string | null | undefined, locale: Locale, timeZone: string): string {
  if (!iso) return '';
  const key = `${locale}\u0000${timeZone}\u0000${iso}`;
  const seen = instantsFormatted.get(key);
  if (seen !== undefined) return seen;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const f = cachedFormat(`instant:${locale}:${timeZone}`, () =>
    new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      year: 'numeric',
      month: locale === 'en' ? 'short' : '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
      timeZone,
    }),
  );
  const text = f.format(date);
  if (key.length <= MEMO_KEY_MAX) remember(instantsFormatted, key, text);
  return text;
}

/** Numbers that read the same in both languages' formats as in String(): no grouping, at most three decimals. */
const PLAIN_NUMBER = /^-?\d{1,3}(?:\.\d{1,3})?$/;

export function formatNumber(n: number, locale: Locale): string {
  // Below a thousand, with at most three decimals (counts, percentages, ranks: most numbers on
  // a page), the formatted text is String(n) in zh-CN and en-GB alike, at a quarter of the cost
  // of toLocaleString (~270 ns, and the league table prints hundreds). -0 is left to
  // toLocaleString, which writes "-0". test/i18n/format.test.ts checks the two agree.
  if (typeof n === 'number' && !Object.is(n, -0)) {
    const plain = String(n);
    if (PLAIN_NUMBER.test(plain)) return plain;
  }
  // V8 keeps the NumberFormat for a locale between toLocaleString calls: measured faster than
  // formatting through a cached Intl.NumberFormat (~270 ns against ~370 ns), so it stays.
  return n.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN');
}
