// The list's rows are read by position from raw arrays, their names looked up in memory
// (row-names.ts) and, for some shapes and pages, in two steps (the page's ids, then their rows):
// all must give exactly what drizzle's own mapping of the published rows joined to their
// campaign, units and category, filtered and sorted in JavaScript, gives. Also the per-second
// memo of "today" that every row's display status asks for.
import fs from 'node:fs';
import path from 'node:path';
import t from 'tap';
import Database from 'better-sqlite3';
import { eq, ne } from 'drizzle-orm';
import { alias } from 'drizzle-orm/sqlite-core';
import type { FastifyInstance } from 'fastify';
import { campaigns, categories, pledges, units } from '../../db/schema.ts';
import { buildApp } from '../../src/app.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { createDatasetWriter } from '../../src/dataset/repository.ts';
import { generateDataset } from '../../src/dataset/generate.ts';
import { createPledgeQueries, type PledgeFilter, type PledgeRow } from '../../src/pledges/queries.ts';
import { pledgeRowsFromValues, publicRowsQuery } from '../../src/pledges/row-columns.ts';
import { createRowNames } from '../../src/pledges/row-names.ts';
import { displayStatus, todayIn } from '../../src/pledges/status.ts';
import { LIST_SORTS, type ListSort } from '../../src/pledges/list-schema.ts';
import { tempDir, testConfig } from '../helpers.ts';

// Every SQL text compiled, to see that both ways of reading a page ran.
const compiled: string[] = [];
const prepare = Database.prototype.prepare;
Database.prototype.prepare = function (this: Database.Database, source: string) {
  compiled.push(source);
  return prepare.call(this, source);
} as typeof prepare;

const dir = tempDir('pledges-list-rows-');
const file = path.join(dir, 'test.db');
const today = todayIn('Asia/Shanghai');
{
  const db = openDatabase(file);
  generateDataset(createDatasetWriter(db), { scale: 0.1, today });
  // The generated pledges all have a category: some lose it, so a missing join is compared too.
  db.$client.prepare('UPDATE pledges SET category_id = NULL WHERE id % 7 = 0').run();
  db.$client.close();
}
const app: FastifyInstance = await buildApp(testConfig({ DATABASE_FILE: file, PAGE_CACHE_MB: '0', RATE_LIMIT_PER_MINUTE: '100000000' }, dir));
t.teardown(async () => {
  await app.close();
  Database.prototype.prepare = prepare;
  fs.rmSync(dir, { recursive: true, force: true });
});

const at = new Date();
/**
 * Every published row as the joins gave it and drizzle maps it (nested objects, nulls for
 * missing joins), with its display status for "today" in its campaign's zone: the rows as they
 * were read before the names came from memory.
 */
const districtUnits = alias(units, 'district_units');
const joinedRows = app.db
  .select({
    id: pledges.id,
    title: pledges.title,
    tier: pledges.tier,
    status: pledges.status,
    progress: pledges.progress,
    dueOn: pledges.dueOn,
    completedOn: pledges.completedOn,
    updatedAt: pledges.updatedAt,
    timeZone: campaigns.timeZone,
    leadUnit: { id: units.id, slug: units.slug, name: units.name },
    category: { slug: categories.slug, nameZh: categories.nameZh, nameEn: categories.nameEn },
    district: { slug: districtUnits.slug, name: districtUnits.name },
  })
  .from(pledges)
  .leftJoin(campaigns, eq(campaigns.id, pledges.campaignId))
  .leftJoin(units, eq(units.id, pledges.leadUnitId))
  .leftJoin(categories, eq(categories.id, pledges.categoryId))
  .leftJoin(districtUnits, eq(districtUnits.id, pledges.districtUnitId))
  .where(ne(pledges.status, 'draft'))
  .all();
const published: PledgeRow[] = joinedRows.map(({ timeZone, ...row }) => ({ ...row, leadUnit: row.leadUnit!, display: displayStatus(row, todayIn(timeZone!, at)) }));
const campaignIdOf = new Map(app.db.select({ id: pledges.id, campaignId: pledges.campaignId }).from(pledges).all().map((r) => [r.id, r.campaignId]));

t.test('the dataset has what the comparisons need', async (t) => {
  t.ok(published.length > 60, `${published.length} published pledges`);
  t.ok(published.some((r) => r.category === null) && published.some((r) => r.category !== null), 'with and without a category');
  t.ok(published.some((r) => r.district === null) && published.some((r) => r.district !== null), 'with and without a district');
  t.ok(published.some((r) => r.display.overdue) && published.some((r) => r.display.completedLate), 'overdue and completed late ones');
});

t.test('rows read by position with names from memory are the joined rows drizzle maps', async (t) => {
  const query = publicRowsQuery(app.db).where(ne(pledges.status, 'draft')).prepare();
  const names = await createRowNames(app.db).current();
  let learned = 0;
  const learn = names.learn;
  names.learn = (missing) => {
    learned++;
    learn(missing);
  };
  const byPosition = pledgeRowsFromValues(query.values() as unknown[][], at, names);
  t.same(byPosition, published, 'every field, nested object and null alike');
  const withAll = byPosition.find((r) => r.category && r.district)!;
  const joined = published.find((r) => r.id === withAll.id)!;
  t.same(Object.keys(withAll), Object.keys(joined), 'in the same key order (exports and the API follow it)');
  for (const part of ['leadUnit', 'category', 'district'] as const) {
    t.same(Object.keys(withAll[part]!), Object.keys(joined[part]!), `${part}: the same keys in the same order`);
  }
  t.equal(learned, 1, 'the names of all rows were read in one go');

  // Another read of the same data version finds every name in memory.
  const again = pledgeRowsFromValues(query.values() as unknown[][], at, names);
  t.equal(learned, 1, 'no name read again');
  t.same(again, published);
  const sameUnit = again.filter((r) => r.leadUnit.id === again[0].leadUnit.id);
  t.ok(sameUnit.length > 1 && sameUnit.every((r) => r.leadUnit === again[0].leadUnit), 'rows of one unit share its name object');
  t.ok(Object.isFrozen(again[0].leadUnit), 'which nobody may change');
});

