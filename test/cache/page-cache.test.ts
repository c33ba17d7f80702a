// The public page cache: hits serve the same bytes, validators and compression work, nothing
// personal is cached, and no read after a write (here or from another process) is stale.
import { test } from 'tap';
import zlib from 'node:zlib';
import Database from 'better-sqlite3';
import { build, login, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { createDataVersion } from '../../src/cache/data-version.ts';

test('an anonymous page is rendered once, then served from the cache with the same bytes', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '缓存测试承诺' });
  const first = await app.inject({ url: `/pledges/${id}` });
  t.equal(first.statusCode, 200);
  t.equal(first.headers['x-page-cache'], 'miss');
  t.match(first.headers['cache-control'], /^public, max-age=\d+$/);
  t.ok(first.headers.etag, 'a miss carries a validator too');
  const second = await app.inject({ url: `/pledges/${id}` });
  t.equal(second.headers['x-page-cache'], 'hit');
  t.equal(second.body, first.body);
  t.equal(second.headers.etag, first.headers.etag);
  t.equal(second.headers['content-type'], first.headers['content-type']);
  t.equal(second.headers['content-language'], first.headers['content-language']);
  t.match(second.headers.vary, /Accept-Language/);
  t.ok(second.headers['content-security-policy'], 'security headers still go out on a hit');
});

test('a stored page keeps its bytes while later pages reuse the bytes lent to it', async (t) => {
  // Pages are rendered into bytes lent until the response is sent (src/plugins/page-bytes.ts);
  // the store must keep a copy, or the next page of a similar size would overwrite it.
  const app = await build(t);
  const fx = await seed(app);
  const ids = [makePledge(app, fx, { title: '第一项缓存承诺' }), makePledge(app, fx, { title: '第二项缓存承诺' })];
  const first = await app.inject({ url: `/pledges/${ids[0]}` });
  t.equal(first.headers['x-page-cache'], 'miss');
  for (let i = 0; i < 3; i++) {
    await app.inject({ url: `/pledges/${ids[1]}`, headers: { 'accept-language': 'en' } });
    await app.inject({ url: `/pledges/${ids[1]}?n=${i}` });
  }
  const again = await app.inject({ url: `/pledges/${ids[0]}` });
  t.equal(again.headers['x-page-cache'], 'hit');
  t.equal(again.body, first.body);
  t.match(again.body, '第一项缓存承诺');
});

test('a hit answers If-None-Match with 304 and compresses for clients that accept it', async (t) => {
  const app = await build(t);
  await seed(app);
  const first = await app.inject({ url: '/' });
  await app.inject({ url: '/' });
  const notModified = await app.inject({ url: '/', headers: { 'if-none-match': first.headers.etag as string } });
  t.equal(notModified.statusCode, 304);
  t.equal(notModified.body, '');
  const br = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip, deflate, br' } });
  t.equal(br.headers['content-encoding'], 'br');
  t.equal(zlib.brotliDecompressSync(br.rawPayload).toString(), first.body);
  const gz = await app.inject({ url: '/', headers: { 'accept-encoding': 'gzip;q=1, br;q=0' } });
  t.equal(gz.headers['content-encoding'], 'gzip');
  t.equal(zlib.gunzipSync(gz.rawPayload).toString(), first.body);
});

test('languages are cached apart', async (t) => {
  const app = await build(t);
  await seed(app);
  const zh = await app.inject({ url: '/pledges', headers: { 'accept-language': 'zh-CN' } });
  const en = await app.inject({ url: '/pledges', headers: { 'accept-language': 'en' } });
  const enAgain = await app.inject({ url: '/pledges', headers: { 'accept-language': 'en' } });
  t.equal(zh.headers['content-language'], 'zh-CN');
  t.equal(en.headers['content-language'], 'en');
  t.equal(enAgain.headers['x-page-cache'], 'hit');
  t.equal(enAgain.body, en.body);
  t.not(en.body, zh.body);
});

test('signed-in people never get a cached page, and their pages are never cached', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx);
  await app.inject({ url: `/pledges/${id}` });
  const agent = await login(app, 'editor-a');
  const mine = await agent.request({ method: 'GET', url: `/pledges/${id}` });
  t.equal(mine.statusCode, 200);
  t.not(mine.headers['x-page-cache'], 'hit');
  t.match(mine.headers['cache-control'], /private, no-store/);
  t.match(mine.body, /editor-a/, 'the signed-in page names its user');
  const anon = await app.inject({ url: `/pledges/${id}` });
  t.notMatch(anon.body, /editor-a/, 'and that page never reaches anyone else');
  t.notMatch(anon.body, new RegExp(agent.csrf), 'nor does the session token');
});

