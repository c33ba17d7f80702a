import t from 'tap';
import { eq } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { pledgeDemands, pledges } from '../../db/schema.ts';
import { createDemandRepository } from '../../src/demands/repository.ts';
import { makeDraft, makePublished, draftFields } from '../manage/fixtures.ts';
import { makeDemand, demandRow, auditFor, ADMIN } from './fixtures.ts';

t.test('a unit editor sees reports relevant to the unit, and none suggested to another', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const repo = createDemandRepository(app.db);
  const mine = await makeDemand(app, f, { text: '建议给我局：小区二次供水水箱清洗', categoryId: null, districtUnitId: null });
  const theirs = await makeDemand(app, f, { text: '交警方面：学校门口上下学拥堵', categoryId: null, districtUnitId: null });
  const open = await makeDemand(app, f, { text: '无人认领的供水问题', districtUnitId: null });
  await repo.suggest(ADMIN(f), [mine.id], f.unitA.id);
  await repo.suggest(ADMIN(f), [theirs.id], f.unitB.id);
  const editor = await login(app, 'editor-a');
  let page = await editor.request({ url: '/manage/demands' });
  t.equal(page.statusCode, 200);
  t.match(page.body, '二次供水水箱');
  t.notMatch(page.body, '上下学拥堵');
  t.notMatch(page.body, '无人认领的供水问题', 'not relevant until the unit has pledges in that category');
  await makePublished(app, f);
  page = await editor.request({ url: '/manage/demands' });
  t.match(page.body, '无人认领的供水问题', "now in a category the unit's pledges are in");
  page = await editor.request({ url: '/manage/demands?scope=all' });
  t.notMatch(page.body, '上下学拥堵', 'suggested to another unit: not offered');
  t.equal((await editor.request({ url: `/manage/demands/${theirs.id}` })).statusCode, 403);
  t.equal((await editor.request({ url: `/manage/demands/${open.id}` })).statusCode, 200);
  t.equal((await editor.request({ url: '/manage/demands?scope=everything' })).statusCode, 400);
  const admin = await login(app, 'admin');
  const redirect = await admin.request({ url: '/manage/demands' });
  t.equal(redirect.statusCode, 303);
  t.equal(redirect.headers.location, '/admin/demands');
});

t.test('claiming into an existing pledge; the tracking page names the unit and the pledge', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledge = await makePublished(app, f);
  const a = await makeDemand(app, f, { channel: 'web' });
  const b = await makeDemand(app, f, { channel: 'hotline_12345', externalRef: 'H-9' });
  const dup = await makeDemand(app, f, { channel: 'survey', source: '走访' });
  await createDemandRepository(app.db).merge(ADMIN(f), [dup.id], b.id);
  const editor = await login(app, 'editor-a');
  const res = await editor.request({ method: 'POST', url: '/manage/demands/claim', form: { 'ids[]': [String(a.id), String(b.id)], pledgeId: String(pledge.id), reason: '' } });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/manage/demands?scope=claimed&done=claimed');
  t.equal(demandRow(app, a.id).status, 'claimed');
  t.equal(app.db.select().from(pledgeDemands).all().length, 2);
  t.same(auditFor(app, 'demand', a.id).map((e) => e.action), ['demand.create', 'demand.claim']);

  const tracking = await app.inject({ url: `/reports/${dup.trackingNo}` });
  t.match(tracking.body, '市水务局', 'a merged report follows the one it was merged into');
  t.match(tracking.body, `/pledges/${pledge.id}`);
  const pledgePage = await app.inject({ url: `/pledges/${pledge.id}` });
  t.match(pledgePage.body, '回应 3 条群众诉求');
  t.match(pledgePage.body, '12345热线 1');
  t.match(pledgePage.body, '网站 1');
  t.match(pledgePage.body, '走访调查 1');
  const en = await app.inject({ url: `/pledges/${pledge.id}?lang=en` });
  t.match(en.body, 'answers 3 reports');
  t.match(en.body, 'Field survey 1');
  const board = await app.inject({ url: `/demands?pledge=${pledge.id}` });
  t.match(board.body, pledge.title);

  const again = await editor.request({ method: 'POST', url: '/manage/demands/claim', form: { 'ids[]': [String(a.id)], pledgeId: String(pledge.id) } });
  t.equal(again.statusCode, 409, 'a report is claimed once');
  const noPledge = await editor.request({ method: 'POST', url: '/manage/demands/claim', form: { 'ids[]': [String(a.id)] } });
  t.equal(noPledge.statusCode, 400);
});

