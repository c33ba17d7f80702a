// The formatting helpers take shortcuts (a String() fast path for numbers, remembered dates,
// messages split once): each must give exactly what the plain Intl / replace() way gives.
import t from 'tap';
import { dictionaries, formatDay, formatInstant, formatNumber, fromAcceptLanguage, translator, type Locale } from '../../src/i18n/index.ts';

const LOCALES: [Locale, string][] = [
  ['zh-CN', 'zh-CN'],
  ['en', 'en-GB'],
];

t.test('numbers read exactly as toLocaleString writes them', async (t) => {
  const values = [0, -0, 1, -1, 7, 42, 99.5, 100, 999, 999.999, 999.9995, 1000, -1000, 1234.5, 12345678, 0.1, 0.12, 0.123, 0.1234, 0.0005, 1e-7, 1e21, -999.5, 87.5, 33.3, 66.7, NaN, Infinity, -Infinity];
  for (let i = 0; i < 2000; i++) values.push(Math.round(Math.random() * 1e6) / 1000 - 500, Math.round(Math.random() * 1000) / 10, Math.random() * 2e6 - 1e6);
  for (const [locale, tag] of LOCALES) {
    const wrong = values.filter((n) => formatNumber(n, locale) !== n.toLocaleString(tag));
    t.same(wrong, [], `${locale}: every value as toLocaleString('${tag}')`);
  }
  t.equal(formatNumber(-0, 'zh-CN'), '-0', 'negative zero keeps its sign, as toLocaleString writes it');
  t.equal(formatNumber(12345, 'en'), '12,345');
});

t.test('days and instants: the same text the first time and every time after', async (t) => {
  const days = ['2026-03-05', '2026-12-31', '2027-01-01', '2026-13-45', 'not-a-day', ''];
  const plainDay = (day: string, tag: string, month: 'short' | 'long') => {
    const [y, m, d] = day.split('-').map(Number);
    if (!y || !m || !d) return day;
    return new Intl.DateTimeFormat(tag, { year: 'numeric', month, day: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(y, m - 1, d)));
  };
  for (const [locale, tag] of LOCALES) {
    for (const day of days) {
      const expected = plainDay(day, tag, locale === 'en' ? 'short' : 'long');
      t.equal(formatDay(day, locale), expected, `${locale} ${day}`);
      t.equal(formatDay(day, locale), expected, `${locale} ${day}, remembered`);
    }
  }
  t.equal(formatDay(null, 'en'), '');
  const iso = '2026-03-05T08:09:00.000Z';
  const shanghai = formatInstant(iso, 'en', 'Asia/Shanghai');
  const london = formatInstant(iso, 'en', 'Europe/London');
  t.not(shanghai, london, 'the zone is part of what is remembered');
  t.equal(formatInstant(iso, 'en', 'Asia/Shanghai'), shanghai);
  t.equal(formatInstant(iso, 'zh-CN', 'Asia/Shanghai'), new Intl.DateTimeFormat('zh-CN', { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }).format(new Date(iso)));
  t.equal(formatInstant('yesterday', 'en', 'Asia/Shanghai'), 'yesterday', 'an unreadable instant is shown as it is');
});

t.test('messages with placeholders fill in as replace() did', async (t) => {
  const plain = (text: string, params: Record<string, string | number>) => text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
  for (const [locale] of LOCALES) {
    const tr = translator(locale);
    t.equal(translator(locale), tr, 'one translator per language');
    let checked = 0;
    for (const [key, text] of Object.entries(dictionaries[locale])) {
      const names = [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      if (!names.length) continue;
      // Every placeholder but the last given (the last left as written), twice over.
      const params: Record<string, string | number> = {};
      names.slice(0, -1).forEach((name, i) => (params[name] = i % 2 ? i : `<${name}>`));
      t.equal(tr(key, params), plain(text, params), key);
      t.equal(tr(key, params), plain(text, params), `${key}, split message remembered`);
      checked++;
    }
    t.ok(checked > 20, `${locale}: ${checked} messages with placeholders checked`);
  }
  const zh = translator('zh-CN');
  t.equal(zh('no.such.key', { a: 1 }), 'no.such.key', 'an unknown key is shown as the key');
  t.equal(zh('no.{x}.key', { x: 'y' }), 'no.y.key', 'and filled in like a message');
});

t.test('Accept-Language: the same answer for the same header, first time or not', async (t) => {
  for (let i = 0; i < 2; i++) {
    t.equal(fromAcceptLanguage('fr-FR, en;q=0.5'), 'en');
    t.equal(fromAcceptLanguage('en;q=0.5,zh-CN;q=0.9'), 'zh-CN');
    t.equal(fromAcceptLanguage('de'), 'zh-CN');
    t.equal(fromAcceptLanguage(undefined), 'zh-CN');
  }
});
