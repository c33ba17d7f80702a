import t from 'tap';
import { XMLValidator, XMLParser } from 'fast-xml-parser';
import { build, seed } from '../helpers.ts';
import { makePledge, makeUnit } from '../public/fixtures.ts';
import { SITEMAP_PLEDGES } from '../../src/embeds/routes.ts';

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

t.test('sitemap.xml lists the public pages with absolute URLs from PUBLIC_URL, never a draft', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx);
  const draft = makePledge(app, fx, { status: 'draft' });
  const retired = makeUnit(app, { slug: 'retired', name: '已撤并单位', kind: 'institution', active: false });
  const res = await app.inject({ url: '/sitemap.xml', headers: { host: 'evil.example' } });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'application/xml');
  t.equal(XMLValidator.validate(res.body), true);
  const locs: string[] = [new XMLParser().parse(res.body).urlset.url].flat().map((u: { loc: string }) => u.loc);
  t.ok(locs.every((l) => l.startsWith('https://pledges.example.gov.cn/')), 'absolute, from PUBLIC_URL');
  for (const path of ['/', '/pledges', '/units', `/pledges/${id}`, `/units/${fx.unitA.slug}`, '/api/docs', '/feeds', '/open-data']) {
    t.ok(locs.includes(`https://pledges.example.gov.cn${path}`), `lists ${path}`);
  }
  t.notOk(locs.includes(`https://pledges.example.gov.cn/pledges/${draft}`), 'no draft');
  t.notOk(locs.includes(`https://pledges.example.gov.cn/units/${retired.slug}`), 'no inactive unit without pledges');
  const again = await app.inject({ url: '/sitemap.xml', headers: { 'if-none-match': res.headers.etag as string } });
  t.equal(again.statusCode, 304);
});

t.test('past the size of one sitemap, sitemap.xml becomes an index of parts', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  // Straight into the table: the sitemap only reads ids and dates.
  app.db.$client
    .prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
       INSERT INTO pledges (campaign_id, lead_unit_id, title, start_on, due_on, status) SELECT ?, ?, 'p' || i, '2024-01-01', '2024-12-31', 'pledged' FROM n`,
    )
    .run(SITEMAP_PLEDGES + 1, fx.campaignId, fx.unitA.id);
  const index = await app.inject('/sitemap.xml');
  t.match(index.body, '<sitemapindex');
  const maps = [new XMLParser().parse(index.body).sitemapindex.sitemap].flat().map((s: { loc: string }) => s.loc);
  t.same(maps, ['https://pledges.example.gov.cn/sitemaps/main.xml', 'https://pledges.example.gov.cn/sitemaps/pledges-1.xml', 'https://pledges.example.gov.cn/sitemaps/pledges-2.xml']);
  const second = await app.inject('/sitemaps/pledges-2.xml');
  t.equal([new XMLParser().parse(second.body).urlset.url].flat().length, 1);
  t.equal((await app.inject('/sitemaps/pledges-3.xml')).statusCode, 404);
  t.match((await app.inject('/sitemaps/main.xml')).body, 'https://pledges.example.gov.cn/units/');
});
