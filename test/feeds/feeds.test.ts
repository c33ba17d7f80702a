import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { parseFeed } from '@rowanmanning/feed-parser';
import { XMLValidator } from 'fast-xml-parser';
import { build, seed } from '../helpers.ts';
import { makePledge, addUpdate, makeCategory, renameUnitSlug } from '../public/fixtures.ts';
import { FEEDS_UNITS_PAGE_SIZE } from '../../src/feeds/routes.ts';

const HOSTILE = '<script>alert(1)</script> & "quotes" \u0001';

async function record(app: FastifyInstance) {
  const fx = await seed(app);
  const water = makePledge(app, fx, { title: `供水 ${HOSTILE}`, categoryId: fx.categoryId, coUnitIds: [fx.unitB.id] });
  const traffic = makePledge(app, fx, { title: '交通整治', leadUnitId: fx.unitB.id });
  const draft = makePledge(app, fx, { title: '草稿', status: 'draft' });
  addUpdate(app, water, { unitId: fx.unitA.id, body: `第一批完成 ${HOSTILE}`, progress: 40 });
  addUpdate(app, water, { unitId: fx.unitB.id, body: '交警配合疏导' });
  addUpdate(app, traffic, { unitId: fx.unitB.id, body: '交警自己的进展', status: 'delayed', reason: '雨季' });
  addUpdate(app, draft, { unitId: fx.unitA.id, body: '草稿进展' });
  return { fx, water, traffic, draft };
}

/** Fetches a feed, checks it is well-formed XML and parses it with a real feed parser. */
async function feed(t: Test, app: FastifyInstance, url: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ url, headers });
  t.equal(res.statusCode, 200, `${url} answers`);
  t.match(res.headers['content-type'], 'application/atom+xml');
  t.equal(XMLValidator.validate(res.body), true, `${url} is well-formed XML`);
  return { res, parsed: parseFeed(res.body) };
}

t.test('every feed is valid Atom that a feed parser reads, with absolute links from PUBLIC_URL', async (t) => {
  const app = await build(t);
  const { fx, water } = await record(app);
  for (const url of ['/feeds/updates.atom', '/feeds/pledges.atom', `/feeds/units/${fx.unitA.slug}.atom`, `/feeds/pledges/${water}.atom`, '/feeds/categories/water.atom']) {
    const { parsed } = await feed(t, app, url, { host: 'evil.example' });
    t.ok(parsed.title, `${url} has a title`);
    t.equal(parsed.meta.type, 'atom');
    t.equal(parsed.self, `https://pledges.example.gov.cn${url}`);
    t.ok(parsed.items.length > 0, `${url} has entries`);
    for (const item of parsed.items) {
      t.match(item.url, /^https:\/\/pledges\.example\.gov\.cn\/pledges\/\d+$/);
      t.ok(item.id && item.updated, 'entries have an id and a date');
    }
  }
});

t.test('the campaign feed lists progress updates newest first, hostile text as text, never a draft’s updates', async (t) => {
  const app = await build(t);
  await record(app);
  const { res, parsed } = await feed(t, app, '/feeds/updates.atom');
  t.equal(parsed.items.length, 3);
  t.notOk(parsed.items.some((i) => (i.content ?? '').includes('草稿')), 'no update of a draft');
  const first = parsed.items.find((i) => (i.content ?? '').includes('第一批完成'))!;
  t.match(first.content, '<script>alert(1)</script> & "quotes"', 'the text comes back exactly (less the control character)');
  t.notMatch(res.body, /<script>/, 'escaped in the XML');
  t.notMatch(res.body, /\u0001/);
  const delayed = parsed.items.find((i) => (i.content ?? '').includes('交警自己的进展'))!;
  t.match(delayed.content, '状态改为：滞后');
  t.match(delayed.content, '原因：雨季');
  const en = await feed(t, app, '/feeds/updates.atom?lang=en');
  t.match(en.parsed.title, 'progress updates');
});

t.test('a unit’s feed has updates on the pledges it leads and those it posted as a co-unit; a category’s and a pledge’s are their own', async (t) => {
  const app = await build(t);
  const { fx, water, traffic } = await record(app);
  const unitB = (await feed(t, app, `/feeds/units/${fx.unitB.slug}.atom`)).parsed;
  t.same(unitB.items.map((i) => i.content!.split('\n')[0].split('：').slice(1).join('：')).sort(), ['交警自己的进展', '交警配合疏导'].sort());
  const pledge = (await feed(t, app, `/feeds/pledges/${traffic}.atom`)).parsed;
  t.equal(pledge.items.length, 1);
  const cat = (await feed(t, app, '/feeds/categories/water.atom')).parsed;
  t.equal(cat.items.length, 2);
  t.ok(cat.items.every((i) => i.url === `https://pledges.example.gov.cn/pledges/${water}`));
  makeCategory(app, { slug: 'empty', nameZh: '空类别', nameEn: 'Empty' });
  const empty = (await feed(t, app, '/feeds/categories/empty.atom')).parsed;
  t.equal(empty.items.length, 0, 'a feed with nothing yet is still a feed');
});

