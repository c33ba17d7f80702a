import t from 'tap';
import home from '../../src/i18n/messages/home.ts';
import pledges from '../../src/i18n/messages/pledges.ts';
import units from '../../src/i18n/messages/units.ts';

t.test('the public pages\' messages have the same keys in Chinese and English, none empty', async (t) => {
  for (const [name, module] of Object.entries({ home, pledges, units })) {
    const zh = Object.keys(module['zh-CN']).sort();
    const en = Object.keys(module.en).sort();
    t.same(en, zh, `${name}: same keys`);
    t.ok(zh.length > 0, `${name}: has messages`);
    for (const key of zh) {
      t.ok(module['zh-CN'][key].trim() && module.en[key].trim(), `${name}: ${key} is not empty`);
      const params = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      t.same(params(module.en[key]), params(module['zh-CN'][key]), `${name}: ${key} takes the same parameters`);
    }
  }
});
