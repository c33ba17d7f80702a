// rating_tallies is kept by triggers on ratings (migration 0011) and is what every satisfaction
// figure is read from. These tests hold it to what counting the votes themselves gives: after
// any sequence of writes the table equals a GROUP BY over ratings, and the figures the pages
// show (a pledge's or window's figures, the units table, the league, the home chart) equal
// figures counted in JavaScript from the rating rows and their flags.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import t, { type Test } from 'tap';
import fc from 'fast-check';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { sql } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { build, seed, tempDir } from '../helpers.ts';
import { campaigns, RATING_VALUES, type RatingValue } from '../../db/schema.ts';
import { openDatabase } from '../../src/plugins/db.ts';
import { createRatingsRepository, type Target } from '../../src/ratings/repository.ts';
import { createLeagueRepository, LEAGUE_GROUPS, GROUP_KINDS } from '../../src/league/repository.ts';
import { published, makeWindow } from './fixtures.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);
const migrationsFolder = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../db/migrations');

type TallyRow = { target_key: string; flag_key: number; verified: number; value: string; pledge_id: number | null; unit_id: number | null; n: number };

function tallyRows(db: Database.Database): TallyRow[] {
  return db.prepare('SELECT target_key, flag_key, verified, value, pledge_id, unit_id, n FROM rating_tallies ORDER BY 1, 2, 3, 4').all() as TallyRow[];
}

/** What the tallies must hold: the votes grouped from scratch. */
function groupedRatings(db: Database.Database): TallyRow[] {
  return db
    .prepare(
      `SELECT target_key, coalesce(flag_id, 0) AS flag_key, verified, value, min(pledge_id) AS pledge_id, min(unit_id) AS unit_id, count(*) AS n
       FROM ratings GROUP BY target_key, flag_id, verified, value ORDER BY 1, 2, 3, 4`,
    )
    .all() as TallyRow[];
}

type Counts = { satisfied: number; basic: number; dissatisfied: number; total: number; verified: number };
const zero = (): Counts => ({ satisfied: 0, basic: 0, dissatisfied: 0, total: 0, verified: 0 });
const KEY: Record<RatingValue, 'satisfied' | 'basic' | 'dissatisfied'> = { satisfied: 'satisfied', basically_satisfied: 'basic', dissatisfied: 'dissatisfied' };

interface VoteRow {
  target_key: string;
  pledge_id: number | null;
  unit_id: number | null;
  value: RatingValue;
  verified: number;
  flag_status: string | null;
  lead_unit_id: number | null;
  pledge_status: string | null;
  campaign_id: number | null;
}

/** The published figures counted vote by vote in JavaScript, independent of the SQL under test. */
function expected(db: Database.Database, campaignId?: number) {
  const votes = db
    .prepare(
      `SELECT r.target_key, r.pledge_id, r.unit_id, r.value, r.verified, f.status AS flag_status, p.lead_unit_id, p.status AS pledge_status, p.campaign_id
       FROM ratings r LEFT JOIN vote_flags f ON f.id = r.flag_id LEFT JOIN pledges p ON p.id = r.pledge_id`,
    )
    .all() as VoteRow[];
  const perUnit = new Map<number, Counts>();
  const perTarget = new Map<string, { web: Counts; verified: Counts; held: number }>();
  for (const v of votes) {
    const target = perTarget.get(v.target_key) ?? { web: zero(), verified: zero(), held: 0 };
    perTarget.set(v.target_key, target);
    const counted = v.flag_status === null || v.flag_status === 'accepted';
    if (!counted) {
      if (v.flag_status === 'open') target.held++;
      continue;
    }
    const side = v.verified ? target.verified : target.web;
    side[KEY[v.value]]++;
    side.total++;
    let unit: number | null = null;
    if (v.pledge_id === null) unit = v.unit_id;
    else if (v.pledge_status !== null && v.pledge_status !== 'draft' && (campaignId === undefined || v.campaign_id === campaignId)) unit = v.lead_unit_id;
    if (unit === null) continue;
    const c = perUnit.get(unit) ?? zero();
    perUnit.set(unit, c);
    c[KEY[v.value]]++;
    c.total++;
    c.verified += v.verified ? 1 : 0;
  }
  return { perUnit, perTarget };
}

