// Issue 7: a public page rendered from the database (a page-cache miss) must not pay for
// drizzle turning a query builder into SQL on every request (~40–100 µs a query, more than
// most of these queries take to run). Hot reads are built once (`preparedOnce`, or one
// prepared query per filter shape); this test renders each public page twice to warm it up,
// then counts the SQL drizzle builds while rendering it a third time: it must be none.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import { SQLiteDialect } from 'drizzle-orm/sqlite-core';
import { buildApp } from '../../src/app.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { createDatasetWriter } from '../../src/dataset/repository.ts';
import { generateDataset } from '../../src/dataset/generate.ts';
import { todayIn } from '../../src/pledges/status.ts';
import { tempDir, testConfig } from '../helpers.ts';

/**
 * Pages still known to build a query per request, each with its reason. A stale entry (the page
 * builds nothing any more) fails too, so the list only shrinks.
 */
const KNOWN_BUILDERS: Record<string, string> = {};

// Counts every query drizzle builds, wherever it comes from (select, insert, raw sql``).
const dialect = SQLiteDialect.prototype as unknown as { sqlToQuery: (...args: unknown[]) => { sql: string } };
const originalSqlToQuery = dialect.sqlToQuery;
let built: string[] = [];
dialect.sqlToQuery = function (this: unknown, ...args: unknown[]) {
  const query = originalSqlToQuery.apply(this, args);
  built.push(query.sql);
  return query;
};

const dir = tempDir('pledges-prepared-reads-');
const file = path.join(dir, 'test.db');
{
  const db = openDatabase(file);
  generateDataset(createDatasetWriter(db), { scale: 0.1, today: todayIn('Asia/Shanghai') });
  db.$client.close();
}
const app = await buildApp(testConfig({ DATABASE_FILE: file, PAGE_CACHE_MB: '0', RATE_LIMIT_PER_MINUTE: '100000000' }, dir));
t.teardown(async () => {
  await app.close();
  dialect.sqlToQuery = originalSqlToQuery;
  fs.rmSync(dir, { recursive: true, force: true });
});

const sqlite = app.db.$client;
const unitSlug = (sqlite.prepare('SELECT u.slug FROM units u JOIN pledges p ON p.lead_unit_id = u.id GROUP BY u.id ORDER BY count(*) DESC LIMIT 1').get() as { slug: string }).slug;
const pledgeId = (sqlite.prepare("SELECT id FROM pledges WHERE status = 'in_progress' ORDER BY id LIMIT 1").get() as { id: number }).id;

// The benchmark's pages (test/bench/targets.ts) and the other public pages people land on.
const urls = [
  '/',
  '/pledges',
  `/pledges?status=in_progress&sort=progress_desc&q=${encodeURIComponent('小区')}`,
  `/pledges/${pledgeId}`,
  `/units/${unitSlug}`,
  '/league',
  '/api/v1/pledges?limit=50',
  '/units',
  '/about',
  '/suggestions',
  '/notices',
  '/demands',
  `/demands?q=${encodeURIComponent('道路')}&page=2`,
  '/feeds',
  '/feeds/updates.atom',
  '/embed/campaign',
  '/sitemap.xml',
  '/api/v1/updates',
  '/pledges?lang=en',
  `/pledges/${pledgeId}?lang=en`,
];

for (const url of urls) {
  t.test(url, async (t) => {
    for (let i = 0; i < 2; i++) t.equal((await app.inject({ url })).statusCode, 200, 'warm-up answered 200');
    built = [];
    const res = await app.inject({ url });
    t.equal(res.statusCode, 200);
    const known = KNOWN_BUILDERS[url];
    if (known) {
      t.ok(built.length > 0, `still builds SQL per request (${known}); remove it from KNOWN_BUILDERS`);
      t.comment(`known: ${url} builds ${built.length} queries per request — ${known}`);
    } else {
      t.same(built, [], 'no SQL built on a repeat request');
    }
  });
}
