// Every table counts its writes into one counter (src/cache/write-counters.ts), and a kept
// figure that names what it reads stands through writes to the rest: a vote must not make the
// next visitor of the home page wait for a scan of the campaign, yet every figure that shows
// votes must show the vote at once.
import t from 'tap';
import Database from 'better-sqlite3';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { post as vote } from '../ratings/fixtures.ts';
import { counterOf, installWriteCounters } from '../../src/cache/write-counters.ts';

t.test('every table has a trigger per kind of write, into its counter; a new table gets them on the next open', async (t) => {
  const app = await build(t);
  const sqlite = app.db.$client;
  const triggers = new Set(sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'write_count_%'").pluck().all() as string[]);
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('__drizzle_migrations', 'write_counters', 'pledge_terms', 'demand_terms') AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[];
  const shadows = (sqlite.prepare("SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%'").pluck().all() as string[]).flatMap((v) => tables.filter((n) => n.startsWith(`${v}_`)));
  const counted = tables.filter((n) => !shadows.includes(n));
  t.ok(counted.includes('pledges') && counted.includes('ratings') && counted.includes('demands'), 'the main tables are counted');
  for (const table of counted) {
    for (const op of ['insert', 'update', 'delete']) t.ok(triggers.has(`write_count_${table}_${op}_${counterOf(table)}`), `${table}: ${op} counted into ${counterOf(table)}`);
  }
  t.equal(counterOf('ratings'), 'ratings');
  t.equal(counterOf('pledges'), 'record');
  t.equal(counterOf('a_table_added_later'), 'record', 'a table nobody mapped counts as the record');

  sqlite.exec('CREATE TABLE a_table_added_later (id INTEGER PRIMARY KEY, x TEXT)');
  installWriteCounters(sqlite);
  const before = sqlite.prepare("SELECT n FROM write_counters WHERE name = 'record'").pluck().get() as number;
  sqlite.prepare("INSERT INTO a_table_added_later (x) VALUES ('y')").run();
  t.equal(sqlite.prepare("SELECT n FROM write_counters WHERE name = 'record'").pluck().get(), before + 1, 'its writes count at once');
  installWriteCounters(sqlite);
  t.equal((sqlite.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'write_count_a_table_added_later%'").pluck().get() as number), 3, 'opening again adds nothing');
});

t.test('a kept figure stands through writes it does not read, and follows the ones it does — from this process or another', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const f = await seed(app);
  const id = makePledge(app, f);
  const runs = { record: 0, ratings: 0, all: 0 };
  const read = () =>
    Promise.all([
      app.aggregates.get('test:record', async () => ++runs.record, []),
      app.aggregates.get('test:ratings', async () => ++runs.ratings, ['ratings']),
      app.aggregates.get('test:all', async () => ++runs.all),
    ]);
  await read();
  t.same(runs, { record: 1, ratings: 1, all: 1 });

  t.equal((await vote(app, `/pledges/${id}/rating`, { value: 'satisfied' }, { ip: '198.51.100.7' })).statusCode, 303);
  await read();
  t.same(runs, { record: 1, ratings: 2, all: 2 }, 'a vote: the record figure stands, the votes figure and the unnarrowed one are computed again');

  makePledge(app, f, { title: '又一项' });
  await read();
  t.same(runs, { record: 2, ratings: 3, all: 3 }, 'a new pledge: everything is computed again');

  // Another connection (the CLI, a second process) votes: seen by the next request.
  const other = new Database(app.config.databaseFile);
  t.teardown(() => other.close());
  other.prepare("UPDATE rating_tallies SET n = n WHERE rowid = (SELECT min(rowid) FROM rating_tallies)").run();
  await app.inject({ url: '/healthz' });
  await read();
  t.same(runs, { record: 2, ratings: 4, all: 4 }, "another process's write to the votes is seen, and only by what reads them");
  other.prepare("UPDATE units SET name = name WHERE id = ?").run(f.unitA.id);
  await app.inject({ url: '/healthz' });
  await read();
  t.same(runs, { record: 3, ratings: 5, all: 5 }, "another process's write to the record is seen by all");
});

t.test('with the page cache off, a vote shows at once on every page that counts it (reports: read-after-write.test.ts)', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0', MIN_RATINGS: '1' });
  const f = await seed(app);
  const id = makePledge(app, f);
  const pages = ['/', '/league', '/demands', '/api/v1/demands/stats', `/units/${f.unitA.slug}`];
  for (const url of pages) t.equal((await app.inject(url)).statusCode, 200, `${url} read before`);
  t.equal((await vote(app, `/pledges/${id}/rating`, { value: 'satisfied' }, { ip: '198.51.100.8' })).statusCode, 303);
  t.match((await app.inject('/')).body, '群众满意度（1 票）', 'home: the satisfaction block');
  t.match((await app.inject('/league')).body, '100%', 'league: the rate');
});