t.test("editor B cannot claim into A's pledge, take A's report, decline it, or read its contact", async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeA = await makePublished(app, f);
  const pledgeB = await makePublished(app, f, { leadUnitId: f.unitB.id, title: '学校周边交通疏导' });
  const free = await makeDemand(app, f);
  const forA = await makeDemand(app, f);
  const claimedByA = await makeDemand(app, f);
  const repo = createDemandRepository(app.db);
  await repo.suggest(ADMIN(f), [forA.id], f.unitA.id);
  await repo.claim({ userId: f.users.editorA, username: 'editor-a' }, [claimedByA.id], pledgeA.id, f.unitA.id);
  const editorB = await login(app, 'editor-b');
  const before = JSON.stringify(app.db.select().from(pledgeDemands).all());

  let res = await editorB.request({ method: 'POST', url: '/manage/demands/claim', form: { 'ids[]': [String(free.id)], pledgeId: String(pledgeA.id) } });
  t.equal(res.statusCode, 403, "into A's pledge");
  res = await editorB.request({ method: 'POST', url: '/manage/demands/claim', form: { 'ids[]': [String(forA.id)], pledgeId: String(pledgeB.id) } });
  t.equal(res.statusCode, 403, 'a report suggested to A');
  res = await editorB.request({ method: 'POST', url: '/manage/demands/decline', form: { 'ids[]': [String(forA.id)], reason: '不归我们管' } });
  t.equal(res.statusCode, 403, 'declining a report suggested to A');
  res = await editorB.request({ method: 'POST', url: '/manage/demands/decline', form: { 'ids[]': [String(free.id)], reason: '不归我们管' } });
  t.equal(res.statusCode, 403, 'declining one that is neither suggested to B nor in its district');
  t.equal(JSON.stringify(app.db.select().from(pledgeDemands).all()), before, 'nothing changed');
  t.equal(demandRow(app, forA.id).status, 'new');
  t.equal(demandRow(app, free.id).status, 'new');

  t.equal((await editorB.request({ url: `/manage/demands/${claimedByA.id}` })).statusCode, 403);
  const contact = await editorB.request({ method: 'POST', url: `/manage/demands/${claimedByA.id}/contact`, form: {} });
  t.equal(contact.statusCode, 403);
  t.notMatch(contact.body, '13912345678');
  t.equal(auditFor(app, 'demand', claimedByA.id).filter((e) => e.action === 'demand.contact_view').length, 0, 'a refused view is not a view');

  const editorA = await login(app, 'editor-a');
  const page = await editorA.request({ url: `/manage/demands/${claimedByA.id}` });
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, '13912345678', 'not until asked for');
  const shown = await editorA.request({ method: 'POST', url: `/manage/demands/${claimedByA.id}/contact`, form: {} });
  t.equal(shown.statusCode, 200);
  t.match(shown.body, '13912345678');
  const views = auditFor(app, 'demand', claimedByA.id).filter((e) => e.action === 'demand.contact_view');
  t.equal(views.length, 1);
  t.equal(views[0].username, 'editor-a');
  t.equal((await editorA.request({ method: 'POST', url: `/manage/demands/${free.id}/contact`, form: {} })).statusCode, 403, 'only for reports the unit claimed');
});

