// The pledge and unit pages read figures and comments through queries prepared once per app:
// each call must bind its own target and limit, and a flag's state must apply to every vote it
// holds although it is looked up once per group of votes.
import t from 'tap';
import { sql } from 'drizzle-orm';
import { build, seed } from '../helpers.ts';
import { createRatingsRepository } from '../../src/ratings/repository.ts';
import { published, makeWindow } from './fixtures.ts';

function flag(app: Awaited<ReturnType<typeof build>>, key: string, status: 'open' | 'accepted' | 'discounted'): number {
  return app.db.get<{ id: number }>(sql`INSERT INTO vote_flags (target_key, address_key, first_at, last_at, status) VALUES (${key}, ${status}, 'a', 'b', ${status}) RETURNING id`)!.id;
}

function addVote(app: Awaited<ReturnType<typeof build>>, target: { pledgeId: number } | { unitId: number }, v: { voter: string; value: string; flagId?: number; verified?: boolean; comment?: string; status?: string; at?: string }) {
  const key = 'pledgeId' in target ? `p:${target.pledgeId}` : `u:${target.unitId}`;
  const pledgeId = 'pledgeId' in target ? target.pledgeId : null;
  const unitId = 'unitId' in target ? target.unitId : null;
  const at = v.at ?? '2026-01-01T00:00:00.000Z';
  app.db.run(sql`INSERT INTO ratings (target_key, pledge_id, unit_id, voter_id, value, verified, flag_id, comment, comment_status, created_at, updated_at)
    VALUES (${key}, ${pledgeId}, ${unitId}, ${v.voter}, ${v.value}, ${v.verified ? 1 : 0}, ${v.flagId ?? null}, ${v.comment ?? ''}, ${v.status ?? 'none'}, ${at}, ${at})`);
}

t.test('figures: each target its own, every vote of a flag counted, held or left out by the flag’s state', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const repo = createRatingsRepository(app.db);
  const p1 = published(app, f);
  const p2 = published(app, f);
  const hall = makeWindow(app);
  const accepted = flag(app, `p:${p1}`, 'accepted');
  const open = flag(app, `p:${p1}`, 'open');
  const discounted = flag(app, `p:${p1}`, 'discounted');
  addVote(app, { pledgeId: p1 }, { voter: 'a', value: 'satisfied' });
  addVote(app, { pledgeId: p1 }, { voter: 'b', value: 'dissatisfied' });
  addVote(app, { pledgeId: p1 }, { voter: 'c', value: 'satisfied', flagId: accepted });
  addVote(app, { pledgeId: p1 }, { voter: 'd', value: 'satisfied', flagId: accepted });
  addVote(app, { pledgeId: p1 }, { voter: 'e', value: 'basically_satisfied', flagId: open });
  addVote(app, { pledgeId: p1 }, { voter: 'f', value: 'satisfied', flagId: open });
  addVote(app, { pledgeId: p1 }, { voter: 'g', value: 'dissatisfied', flagId: discounted });
  addVote(app, { pledgeId: p2 }, { voter: 'a', value: 'basically_satisfied' });
  addVote(app, { unitId: hall.id }, { voter: 'a', value: 'satisfied' });
  addVote(app, { unitId: hall.id }, { voter: 'code:1', value: 'dissatisfied', verified: true });

  const first = await repo.figuresFor({ pledgeId: p1 });
  t.same(first.web, { satisfied: 3, basic: 0, dissatisfied: 1, total: 4 }, 'plain votes and the accepted flag’s votes count');
  t.equal(first.held, 2, 'both votes of the open flag are held');
  t.same(first.verified, { satisfied: 0, basic: 0, dissatisfied: 0, total: 0 });
  t.same((await repo.figuresFor({ pledgeId: p2 })).all, { satisfied: 0, basic: 1, dissatisfied: 0, total: 1 }, 'another pledge, its own votes');
  const window = await repo.figuresFor({ unitId: hall.id });
  t.same(window.web, { satisfied: 1, basic: 0, dissatisfied: 0, total: 1 });
  t.same(window.verified, { satisfied: 0, basic: 0, dissatisfied: 1, total: 1 });
  t.same(await repo.figuresFor({ pledgeId: p1 }), first, 'the first target again, unchanged');

  app.db.run(sql`UPDATE vote_flags SET status = 'accepted' WHERE id = ${open}`);
  const decided = await repo.figuresFor({ pledgeId: p1 });
  t.same(decided.web, { satisfied: 4, basic: 1, dissatisfied: 1, total: 6 }, 'accepting the flag counts its votes');
  t.equal(decided.held, 0);
});

t.test('published comments: newest first, as many as asked, a pledge’s checks among them, held ones out', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const repo = createRatingsRepository(app.db);
  const p1 = published(app, f, { status: 'completed' });
  const p2 = published(app, f);
  const hall = makeWindow(app);
  const open = flag(app, `p:${p1}`, 'open');
  addVote(app, { pledgeId: p1 }, { voter: 'a', value: 'satisfied', comment: '一', status: 'published', at: '2026-01-01T00:00:00.000Z' });
  addVote(app, { pledgeId: p1 }, { voter: 'b', value: 'dissatisfied', comment: '三', status: 'published', at: '2026-01-03T00:00:00.000Z' });
  addVote(app, { pledgeId: p1 }, { voter: 'c', value: 'satisfied', comment: '待审', status: 'pending', at: '2026-01-04T00:00:00.000Z' });
  addVote(app, { pledgeId: p1 }, { voter: 'd', value: 'satisfied', comment: '被扣住', status: 'published', flagId: open, at: '2026-01-05T00:00:00.000Z' });
  app.db.run(sql`INSERT INTO completion_checks (pledge_id, voter_id, verdict, comment, comment_status, updated_at) VALUES (${p1}, 'x', 'dispute', '二', 'published', '2026-01-02T00:00:00.000Z')`);
  addVote(app, { pledgeId: p2 }, { voter: 'a', value: 'satisfied', comment: '别的', status: 'published' });
  addVote(app, { unitId: hall.id }, { voter: 'code:1', value: 'basically_satisfied', verified: true, comment: '窗口', status: 'published' });

  const all = await repo.publishedComments({ pledgeId: p1 });
  t.same(all.map((c) => [c.kind, c.comment]), [['rating', '三'], ['check', '二'], ['rating', '一']]);
  t.same((await repo.publishedComments({ pledgeId: p1 }, 2)).map((c) => c.comment), ['三', '二'], 'the limit is bound per call');
  t.same((await repo.publishedComments({ pledgeId: p1 }, 1)).map((c) => c.comment), ['三']);
  t.same((await repo.publishedComments({ pledgeId: p2 })).map((c) => c.comment), ['别的']);
  t.same(await repo.publishedComments({ unitId: hall.id }), [{ kind: 'rating', answer: 'basically_satisfied', comment: '窗口', verified: true, at: '2026-01-01T00:00:00.000Z' }]);
});
