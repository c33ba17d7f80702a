// Issue 7: the category page and the demand statistics count every published pledge of a
// category, or every report, which is thousands of rows in a big city. Those figures are kept
// per data version: once they are, a further read runs no statement over pledges or demands at
// all (only the small lookups: the category, the campaign, the data version). The memo being
// invalidated by writes is test/categories/fresh-after-write.test.ts.
import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePublished } from '../manage/fixtures.ts';
import { makeDemand } from '../demands/fixtures.ts';

type Statement = { source: string } & Record<'all' | 'get' | 'run' | 'iterate', (...args: unknown[]) => unknown>;

t.test('repeated reads of the category page and the demand statistics scan nothing', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const f = await seed(app);
  await makePublished(app, f, { title: '老旧小区供水管网改造' });
  await makePublished(app, f, { title: '二次供水设施改造' });
  await makeDemand(app, f, { channel: 'web' });

  // Every statement run on the connection, whoever prepared it (drizzle, prepared queries, raw).
  const executed: string[] = [];
  const proto = Object.getPrototypeOf(app.db.$client.prepare('SELECT 1')) as Statement;
  const originals = { all: proto.all, get: proto.get, run: proto.run, iterate: proto.iterate };
  for (const name of Object.keys(originals) as (keyof typeof originals)[]) {
    const original = originals[name];
    proto[name] = function (this: Statement, ...args: unknown[]) {
      executed.push(this.source);
      return original.apply(this, args);
    };
  }
  t.teardown(() => Object.assign(proto, originals));

  for (const url of ['/categories/water', '/categories/water?lang=en', '/api/v1/demands/stats', '/demands?format=csv']) {
    t.equal((await app.inject(url)).statusCode, 200, `${url} answers`);
    executed.length = 0;
    const again = await app.inject(url);
    t.equal(again.statusCode, 200);
    t.ok(executed.length > 0, `${url}: the spy sees the statements it runs`);
    const scans = executed.filter((source) => /\b(pledges|demands)\b/i.test(source));
    t.same(scans, [], `${url}: no statement over pledges or demands on a second read`);
  }
  // The spy itself can see such a statement: the page's figures are read on a first read.
  executed.length = 0;
  await makePublished(app, f, { title: '供热管网改造' });
  executed.length = 0;
  await app.inject('/categories/water');
  t.ok(
    executed.some((source) => /\bpledges\b/i.test(source)),
    'after a write, the figures are counted again',
  );
});
