import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { XMLValidator, XMLParser } from 'fast-xml-parser';
import { build, seed } from '../helpers.ts';
import { makePledge, makeUnit } from '../public/fixtures.ts';
import { SITEMAP_PART_SIZE } from '../../src/embeds/repository.ts';

t.test('widgets may be framed by any site; every other page still may not', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '<script>alert(1)</script>供水', progress: 45 });
  for (const url of [`/embed/pledges/${id}`, `/embed/units/${fx.unitA.slug}`, '/embed/campaign']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    t.match(res.headers['content-security-policy'], /frame-ancestors \*/, `${url} may be framed`);
    t.notMatch(res.headers['content-security-policy'], /frame-ancestors 'none'/);
    t.match(res.headers['content-security-policy'], /script-src 'self'/, 'the rest of the policy stays');
    t.equal(res.headers['x-frame-options'], undefined);
    t.notMatch(res.body, /<script/, 'no script, and the hostile title is text');
    t.match(res.body, 'target="_blank"', 'links open outside the frame');
  }
  const widget = (await app.inject(`/embed/pledges/${id}`)).body;
  t.match(widget, '&lt;script&gt;alert(1)&lt;/script&gt;供水');
  t.match(widget, '45%');
  for (const url of ['/', `/pledges/${id}`, '/api/docs']) {
    const res = await app.inject(url);
    t.match(res.headers['content-security-policy'], /frame-ancestors 'none'/, `${url} is not frameable`);
  }
});

t.test('widgets of drafts and unknown things are 404', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const draft = makePledge(app, fx, { status: 'draft' });
  t.equal((await app.inject(`/embed/pledges/${draft}`)).statusCode, 404);
  t.equal((await app.inject('/embed/pledges/x')).statusCode, 404);
  t.equal((await app.inject('/embed/units/nobody')).statusCode, 404);
  const empty = await build(t);
  t.equal((await empty.inject('/embed/campaign')).statusCode, 404, 'no campaign yet');
});

t.test('pledge and unit pages offer the embed code and share metadata with an absolute preview image', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '供水"管网"' });
  const page = (await app.inject(`/pledges/${id}`)).body;
  t.match(page, `&lt;iframe src=&quot;https://pledges.example.gov.cn/embed/pledges/${id}&quot; title=&quot;供水&amp;quot;管网&amp;quot;&quot;`);
  t.match(page, '<meta property="og:image" content="https://pledges.example.gov.cn/share/preview.png">');
  t.match(page, '<meta property="og:title" content="供水&quot;管网&quot;">');
  t.match(page, '<meta property="og:description"');
  t.match((await app.inject(`/units/${fx.unitA.slug}`)).body, `/embed/units/${fx.unitA.slug}`);
  t.match((await app.inject('/')).body, 'og:image" content="https://pledges.example.gov.cn/share/preview.png"');
  const image = await app.inject('/share/preview.png');
  t.equal(image.statusCode, 200);
  t.equal(image.headers['content-type'], 'image/png');
  t.same([...image.rawPayload.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG');
});

/** The locations a sitemap index points at, and every URL in those parts. */
async function sitemapUrls(t: Test, app: FastifyInstance) {
  const index = await app.inject({ url: '/sitemap.xml', headers: { host: 'evil.example' } });
  t.equal(index.statusCode, 200);
  t.match(index.headers['content-type'], 'application/xml');
  t.equal(XMLValidator.validate(index.body), true, 'the index is well-formed XML');
  const maps: string[] = [new XMLParser().parse(index.body).sitemapindex.sitemap].flat().map((s: { loc: string }) => s.loc);
  const locs: string[] = [];
  for (const map of maps) {
    t.ok(map.startsWith(`${ORIGIN}/sitemaps/`), `${map}: a part, absolute, from PUBLIC_URL`);
    const part = await app.inject({ url: map.slice(ORIGIN.length), headers: { host: 'evil.example' } });
    t.equal(part.statusCode, 200, map);
    t.equal(XMLValidator.validate(part.body), true, `${map} is well-formed XML`);
    const urls = [new XMLParser().parse(part.body).urlset.url].flat();
    t.ok(urls.length > 0, `${map} is not empty`);
    locs.push(...urls.map((u: { loc: string }) => u.loc));
  }
  return { index, maps, locs };
}

const ORIGIN = 'https://pledges.example.gov.cn';

