import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { build, login, seed, type Fixtures } from '../helpers.ts';
import { addOutlets, publish } from '../press/fixtures.ts';
import { makePledge, addUpdate, addDeadlineChange, addAmendment, makeUnit, renameUnitSlug } from '../public/fixtures.ts';
import { READ_RESOURCES } from '../../src/api/resources.ts';

/** A small public record: two published pledges (one with a timeline), a draft, a sub-task. */
async function record(app: FastifyInstance) {
  const fx = await seed(app);
  const water = makePledge(app, fx, { title: '老旧小区供水管网改造', categoryId: fx.categoryId, districtUnitId: fx.districtId, coUnitIds: [fx.unitB.id] });
  const traffic = makePledge(app, fx, { title: '学校周边交通秩序整治', leadUnitId: fx.unitB.id, status: 'pledged' });
  const draft = makePledge(app, fx, { title: '草稿事项不可见', status: 'draft' });
  const sub = makePledge(app, fx, { title: '一期管网', parentId: water });
  addUpdate(app, water, { unitId: fx.unitA.id, body: '完成第一批 4 个小区', progress: 30 });
  addUpdate(app, water, { unitId: fx.unitB.id, body: '配合完成交通疏导' });
  addUpdate(app, draft, { unitId: fx.unitA.id, body: '草稿的进展不可见' });
  addDeadlineChange(app, traffic, { oldDueOn: '2030-01-01', newDueOn: '2030-06-01', reason: '施工窗口调整' });
  addAmendment(app, water, { field: 'standard', oldValue: '旧标准', newValue: '新标准', reason: '细化' });
  return { fx, water, traffic, draft, sub };
}

/** Parses a body with a response schema and checks nothing was dropped: the JSON holds exactly the schema's fields. */
function conforms(t: Test, schema: z.ZodType, body: unknown, label: string) {
  const parsed = schema.safeParse(body);
  t.ok(parsed.success, `${label} matches its schema${parsed.success ? '' : `: ${parsed.error.message}`}`);
  if (parsed.success) t.same(JSON.parse(JSON.stringify(parsed.data)), body, `${label} has no field outside its schema`);
}

t.test('every read endpoint answers JSON that matches its response schema', async (t) => {
  const app = await build(t);
  const { fx, water } = await record(app);
  const published = await publish(await login(app, 'press'), `outlet=${addOutlets(app).daily}`, { noticeNo: '第1号' });
  const noticeId = Number(/\/notices\/(\d+)/.exec(published.headers.location as string)![1]);
  const params: Record<string, Record<string, string | number>> = {
    '/api/v1/campaigns/{id}': { id: fx.campaignId },
    '/api/v1/units/{slug}': { slug: fx.unitA.slug },
    '/api/v1/pledges/{id}': { id: water },
    '/api/v1/notices/{id}': { id: noticeId },
  };
  for (const { op } of READ_RESOURCES) {
    const url = op.path.replace(/\{(\w+)\}/g, (_, name) => String(params[op.path][name]));
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, `${url} answers`);
    t.match(res.headers['content-type'], /^application\/json/);
    conforms(t, op.responses[200].schema!, res.json(), url);
  }
});

