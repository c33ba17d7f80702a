import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { seedSuggestions } from '../../src/demo/suggestions.ts';
import { suggestions } from '../../db/schema.ts';
import type { FastifyInstance } from 'fastify';

async function demoRows(app: FastifyInstance) {
  const f = await seed(app);
  for (let i = 0; i < 6; i++) makePledge(app, f, { leadUnitId: i % 2 ? f.unitA.id : f.unitB.id, title: `承诺 ${i}` });
  makePledge(app, f, { status: 'draft', title: '草稿' });
  await seedSuggestions(app.db, { today: '2025-05-01', timeZone: 'Asia/Shanghai', publicUrl: 'https://pledges.example.gov.cn' });
  return app.db.select().from(suggestions).all();
}

t.test('the demo holds suggestions in every state on every kind of target, with answers, the same on every load', async (t) => {
  const a = await demoRows(await build(t));
  const b = await demoRows(await build(t));
  t.same(a, b, 'deterministic');
  const states = new Set(a.map((s) => s.status));
  t.same([...states].sort(), ['pending', 'published', 'rejected']);
  t.same([...new Set(a.map((s) => s.targetKind))].sort(), ['campaign', 'pledge', 'unit']);
  t.ok(a.filter((s) => s.status === 'rejected').every((s) => s.rejectReason !== ''), 'every rejection has its reason');
  const answered = a.filter((s) => s.reply !== '');
  t.ok(answered.length >= 5, `${answered.length} answered`);
  t.ok(answered.every((s) => s.status === 'published' && s.repliedAt && s.repliedAt >= s.createdAt), 'answers only on published ones, after they came in');
  t.ok(answered.some((s) => s.targetKind === 'pledge' && s.replyUnitId === s.unitId), 'units answer their pledges’ suggestions');
  t.ok(a.filter((s) => s.targetKind === 'pledge').every((s) => s.pledgeId !== null && s.unitId !== null));
  t.ok(a.every((s) => s.createdAt <= '2025-05-02'), 'nothing in the future');
});
