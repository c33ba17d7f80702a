// The pledge page (issue 7): its lists are read only when the pledge's row says they have rows,
// the deadline moves are read once per page (the deadlines section gets them from the page),
// and the hand-mapped rows keep the shape the API publishes.
import Database from 'better-sqlite3';
import t from 'tap';
import { deadlineRequests, evidence, pledgeDemands, ratings } from '../../db/schema.ts';
import { build, seed } from '../helpers.ts';
import { addAmendment, addDays, addDeadlineChange, addUpdate, makePledge } from '../public/fixtures.ts';
import { makeDemand } from '../demands/fixtures.ts';
import { createPledgeQueries } from '../../src/pledges/queries.ts';
import { publicUpdateColumns } from '../../src/progress/columns.ts';

// Every statement run while this file's apps answer, by SQL text (statements are prepared once
// and run many times, so their runs are what is counted).
const runs: string[] = [];
const proto = Database.prototype as unknown as { prepare(source: string): Database.Statement };
const prepare = proto.prepare;
proto.prepare = function (this: Database.Database, source: string) {
  const statement = prepare.call(this, source);
  for (const method of ['all', 'get', 'run', 'iterate'] as const) {
    const original = statement[method] as (...args: unknown[]) => unknown;
    (statement as unknown as Record<string, unknown>)[method] = function (this: unknown, ...args: unknown[]) {
      runs.push(source);
      return original.apply(this, args);
    };
  }
  return statement;
};
t.teardown(() => {
  proto.prepare = prepare;
});