t.test('the pledge list filters like the public page and pages with total and next links from PUBLIC_URL', async (t) => {
  const app = await build(t);
  const { fx, water, traffic, draft, sub } = await record(app);
  const all = (await app.inject({ url: '/api/v1/pledges?limit=2', headers: { host: 'evil.example' } })).json();
  t.equal(all.pagination.total, 3, 'three published pledges; the draft is not counted');
  t.same(all.pagination, { total: 3, page: 1, pages: 2, limit: 2, next: 'https://pledges.example.gov.cn/api/v1/pledges?limit=2&page=2', prev: null });
  const second = await app.inject('/api/v1/pledges?limit=2&page=2');
  t.match(second.headers.link, '<https://pledges.example.gov.cn/api/v1/pledges?limit=2&page=1>; rel="prev"');
  const ids = [...all.data, ...second.json().data].map((p: { id: number }) => p.id).sort();
  t.same(ids, [water, traffic, sub].sort());
  t.notOk(ids.includes(draft));
  const past = (await app.inject('/api/v1/pledges?limit=2&page=5')).json();
  t.same(past.data, [], 'a page after the last one is empty');
  t.equal(past.pagination.next, null);

  const byUnit = (await app.inject(`/api/v1/pledges?unit=${fx.unitB.slug}`)).json();
  t.same(byUnit.data.map((p: { id: number }) => p.id), [traffic]);
  const byCategory = (await app.inject('/api/v1/pledges?category=water&district=lixia')).json();
  t.same(byCategory.data.map((p: { id: number }) => p.id), [water]);
  const pledged = (await app.inject('/api/v1/pledges?status=pledged&tier=unit')).json();
  t.same(pledged.data.map((p: { id: number }) => p.id), [traffic]);
  const found = (await app.inject(`/api/v1/pledges?q=${encodeURIComponent('供水管网')}`)).json();
  t.same(found.data.map((p: { id: number }) => p.id), [water]);
  const blank = await app.inject('/api/v1/pledges?unit=&status=');
  t.equal(blank.statusCode, 200, 'blank values count as not given');
});

t.test('one pledge carries its timeline, deadline changes, amendments and sub-tasks, and drafts are 404', async (t) => {
  const app = await build(t);
  const { fx, water, traffic, draft, sub } = await record(app);
  const p = (await app.inject(`/api/v1/pledges/${water}`)).json().data;
  t.equal(p.updates.length, 2);
  t.same(p.updates.map((u: { unit: { slug: string } }) => u.unit.slug).sort(), [fx.unitA.slug, fx.unitB.slug].sort());
  t.same(p.coUnits, [{ slug: fx.unitB.slug, name: '市交警支队' }]);
  t.same(p.amendments.map((a: { field: string; reason: string }) => [a.field, a.reason]), [['standard', '细化']]);
  t.same(p.subTasks.map((s: { id: number }) => s.id), [sub]);
  t.equal(p.feed, `https://pledges.example.gov.cn/feeds/pledges/${water}.atom`);
  const moved = (await app.inject(`/api/v1/pledges/${traffic}`)).json().data;
  t.same(moved.deadlineChanges.map((d: { oldDueOn: string; newDueOn: string }) => [d.oldDueOn, d.newDueOn]), [['2030-01-01', '2030-06-01']]);
  t.notOk('requestedBy' in moved.deadlineChanges[0], 'who moved it internally is not published');

  const hidden = await app.inject(`/api/v1/pledges/${draft}`);
  t.equal(hidden.statusCode, 404);
  t.same(hidden.json(), { error: { code: '404', message: hidden.json().error.message } });
  t.equal((await app.inject('/api/v1/pledges/abc')).statusCode, 404);
  t.equal((await app.inject('/api/v1/pledges/99999999999')).statusCode, 404);
});

t.test('progress updates stream newest first, filtered by unit (led or posted), pledge and category, never from drafts', async (t) => {
  const app = await build(t);
  const { fx, water, traffic } = await record(app);
  addUpdate(app, traffic, { unitId: fx.unitB.id, body: '交警支队的进展' });
  const all = (await app.inject('/api/v1/updates')).json();
  t.equal(all.pagination.total, 3, 'the draft’s update is not counted');
  t.notOk(all.data.some((u: { body: string }) => u.body.includes('草稿')));
  const unitB = (await app.inject(`/api/v1/updates?unit=${fx.unitB.slug}`)).json();
  t.same(unitB.data.map((u: { body: string }) => u.body).sort(), ['交警支队的进展', '配合完成交通疏导'].sort(), 'its own pledge and its co-unit post');
  const one = (await app.inject(`/api/v1/updates?pledge=${water}&limit=1`)).json();
  t.equal(one.data.length, 1);
  t.equal(one.pagination.total, 2);
  t.equal(one.pagination.next, `https://pledges.example.gov.cn/api/v1/updates?pledge=${water}&limit=1&page=2`);
  const cat = (await app.inject('/api/v1/updates?category=water')).json();
  t.equal(cat.pagination.total, 2);
});

