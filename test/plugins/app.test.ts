import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { build, tempDir } from '../helpers.ts';
import { addressKey } from '../../src/app.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { ensureSessionSecret } from '../../src/plugins/secret.ts';

t.test('security headers: strict CSP with no inline script, no framing, nosniff', async (t) => {
  const app = await build(t);
  const res = await app.inject('/login');
  const csp = String(res.headers['content-security-policy']);
  t.match(csp, "default-src 'self'");
  t.match(csp, "script-src 'self'");
  t.notMatch(csp, 'unsafe-inline');
  t.match(csp, "frame-ancestors 'none'");
  t.equal(res.headers['x-content-type-options'], 'nosniff');
  t.notMatch(res.body, /<script>(?!<\/script>)/, 'no inline script in the page');
});

t.test('unknown pages get a 404 page in the visitor language', async (t) => {
  const app = await build(t);
  const zh = await app.inject('/no-such-page');
  t.equal(zh.statusCode, 404);
  t.match(zh.body, '未找到页面');
  const en = await app.inject({ url: '/no-such-page', headers: { 'accept-language': 'en-US,en;q=0.8' } });
  t.match(en.body, 'Page not found');
});

t.test('language: ?lang wins and is remembered in a cookie, then the cookie, then Accept-Language', async (t) => {
  const app = await build(t);
  const chosen = await app.inject({ url: '/login?lang=en', headers: { 'accept-language': 'zh-CN' } });
  t.match(chosen.body, '<html lang="en">');
  const langCookie = chosen.cookies.find((c) => c.name === 'lang');
  t.equal(langCookie?.value, 'en');
  const remembered = await app.inject({ url: '/login', headers: { cookie: 'lang=en', 'accept-language': 'zh-CN' } });
  t.match(remembered.body, '<html lang="en">');
  const header = await app.inject({ url: '/login', headers: { 'accept-language': 'fr-FR, en;q=0.5' } });
  t.match(header.body, '<html lang="en">');
  const chinese = await app.inject({ url: '/login', headers: { 'accept-language': 'zh-TW,zh;q=0.9,en;q=0.5' } });
  t.match(chinese.body, '<html lang="zh-CN">');
  const bogus = await app.inject({ url: '/login?lang=xx' });
  t.equal(bogus.statusCode, 200, 'an unknown language is ignored, not an error');
});

t.test('a malformed form body is a 400 page, not a 500', async (t) => {
  const app = await build(t);
  const res = await app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/json' }, payload: '{"broken' });
  t.ok(res.statusCode >= 400 && res.statusCode < 500, `status ${res.statusCode}`);
});

t.test('IPv6 addresses are grouped by /64 for rate limits; IPv4 stays whole', async (t) => {
  t.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  t.equal(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee'), '2001:db8:1:2::/64');
  t.equal(addressKey('2001:db8::1'), '2001:db8:0:0::/64');
  t.equal(addressKey('::ffff:203.0.113.9'), '203.0.113.9');
  t.equal(addressKey('203.0.113.9'), '203.0.113.9');
});

t.test('migrations run from empty, and a second open changes nothing', async (t) => {
  const dir = tempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'x.db');
  const first = openDatabase(file);
  const schema = () => first.$client.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all();
  const before = JSON.stringify(schema());
  const applied = first.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number };
  t.ok(applied.n >= 2, 'migrations recorded');
  t.equal(first.$client.pragma('synchronous', { simple: true }), 2, 'synchronous = FULL');
  t.equal(first.$client.pragma('foreign_keys', { simple: true }), 1);
  first.$client.close();
  const second = openDatabase(file);
  t.equal(JSON.stringify(second.$client.prepare("SELECT type, name, sql FROM sqlite_master ORDER BY name").all()), before, 'same schema');
  t.same(second.$client.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get(), applied, 'nothing re-applied');
  second.$client.close();
});

t.test('the development session secret is generated once and kept beside the database', async (t) => {
  const dir = tempDir();
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, 'pledges.db');
  const a = ensureSessionSecret(file);
  const b = ensureSessionSecret(file);
  t.equal(a, b);
  t.ok(a.length >= 32);
  t.equal(fs.statSync(path.join(dir, '.session-secret')).mode & 0o077, 0, 'not readable by others');
});
