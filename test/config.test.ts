import t from 'tap';
import { loadConfig } from '../src/config.ts';

t.test('defaults follow the contract', async (t) => {
  const c = loadConfig({});
  t.equal(c.port, 3000);
  t.equal(c.host, '127.0.0.1');
  t.match(c.databaseFile, /data\/pledges\.db$/);
  t.equal(c.demoData, true, 'demo on outside production');
  t.equal(c.timeZone, 'Asia/Shanghai');
  t.equal(c.uploadLimitMb, 20);
  t.equal(c.minRatings, 10);
  t.equal(c.backupKeep, 14);
  t.equal(c.trustProxy, false);
  t.equal(c.publicUrl, 'http://127.0.0.1:3000');
});

t.test('production requires SESSION_SECRET and PUBLIC_URL and turns demo off', async (t) => {
  t.throws(() => loadConfig({ NODE_ENV: 'production' }), { name: 'ConfigError' });
  try {
    loadConfig({ NODE_ENV: 'production' });
  } catch (err) {
    t.match((err as Error).message, 'SESSION_SECRET');
    t.match((err as Error).message, 'PUBLIC_URL');
  }
  const c = loadConfig({ NODE_ENV: 'production', SESSION_SECRET: 'x'.repeat(40), PUBLIC_URL: 'https://pledges.example.gov.cn/' });
  t.equal(c.demoData, false);
  t.equal(c.publicUrl, 'https://pledges.example.gov.cn', 'trailing slash trimmed');
});

t.test('bad values are named clearly', async (t) => {
  for (const [key, value, words] of [
    ['PORT', 'abc', 'PORT'],
    ['DEMO_DATA', 'maybe', 'DEMO_DATA'],
    ['DEMO_PASSWORD', 'short', 'at least 12'],
    ['TZ_DEFAULT', 'Mars/Olympus', 'IANA'],
    ['PUBLIC_URL', 'not a url', 'PUBLIC_URL'],
  ] as const) {
    t.throws(() => loadConfig({ [key]: value }), { message: new RegExp(words) }, `${key}=${value}`);
  }
});

t.test('DEMO_DATA accepts 1/0 and true/false; TRUST_PROXY accepts hops and lists', async (t) => {
  t.equal(loadConfig({ DEMO_DATA: '0' }).demoData, false);
  t.equal(loadConfig({ DEMO_DATA: 'true' }).demoData, true);
  t.equal(loadConfig({ TRUST_PROXY: '1' }).trustProxy, true);
  t.equal(loadConfig({ TRUST_PROXY: '2' }).trustProxy, 2);
  t.equal(loadConfig({ TRUST_PROXY: '10.0.0.1,10.0.0.2' }).trustProxy, '10.0.0.1,10.0.0.2');
});

t.test('form helpers: required only when missing, too long says so', async (t) => {
  const { z } = await import('zod');
  const { requiredText, parseForm } = await import('../src/validation.ts');
  const schema = z.object({ title: requiredText(5) }).strict();
  const missing = parseForm(schema, {});
  t.equal(!missing.ok && missing.errors.title.key, 'validation.required');
  const empty = parseForm(schema, { title: '   ' });
  t.equal(!empty.ok && empty.errors.title.key, 'validation.required');
  const long = parseForm(schema, { title: '123456' });
  t.same(!long.ok && long.errors.title, { key: 'validation.too_long', params: { max: 5 } });
  const extra = parseForm(schema, { title: 'ok', sneaky: '1' });
  t.equal(!extra.ok && extra.errors._form.key, 'validation.unknown_field');
});
