// Scanned figures are computed once per data version: repeated reads reuse them, and any write
// (or a new day) makes the next read compute them again — never a stale figure.
import { test } from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { createAggregateMemo } from '../../src/cache/aggregates.ts';

test('a figure is computed once per data version and again after a write', async (t) => {
  let version = 'v1';
  const memo = createAggregateMemo({ current: () => version });
  let runs = 0;
  const compute = async () => ++runs;
  t.equal(await memo.get('k', compute), 1);
  t.equal(await memo.get('k', compute), 1, 'reused while nothing changed');
  version = 'v2';
  t.equal(await memo.get('k', compute), 2, 'recomputed after a change');
});

test('a full memo forgets the entry read longest ago', async (t) => {
  const memo = createAggregateMemo({ current: () => 'v' }, 2);
  let runs = 0;
  const compute = async () => ++runs;
  await memo.get('home', compute);
  await memo.get('unit-1', compute);
  await memo.get('home', compute); // read again: now the most recent
  await memo.get('unit-2', compute); // the memo is full: unit-1 goes, not home
  t.equal(runs, 3);
  await memo.get('home', compute);
  t.equal(runs, 3, 'the entry read lately was kept');
  await memo.get('unit-1', compute);
  t.equal(runs, 4, 'the entry read longest ago was forgotten');
});

test('a failed computation is not kept', async (t) => {
  const memo = createAggregateMemo({ current: () => 'v' });
  await t.rejects(memo.get('k', async () => Promise.reject(new Error('boom'))));
  await new Promise((r) => setImmediate(r));
  t.equal(await memo.get('k', async () => 7), 7);
});

test('home, units and league figures follow writes with the page cache off', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const fx = await seed(app);
  makePledge(app, fx, { title: '第一项' });
  const before = await app.inject({ url: '/api/v1/units' });
  const count = (body: string) => JSON.parse(body).data.find((u: { slug: string }) => u.slug === fx.unitA.slug)?.figures.pledges ?? 0;
  t.equal(count(before.body), 1);
  makePledge(app, fx, { title: '第二项' });
  t.equal(count((await app.inject({ url: '/api/v1/units' })).body), 2, 'the units table saw the new pledge');
  const home1 = await app.inject({ url: '/' });
  makePledge(app, fx, { title: '第三项', tier: 'major' });
  const home2 = await app.inject({ url: '/' });
  t.notMatch(home1.body, /第三项/);
  t.match(home2.body, /第三项/, 'the home page lists the new major item at once');
});
