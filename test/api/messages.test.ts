import t from 'tap';
import api from '../../src/i18n/messages/api.ts';
import feeds from '../../src/i18n/messages/feeds.ts';
import exportsMessages from '../../src/i18n/messages/exports.ts';
import embeds from '../../src/i18n/messages/embeds.ts';
import bulk from '../../src/i18n/messages/bulk.ts';

t.test('the open-data messages have the same keys and parameters in Chinese and English, none empty', async (t) => {
  const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
  for (const [name, module] of Object.entries({ api, feeds, exports: exportsMessages, embeds, bulk })) {
    const zh = Object.keys(module['zh-CN']).sort();
    t.same(Object.keys(module.en).sort(), zh, `${name}: same keys`);
    for (const key of zh) {
      t.ok(module['zh-CN'][key].trim() && module.en[key].trim(), `${name}: ${key} is not empty`);
      t.same(params(module.en[key]), params(module['zh-CN'][key]), `${name}: ${key} takes the same parameters`);
    }
  }
});

t.test('bulk sheet headings are distinct in each language, so an upload is read unambiguously', async (t) => {
  for (const lang of ['zh-CN', 'en'] as const) {
    const headings = Object.entries(bulk[lang]).filter(([k]) => k.startsWith('bulk.col.')).map(([, v]) => v.replace(/\s+/g, '').toLowerCase());
    t.equal(new Set(headings).size, headings.length, lang);
  }
});
