import t from 'tap';
import { eq } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { addDays, makeDraft, makePublished, pledgeRow, publishedFields } from '../manage/fixtures.ts';
import { deadlineChanges, deadlineRequests } from '../../db/schema.ts';


const requestsOf = (app: Awaited<ReturnType<typeof build>>, pledgeId: number) => app.db.select().from(deadlineRequests).where(eq(deadlineRequests.pledgeId, pledgeId)).all();

t.test('a unit requests a new date, the date stands until the office approves; approval moves it and records the approver', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const newDue = addDays(p.dueOn, 30);
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields(p, { dueOn: newDue, deadlineReason: '管材供应延迟' }) });
  t.equal(res.statusCode, 303);
  t.match(res.headers.location, 'done=deadline_requested');
  const notice = await editor.request({ url: String(res.headers.location) });
  t.match(notice.body, '期限调整申请已提交活动办公室审批');
  t.equal(pledgeRow(app, p.id).dueOn, p.dueOn, 'the date stands');
  t.equal(app.db.select().from(deadlineChanges).all().length, 0);
  const [req] = requestsOf(app, p.id);
  t.match(req, { status: 'pending', oldDueOn: p.dueOn, requestedDueOn: newDue, reason: '管材供应延迟', requestedBy: f.users.editorA });

  const second = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit?lang=en`, form: publishedFields(p, { dueOn: addDays(p.dueOn, 60), deadlineReason: '再推迟' }) });
  t.equal(second.statusCode, 400, 'one pending request at a time');
  t.match(second.body, 'already waiting for the office');
  t.equal(requestsOf(app, p.id).length, 1);

  const pub = await app.inject(`/pledges/${p.id}`);
  t.match(pub.body, '管材供应延迟');
  t.match(pub.body, '待办公室审批');

  const admin = await login(app, 'admin');
  const queue = await admin.request({ url: '/admin/deadlines' });
  t.match(queue.body, p.title);
  t.match(queue.body, '管材供应延迟');
  const ok = await admin.request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide`, form: { decision: 'approved', note: '' } });
  t.equal(ok.statusCode, 303);
  const row = pledgeRow(app, p.id);
  t.equal(row.dueOn, newDue, 'moved');
  t.equal(row.version, p.version + 1, 'version bumped');
  const [change] = app.db.select().from(deadlineChanges).all();
  t.match(change, { oldDueOn: p.dueOn, newDueOn: newDue, reason: '管材供应延迟', requestedBy: f.users.editorA, approvedBy: f.users.admin });
  t.match(requestsOf(app, p.id)[0], { status: 'approved', decidedBy: f.users.admin, deadlineChangeId: change.id });
  const after = await app.inject(`/pledges/${p.id}`);
  t.match(after.body, '已批准');
  t.equal((await admin.request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide`, form: { decision: 'rejected', note: '晚了' } })).statusCode, 409, 'decided once');
});

t.test('a rejection needs a public note and keeps the date', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/deadline-requests`, form: { requestedDueOn: addDays(p.dueOn, 10), requestReason: '天气原因' } });
  t.equal(res.statusCode, 303);
  const [req] = requestsOf(app, p.id);
  const admin = await login(app, 'admin');
  const noNote = await admin.request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide?lang=en`, form: { decision: 'rejected', note: '' } });
  t.equal(noNote.statusCode, 400);
  t.match(noNote.body, 'A rejection needs a note');
  t.equal(requestsOf(app, p.id)[0].status, 'pending');
  const rejected = await admin.request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide`, form: { decision: 'rejected', note: '理由不充分，请按期完成' } });
  t.equal(rejected.statusCode, 303);
  t.equal(pledgeRow(app, p.id).dueOn, p.dueOn, 'the date is kept');
  t.equal(app.db.select().from(deadlineChanges).all().length, 0);
  const pub = await app.inject(`/pledges/${p.id}`);
  t.match(pub.body, '已驳回');
  t.match(pub.body, '理由不充分，请按期完成', 'the note is public');
  t.match(pub.body, '天气原因', 'the reason is public');
});

t.test('who may do what: units cannot decide, other units cannot request or withdraw', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const other = await login(app, 'editor-b');
  const foreign = await other.request({ method: 'POST', url: `/manage/pledges/${p.id}/deadline-requests`, form: { requestedDueOn: addDays(p.dueOn, 10), requestReason: '别的单位' } });
  t.equal(foreign.statusCode, 403);
  t.equal(requestsOf(app, p.id).length, 0);
  await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/deadline-requests`, form: { requestedDueOn: addDays(p.dueOn, 10), requestReason: '施工许可延迟' } });
  const [req] = requestsOf(app, p.id);
  t.equal((await editor.request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide`, form: { decision: 'approved', note: '' } })).statusCode, 403, 'a unit cannot approve');
  t.equal((await editor.request({ url: '/admin/deadlines' })).statusCode, 403);
  t.equal((await other.request({ method: 'POST', url: `/manage/deadline-requests/${req.id}/withdraw`, form: {} })).statusCode, 403);
  t.equal(pledgeRow(app, p.id).dueOn, p.dueOn);
  t.equal(requestsOf(app, p.id)[0].status, 'pending');

  const page = await editor.request({ url: `/manage/pledges/${p.id}` });
  t.match(page.body, `/manage/deadline-requests/${req.id}/withdraw`);
  const withdrawn = await editor.request({ method: 'POST', url: `/manage/deadline-requests/${req.id}/withdraw`, form: {} });
  t.equal(withdrawn.statusCode, 303);
  t.equal(requestsOf(app, p.id)[0].status, 'withdrawn');
  t.equal((await (await login(app, 'admin')).request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide`, form: { decision: 'approved', note: '' } })).statusCode, 409);
  const same = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/deadline-requests?lang=en`, form: { requestedDueOn: p.dueOn, requestReason: 'x' } });
  t.equal(same.statusCode, 400);
  t.match(same.body, 'The new deadline is the current one.');
});

