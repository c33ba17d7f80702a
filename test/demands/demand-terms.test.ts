// demand_terms (migration 0014) must always hold every report's search tokens, the same as
// demand_search: the board's search reads one or the other by a cost rule, so any drift would
// make its answer depend on which path was picked.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { build, seed, tempDir } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { createDemandRepository } from '../../src/demands/repository.ts';
import { searchTokensOf } from '../../src/demands/search-index.ts';
import { storedTerms } from '../../src/search/fold.ts';
import { createDatasetWriter } from '../../src/dataset/repository.ts';
import { generateDataset } from '../../src/dataset/generate.ts';
import { todayIn } from '../../src/pledges/status.ts';
import { ADMIN, demandInput } from './fixtures.ts';

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

/** "id token" for every row of demand_terms. */
function termRows(db: Database.Database): string[] {
  return (db.prepare('SELECT demand_id, token FROM demand_terms').all() as { demand_id: number; token: string }[]).map((r) => `${r.demand_id} ${r.token}`).sort();
}

/** What demand_terms must hold: every report's tokens, from its stored redacted text and place. */
function expectedTerms(db: Database.Database): string[] {
  const rows = db.prepare('SELECT id, public_text, location FROM demands').all() as { id: number; public_text: string; location: string }[];
  return rows.flatMap((r) => storedTerms(searchTokensOf(r.public_text, r.location)).map((token) => `${r.id} ${token}`)).sort();
}

/** What the full-text index itself holds, one "id token" per distinct token of a row. */
function ftsRows(db: Database.Database): string[] {
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.demand_search_rows USING fts5vocab(main, demand_search, instance)');
  return (db.prepare('SELECT DISTINCT doc, term FROM temp.demand_search_rows').all() as { doc: number; term: string }[]).map((r) => `${r.doc} ${r.term}`).sort();
}

t.test('every way a report comes in or changes leaves demand_terms equal to the reports\' tokens and to the full-text index', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const sqlite = app.db.$client;
  const repo = createDemandRepository(app.db);
  const check = (when: string) => {
    const stored = termRows(sqlite);
    t.same(stored, expectedTerms(sqlite), `${when}: every report's tokens`);
    t.same(stored, ftsRows(sqlite), `${when}: the same tokens as demand_search`);
  };
  const board = async (q: string) => (await repo.board({ q })).rows.map((r) => r.id);

  // The web form and staff entry (create), the intake API (createMany), a hotline file (importBatch).
  const web = await repo.create(ADMIN(f), demandInput(f, { text: '小区供暖不热，Café ÉTÉ 暖气片冰凉' }));
  const [api] = await repo.createMany(ADMIN(f), [demandInput(f, { channel: 'hotline_12345', externalRef: 'RX1', text: '路灯坏了 Straße 2026' })]);
  const again = await repo.createMany(ADMIN(f), [demandInput(f, { channel: 'hotline_12345', externalRef: 'RX1', text: '重复的工单不应改变索引' })]);
  t.equal(again[0].created, false, 'a ticket posted twice is stored once');
  const imported = await repo.importBatch(
    ADMIN(f),
    { fileName: 'x.csv', format: 'csv', encoding: 'utf-8', totalRows: 2, refusedRows: '[]', refusedCount: 0 },
    [demandInput(f, { channel: 'hotline_12345', externalRef: 'RX2', text: '小区门口积水 Ꭰ ΑΣ' }), demandInput(f, { channel: 'hotline_12345', externalRef: 'RX3', text: '噪音扰民' })],
  );
  t.equal(imported.stored, 2);
  t.ok(termRows(sqlite).includes(`${web.id} cafe`) && termRows(sqlite).includes(`${web.id} ete`), 'Latin folded as the index folds it');
  t.notOk(termRows(sqlite).some((r) => r.endsWith(' 王小明') || r.includes('13912345678')), 'the reporter\'s name and phone are not indexed (redacted before)');
  check('after the web form, the intake API and an import');

  // Triage: correcting the category reindexes; hiding, merging, declining, claiming and erasing
  // contacts change no indexed text, and must leave both indexes as they are.
  t.ok(await repo.classify(ADMIN(f), web.id, { categoryId: f.categoryId, districtUnitId: null }));
  t.ok(await repo.setHidden(ADMIN(f), api.id, true));
  const merged = await repo.merge(ADMIN(f), [api.id], web.id);
  t.ok(merged.ok);
  const [, , third, fourth] = (sqlite.prepare('SELECT id FROM demands ORDER BY id').all() as { id: number }[]).map((r) => r.id);
  t.ok((await repo.decline(ADMIN(f), [fourth], '不属于受理范围', null)).ok);
  const pledgeId = makePledge(app, f, { title: '小区排水改造' });
  t.ok((await repo.claim(ADMIN(f), [third], pledgeId, f.unitA.id)).ok);
  sqlite.prepare("UPDATE demands SET closed_at = '2000-01-01T00:00:00.000Z' WHERE id = ?").run(fourth);
  const erased = await repo.eraseExpiredContacts(ADMIN(f), 30);
  t.ok(erased.demands >= 1, 'a declined report\'s contact was erased');
  check('after classifying, hiding, merging, declining, claiming and erasing contacts');

  t.same(await board('小区'), [third, web.id].sort((a, b) => b - a), 'the board finds the visible reports (the merged and hidden one is not listed)');
  t.same(await board('路灯'), [], 'a hidden text is not found');
});