t.test('units and campaigns carry the same figures as the public pages; a renamed unit’s old slug still answers', async (t) => {
  const app = await build(t);
  const { fx } = await record(app);
  const units = (await app.inject('/api/v1/units?sort=pledges')).json().data;
  const a = units.find((u: { slug: string }) => u.slug === fx.unitA.slug);
  t.equal(a.figures.pledges, 2);
  const child = makeUnit(app, { slug: 'water-plant', name: '第一水厂', kind: 'institution', parentId: fx.unitA.id });
  renameUnitSlug(app, fx.unitA.id, fx.unitA.slug, 'shuiwu');
  const old = (await app.inject(`/api/v1/units/${fx.unitA.slug}`)).json().data;
  t.equal(old.slug, 'shuiwu');
  t.same(old.children, [{ slug: child.slug, name: '第一水厂', kind: 'institution' }]);
  t.equal(old.contact.phone, '0531-12345');
  const campaign = (await app.inject(`/api/v1/campaigns/${fx.campaignId}`)).json().data;
  t.equal(campaign.figures.pledges, 3);
  t.same(campaign.byCategory.map((c: { slug: string; figures: { pledges: number } }) => [c.slug, c.figures.pledges]), [['water', 1]]);
  t.equal((await app.inject('/api/v1/campaigns/999')).statusCode, 404);
  t.equal((await app.inject('/api/v1/units/nobody')).statusCode, 404);
});

t.test('query strings are strict: unknown, repeated or unusable parameters get a 400 in the stable error shape', async (t) => {
  const app = await build(t);
  await record(app);
  const cases: [string, RegExp][] = [
    ['/api/v1/pledges?utm_source=x', /utm_source/],
    ['/api/v1/pledges?limit=1000000', /limit.*1 to 500/],
    ['/api/v1/pledges?limit=0', /limit/],
    ['/api/v1/pledges?limit=abc', /limit/],
    ['/api/v1/pledges?page=-1', /page/],
    ['/api/v1/pledges?status=done', /status.*one of/],
    ['/api/v1/pledges?status=pledged&status=delayed', /only once/],
    ['/api/v1/pledges?unit=no-such-unit', /no-such-unit/],
    ['/api/v1/pledges?unit=Not%20A%20Slug', /unit/],
    ['/api/v1/pledges?district=water-bureau', /district/],
    ['/api/v1/pledges?campaign=42', /campaign/],
    ['/api/v1/categories?lang=en', /lang/],
    ['/api/v1/units?sort=best', /sort/],
  ];
  for (const [url, message] of cases) {
    const res = await app.inject({ url, headers: { 'accept-language': 'en' } });
    t.equal(res.statusCode, 400, url);
    t.equal(res.headers['access-control-allow-origin'], '*', `${url}: readable cross-origin`);
    const body = res.json();
    t.same(Object.keys(body), ['error']);
    t.same(Object.keys(body.error).sort(), ['code', 'message']);
    t.equal(body.error.code, '400');
    t.match(body.error.message, message, url);
  }
  const zh = await app.inject({ url: '/api/v1/pledges?foo=1', headers: { 'accept-language': 'zh-CN' } });
  t.match(zh.json().error.message, '不认识的查询参数');
});

t.test('404, 429 and 500 keep the same JSON error shape', async (t) => {
  // Cached answers are served before the rate limiter counts (they cost about as much as a
  // static file), so the cache is off here to let three computed answers reach the limit.
  const app = await build(t, { RATE_LIMIT_PER_MINUTE: '3', PAGE_CACHE_MB: '0' });
  const missing = await app.inject('/api/v1/nothing-here');
  t.equal(missing.statusCode, 404);
  t.equal(missing.json().error.code, '404');
  t.equal(missing.headers['access-control-allow-origin'], '*');
  await app.inject('/api/v1/categories');
  await app.inject('/api/v1/categories');
  const limited = await app.inject('/api/v1/categories');
  t.equal(limited.statusCode, 429);
  t.same(Object.keys(limited.json().error).sort(), ['code', 'message']);
  t.equal(limited.json().error.code, '429');
});