const withoutTotalsOf = ({ verified: _v, ...tally }: Counts) => tally;

async function checkFigures(t: Test, app: FastifyInstance, targets: Target[], campaignId: number, label: string) {
  const sqlite = app.db.$client;
  const repo = createRatingsRepository(app.db);
  const league = createLeagueRepository(app.db);
  for (const scope of [undefined, campaignId]) {
    const want = expected(sqlite, scope).perUnit;
    const units = await repo.unitSatisfaction(scope);
    t.same(
      units,
      [...want.entries()].sort(([a], [b]) => a - b).map(([unitId, c]) => ({ unitId, ...c })),
      `${label}: units table, campaign ${scope ?? 'all'}`,
    );
    const home = await repo.campaignTally(scope);
    const sum = [...want.values()].reduce((s, c) => ({ satisfied: s.satisfied + c.satisfied, basic: s.basic + c.basic, dissatisfied: s.dissatisfied + c.dissatisfied, total: s.total + c.total, verified: s.verified + c.verified }), zero());
    t.same(home, sum, `${label}: home chart, campaign ${scope ?? 'all'}`);
    const kinds = new Map(sqlite.prepare('SELECT id, kind FROM units').all().map((u) => [(u as { id: number }).id, (u as { kind: string }).kind]));
    for (const group of LEAGUE_GROUPS) {
      const rows = await league.figures({ group, campaignId: scope });
      const got = new Map(rows.map((r) => [r.unitId, { satisfied: r.satisfied, basic: r.basic, dissatisfied: r.dissatisfied, total: r.ratings, verified: r.verified }]));
      for (const [unitId, c] of want) {
        if ((GROUP_KINDS[group] as readonly string[]).includes(kinds.get(unitId)!)) t.same(got.get(unitId), c, `${label}: league ${group}, unit ${unitId}, campaign ${scope ?? 'all'}`);
      }
      for (const [unitId, c] of got) if (!want.has(unitId)) t.same(c, zero(), `${label}: league ${group}, unit ${unitId} has no counted vote`);
    }
  }
  const perTarget = expected(sqlite).perTarget;
  for (const target of targets) {
    const key = 'pledgeId' in target ? `p:${target.pledgeId}` : `u:${target.unitId}`;
    const want = perTarget.get(key) ?? { web: zero(), verified: zero(), held: 0 };
    const got = await repo.figuresFor(target);
    t.same(
      { web: got.web, verified: got.verified, held: got.held },
      { web: withoutTotalsOf(want.web), verified: withoutTotalsOf(want.verified), held: want.held },
      `${label}: figures of ${key}`,
    );
  }
}

const value = fc.constantFrom(...RATING_VALUES);
const pick = fc.nat(1000);
const action = fc.oneof(
  fc.record({ kind: fc.constant('vote' as const), target: fc.nat(4), voter: fc.nat(5), value, verified: fc.boolean() }),
  // Many voters at once, so groups hold more than one vote.
  fc.record({ kind: fc.constant('crowd' as const), target: fc.nat(4), count: fc.integer({ min: 2, max: 12 }), value }),
  fc.record({ kind: fc.constant('value' as const), pick, value }),
  fc.record({ kind: fc.constant('verified' as const), pick, verified: fc.boolean() }),
  fc.record({ kind: fc.constant('flag' as const), pick, flag: fc.option(fc.nat(2)) }),
  fc.record({ kind: fc.constant('flagTarget' as const), target: fc.nat(4), flag: fc.nat(2) }),
  fc.record({ kind: fc.constant('decide' as const), flag: fc.nat(2), status: fc.constantFrom('open', 'accepted', 'discounted') }),
  fc.record({ kind: fc.constant('move' as const), pick, target: fc.nat(4) }),
  fc.record({ kind: fc.constant('delete' as const), pick }),
);