t.test('the dataset generator fills demand_terms with demand_search', async (t) => {
  const dir = tempDir('demand-terms-dataset-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const db = openDatabase(path.join(dir, 'd.db'));
  t.teardown(() => db.$client.close());
  generateDataset(createDatasetWriter(db), { scale: 0.02, today: todayIn('Asia/Shanghai') });
  const stored = termRows(db.$client);
  t.ok(stored.length > 1000, `${stored.length} tokens`);
  t.same(stored, ftsRows(db.$client), 'the same tokens as demand_search');
  t.same(stored, expectedTerms(db.$client), 'every report\'s tokens');
});

t.test('migration 0014 fills demand_terms from the full-text index a database already holds', async (t) => {
  const dir = tempDir('demand-terms-migration-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const before = path.join(dir, 'migrations');
  fs.mkdirSync(path.join(before, 'meta'), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const older = journal.entries.filter((e) => e.idx <= 13);
  t.equal(older.length, 14, 'migrations 0000–0013');
  t.ok(journal.entries.some((e) => e.tag === '0014_demand_terms'), 'the demand terms migration is in the journal');
  fs.writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: older }));
  for (const e of older) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));

  const file = path.join(dir, 'old.db');
  const old = new Database(file);
  migrate(drizzle(old), { migrationsFolder: before });
  t.notOk(old.prepare("SELECT 1 FROM sqlite_master WHERE name = 'demand_terms'").get(), 'no demand_terms before 0014');
  const insert = old.prepare(
    "INSERT INTO demands (tracking_no, channel, text, public_text, location, reported_at, text_hidden) VALUES (?, 'web', ?, ?, ?, '2026-03-01T00:00:00.000Z', ?)",
  );
  const index = old.prepare('INSERT INTO demand_search (rowid, tokens) VALUES (?, ?)');
  const texts: [string, string, number][] = [
    ['老旧小区供暖不热 Café ÉTÉ', '历下区文化东路', 0],
    ['小区小区停车难 200 个', 'Lane 5', 0],
    ['背街小巷路灯 Ꭰ ΑΣ', '市中区', 1],
  ];
  old.transaction(() => {
    texts.forEach(([text, location, hidden], i) => {
      const id = Number(insert.run(`T${i}`, text, text, location, hidden).lastInsertRowid);
      // As the app wrote them before 0014.
      index.run(id, searchTokensOf(text, location));
    });
  })();
  old.close();

  const db = openDatabase(file);
  t.teardown(() => db.$client.close());
  const got = termRows(db.$client);
  t.ok(got.length > 30, `${got.length} tokens copied`);
  t.same(got, expectedTerms(db.$client), 'the backfill holds every report\'s tokens (hidden ones too), folded as the index folds them');
  t.ok(got.includes('1 cafe') && got.includes('1 ete'), 'Latin folded by the index (Café, ÉTÉ)');
  t.ok(!db.$client.prepare("SELECT 1 FROM sqlite_temp_master WHERE name = 'demand_search_instances'").get(), 'the helper table is gone');
});