t.test('a failure inside a read answers 500 in the error shape without internals', async (t) => {
  const app = await build(t);
  await record(app);
  app.db.$client.exec('DROP TABLE pledge_co_units');
  const res = await app.inject('/api/v1/pledges/1');
  t.equal(res.statusCode, 500);
  t.equal(res.json().error.code, '500');
  t.notMatch(res.body, /pledge_co_units|sqlite|stack/i);
});

t.test('conditional requests: the ETag gives a 304, a change gives a new ETag, and malformed validators are ignored', async (t) => {
  const app = await build(t);
  const { fx, water } = await record(app);
  const first = await app.inject('/api/v1/pledges');
  const etag = first.headers.etag as string;
  t.match(etag, /^W\/"[A-Za-z0-9_-]+"$/);
  t.ok(first.headers['last-modified']);
  const same = await app.inject({ url: '/api/v1/pledges', headers: { 'if-none-match': etag } });
  t.equal(same.statusCode, 304);
  t.equal(same.body, '');
  t.equal(same.headers.etag, etag);
  t.equal((await app.inject({ url: '/api/v1/pledges', headers: { 'if-none-match': `"other", ${etag.slice(2)}` } })).statusCode, 304, 'strong form of the tag in a list');
  t.equal((await app.inject({ url: '/api/v1/pledges', headers: { 'if-none-match': '*' } })).statusCode, 304);
  for (const junk of ['garbage', '"', 'W/', ',,,', 'W/"x" W/"y"', 'x'.repeat(5000)]) {
    const res = await app.inject({ url: '/api/v1/pledges', headers: { 'if-none-match': junk } });
    t.equal(res.statusCode, 200, `If-None-Match ${junk.slice(0, 20)} is a miss`);
  }
  const since = await app.inject({ url: '/api/v1/pledges', headers: { 'if-modified-since': first.headers['last-modified'] as string } });
  t.equal(since.statusCode, 304, 'If-Modified-Since the Last-Modified');
  t.equal((await app.inject({ url: '/api/v1/pledges', headers: { 'if-modified-since': 'not a date' } })).statusCode, 200);
  t.equal((await app.inject({ url: '/api/v1/pledges', headers: { 'if-modified-since': 'Thu, 01 Jan 1970 00:00:00 GMT' } })).statusCode, 200);

  addUpdate(app, water, { unitId: fx.unitA.id, body: '新进展', progress: 60 });
  app.db.$client.prepare('UPDATE pledges SET progress = 60 WHERE id = ?').run(water);
  const changed = await app.inject({ url: '/api/v1/pledges', headers: { 'if-none-match': etag } });
  t.equal(changed.statusCode, 200, 'a change is a miss');
  t.not(changed.headers.etag, etag);
});

t.test('CORS is open for reads: any origin, and preflight answers', async (t) => {
  const app = await build(t);
  await record(app);
  const res = await app.inject({ url: '/api/v1/categories', headers: { origin: 'https://news.example.com' } });
  t.equal(res.headers['access-control-allow-origin'], '*');
  t.match(res.headers['access-control-expose-headers'], 'ETag');
  const pre = await app.inject({ method: 'OPTIONS', url: '/api/v1/pledges', headers: { origin: 'https://news.example.com', 'access-control-request-method': 'GET' } });
  t.equal(pre.statusCode, 204);
  t.equal(pre.headers['access-control-allow-origin'], '*');
  t.match(pre.headers['access-control-allow-methods'], 'GET');
  t.match(pre.headers['access-control-allow-headers'], 'If-None-Match');
  const head = await app.inject({ method: 'HEAD', url: '/api/v1/pledges' });
  t.equal(head.statusCode, 200);
});