t.test('sitemap.xml is an index of parts that list the public pages with absolute URLs from PUBLIC_URL, never a draft', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx);
  const draft = makePledge(app, fx, { status: 'draft' });
  const retired = makeUnit(app, { slug: 'retired', name: '已撤并单位', kind: 'institution', active: false });
  const { index, maps, locs } = await sitemapUrls(t, app);
  t.same(maps, [`${ORIGIN}/sitemaps/main.xml`, `${ORIGIN}/sitemaps/units-1.xml`, `${ORIGIN}/sitemaps/pledges-1.xml`]);
  t.ok(locs.every((l) => l.startsWith(`${ORIGIN}/`)), 'absolute, from PUBLIC_URL');
  for (const path of ['/', '/pledges', '/units', `/pledges/${id}`, `/units/${fx.unitA.slug}`, '/api/docs', '/feeds', '/open-data']) {
    t.ok(locs.includes(`${ORIGIN}${path}`), `lists ${path}`);
  }
  t.notOk(locs.includes(`${ORIGIN}/pledges/${draft}`), 'no draft');
  t.notOk(locs.includes(`${ORIGIN}/units/${retired.slug}`), 'no inactive unit without pledges');
  t.equal(new Set(locs).size, locs.length, 'each page once');
  const again = await app.inject({ url: '/sitemap.xml', headers: { 'if-none-match': index.headers.etag as string } });
  t.equal(again.statusCode, 304);
});

t.test('each sitemap part holds a fixed range of ids, so it stays the same size as the record grows', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  // Straight into the table: the sitemap only reads ids, dates and whether a pledge is a draft.
  const insert = app.db.$client.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO pledges (campaign_id, lead_unit_id, title, start_on, due_on, status, updated_at) SELECT ?, ?, 'p' || i, '2024-01-01', '2024-12-31', ?, '2025-03-0' || (1 + i % 2) FROM n`,
  );
  insert.run(SITEMAP_PART_SIZE + 1, fx.campaignId, fx.unitA.id, 'pledged');
  // Drafts enough to fill a whole part: it has nothing to list, so it is left out of the index.
  insert.run(2 * SITEMAP_PART_SIZE, fx.campaignId, fx.unitA.id, 'draft');
  insert.run(1, fx.campaignId, fx.unitA.id, 'in_progress');
  const ids = app.db.$client.prepare('SELECT id, status FROM pledges ORDER BY id').all() as { id: number; status: string }[];
  const published = ids.filter((r) => r.status !== 'draft').map((r) => r.id);
  const partOf = (id: number) => Math.floor((id - 1) / SITEMAP_PART_SIZE) + 1;
  const expectedParts = [...new Set(published.map(partOf))];
  t.ok(expectedParts.length >= 3, `the pledges span several parts (${expectedParts.join(', ')})`);

  const { maps, locs } = await sitemapUrls(t, app);
  t.same(
    maps.filter((m) => m.includes('/pledges-')),
    expectedParts.map((n) => `${ORIGIN}/sitemaps/pledges-${n}.xml`),
    'the index lists exactly the parts that hold a published pledge',
  );
  t.same(
    locs.filter((l) => l.startsWith(`${ORIGIN}/pledges/`)),
    published.map((id) => `${ORIGIN}/pledges/${id}`),
    'every published pledge once, in id order',
  );
  for (const part of expectedParts) {
    const body = (await app.inject(`/sitemaps/pledges-${part}.xml`)).body;
    t.ok([new XMLParser().parse(body).urlset.url].flat().length <= SITEMAP_PART_SIZE, `part ${part} holds at most ${SITEMAP_PART_SIZE} pages`);
  }
  const draftsOnly = partOf(published[published.length - 1]) - 1;
  t.ok(ids.every((r) => partOf(r.id) !== draftsOnly || r.status === 'draft'), `part ${draftsOnly} holds only drafts`);
  t.notOk(expectedParts.includes(draftsOnly), 'and is not in the index');
  t.equal((await app.inject(`/sitemaps/pledges-${draftsOnly}.xml`)).statusCode, 404, 'a part with nothing public is not found');
  t.equal((await app.inject(`/sitemaps/pledges-${expectedParts[expectedParts.length - 1] + 1}.xml`)).statusCode, 404, 'nor a part past the end');
  t.equal((await app.inject('/sitemaps/units-99.xml')).statusCode, 404);
  t.match((await app.inject('/sitemap.xml')).body, /<sitemap><loc>https:\/\/pledges\.example\.gov\.cn\/sitemaps\/pledges-1\.xml<\/loc><lastmod>2025-03-0[12]<\/lastmod><\/sitemap>/, 'a part carries when it last changed');
});