t.test('after any sequence of votes, changes, verifications, flags, decisions and deletes the tallies equal the votes counted afresh', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const sqlite = app.db.$client;
  const repo = createRatingsRepository(app.db);
  const other = app.db.insert(campaigns).values({ slug: 'old', name: '去年', startsOn: '2020-01-01', endsOn: '2020-12-31', timeZone: 'Asia/Shanghai' }).returning().get();
  const hall = makeWindow(app);
  const targets: Target[] = [
    { pledgeId: published(app, f) },
    { pledgeId: published(app, f, { campaignId: other.id }) },
    { pledgeId: published(app, f, { leadUnitId: f.unitB.id }) },
    // Votes on a draft count in no unit's figures (a pledge can go back to draft only in tests, but the filter is there).
    { pledgeId: published(app, f, { leadUnitId: f.unitB.id, status: 'draft', publishedAt: null }) },
    { unitId: hall.id },
  ];
  const keyOf = (target: Target) => ('pledgeId' in target ? `p:${target.pledgeId}` : `u:${target.unitId}`);
  const rowId = (n: number) => {
    const ids = sqlite.prepare('SELECT id FROM ratings ORDER BY id').pluck().all() as number[];
    return ids.length ? ids[n % ids.length] : null;
  };

  let run = 0;
  let crowd = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(action, { maxLength: 40 }), async (actions) => {
      run++;
      sqlite.exec('DELETE FROM ratings; DELETE FROM vote_flags;');
      if (tallyRows(sqlite).length !== 0) {
        // Start the next (shrunk) run clean, so its verdict is its own.
        sqlite.exec('DELETE FROM rating_tallies');
        throw new Error('deleting every vote left tallies behind');
      }
      const flags = [0, 1, 2].map((i) => (sqlite.prepare(`INSERT INTO vote_flags (target_key, address_key, first_at, last_at) VALUES ('p:0', ?, 'a', 'b') RETURNING id`).get(`x${i}`) as { id: number }).id);
      for (const a of actions) {
        switch (a.kind) {
          case 'vote': {
            const target = targets[a.target];
            if (a.verified) {
              const u = 'unitId' in target ? target.unitId : null;
              const p = 'pledgeId' in target ? target.pledgeId : null;
              sqlite
                .prepare(`INSERT INTO ratings (target_key, pledge_id, unit_id, voter_id, value, verified) VALUES (?, ?, ?, ?, ?, 1)
                  ON CONFLICT (target_key, voter_id) DO UPDATE SET value = excluded.value, verified = 1`)
                .run(keyOf(target), p, u, `code:${a.voter}`, a.value);
            } else {
              // The app's own path: a second vote of a voter changes the first.
              await repo.vote(target, { voterId: `v${a.voter}`, addressKey: `198.51.100.${a.voter}`, value: a.value, comment: '' });
            }
            break;
          }
          case 'crowd':
            for (let i = 0; i < a.count; i++) {
              crowd++;
              await repo.vote(targets[a.target], { voterId: `crowd${crowd}`, addressKey: `203.0.113.${crowd % 250}`, value: a.value, comment: '' });
            }
            break;
          case 'value':
            sqlite.prepare('UPDATE ratings SET value = ? WHERE id = ?').run(a.value, rowId(a.pick));
            break;
          case 'verified':
            sqlite.prepare('UPDATE ratings SET verified = ? WHERE id = ?').run(a.verified ? 1 : 0, rowId(a.pick));
            break;
          case 'flag':
            sqlite.prepare('UPDATE ratings SET flag_id = ? WHERE id = ?').run(a.flag === null ? null : flags[a.flag], rowId(a.pick));
            break;
          case 'flagTarget':
            // Like holdBurst: many votes put into a flag by one statement.
            sqlite.prepare('UPDATE ratings SET flag_id = ? WHERE target_key = ? AND flag_id IS NULL').run(flags[a.flag], keyOf(targets[a.target]));
            break;
          case 'decide':
            sqlite.prepare('UPDATE vote_flags SET status = ? WHERE id = ?').run(a.status, flags[a.flag]);
            break;
          case 'move': {
            const target = targets[a.target];
            sqlite
              .prepare('UPDATE OR IGNORE ratings SET target_key = ?, pledge_id = ?, unit_id = ? WHERE id = ?')
              .run(keyOf(target), 'pledgeId' in target ? target.pledgeId : null, 'unitId' in target ? target.unitId : null, rowId(a.pick));
            break;
          }
          case 'delete':
            sqlite.prepare('DELETE FROM ratings WHERE id = ?').run(rowId(a.pick));
            break;
        }
        const got = tallyRows(sqlite);
        const want = groupedRatings(sqlite);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          t.same(got, want, `tallies after ${JSON.stringify(a)} (run ${run})`);
          return false;
        }
      }
      const failuresBefore = t.counts.fail;
      await checkFigures(t, app, targets, f.campaignId, `run ${run}`);
      return t.counts.fail === failuresBefore;
    }),
    { numRuns: RUNS },
  );
  t.ok(run >= RUNS, 'every run was checked');
});

