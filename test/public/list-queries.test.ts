// The list's prepared queries: totals kept for one data version must follow every write, and a
// search for a common word reads the same rows whichever way SQLite is asked to find them.
import t from 'tap';
import Database from 'better-sqlite3';
import { build, seed } from '../helpers.ts';
import { addDays, listedIds, makePledge } from './fixtures.ts';
import { createPledgeQueries } from '../../src/pledges/queries.ts';

// Every SQL text the connection compiles, to see which form of a query ran.
const compiled: string[] = [];
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, source: string) {
  compiled.push(source);
  return prepare.call(this, source);
} as typeof prepare;
t.teardown(() => {
  Database.prototype.prepare = prepare;
});

const resultCount = (html: string) => Number(/共 (\d+) 条/.exec(html)?.[1]);

t.test('the list total and a unit page figure follow writes, though both are kept between them', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { title: '老旧小区改造' });
  makePledge(app, fx, { title: '小区停车治理', dueOn: addDays(fx.today, -3) });

  t.equal(resultCount((await app.inject('/pledges')).body), 2);
  t.equal(resultCount((await app.inject(`/pledges?q=${encodeURIComponent('小区')}`)).body), 2);
  t.equal(resultCount((await app.inject('/pledges?status=overdue')).body), 1);
  t.match((await app.inject('/units/water-bureau')).body, /<span class="value">2<\/span><span class="label">公开承诺/);

  makePledge(app, fx, { title: '小区供暖保障', dueOn: addDays(fx.today, -1) });
  t.equal(resultCount((await app.inject('/pledges')).body), 3, 'a new pledge counts at once');
  t.equal(resultCount((await app.inject(`/pledges?q=${encodeURIComponent('小区')}`)).body), 3, 'and in a search');
  t.equal(resultCount((await app.inject('/pledges?status=overdue')).body), 2, 'and as overdue');
  t.match((await app.inject('/units/water-bureau')).body, /<span class="value">3<\/span><span class="label">公开承诺/, 'and in its unit\'s figures');

  const api = (await app.inject('/api/v1/pledges?limit=1')).json();
  t.equal(api.pagination.total, 3, 'the API counts the same');

  // Totals are kept per filter value, not only per kind of filter.
  t.equal(resultCount((await app.inject(`/pledges?q=${encodeURIComponent('停车')}`)).body), 1, 'another word, its own total');
  t.equal(resultCount((await app.inject('/pledges?status=in_progress')).body), 3);
  t.equal(resultCount((await app.inject('/pledges?status=completed')).body), 0, 'another status, its own total');
  t.match((await app.inject('/units/traffic-police')).body, /<span class="value">0<\/span><span class="label">公开承诺/, 'another unit, its own figures');
});

t.test('a common word: probing an index in the page\'s order gives exactly the rows of starting from the matches', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const statuses = ['pledged', 'in_progress', 'delayed', 'completed'] as const;
  // 180 of 240 pledges match 小区 (common enough for the cost rule to probe), with repeated due
  // days and progress values so ties are ordered by id.
  for (let i = 0; i < 240; i++) {
    const status = statuses[i % 4];
    makePledge(app, fx, {
      title: i % 4 === 3 ? `道路整治${i}` : `小区改造${i}`,
      status,
      progress: status === 'completed' ? 100 : (i * 7) % 90,
      dueOn: addDays(fx.today, (i % 9) - 4),
      completedOn: status === 'completed' ? addDays(fx.today, -5) : null,
    });
  }
  // No aggregate memo: this factory cannot know the totals up front, so it never probes.
  const plain = createPledgeQueries(app.db, { fallbackZone: 'Asia/Shanghai' });
  const q = '小区';
  const cases: { query: string; filter: Parameters<typeof plain.list>[0]; sort: Parameters<typeof plain.list>[1] }[] = [
    { query: '', filter: { q }, sort: { sort: 'due_asc' } },
    { query: '&page=2', filter: { q }, sort: { sort: 'due_asc', page: 2 } },
    { query: '&sort=due_desc', filter: { q }, sort: { sort: 'due_desc' } },
    { query: '&sort=due_desc&page=2', filter: { q }, sort: { sort: 'due_desc', page: 2 } },
    { query: '&status=in_progress&sort=progress_desc', filter: { q, status: 'in_progress' }, sort: { sort: 'progress_desc' } },
    { query: '&status=overdue', filter: { q, status: 'overdue' }, sort: { sort: 'due_asc' } },
    { query: '&sort=title', filter: { q }, sort: { sort: 'title' } },
  ];
  for (const c of cases) {
    compiled.length = 0;
    const res = await app.inject(`/pledges?q=${encodeURIComponent(q)}${c.query}`);
    t.equal(res.statusCode, 200, c.query);
    const expected = await plain.list(c.filter, c.sort);
    t.ok(expected.rows.length > 0, `${c.query}: rows to compare`);
    t.same(listedIds(res.body), expected.rows.map((r) => r.id), `${c.query}: the same rows in the same order`);
    t.equal(resultCount(res.body), expected.total, `${c.query}: the same total`);
  }

  // The planner is asked whether an index gives the order; the due-date index does.
  compiled.length = 0;
  await app.inject(`/pledges?q=${encodeURIComponent(q)}&sort=due_desc&page=1&lang=en`);
  await app.inject(`/pledges?q=${encodeURIComponent(q)}&tier=unit`);
  t.ok(
    compiled.some((s) => s.includes('EXISTS (SELECT 1 FROM pledge_terms t')),
    'a common word with a due-date order probes pledge_terms',
  );

  // A rare word is read from its matches.
  makePledge(app, fx, { title: '罕见词条' });
  compiled.length = 0;
  const rare = await app.inject(`/pledges?q=${encodeURIComponent('罕见')}&tier=unit&sort=due_desc`);
  t.equal(listedIds(rare.body).length, 1);
  t.notOk(
    compiled.some((s) => s.includes('pledge_terms')),
    'a rare word starts from its matches',
  );
});