test('a response that sets a cookie is not cached', async (t) => {
  const app = await build(t);
  await seed(app);
  const first = await app.inject({ url: '/units?lang=en' });
  t.ok(first.headers['set-cookie'], 'choosing a language sets a cookie');
  const second = await app.inject({ url: '/units?lang=en' });
  t.not(second.headers['x-page-cache'], 'hit');
  t.ok(second.headers['set-cookie']);
});

test('a request carrying Authorization is never served from or stored in the shared cache', async (t) => {
  const app = await build(t);
  await seed(app);
  const withToken = { url: '/units', headers: { authorization: 'Bearer some-intake-token' } };
  const first = await app.inject(withToken);
  t.equal(first.statusCode, 200);
  t.notOk(first.headers['x-page-cache'], 'not looked up');
  t.notOk((await app.inject(withToken)).headers['x-page-cache'], 'nor stored for the next such request');
  t.equal((await app.inject('/units')).headers['x-page-cache'], 'miss', 'the anonymous page was not stored from it');
  t.equal((await app.inject('/units')).headers['x-page-cache'], 'hit');
  t.notOk((await app.inject(withToken)).headers['x-page-cache'], 'and an anonymous hit is not given to it');
});

test('read after write: a progress update from the workspace shows on the next public read', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx);
  await app.inject({ url: `/pledges/${id}` });
  t.equal((await app.inject({ url: `/pledges/${id}` })).headers['x-page-cache'], 'hit');
  const agent = await login(app, 'editor-a');
  const posted = await agent.request({ method: 'POST', url: `/manage/pledges/${id}/progress`, form: { body: '管网改造已完成第一段', happenedOn: fx.today, progress: '40', status: 'in_progress' } });
  t.equal(posted.statusCode, 303, posted.body.slice(0, 400));
  const after = await app.inject({ url: `/pledges/${id}` });
  t.equal(after.headers['x-page-cache'], 'miss');
  t.match(after.body, /管网改造已完成第一段/);
});

test('read after write: a change committed by another process (the CLI) is seen at once', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '旧标题' });
  await app.inject({ url: `/pledges/${id}` });
  t.equal((await app.inject({ url: `/pledges/${id}` })).headers['x-page-cache'], 'hit');
  const other = new Database(app.config.databaseFile);
  other.prepare('UPDATE pledges SET title = ? WHERE id = ?').run('另一进程改的标题', id);
  other.close();
  const after = await app.inject({ url: `/pledges/${id}` });
  t.match(after.body, /另一进程改的标题/);
});

test('the page cache can be switched off', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  await seed(app);
  await app.inject({ url: '/' });
  const again = await app.inject({ url: '/' });
  t.not(again.headers['x-page-cache'], 'hit');
  t.match(again.headers['cache-control'], /^public/);
});

test('the data version moves at midnight in a campaign zone, with no write', async (t) => {
  const app = await build(t);
  await seed(app);
  let clock = Date.parse('2026-11-26T15:59:58Z'); // 23:59:58 in Asia/Shanghai
  const version = createDataVersion(app.db, 'Asia/Shanghai', () => clock);
  const before = version.current();
  clock += 1000;
  t.equal(version.current(), before, 'same day, same version');
  clock += 2000; // 00:00:01 the next day
  t.not(version.current(), before, 'a new day retires every cached page');
});

test("another connection's commit is seen by the next request, and outside requests on the next turn", async (t) => {
  const app = await build(t);
  await seed(app);
  const version = createDataVersion(app.db, 'Asia/Shanghai');
  const other = new Database(app.config.databaseFile);
  t.teardown(() => other.close());
  const before = version.current();
  other.prepare("UPDATE units SET name = name || '·' WHERE id = (SELECT min(id) FROM units)").run();
  // Within one turn, outside any request, the value read a moment ago stands: the commit is
  // concurrent with whatever is being done.
  t.equal(version.current(), before, 'same turn, no new request: read once');
  version.requestStarted();
  const seen = version.current();
  t.not(seen, before, 'a request that starts after the commit sees it');
  other.prepare("UPDATE units SET name = name || '·' WHERE id = (SELECT min(id) FROM units)").run();
  await new Promise((resolve) => setImmediate(resolve));
  t.not(version.current(), seen, 'the next turn sees it too, with no request');
  const mine = version.current();
  app.db.$client.prepare("UPDATE units SET name = name || '·' WHERE id = (SELECT min(id) FROM units)").run();
  t.not(version.current(), mine, "this connection's own write is seen at once, in the same turn");
});
