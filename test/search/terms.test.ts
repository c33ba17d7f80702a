// pledge_terms (migration 0012) must always hold each published pledge's search tokens and
// nothing else: the probe path of a search reads it instead of the full-text index, so any
// drift would make a search's answer depend on which path the planner's cost rule picked.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { build, seed, login, tempDir } from '../helpers.ts';
import { makeDraft, makePublished, publishedFields } from '../manage/fixtures.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { reindexPledge } from '../../src/search/repository.ts';
import { indexTokens } from '../../src/search/tokens.ts';
import { storedTerms } from '../../src/search/fold.ts';

const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

/** "id token" for every row of pledge_terms. */
function termRows(db: Database.Database): string[] {
  return (db.prepare('SELECT pledge_id, token FROM pledge_terms').all() as { pledge_id: number; token: string }[]).map((r) => `${r.pledge_id} ${r.token}`).sort();
}

/** What pledge_terms must hold: the tokens of every published pledge, computed from its columns as reindexPledge reads them. */
function expectedTerms(db: Database.Database): string[] {
  const rows = db
    .prepare(
      `SELECT p.id, p.title, p.commitment, p.standard, p.lead_official, p.responsible_person, u.name AS unit_name
       FROM pledges p JOIN units u ON u.id = p.lead_unit_id WHERE p.status <> 'draft'`,
    )
    .all() as { id: number; title: string; commitment: string; standard: string; lead_official: string; responsible_person: string; unit_name: string }[];
  return rows
    .flatMap((r) => storedTerms(indexTokens(r.title, r.commitment, r.standard, r.lead_official, r.responsible_person, r.unit_name)).map((token) => `${r.id} ${token}`))
    .sort();
}

/** What the full-text index itself holds, one "id token" per distinct token of a row. */
function ftsRows(db: Database.Database): string[] {
  db.exec('CREATE VIRTUAL TABLE IF NOT EXISTS temp.pledge_search_rows USING fts5vocab(main, pledge_search, instance)');
  return (db.prepare('SELECT DISTINCT doc, term FROM temp.pledge_search_rows').all() as { doc: number; term: string }[]).map((r) => `${r.doc} ${r.term}`).sort();
}

t.test('every write that reindexes a pledge leaves pledge_terms equal to the published pledges\' tokens, and to the full-text index', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const sqlite = app.db.$client;
  const check = (when: string) => {
    const stored = termRows(sqlite);
    t.same(stored, expectedTerms(sqlite), `${when}: the published pledges' tokens`);
    t.same(stored, ftsRows(sqlite), `${when}: the same tokens as pledge_search`);
  };
  const listed = async (q: string) => {
    const res = await app.inject(`/pledges?q=${encodeURIComponent(q)}`);
    return [...res.body.matchAll(/href="\/pledges\/(\d+)"/g)].map((m) => Number(m[1]));
  };

  const first = await makePublished(app, f, { title: '老旧小区供水管网改造', commitment: 'Water mains for 12 estates' });
  const draft = await makeDraft(app, f, { title: '背街小巷路灯安装' });
  t.ok(termRows(sqlite).length > 20, 'the published pledge has its tokens');
  t.notOk(termRows(sqlite).some((r) => r.startsWith(`${draft.id} `)), 'a draft has none');
  check('after publishing one pledge and drafting another');

  const editor = await login(app, 'editor-a');
  const edited = await editor.request({
    method: 'POST',
    url: `/manage/pledges/${first.id}/edit`,
    form: publishedFields(first, { title: 'Café 雨污分流改造', amendmentReason: '群众意见：范围调整' }),
  });
  t.equal(edited.statusCode, 303);
  check('after the wording was amended');
  t.notOk(termRows(sqlite).includes(`${first.id} 供水`), 'the old title\'s tokens are gone');
  t.ok(termRows(sqlite).includes(`${first.id} cafe`), 'the new title\'s, folded as the index folds them');

  const admin = await login(app, 'admin');
  const renamed = await admin.request({ method: 'POST', url: `/admin/units/${f.unitA.id}`, form: { name: '市城乡水务局', slug: f.unitA.slug, kind: 'city_department', active: 'on' } });
  t.equal(renamed.statusCode, 303);
  check('after the lead unit was renamed');
  t.ok(termRows(sqlite).includes(`${first.id} 城乡`), 'the new unit name is searchable');

  const publish = await editor.request({ method: 'POST', url: `/manage/pledges/${draft.id}/publish`, form: { version: String(draft.version) } });
  t.equal(publish.statusCode, 303);
  check('after the draft was published');
  t.same(await listed('路灯'), [draft.id], 'and it is found');

  // No screen takes a pledge back to draft; if anything ever does, reindexing must take it out.
  app.db.transaction((tx) => {
    sqlite.prepare("UPDATE pledges SET status = 'draft' WHERE id = ?").run(draft.id);
    reindexPledge(tx, draft.id);
  });
  check('after a pledge went back to draft');
  t.same(await listed('路灯'), [], 'it is no longer found');

  // Nor does any screen delete a pledge; the foreign key takes its tokens with it.
  const gone = await makePublished(app, f, { title: '公园厕所提升' });
  t.ok(termRows(sqlite).some((r) => r.startsWith(`${gone.id} `)));
  sqlite.prepare('DELETE FROM pledge_search WHERE rowid = ?').run(gone.id);
  sqlite.prepare('DELETE FROM pledges WHERE id = ?').run(gone.id);
  t.notOk(termRows(sqlite).some((r) => r.startsWith(`${gone.id} `)), 'a deleted pledge leaves no tokens');
  check('after a pledge was deleted');
});

