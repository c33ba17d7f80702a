// One read transaction per request (src/plugins/read-snapshots.ts): reads inside it see one
// state of the record; anything that writes on the same connection ends it first and is
// committed at once; it never outlives its event-loop turn; and a request that arrives reads
// every commit made before it, by this process or another.
import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../../src/plugins/db.ts';
import { readSnapshotsOf } from '../../src/plugins/read-snapshots.ts';
import { categories } from '../../db/schema.ts';
import { build, seed, tempDir } from '../helpers.ts';
import { makePublished } from '../manage/fixtures.ts';

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The server's kind of connection and a second one on the same file (the CLI, another process). */
function twoConnections(t: { teardown(fn: () => unknown): void }): { db: Db; other: Database.Database } {
  const dir = tempDir();
  const file = path.join(dir, 'snap.db');
  const db = openDatabase(file);
  const other = new Database(file);
  other.pragma('busy_timeout = 2000');
  t.teardown(() => {
    other.close();
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  db.insert(categories).values({ slug: 'water', nameZh: '供水', nameEn: 'Water', sortOrder: 1 }).run();
  return { db, other };
}

const nameOf = (db: Db) => db.select({ name: categories.nameZh }).from(categories).where(eq(categories.slug, 'water')).get()?.name;
const nameSeenBy = (other: Database.Database) => (other.prepare("SELECT name_zh FROM categories WHERE slug = 'water'").pluck().get() as string);

t.test('reads inside a snapshot see one state; after it ends they see later commits', async (t) => {
  const { db, other } = twoConnections(t);
  const snapshots = readSnapshotsOf(db.$client);
  snapshots.begin();
  t.equal(nameOf(db), '供水', 'first read takes the snapshot');
  other.prepare("UPDATE categories SET name_zh = '供水供气' WHERE slug = 'water'").run();
  t.equal(nameOf(db), '供水', 'a commit by another connection is not in the open snapshot');
  t.ok(db.$client.inTransaction);
  snapshots.end();
  t.notOk(db.$client.inTransaction, 'end() commits the read transaction');
  t.equal(nameOf(db), '供水供气', 'reads after the snapshot see the commit');
});

t.test('a snapshot never outlives the event-loop turn that began it', async (t) => {
  const { db, other } = twoConnections(t);
  const snapshots = readSnapshotsOf(db.$client);
  snapshots.begin();
  nameOf(db);
  other.prepare("UPDATE categories SET name_zh = '供水供气' WHERE slug = 'water'").run();
  await nextTurn();
  t.notOk(snapshots.open);
  t.notOk(db.$client.inTransaction);
  t.equal(nameOf(db), '供水供气');
});

t.test('begin() starts afresh: commits made before it are seen', async (t) => {
  const { db, other } = twoConnections(t);
  const snapshots = readSnapshotsOf(db.$client);
  snapshots.begin();
  nameOf(db);
  other.prepare("UPDATE categories SET name_zh = '供水供气' WHERE slug = 'water'").run();
  // The next request in the same turn.
  snapshots.begin();
  t.equal(nameOf(db), '供水供气');
});

t.test('a write on the same connection ends the snapshot first and is committed at once', async (t) => {
  const { db, other } = twoConnections(t);
  const snapshots = readSnapshotsOf(db.$client);

  snapshots.begin();
  nameOf(db);
  db.update(categories).set({ nameZh: '甲' }).where(eq(categories.slug, 'water')).run();
  t.notOk(snapshots.open, 'an UPDATE through drizzle ends it');
  t.notOk(db.$client.inTransaction, 'and is not left inside a transaction');
  t.equal(nameSeenBy(other), '甲', 'another connection sees the write before the turn ends');

  snapshots.begin();
  nameOf(db);
  const inserted = db.insert(categories).values({ slug: 'roads', nameZh: '道路', nameEn: 'Roads', sortOrder: 2 }).returning().get();
  t.ok(inserted.id, 'INSERT … RETURNING (a statement that reads rows back) counts as a write');
  t.notOk(db.$client.inTransaction);
  t.equal(other.prepare("SELECT count(*) FROM categories WHERE slug = 'roads'").pluck().get(), 1);

  snapshots.begin();
  nameOf(db);
  db.transaction((tx) => {
    tx.update(categories).set({ nameZh: '乙' }).where(eq(categories.slug, 'water')).run();
  });
  t.notOk(db.$client.inTransaction, 'drizzle’s transaction() commits its own transaction, not a savepoint in the read');
  t.equal(nameSeenBy(other), '乙');

  snapshots.begin();
  nameOf(db);
  db.$client.transaction(() => db.$client.prepare("UPDATE categories SET name_zh = '丙' WHERE slug = 'water'").run()).immediate();
  t.notOk(db.$client.inTransaction, 'better-sqlite3’s transaction variants too');
  t.equal(nameSeenBy(other), '丙');

  snapshots.begin();
  nameOf(db);
  db.$client.exec("UPDATE categories SET name_zh = '丁' WHERE slug = 'water'");
  t.notOk(db.$client.inTransaction, 'exec');
  t.equal(nameSeenBy(other), '丁');

  snapshots.begin();
  nameOf(db);
  db.$client.pragma('user_version = 7');
  t.notOk(db.$client.inTransaction, 'pragma');
  t.equal(other.pragma('user_version', { simple: true }), 7);
});

t.test('an iterator held open across turns keeps the snapshot until it is done, and nothing throws', async (t) => {
  const { db } = twoConnections(t);
  db.insert(categories).values({ slug: 'roads', nameZh: '道路', nameEn: 'Roads', sortOrder: 2 }).run();
  const snapshots = readSnapshotsOf(db.$client);
  snapshots.begin();
  const rows = db.$client.prepare('SELECT slug FROM categories ORDER BY slug').pluck().iterate();
  t.equal(rows.next().value, 'roads');
  await nextTurn();
  await nextTurn();
  t.ok(snapshots.open, 'still open while the iterator holds the connection');
  t.equal(rows.next().value, 'water');
  t.ok(rows.next().done);
  await nextTurn();
  await nextTurn();
  t.notOk(snapshots.open, 'ended once the iterator is done');
  t.notOk(db.$client.inTransaction);
});

t.test('someone else’s transaction is theirs: begin() does not join or end it', async (t) => {
  const { db, other } = twoConnections(t);
  const snapshots = readSnapshotsOf(db.$client);
  db.$client.exec('BEGIN IMMEDIATE');
  db.$client.prepare("UPDATE categories SET name_zh = '戊' WHERE slug = 'water'").run();
  snapshots.begin();
  t.notOk(snapshots.open);
  t.ok(db.$client.inTransaction);
  await nextTurn();
  t.ok(db.$client.inTransaction, 'still open after the turn');
  db.$client.exec('COMMIT');
  t.equal(nameSeenBy(other), '戊');
});

t.test('a page reads inside a snapshot, and reads every commit made before it arrived', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f, { title: '老旧小区供水管网改造' });
  let inTransaction: boolean | undefined;
  app.addHook('onSend', async (request) => {
    if (request.url === `/pledges/${p.id}`) inTransaction = app.db.$client.inTransaction;
  });
  const first = await app.inject(`/pledges/${p.id}`);
  t.equal(first.statusCode, 200);
  t.equal(inTransaction, true, 'the page was read inside a read transaction');
  t.match(first.body, '老旧小区供水管网改造');

  // Another process renames the pledge in the same event-loop turn: the next request sees it.
  const other = new Database(app.config.databaseFile);
  t.teardown(() => other.close());
  other.prepare('UPDATE pledges SET title = ? WHERE id = ?').run('老旧小区供水管网全面改造', p.id);
  const second = await app.inject(`/pledges/${p.id}`);
  t.match(second.body, '老旧小区供水管网全面改造', 'read by the next request, the page cache’s look-up included');

  const post = await app.inject({ method: 'POST', url: '/login', payload: {} });
  t.not(post.statusCode, 500);
  t.notOk(readSnapshotsOf(app.db.$client).open, 'a POST ends the snapshot before it and begins none');
  t.notOk(app.db.$client.inTransaction);
  await nextTurn();
  t.notOk(app.db.$client.inTransaction, 'nothing left open after the turn');
});
