import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { dictionaries } from '../../src/i18n/index.ts';

t.test('Chinese and English have exactly the same keys, none empty', async (t) => {
  const zh = Object.keys(dictionaries['zh-CN']).sort();
  const en = Object.keys(dictionaries.en).sort();
  t.same(zh.filter((k) => !en.includes(k)), [], 'keys missing in English');
  t.same(en.filter((k) => !zh.includes(k)), [], 'keys missing in Chinese');
  for (const k of zh) {
    t.ok(dictionaries['zh-CN'][k].trim(), `zh-CN ${k} not empty`);
    t.ok(dictionaries.en[k].trim(), `en ${k} not empty`);
  }
});

t.test('every key the templates ask for exists', async (t) => {
  const viewsDir = path.resolve(import.meta.dirname, '../../views');
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.eta')) files.push(p);
    }
  };
  walk(viewsDir);
  const missing: string[] = [];
  for (const file of files) {
    for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\('([a-z0-9_.]+)'\s*[,)]/g)) {
      if (!(m[1] in dictionaries['zh-CN'])) missing.push(`${path.relative(viewsDir, file)}: ${m[1]}`);
    }
  }
  t.same(missing, []);
});