t.test('migration 0012 fills pledge_terms from the full-text index a database already holds', async (t) => {
  const dir = tempDir('pledges-terms-migration-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // The migrations as they were before 0012.
  const before = path.join(dir, 'migrations');
  fs.mkdirSync(path.join(before, 'meta'), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const older = journal.entries.filter((e) => e.idx <= 11);
  t.equal(older.length, 12, 'migrations 0000–0011');
  t.ok(journal.entries.some((e) => e.tag === '0012_search_terms'), 'the search terms migration is in the journal');
  fs.writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: older }));
  for (const e of older) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));

  const file = path.join(dir, 'old.db');
  const old = new Database(file);
  migrate(drizzle(old), { migrationsFolder: before });
  t.notOk(old.prepare("SELECT 1 FROM sqlite_master WHERE name = 'pledge_terms'").get(), 'no pledge_terms before 0012');
  old.exec(`
    INSERT INTO campaigns (slug, name, starts_on, ends_on, time_zone) VALUES ('c', 'c', '2026-01-01', '2026-12-31', 'Asia/Shanghai');
    INSERT INTO units (slug, name, kind, is_service_window) VALUES ('a', '市水务局', 'city_department', 0);`);
  const insert = old.prepare(
    "INSERT INTO pledges (campaign_id, lead_unit_id, title, commitment, start_on, due_on, status) VALUES (1, 1, ?, ?, '2026-01-01', '2026-06-30', ?)",
  );
  const index = old.prepare('INSERT INTO pledge_search (rowid, tokens) VALUES (?, ?)');
  const texts: [string, string, string][] = [
    ['老旧小区供水管网改造', 'Café ÉTÉ Straße 2026', 'in_progress'],
    ['小区小区停车', '停车位 200 个', 'completed'],
    ['背街小巷路灯', 'Ꭰ ΑΣ', 'pledged'],
  ];
  old.transaction(() => {
    for (const [title, commitment, status] of texts) {
      const id = Number(insert.run(title, commitment, status).lastInsertRowid);
      // As reindexPledge wrote them before 0012 (the same columns, the unit's name last).
      index.run(id, indexTokens(title, commitment, '', '', '', '市水务局'));
    }
    // A row left in the index for a pledge that is a draft now: not to be copied.
    const draft = Number(insert.run('草稿事项', '', 'draft').lastInsertRowid);
    index.run(draft, indexTokens('草稿事项'));
  })();
  old.close();

  const db = openDatabase(file);
  t.teardown(() => db.$client.close());
  const got = termRows(db.$client);
  t.ok(got.length > 60, `${got.length} tokens copied`);
  t.same(got, expectedTerms(db.$client), 'the backfill holds each published pledge\'s tokens, folded as the index folds them, the draft\'s left out');
  t.ok(got.includes('1 cafe') && got.includes('1 ete'), 'Latin folded by the index (Café, ÉTÉ)');
  t.notOk(got.some((r) => r.startsWith('4 ')), 'nothing for the draft');
  t.ok(!db.$client.prepare("SELECT 1 FROM sqlite_temp_master WHERE name = 'pledge_search_instances'").get(), 'the helper table is gone');
});
