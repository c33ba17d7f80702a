import t from 'tap';
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { tempDir } from '../helpers.ts';
import { openDatabase, type Db } from '../../src/plugins/db.ts';
import { loadDemoIfEmpty } from '../../src/demo/load.ts';
import { createRatingsRepository } from '../../src/ratings/repository.ts';

async function loaded(t: { teardown(fn: () => unknown): void }): Promise<Db> {
  const dir = tempDir('pledges-ratings-demo-');
  const db = openDatabase(path.join(dir, 'demo.db'));
  t.teardown(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  await loadDemoIfEmpty(db, { password: 'demo-password-2011', timeZone: 'Asia/Shanghai', argon2MemoryKib: 1024, publicUrl: 'https://pledges.example.gov.cn' });
  return db;
}

const digest = (db: Db) =>
  JSON.stringify(db.all(sql`SELECT target_key, voter_id, address_key, value, comment, comment_status, verified, flag_id, created_at FROM ratings ORDER BY id`)) +
  JSON.stringify(db.all(sql`SELECT pledge_id, verdict, comment, comment_status, created_at FROM completion_checks ORDER BY id`));

t.test('the demo carries ratings in every state, deterministically', async (t) => {
  const db = await loaded(t);
  const n = (q: ReturnType<typeof sql>) => db.get<{ n: number }>(q).n;
  const ratings = n(sql`SELECT count(*) AS n FROM ratings`);
  t.ok(ratings > 500 && ratings < 6000, `${ratings} ratings: some, not too many`);
  t.ok(n(sql`SELECT count(*) AS n FROM completion_checks WHERE verdict = 'confirm'`) > 0, 'confirmations');
  t.ok(n(sql`SELECT count(*) AS n FROM completion_checks WHERE verdict = 'dispute'`) > 0, 'disputes');
  for (const state of ['pending', 'published', 'rejected']) t.ok(n(sql`SELECT count(*) AS n FROM ratings WHERE comment_status = ${state}`) > 0, `comments ${state}`);
  t.equal(n(sql`SELECT count(*) AS n FROM vote_flags WHERE status = 'open'`), 1, 'one open stuffing flag');
  t.equal(n(sql`SELECT count(*) AS n FROM ratings r JOIN pledges p ON p.id = r.pledge_id WHERE p.status IN ('draft', 'cancelled')`), 0, 'no votes on drafts or cancelled pledges');
  const windows = n(sql`SELECT count(*) AS n FROM units WHERE is_service_window = 1`);
  if (windows > 1) {
    t.ok(n(sql`SELECT count(*) AS n FROM ratings WHERE verified = 1`) > 0, 'verified votes');
    t.equal(n(sql`SELECT count(*) AS n FROM ratings WHERE verified = 1`), n(sql`SELECT count(*) AS n FROM rating_codes WHERE used_at IS NOT NULL`), 'one used code per verified vote');
  }
  const repo = createRatingsRepository(db);
  const perUnit = await repo.unitSatisfaction();
  t.ok(perUnit.some((u) => u.total < 10), 'some units below the minimum sample');
  t.ok(perUnit.some((u) => u.total >= 10), 'some above it');

  const again = await loaded(t);
  t.equal(digest(again), digest(db), 'the same on every load');
});
