import t from 'tap';
import { pledges } from '../../db/schema.ts';
import { build, seed } from '../helpers.ts';
import { listedIds, makePledge } from './fixtures.ts';

t.test('search finds Chinese words of one and two characters, English words, and never drafts', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  // Unit B (市交警支队) leads the pledges without 水 anywhere, unit A (市水务局) the water one.
  const heating = makePledge(app, fx, { title: '冬季供暖保障', commitment: '确保居民室温达标', leadUnitId: fx.unitB.id });
  const water = makePledge(app, fx, { title: '老旧管网改造', commitment: '更换供水管道' });
  const english = makePledge(app, fx, { title: '公交线路优化', standard: 'Bus route 12 runs every 10 minutes', leadUnitId: fx.unitB.id });
  makePledge(app, fx, { title: '草稿供暖计划', status: 'draft' });

  const search = async (q: string) => {
    const res = await app.inject(`/pledges?q=${encodeURIComponent(q)}`);
    t.equal(res.statusCode, 200, `q=${q}`);
    return { ids: listedIds(res.body).sort((a, b) => a - b), body: res.body };
  };
  t.same((await search('供暖')).ids, [heating], '供暖 is found inside 冬季供暖保障, the draft is not');
  t.same((await search('暖')).ids, [heating], 'a single character is found');
  t.same((await search('水')).ids, [water], '水 finds the water pledge');
  t.same((await search('室温达标')).ids, [heating], 'the commitment is searched');
  t.same((await search('bus')).ids, [english], 'an English word, case-insensitive');
  t.same((await search('minu')).ids, [english], 'English words match as prefixes');
  t.same((await search('交警')).ids, [heating, english], 'the lead unit\'s name is searched');
  t.same((await search('供暖 冬季')).ids, [heating], 'every word must match');
  t.same((await search('供暖 管网')).ids, [], 'no pledge has both');
  t.same((await search('草稿')).ids, [], 'drafts are not in the index');
  const shown = await search('供暖');
  t.match(shown.body, '“供暖”的搜索结果');
  t.match(shown.body, 'value="供暖"', 'the search box keeps the query');
});

t.test('search reads the FTS index, not the table', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const indexed = makePledge(app, fx, { title: '道路拥堵治理' });
  // A row written without reindexPledge is invisible to search: proof the query goes through pledge_search.
  app.db.insert(pledges).values({ campaignId: fx.campaignId, leadUnitId: fx.unitA.id, title: '拥堵路口改造', startOn: fx.today, dueOn: fx.today, status: 'pledged' }).run();
  const res = await app.inject(`/pledges?q=${encodeURIComponent('拥堵')}`);
  t.same(listedIds(res.body), [indexed]);
  const plan = app.db.$client
    .prepare("EXPLAIN QUERY PLAN SELECT rowid FROM pledge_search WHERE pledge_search MATCH '\"拥堵\"'")
    .all() as { detail: string }[];
  t.match(plan.map((p) => p.detail).join(' '), /VIRTUAL TABLE INDEX/);
});

t.test('search input with FTS syntax or nothing searchable never fails', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { title: '冬季供暖保障' });
  for (const q of ['"', '*', 'OR', 'NEAR(供暖', 'title:供暖', '供暖"', '!!!', '-', '^', ')(', 'a'.repeat(500), '供'.repeat(300)]) {
    const res = await app.inject(`/pledges?q=${encodeURIComponent(q)}`);
    t.equal(res.statusCode, 200, `q=${q.slice(0, 20)}`);
  }
  const punct = await app.inject('/pledges?q=!!!');
  t.equal(listedIds(punct.body).length, 1, 'a query with nothing searchable filters nothing');
});

t.test('search combines with the other filters', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { title: '供暖管网改造' });
  const b = makePledge(app, fx, { title: '供暖投诉处理', leadUnitId: fx.unitB.id });
  const res = await app.inject(`/pledges?q=${encodeURIComponent('供暖')}&unit=traffic-police`);
  t.same(listedIds(res.body), [b]);
  t.match(res.body, '共 1 条');
});
