import t from 'tap';
import { eq } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { pledges } from '../../db/schema.ts';
import { addDays, addOutlets, makePledge, publish } from './fixtures.ts';

/** Titles of the pledges a preview shows. */
async function titles(agent: Awaited<ReturnType<typeof login>>, query: string): Promise<string[]> {
  const res = await agent.request({ url: `/press/preview?${query}` });
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode}`);
  return [...res.body.matchAll(/<a href="\/pledges\/\d+">([^<]+)<\/a>/g)].map((m) => m[1]).sort();
}

t.test('filters are the public list’s: unit, category, district, tier, status (overdue derived), text', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  makePledge(app, f, { title: '甲供水', categoryId: f.categoryId, districtUnitId: f.districtId });
  makePledge(app, f, { title: '乙交通', leadUnitId: f.unitB.id, tier: 'major' });
  makePledge(app, f, { title: '丙逾期', dueOn: addDays(f.today, -3) });
  makePledge(app, f, { title: '丁完成', status: 'completed', completedOn: f.today, progress: 100 });
  makePledge(app, f, { title: '戊草稿', status: 'draft' });
  const press = await login(app, 'press');
  const base = `outlet=${o.daily}`;
  t.same(await titles(press, base), ['丁完成', '丙逾期', '乙交通', '甲供水'].sort(), 'everything published, no draft');
  t.same(await titles(press, `${base}&unit=${f.unitB.slug}`), ['乙交通']);
  t.same(await titles(press, `${base}&category=water`), ['甲供水']);
  t.same(await titles(press, `${base}&district=lixia`), ['甲供水']);
  t.same(await titles(press, `${base}&tier=major`), ['乙交通']);
  t.same(await titles(press, `${base}&status=overdue`), ['丙逾期']);
  t.same(await titles(press, `${base}&status=completed`), ['丁完成']);
  t.same(await titles(press, `${base}&q=交通`), ['乙交通']);
  t.same(await titles(press, `${base}&set=overdue`), ['丙逾期']);
  t.same(await titles(press, `${base}&set=major`), ['乙交通']);
  t.same(await titles(press, `${base}&set=unit&unit=${f.unitA.slug}&status=overdue`), ['丁完成', '丙逾期', '甲供水'].sort(), 'one unit’s full list ignores the other filters');
  const bad = await press.request({ url: `/press/preview?${base}&unit=nobody` });
  t.equal(bad.statusCode, 400);
  t.equal((await press.request({ url: `/press/preview?${base}&set=bogus` })).statusCode, 400);
  t.equal((await press.request({ url: `/press/preview?outlet=99999` })).statusCode, 400);
  const builder = await press.request({ url: `/press?${base}&status=overdue&utm_source=x` });
  t.equal(builder.statusCode, 200);
  t.match(builder.body, '符合条件的已公开事项：1项');
});

t.test('"since the last notice" sets count from that outlet’s own last notice', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const o = addOutlets(app);
  const press = await login(app, 'press');
  makePledge(app, f, { title: '旧事项', publishedAt: '2020-01-01T00:00:00.000Z' });
  const toComplete = makePledge(app, f, { title: '待完成', publishedAt: '2020-01-01T00:00:00.000Z' });
  makePledge(app, f, { title: '早已完成', status: 'completed', completedOn: addDays(f.today, -1), progress: 100, publishedAt: '2020-01-01T00:00:00.000Z' });

  t.same(await titles(press, `outlet=${o.daily}&set=since_published`), ['待完成', '旧事项', '早已完成'].sort(), 'no notice yet: everything');
  t.same(await titles(press, `outlet=${o.daily}&set=since_completed`), ['早已完成']);
  const first = await publish(press, `outlet=${o.daily}`, { noticeNo: '第1号', publishedOn: addDays(f.today, -1) });
  t.equal(first.statusCode, 303);

  makePledge(app, f, { title: '新公开' });
  app.db.update(pledges).set({ status: 'completed', completedOn: f.today, progress: 100 }).where(eq(pledges.id, toComplete)).run();

  t.same(await titles(press, `outlet=${o.daily}&set=since_published`), ['新公开'], 'only what was published after the daily’s last notice');
  t.same(await titles(press, `outlet=${o.daily}&set=since_completed`), ['待完成'], 'completed since, less what the last notice already showed completed');
  t.same(await titles(press, `outlet=${o.tv}&set=since_published`), ['待完成', '新公开', '旧事项', '早已完成'].sort(), 'another outlet counts from its own (absent) last notice');
  const preview = await press.request({ url: `/press/preview?outlet=${o.daily}&set=since_published` });
  t.match(preview.body, '自该媒体第1号公告');
});
