// Feeds, widgets, the sitemap and the update stream keep figures per data version (totals,
// widget figures, which sitemap parts exist, the /feeds units list). Any write must show at
// once: here with the page cache off, so each read below is rendered again and only a stale
// figure could make it wrong.
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, login, seed } from '../helpers.ts';
import { makeDraft, makePublished } from '../manage/fixtures.ts';
import { createPledgeRepository } from '../../src/pledges/repository.ts';
import { makeUnit } from '../public/fixtures.ts';

const NO_PAGE_CACHE = { PAGE_CACHE_MB: '0' };

async function get(app: FastifyInstance, url: string): Promise<string> {
  const res = await app.inject(url);
  if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode}`);
  return res.body;
}

const total = async (app: FastifyInstance, query: string) => JSON.parse(await get(app, `/api/v1/updates?${query}`)).pagination.total as number;

/** A widget's figure by its label (the <dt>), as shown. */
function figure(html: string, label: string): string | undefined {
  return new RegExp(`<dt>${label}</dt><dd>([^<]*)</dd>`).exec(html)?.[1];
}

t.test('a progress update shows at once in every feed it belongs to and in the stream’s totals', async (t) => {
  const app = await build(t, NO_PAGE_CACHE);
  const f = await seed(app);
  const p = await makePublished(app, f, { title: '老旧小区供水管网改造' });
  const editor = await login(app, 'editor-a');
  const first = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { body: '完成勘察设计', happenedOn: f.today, progress: '10', status: 'in_progress' } });
  t.equal(first.statusCode, 303, first.body.slice(0, 300));

  const feeds = ['/feeds/updates.atom', `/feeds/units/${f.unitA.slug}.atom`, '/feeds/categories/water.atom', `/feeds/pledges/${p.id}.atom`];
  const queries = ['', `unit=${f.unitA.slug}`, 'category=water', `campaign=${f.campaignId}`, `pledge=${p.id}`];
  for (const url of feeds) t.notMatch(await get(app, url), '管网改造已完成第一段', `${url}: not there before`);
  const before = new Map<string, number>();
  for (const q of queries) {
    before.set(q, await total(app, q));
    t.equal(before.get(q), 1, `/api/v1/updates?${q}: one update before`);
  }

  const posted = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { body: '管网改造已完成第一段', happenedOn: f.today, progress: '40', status: 'in_progress' } });
  t.equal(posted.statusCode, 303, posted.body.slice(0, 300));

  for (const url of feeds) t.match(await get(app, url), '管网改造已完成第一段', `${url}: the new update at once`);
  for (const q of queries) t.equal(await total(app, q), before.get(q)! + 1, `/api/v1/updates?${q}: the total counts it at once`);
  t.match(JSON.parse(await get(app, `/api/v1/updates?unit=${f.unitA.slug}&limit=1`)).data, [{ body: '管网改造已完成第一段', progress: 40 }], 'and it is first');
});

t.test('a pledge published shows at once in the new-pledges feed, the widgets’ figures, the sitemap and the /feeds units list', async (t) => {
  const app = await build(t, NO_PAGE_CACHE);
  const f = await seed(app);
  await makePublished(app, f, { title: '第一件事项' });
  const newcomer = makeUnit(app, { slug: 'newcomer', name: '新成立的单位', kind: 'institution' });
  const draft = await makeDraft(app, f, { title: '刚刚公布的事项', leadUnitId: newcomer.id });

  const views = {
    published: '/feeds/pledges.atom',
    campaign: '/embed/campaign',
    unit: `/embed/units/${newcomer.slug}`,
    leader: `/embed/units/${f.unitA.slug}`,
    index: '/feeds',
    sitemap: '/sitemap.xml',
  };
  const before: Record<string, string> = {};
  for (const [key, url] of Object.entries(views)) before[key] = await get(app, url);
  t.notMatch(before.published, '刚刚公布的事项');
  t.equal(figure(before.campaign, '公开承诺'), '1');
  t.equal(figure(before.campaign, '参与单位'), '1');
  t.equal(figure(before.unit, '公开承诺'), '0', 'a unit with nothing published shows zero');
  t.notMatch(before.index, `/feeds/units/${newcomer.slug}.atom`, 'a unit without a pledge has no feed listed');
  t.notMatch(await get(app, '/sitemaps/pledges-1.xml'), `/pledges/${draft.id}<`);

  const published = await createPledgeRepository(app.db).publish({ userId: f.users.admin, username: 'admin' }, draft.id, draft.version);
  t.ok(published.ok);

  t.match(await get(app, views.published), '刚刚公布的事项', 'the new-pledges feed has it');
  const campaign = await get(app, views.campaign);
  t.equal(figure(campaign, '公开承诺'), '2', 'the campaign widget counts it');
  t.equal(figure(campaign, '参与单位'), '2', 'and its unit');
  t.equal(figure(await get(app, views.unit), '公开承诺'), '1', 'the unit widget counts it');
  t.equal(figure(await get(app, views.leader), '公开承诺'), '1', 'another unit’s widget is unchanged');
  t.match(await get(app, views.index), `/feeds/units/${newcomer.slug}.atom`, '/feeds lists the unit’s feed');
  t.match(await get(app, '/sitemaps/pledges-1.xml'), `/pledges/${draft.id}<`, 'the sitemap part lists it');
  t.match(await get(app, '/sitemaps/units-1.xml'), `/units/${newcomer.slug}<`);
});

t.test('a unit’s first pledge in a new sitemap part adds that part to the index at once', async (t) => {
  const app = await build(t, NO_PAGE_CACHE);
  const f = await seed(app);
  await makePublished(app, f);
  const indexBefore = await get(app, '/sitemap.xml');
  t.match(indexBefore, '/sitemaps/pledges-1.xml');
  t.notMatch(indexBefore, '/sitemaps/pledges-3.xml');
  // Ids jump ahead (as after many drafts deleted or imported elsewhere): the next pledge lands in part 3.
  app.db.$client.prepare("UPDATE sqlite_sequence SET seq = 2500 WHERE name = 'pledges'").run();
  const late = await makePublished(app, f, { title: '第三部分的事项' });
  t.equal(late.id, 2501);
  t.match(await get(app, '/sitemap.xml'), '/sitemaps/pledges-3.xml', 'the index lists the new part');
  t.match(await get(app, '/sitemaps/pledges-3.xml'), `/pledges/${late.id}<`);
});