// The list's orders, written out independently of the SQL (text compares as SQLite's BINARY does).
const text = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));
const ORDERS: Record<ListSort, (a: PledgeRow, b: PledgeRow) => number> = {
  due_asc: (a, b) => text(a.dueOn, b.dueOn) || a.id - b.id,
  due_desc: (a, b) => text(b.dueOn, a.dueOn) || b.id - a.id,
  updated: (a, b) => text(b.updatedAt, a.updatedAt) || b.id - a.id,
  progress_desc: (a, b) => b.progress - a.progress || text(a.dueOn, b.dueOn) || a.id - b.id,
  progress_asc: (a, b) => a.progress - b.progress || text(a.dueOn, b.dueOn) || a.id - b.id,
  title: (a, b) => text(a.title, b.title) || a.id - b.id,
};

t.test('every page of every sort and filter: the same rows, in the same order, whichever way it is read', async (t) => {
  const queries = createPledgeQueries(app.db, { aggregates: app.aggregates });
  const ledBy = new Map<number, number>();
  for (const r of published) ledBy.set(r.leadUnit.id, (ledBy.get(r.leadUnit.id) ?? 0) + 1);
  const busiest = [...ledBy].sort((a, b) => b[1] - a[1])[0];
  const category = published.find((r) => r.category)!.category!.slug;
  const categoryId = (app.db.$client.prepare('SELECT id FROM categories WHERE slug = ?').get(category) as { id: number }).id;
  const campaignId = campaignIdOf.get(published[0].id)!;
  const shapes: { label: string; filter: PledgeFilter; keep: (r: PledgeRow) => boolean }[] = [
    { label: 'everything', filter: {}, keep: () => true },
    { label: 'completed', filter: { status: 'completed' }, keep: (r) => r.status === 'completed' },
    { label: 'overdue', filter: { status: 'overdue' }, keep: (r) => r.display.overdue },
    { label: 'unit tier', filter: { tier: 'unit' }, keep: (r) => r.tier === 'unit' },
    { label: 'one category', filter: { categoryId }, keep: (r) => r.category?.slug === category },
    { label: 'one lead unit', filter: { leadUnitId: busiest[0] }, keep: (r) => r.leadUnit.id === busiest[0] },
    { label: 'one campaign', filter: { campaignId }, keep: (r) => campaignIdOf.get(r.id) === campaignId },
  ];
  const pageSize = 7;
  compiled.length = 0;
  for (const shape of shapes) {
    for (const sort of LIST_SORTS) {
      const expected = published.filter(shape.keep).sort(ORDERS[sort]);
      const pages = Math.max(1, Math.ceil(expected.length / pageSize));
      for (const page of new Set([1, 2, pages])) {
        const got = await queries.list(shape.filter, { sort, page, pageSize });
        const want = expected.slice((got.page - 1) * pageSize, got.page * pageSize);
        t.equal(got.total, expected.length, `${shape.label}, ${sort}: the total`);
        t.same(
          got.rows.map((r) => r.id),
          want.map((r) => r.id),
          `${shape.label}, ${sort}, page ${page}: the rows in order`,
        );
        t.same(got.rows, want, `${shape.label}, ${sort}, page ${page}: every field`);
      }
    }
  }
  t.ok(
    compiled.some((s) => s.includes('IN (SELECT value FROM json_each(')),
    'some pages were read in two steps (their ids first)',
  );
  t.ok(
    compiled.some((s) => /^select "id", "title".* limit \? \+ 0 offset \?$/s.test(s)),
    'and some in one (a first page an index gives in order)',
  );
});

t.test('the API and the list page show the rows of a page read in two steps', async (t) => {
  const expected = published.filter((r) => r.status === 'completed').sort(ORDERS.updated);
  const res = await app.inject('/api/v1/pledges?status=completed&sort=updated&limit=5&page=2');
  t.equal(res.statusCode, 200);
  t.same(
    res.json().data.map((r: { id: number }) => r.id),
    expected.slice(5, 10).map((r) => r.id),
  );
  const html = (await app.inject('/pledges?status=completed&sort=updated&page=2')).body;
  const shown = [...html.matchAll(/<a href="\/pledges\/(\d+)">/g)].map((m) => Number(m[1]));
  t.same(shown, expected.slice(25, 50).map((r) => r.id));
});

t.test("today's day is remembered for one second only, per zone", async (t) => {
  // Shanghai (UTC+8) and Kathmandu (UTC+5:45): midnights on the hour and off it.
  t.equal(todayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59.000Z')), '2026-03-01');
  t.equal(todayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59.999Z')), '2026-03-01', 'the same second');
  t.equal(todayIn('Asia/Shanghai', new Date('2026-03-01T16:00:00.000Z')), '2026-03-02', 'the next second is the next day');
  t.equal(todayIn('Asia/Kathmandu', new Date('2026-03-01T18:14:59.500Z')), '2026-03-01', 'another zone, its own day');
  t.equal(todayIn('Asia/Kathmandu', new Date('2026-03-01T18:15:00.000Z')), '2026-03-02');
  t.equal(todayIn('Asia/Shanghai', new Date('2026-03-01T15:59:59.000Z')), '2026-03-01', 'an earlier instant again');
  t.throws(() => todayIn('Asia/Shanghai', new Date(Number.NaN)), RangeError, 'an invalid date still throws');
});