t.test('newly published pledges feed, most recent first, no drafts', async (t) => {
  const app = await build(t);
  const { water, traffic } = await record(app);
  app.db.$client.prepare("UPDATE pledges SET published_at = '2020-01-01T00:00:00.000Z' WHERE id = ?").run(water);
  const parsed = (await feed(t, app, '/feeds/pledges.atom')).parsed;
  t.same(parsed.items.map((i) => i.url), [`https://pledges.example.gov.cn/pledges/${traffic}`, `https://pledges.example.gov.cn/pledges/${water}`]);
});

t.test('feeds of unknown things are 404; a renamed unit’s old feed address redirects', async (t) => {
  const app = await build(t);
  const { fx, draft } = await record(app);
  t.equal((await app.inject(`/feeds/pledges/${draft}.atom`)).statusCode, 404, 'a draft has no feed');
  t.equal((await app.inject('/feeds/pledges/abc.atom')).statusCode, 404);
  t.equal((await app.inject('/feeds/units/nobody.atom')).statusCode, 404);
  t.equal((await app.inject('/feeds/categories/nothing.atom')).statusCode, 404);
  renameUnitSlug(app, fx.unitA.id, fx.unitA.slug, 'shuiwu');
  const moved = await app.inject(`/feeds/units/${fx.unitA.slug}.atom`);
  t.equal(moved.statusCode, 301);
  t.equal(moved.headers.location, '/feeds/units/shuiwu.atom');
});

t.test('feeds answer conditional requests with 304', async (t) => {
  const app = await build(t);
  await record(app);
  const first = await app.inject('/feeds/updates.atom');
  const again = await app.inject({ url: '/feeds/updates.atom', headers: { 'if-none-match': first.headers.etag as string } });
  t.equal(again.statusCode, 304);
  const since = await app.inject({ url: '/feeds/updates.atom', headers: { 'if-modified-since': first.headers['last-modified'] as string } });
  t.equal(since.statusCode, 304);
});

t.test('pages with a feed link it in <head> and with a visible subscribe link; /feeds lists them all', async (t) => {
  const app = await build(t);
  const { fx, water } = await record(app);
  const pages: [string, string][] = [
    ['/', '/feeds/updates.atom'],
    [`/pledges/${water}`, `/feeds/pledges/${water}.atom`],
    [`/units/${fx.unitA.slug}`, `/feeds/units/${fx.unitA.slug}.atom`],
  ];
  for (const [page, href] of pages) {
    const html = (await app.inject(page)).body;
    t.match(html, new RegExp(`<link rel="alternate" type="application/atom\\+xml" title="[^"]+" href="${href.replace(/\./g, '\\.')}">`), `${page} advertises ${href}`);
    t.match(html, new RegExp(`<a href="${href.replace(/\./g, '\\.')}" type="application/atom\\+xml">`), `${page} shows a subscribe link`);
  }
  const index = await app.inject('/feeds');
  t.equal(index.statusCode, 200);
  for (const href of ['/feeds/updates.atom', '/feeds/pledges.atom', '/feeds/categories/water.atom', `/feeds/units/${fx.unitA.slug}.atom`, `/feeds/units/${fx.unitB.slug}.atom`]) {
    t.match(index.body, `href="${href}"`);
  }
});

t.test('/feeds lists the units’ feeds in pages of 100, every one reachable, in both languages', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const insertUnit = app.db.$client.prepare("INSERT INTO units (slug, name, kind) VALUES (?, ?, 'institution') RETURNING id");
  const slugs: string[] = [];
  for (let i = 0; i < FEEDS_UNITS_PAGE_SIZE + 5; i++) {
    const slug = `unit-${String(i).padStart(3, '0')}`;
    const { id } = insertUnit.get(slug, `单位${String(i).padStart(3, '0')}`) as { id: number };
    makePledge(app, fx, { leadUnitId: id });
    slugs.push(slug);
  }
  const unitFeeds = (html: string) => [...html.matchAll(/href="\/feeds\/units\/([^"]+)\.atom"/g)].map((m) => m[1]);
  const first = await app.inject('/feeds');
  t.equal(first.statusCode, 200);
  t.equal(unitFeeds(first.body).length, FEEDS_UNITS_PAGE_SIZE, 'the first page lists a page of units');
  t.match(first.body, 'href="/feeds?page=2"', 'and links to the next');
  t.match(first.body, 'href="/feeds/updates.atom"', 'the campaign’s feeds are on every page');
  const second = await app.inject('/feeds?page=2');
  t.match(second.body, 'href="/feeds/categories/water.atom"');
  const listed = [...unitFeeds(first.body), ...unitFeeds(second.body)];
  t.same(listed.filter((s) => s.startsWith('unit-')).sort(), slugs, 'every unit with a pledge is on one of the pages');
  t.equal(new Set(listed).size, listed.length, 'each once');
  t.same(unitFeeds((await app.inject('/feeds?page=99')).body), unitFeeds(second.body), 'a page past the end shows the last');
  t.same(unitFeeds((await app.inject('/feeds?page=abc')).body), unitFeeds(first.body), 'an unreadable page is the first');
  const en = await app.inject('/feeds?page=2&lang=en');
  t.match(en.body, 'Pages of units');
  t.match(en.body, 'Page 2 of 2');
});
