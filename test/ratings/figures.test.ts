import t from 'tap';
import { sql } from 'drizzle-orm';
import { build, seed } from '../helpers.ts';
import { campaigns } from '../../db/schema.ts';
import { createRatingsRepository } from '../../src/ratings/repository.ts';
import { satisfactionRate } from '../../src/ratings/figures.ts';
import { published, makeWindow } from './fixtures.ts';

t.test('unitSatisfaction: counted votes on the pledges a unit leads plus its own window votes, verified counted apart', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const repo = createRatingsRepository(app.db);
  const other = app.db.insert(campaigns).values({ slug: 'old', name: '去年', startsOn: '2020-01-01', endsOn: '2020-12-31', timeZone: 'Asia/Shanghai' }).returning().get();
  const p1 = published(app, f);
  const p2 = published(app, f, { campaignId: other.id });
  const pB = published(app, f, { leadUnitId: f.unitB.id });
  const hall = makeWindow(app);
  const vote = (target: { pledgeId: number } | { unitId: number }, value: 'satisfied' | 'basically_satisfied' | 'dissatisfied', voter: string) => repo.vote(target, { voterId: voter, addressKey: voter, value, comment: '' });
  await vote({ pledgeId: p1 }, 'satisfied', 'v1');
  await vote({ pledgeId: p1 }, 'dissatisfied', 'v2');
  await vote({ pledgeId: p2 }, 'basically_satisfied', 'v3');
  await vote({ pledgeId: pB }, 'satisfied', 'v4');
  await vote({ unitId: hall.id }, 'satisfied', 'v5');
  app.db.run(sql`INSERT INTO rating_codes (unit_id, code_hash, expires_at) VALUES (${hall.id}, 'h', '2999-01-01')`);
  app.db.run(sql`INSERT INTO ratings (target_key, unit_id, voter_id, value, verified, rating_code_id) VALUES ('u:${sql.raw(String(hall.id))}', ${hall.id}, 'code:1', 'dissatisfied', 1, 1)`);
  // A held vote counts nowhere.
  const flag = app.db.get<{ id: number }>(sql`INSERT INTO vote_flags (target_key, address_key, first_at, last_at) VALUES ('p:${sql.raw(String(p1))}', 'x', 'a', 'b') RETURNING id`);
  app.db.run(sql`INSERT INTO ratings (target_key, pledge_id, voter_id, value, flag_id) VALUES ('p:${sql.raw(String(p1))}', ${p1}, 'held', 'satisfied', ${flag.id})`);

  const all = await repo.unitSatisfaction();
  t.same(all, [
    { unitId: f.unitA.id, satisfied: 1, basic: 1, dissatisfied: 1, total: 3, verified: 0 },
    { unitId: f.unitB.id, satisfied: 1, basic: 0, dissatisfied: 0, total: 1, verified: 0 },
    { unitId: hall.id, satisfied: 1, basic: 0, dissatisfied: 1, total: 2, verified: 1 },
  ]);
  const inCampaign = await repo.unitSatisfaction(f.campaignId);
  t.same(inCampaign.find((r) => r.unitId === f.unitA.id), { unitId: f.unitA.id, satisfied: 1, basic: 0, dissatisfied: 1, total: 2, verified: 0 });
  t.equal(inCampaign.find((r) => r.unitId === hall.id)?.total, 2, 'window votes belong to no campaign');
  const hallFigures = await repo.figuresFor({ unitId: hall.id });
  t.same(hallFigures.web, { satisfied: 1, basic: 0, dissatisfied: 0, total: 1 });
  t.same(hallFigures.verified, { satisfied: 0, basic: 0, dissatisfied: 1, total: 1 });
  t.equal((await repo.figuresFor({ pledgeId: p1 })).held, 1);
});

t.test('satisfactionRate: (satisfied + basically satisfied) / counted, none below the minimum', async (t) => {
  t.same(satisfactionRate({ satisfied: 5, basic: 3, dissatisfied: 2, total: 10 }, 10), { percent: 80, n: 10, tooFew: false });
  t.same(satisfactionRate({ satisfied: 5, basic: 3, dissatisfied: 1, total: 9 }, 10), { percent: null, n: 9, tooFew: true });
  t.same(satisfactionRate({ satisfied: 0, basic: 0, dissatisfied: 0, total: 0 }, 1), { percent: null, n: 0, tooFew: true });
  t.same(satisfactionRate({ satisfied: 1, basic: 1, dissatisfied: 1, total: 3 }, 1), { percent: 67, n: 3, tooFew: false });
});