t.test('claiming into a new pledge creates a draft of the unit; the public does not see the draft', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const a = await makeDemand(app, f);
  const b = await makeDemand(app, f, { channel: 'letter', source: '来信' });
  const editor = await login(app, 'editor-a');
  let res = await editor.request({ method: 'POST', url: '/manage/demands/claim-start', form: { 'ids[]': [String(a.id), String(b.id)], pledgeId: '', reason: '' } });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/manage/demands/claim-new?ids=${a.id}&ids=${b.id}`);
  const form = await editor.request({ url: res.headers.location as string });
  t.equal(form.statusCode, 200);
  t.match(form.body, `name="demandIds" value="${a.id},${b.id}"`);
  t.match(form.body, new RegExp(`<option value="${f.categoryId}" selected`), 'the category of the reports is pre-selected');

  const fields = draftFields(f, { title: '高层住户供水加压改造' });
  res = await editor.request({ method: 'POST', url: '/manage/demands/claim-new', form: { ...fields, demandIds: `${a.id},${b.id}`, title: '' } });
  t.equal(res.statusCode, 400);
  t.match(res.body, 'id="f-title-error"');
  res = await editor.request({ method: 'POST', url: '/manage/demands/claim-new', form: { ...fields, demandIds: `${a.id},${b.id}`, leadUnitId: String(f.unitB.id) } });
  t.equal(res.statusCode, 403, 'an editor cannot name another lead unit');
  res = await editor.request({ method: 'POST', url: '/manage/demands/claim-new', form: { ...fields, demandIds: `${a.id},${b.id}` } });
  t.equal(res.statusCode, 303);
  const pledgeId = Number(/\/manage\/pledges\/(\d+)\?done=created/.exec(res.headers.location as string)![1]);
  const pledge = app.db.select().from(pledges).where(eq(pledges.id, pledgeId)).get()!;
  t.equal(pledge.status, 'draft');
  t.equal(pledge.leadUnitId, f.unitA.id);
  t.equal(demandRow(app, a.id).status, 'claimed');

  const tracking = await app.inject({ url: `/reports/${a.trackingNo}` });
  t.match(tracking.body, '市水务局');
  t.match(tracking.body, '承诺事项正在制定');
  t.notMatch(tracking.body, '高层住户供水加压改造', 'a draft is never public');
  t.notMatch((await app.inject({ url: '/demands' })).body, '高层住户供水加压改造');
  t.equal((await app.inject({ url: `/demands?pledge=${pledgeId}` })).statusCode, 400);

  const stale = await editor.request({ url: `/manage/demands/claim-new?ids=${a.id}` });
  t.equal(stale.statusCode, 409, 'already claimed');
});

t.test('a unit declines a report suggested to it with a public reason', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const x = await makeDemand(app, f);
  await createDemandRepository(app.db).suggest(ADMIN(f), [x.id], f.unitA.id);
  const editor = await login(app, 'editor-a');
  let res = await editor.request({ method: 'POST', url: '/manage/demands/decline', form: { 'ids[]': [String(x.id)], reason: '' } });
  t.equal(res.statusCode, 400);
  res = await editor.request({ method: 'POST', url: '/manage/demands/decline', form: { 'ids[]': [String(x.id)], pledgeId: '', reason: '该管网属小区物业产权，已告知物业维修' } });
  t.equal(res.statusCode, 303);
  const row = demandRow(app, x.id);
  t.equal(row.status, 'declined');
  t.equal(row.declinedByUnitId, f.unitA.id);
  const page = await app.inject({ url: `/reports/${x.trackingNo}` });
  t.match(page.body, '市水务局 未予认领');
  t.match(page.body, '已告知物业维修');
});

t.test("when the pledge is completed its reports are resolved, and reporters' pages say so", async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledge = await makePublished(app, f);
  const x = await makeDemand(app, f);
  const dup = await makeDemand(app, f);
  const repo = createDemandRepository(app.db);
  await repo.merge(ADMIN(f), [dup.id], x.id);
  await repo.claim({ userId: f.users.editorA, username: 'editor-a' }, [x.id], pledge.id, f.unitA.id);
  const editor = await login(app, 'editor-a');
  let res = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: { happenedOn: f.today, body: '全部完成通水验收', progress: '', status: 'completed', reason: '验收完毕' } });
  t.equal(res.statusCode, 303);
  t.equal(demandRow(app, x.id).status, 'resolved');
  t.ok(demandRow(app, x.id).closedAt);
  t.match((await app.inject({ url: `/reports/${x.trackingNo}` })).body, '已办结');
  t.match((await app.inject({ url: `/reports/${dup.trackingNo}` })).body, '已办结', 'also for the report merged into it');
  t.same(auditFor(app, 'pledge', pledge.id).filter((e) => e.action === 'demand.resolve').map((e) => JSON.parse(e.after!).demandIds), [[x.id]]);

  const more = await makeDemand(app, f);
  res = await editor.request({ method: 'POST', url: '/manage/demands/claim', form: { 'ids[]': [String(more.id)], pledgeId: String(pledge.id) } });
  t.equal(res.statusCode, 409, 'a completed pledge takes no more reports');

  res = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: { happenedOn: f.today, body: '验收发现问题，重新整改', progress: '80', status: 'in_progress', reason: '' } });
  t.equal(res.statusCode, 303);
  t.equal(demandRow(app, x.id).status, 'claimed', 'reopened with its pledge');
  t.equal(demandRow(app, x.id).closedAt, null);
});

t.test('a draft pledge can take reports too, and stays private', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const draft = await makeDraft(app, f);
  const x = await makeDemand(app, f);
  const editor = await login(app, 'editor-a');
  const res = await editor.request({ method: 'POST', url: '/manage/demands/claim', form: { 'ids[]': [String(x.id)], pledgeId: String(draft.id) } });
  t.equal(res.statusCode, 303);
  t.equal((await app.inject({ url: `/pledges/${draft.id}` })).statusCode, 404);
});