t.test('a draft’s deadline stays freely editable', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const d = await makeDraft(app, f);
  const editor = await login(app, 'editor-a');
  const form = { campaignId: String(f.campaignId), version: String(d.version), title: d.title, commitment: d.commitment, standard: d.standard, leadOfficial: d.leadOfficial, responsiblePerson: d.responsiblePerson, categoryId: String(f.categoryId), districtUnitId: String(f.districtId), startOn: d.startOn, dueOn: addDays(d.dueOn, 5) };
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${d.id}/edit`, form });
  t.equal(res.statusCode, 303);
  t.equal(pledgeRow(app, d.id).dueOn, addDays(d.dueOn, 5));
  t.equal(requestsOf(app, d.id).length, 0);
});

t.test('the overdue list: by unit and by how late, filtered by unit kind; due-within-14-days on the unit page', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const late3 = await makePublished(app, f, { title: '逾期三天', startOn: addDays(f.today, -90), dueOn: addDays(f.today, -3) });
  const late40 = await makePublished(app, f, { title: '逾期四十天', startOn: addDays(f.today, -90), dueOn: addDays(f.today, -40) });
  const lateB = await makePublished(app, f, { title: '交警逾期十天', leadUnitId: f.unitB.id, startOn: addDays(f.today, -90), dueOn: addDays(f.today, -10) });
  await makePublished(app, f, { title: '将在十天后到期', dueOn: addDays(f.today, 10) });
  await makePublished(app, f, { title: '还早着呢', dueOn: addDays(f.today, 60) });
  const admin = await login(app, 'admin');
  const res = await admin.request({ url: '/admin/overdue' });
  t.equal(res.statusCode, 200);
  const order = (body: string) => ['逾期三天', '逾期四十天', '交警逾期十天'].map((title) => ({ title, at: body.lastIndexOf(title) })).sort((a, b) => a.at - b.at).map((x) => x.title);
  t.same(order(res.body), ['逾期四十天', '交警逾期十天', '逾期三天'], 'most overdue first');
  t.same(order((await admin.request({ url: '/admin/overdue?sort=least_late' })).body), ['逾期三天', '交警逾期十天', '逾期四十天']);
  t.match(res.body, '40 天');
  t.notMatch(res.body, '将在十天后到期');
  const departments = await admin.request({ url: '/admin/overdue?kind=district' });
  t.notMatch(departments.body, '逾期四十天', 'no district is late');
  t.equal((await admin.request({ url: '/admin/overdue?sort=nonsense' })).statusCode, 400);
  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ url: '/admin/overdue' })).statusCode, 403);

  const doneLate = await makePublished(app, f, { title: '逾期完成事项', startOn: addDays(f.today, -90), dueOn: addDays(f.today, -20) });
  app.db.$client.prepare("UPDATE pledges SET status = 'completed', progress = 100, completed_on = ? WHERE id = ?").run(addDays(f.today, -5), doneLate.id);
  const dash = await editor.request({ url: '/manage' });
  t.match(dash.body, '14 天内到期');
  t.match(dash.body, '按期完成 0 项，逾期完成 1 项，当前逾期 2 项', 'completed late is counted apart from on time');
  t.match(dash.body, '将在十天后到期');
  const overview = await admin.request({ url: '/admin' });
  t.match(overview.body, 'href="/admin/overdue"');
  t.match(overview.body, 'href="/admin/deadlines"');
  void late3; void late40; void lateB;
});

t.test('a request on a pledge completed in the meantime can be rejected but not approved', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields(p, { dueOn: addDays(p.dueOn, 30), deadlineReason: '管材供应延迟' }) });
  const [req] = requestsOf(app, p.id);
  const done = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '全部完成', status: 'completed', reason: '已验收' } });
  t.equal(done.statusCode, 303);
  const admin = await login(app, 'admin');
  const approve = await admin.request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide`, form: { decision: 'approved', note: '' } });
  t.equal(approve.statusCode, 409);
  t.equal(pledgeRow(app, p.id).dueOn, p.dueOn, 'the deadline it was judged by stands');
  const reject = await admin.request({ method: 'POST', url: `/admin/deadlines/${req.id}/decide`, form: { decision: 'rejected', note: '事项已办结' } });
  t.equal(reject.statusCode, 303);
});