t.test('a changed vote with the same answer leaves the tallies alone; a group that reaches 0 is deleted', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const sqlite = app.db.$client;
  const repo = createRatingsRepository(app.db);
  const pledgeId = published(app, f);
  await repo.vote({ pledgeId }, { voterId: 'v1', addressKey: 'a', value: 'satisfied', comment: '' });
  await repo.vote({ pledgeId }, { voterId: 'v1', addressKey: 'a', value: 'satisfied', comment: 'again' });
  t.same(tallyRows(sqlite), [{ target_key: `p:${pledgeId}`, flag_key: 0, verified: 0, value: 'satisfied', pledge_id: pledgeId, unit_id: null, n: 1 }]);
  await repo.vote({ pledgeId }, { voterId: 'v1', addressKey: 'a', value: 'dissatisfied', comment: '' });
  t.same(tallyRows(sqlite), [{ target_key: `p:${pledgeId}`, flag_key: 0, verified: 0, value: 'dissatisfied', pledge_id: pledgeId, unit_id: null, n: 1 }], 'the emptied group is gone');
  app.db.run(sql`DELETE FROM ratings`);
  t.same(tallyRows(sqlite), []);
});

t.test('migration 0011 fills the tallies from the votes a database already holds', async (t) => {
  const dir = tempDir('pledges-tallies-migration-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  // The migrations as they were before 0011.
  const before = path.join(dir, 'migrations');
  fs.mkdirSync(path.join(before, 'meta'), { recursive: true });
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta/_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
  const older = journal.entries.filter((e) => e.idx <= 10);
  t.equal(older.length, 11, 'migrations 0000–0010');
  t.ok(journal.entries.some((e) => e.tag === '0011_rating_tallies'), 'the tallies migration is in the journal');
  fs.writeFileSync(path.join(before, 'meta/_journal.json'), JSON.stringify({ ...journal, entries: older }));
  for (const e of older) fs.copyFileSync(path.join(migrationsFolder, `${e.tag}.sql`), path.join(before, `${e.tag}.sql`));

  const file = path.join(dir, 'old.db');
  const old = new Database(file);
  migrate(drizzle(old), { migrationsFolder: before });
  t.notOk(old.prepare("SELECT 1 FROM sqlite_master WHERE name = 'rating_tallies'").get(), 'no tallies before 0011');
  old.exec(`
    INSERT INTO campaigns (slug, name, starts_on, ends_on, time_zone) VALUES ('c', 'c', '2026-01-01', '2026-12-31', 'Asia/Shanghai');
    INSERT INTO units (slug, name, kind, is_service_window) VALUES ('a', '甲', 'city_department', 0), ('hall', '大厅', 'institution', 1);
    INSERT INTO vote_flags (target_key, address_key, first_at, last_at, status) VALUES ('u:2', 'x', 'a', 'b', 'open');`);
  const insert = old.prepare('INSERT INTO ratings (target_key, pledge_id, unit_id, voter_id, value, verified, flag_id) VALUES (?, NULL, ?, ?, ?, ?, ?)');
  old.transaction(() => {
    for (let i = 0; i < 300; i++) insert.run(`u:${1 + (i % 2)}`, 1 + (i % 2), `v${i}`, RATING_VALUES[i % 3], i % 7 === 0 ? 1 : 0, i % 11 === 0 ? 1 : null);
  })();
  const want = groupedRatings(old);
  old.close();

  const db = openDatabase(file);
  t.teardown(() => db.$client.close());
  const got = tallyRows(db.$client);
  t.ok(want.length > 6, 'several groups, with and without a flag, verified and not');
  t.same(got, want, 'the backfill equals the votes grouped');
  t.equal(got.reduce((s, r) => s + r.n, 0), 300);
  db.$client.prepare(`INSERT INTO ratings (target_key, unit_id, voter_id, value) VALUES ('u:1', 1, 'late', 'satisfied')`).run();
  t.same(tallyRows(db.$client), groupedRatings(db.$client), 'and the triggers keep them from there');
});