/** Each list the page may read, told by its statement's own FROM (the pledge's row only probes these tables in EXISTS). */
const LIST_READS = {
  coUnits: /from "pledge_co_units" inner join/,
  subTasks: /where \("pledges"\."parent_id" = \?/,
  updates: /from "progress_updates" inner join/,
  deadlineMoves: /from "deadline_changes" left join/,
  amendments: /from "pledge_amendments" left join/,
  answers: /FROM pledge_demands pd JOIN demands d/,
  // The page's sections (src/plugins/sections.ts) read theirs only when the row says so too.
  evidence: /from "evidence" where/,
  deadlineRequests: /from "deadline_requests" left join/,
  notices: /from "publication_pledges" inner join/,
  ratingComments: /^select kind, answer, comment, verified, at from/,
};

/** The page cache would answer the second request without reading anything: off. */
const NO_PAGE_CACHE = { PAGE_CACHE_MB: '0' };

async function readsOf(app: Awaited<ReturnType<typeof build>>, url: string) {
  await app.inject(url); // statements are prepared on first use
  runs.length = 0;
  const res = await app.inject(url);
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}`);
  const counts = Object.fromEntries(Object.entries(LIST_READS).map(([name, pattern]) => [name, runs.filter((sql) => pattern.test(sql)).length]));
  return { res, counts };
}

t.test('a pledge with nothing attached reads none of its lists', async (t) => {
  const app = await build(t, NO_PAGE_CACHE);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '空白事项' });
  const { res, counts } = await readsOf(app, `/pledges/${id}`);
  t.same(counts, { coUnits: 0, subTasks: 0, updates: 0, deadlineMoves: 0, amendments: 0, answers: 0, evidence: 0, deadlineRequests: 0, notices: 0, ratingComments: 0 });
  t.match(res.body, '<h1>空白事项</h1>');
  t.match(res.body, '完成时限未作调整。');
  t.match(res.body, '公布后承诺内容未作修改。');
});

t.test('a pledge with every list reads each once, and shows them all', async (t) => {
  const app = await build(t, NO_PAGE_CACHE);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '全都有的事项', dueOn: '2030-06-30', coUnitIds: [fx.unitB.id] });
  makePledge(app, fx, { title: '其中的子任务', parentId: id });
  const update = addUpdate(app, id, { unitId: fx.unitA.id, happenedOn: addDays(fx.today, -3), body: '完成第一阶段', progress: 30 });
  app.db.insert(evidence).values({ progressUpdateId: update, pledgeId: id, kind: 'pdf', mime: 'application/pdf', bytes: Buffer.from('%PDF-1.4'), size: 2048, sha256: 'x'.repeat(64) }).run();
  addDeadlineChange(app, id, { oldDueOn: '2030-06-30', newDueOn: '2030-09-30', reason: '汛期无法施工' });
  app.db.insert(deadlineRequests).values({ pledgeId: id, oldDueOn: '2030-09-30', requestedDueOn: '2030-12-31', reason: '设备到货推迟' }).run();
  app.db.insert(ratings).values({ targetKey: `p:${id}`, pledgeId: id, voterId: 'voter-1', value: 'satisfied', comment: '路灯终于亮了', commentStatus: 'published' }).run();
  addAmendment(app, id, { field: 'standard', oldValue: '旧标准', newValue: '新标准', reason: '按群众意见调整' });
  const demand = await makeDemand(app, fx);
  app.db.insert(pledgeDemands).values({ demandId: demand.id, pledgeId: id, unitId: fx.unitA.id }).run();

  const { res, counts } = await readsOf(app, `/pledges/${id}`);
  t.same(
    counts,
    { coUnits: 1, subTasks: 1, updates: 1, deadlineMoves: 1, amendments: 1, answers: 1, evidence: 1, deadlineRequests: 1, notices: 0, ratingComments: 1 },
    'each list read once (the deadline moves too: the deadlines section gets them from the page); no notice, so no notices read',
  );
  for (const s of ['<a href="/units/traffic-police">市交警支队</a>', '其中的子任务', '完成第一阶段', 'class="evidence-pdf"', '汛期无法施工', '设备到货推迟', '按群众意见调整', '回应 1 条群众诉求', '路灯终于亮了']) t.match(res.body, s);
});

t.test('the pledge and its updates keep the shape the API publishes', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const withBoth = makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: fx.districtId });
  const withNeither = makePledge(app, fx);
  addUpdate(app, withBoth, { unitId: fx.unitB.id, happenedOn: '2025-03-01', body: '进展', progress: 20, status: 'in_progress', reason: '原因' });
  const queries = createPledgeQueries(app.db);
  const both = (await queries.detail(withBoth))!;
  t.same(Object.keys(both.pledge), [
    'id', 'title', 'tier', 'commitment', 'standard', 'leadOfficial', 'responsiblePerson', 'startOn', 'dueOn', 'status', 'statusReason',
    'progress', 'completedOn', 'parentId', 'publishedAt', 'updatedAt', 'campaign', 'leadUnit', 'category', 'district', 'display',
  ]);
  t.same(both.pledge.campaign, { id: fx.campaignId, name: '深入基层、服务群众', timeZone: 'Asia/Shanghai' });
  t.same(both.pledge.leadUnit, { id: fx.unitA.id, slug: 'water-bureau', name: '市水务局' });
  t.same(both.pledge.category, { slug: 'water', nameZh: '供水供气供暖', nameEn: 'Water, gas and heating' });
  t.same(both.pledge.district, { slug: 'lixia', name: '历下区' });
  t.same(both.pledge.display, { status: 'in_progress', overdue: false, completedLate: false });
  t.same(both.updates, [{ id: both.updates[0].id, happenedOn: '2025-03-01', body: '进展', progress: 20, status: 'in_progress', reason: '原因', createdAt: both.updates[0].createdAt, unit: { slug: 'traffic-police', name: '市交警支队' } }]);
  t.same(Object.keys(both.updates[0]), [...Object.keys(publicUpdateColumns), 'unit'], 'every public column of an update, in its order, then its unit');
  const neither = (await queries.detail(withNeither))!;
  t.equal(neither.pledge.category, null);
  t.equal(neither.pledge.district, null);
  t.same([neither.coUnits, neither.subTasks, neither.updates, neither.deadlines, neither.amendments], [[], [], [], [], []]);
});
