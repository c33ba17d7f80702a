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

const modules: MessageModule[] = [common, auth, pledges, units, manage, admin, account, home, press, api, feeds, exportsMessages, embeds, bulk, system, charts, categories, about, demands, intake, league, windows, ratings, suggestions, notices, evidence, deadlines, calendar];

export const dictionaries: Record<Locale, Dictionary> = {
  'zh-CN': Object.assign({}, ...modules.map((m) => m['zh-CN'])),
  en: Object.assign({}, ...modules.map((m) => m.en)),
};

export type Translate = (key: string, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const dict = dictionaries[locale];
  return (key, params) => {
    const text = dict[key] ?? dictionaries['zh-CN'][key] ?? key;
    if (!params) return text;
    return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  };
}

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** Picks the best supported locale from an Accept-Language header; Chinese first for Chinese browsers. */
export function fromAcceptLanguage(header: string | undefined): Locale {
  if (!header) return DEFAULT_LOCALE;
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

/** A calendar day ('YYYY-MM-DD') in the page's language. */
export function formatDay(day: string | null | undefined, locale: Locale): string {
  if (!day) return '';
  const [y, m, d] = day.split('-').map(Number);
  if (!y || !m || !d) return day;
  const f = cachedFormat(`day:${locale}`, () =>
    new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', { year: 'numeric', month: locale === 'en' ? 'short' : 'long', day: 'numeric', timeZone: 'UTC' }),
  );
  return f.format(new Date(Date.UTC(y, m - 1, d)));
}

/** An instant in a given time zone, in the page's language. */
export function formatInstant(iso: string | null | undefined, locale: Locale, timeZone: string): string {
  if (!iso) return '';
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
  return f.format(date);
}

export function formatNumber(n: number, locale: Locale): string {
  return n.toLocaleString(locale === 'en' ? 'en-GB' : 'zh-CN');
}
