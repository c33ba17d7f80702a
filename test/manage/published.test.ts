import t from 'tap';
import { eq } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { makePublished, pledgeRow, coUnitsOf, auditActions, formVersion, addDays, publishedFields } from './fixtures.ts';
import { deadlineChanges, pledgeAmendments, auditLog } from '../../db/schema.ts';


t.test('a published pledge\'s edit form offers wording, deadline and details, not the start date or lead unit', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const res = await editor.request({ url: `/manage/pledges/${p.id}/edit` });
  t.equal(res.statusCode, 200);
  t.match(res.body, 'name="amendmentReason"');
  t.match(res.body, 'name="deadlineReason"');
  t.notMatch(res.body, 'name="startOn"');
  t.notMatch(res.body, 'name="campaignId"');
  t.notMatch(res.body, 'name="parentId"');
});

t.test('changing the wording without a reason is refused; with one, each changed field becomes an amendment row', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const noReason = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit?lang=en`, form: publishedFields(p, { title: '新标题', standard: '新标准' }) });
  t.equal(noReason.statusCode, 400);
  t.match(noReason.body, 'You changed the commitment: give the reason.');
  t.match(noReason.body, 'value="新标题"', 'input kept');
  t.equal(pledgeRow(app, p.id).title, p.title, 'nothing changed');

  const ok = await editor.request({
    method: 'POST',
    url: `/manage/pledges/${p.id}/edit`,
    form: publishedFields(p, { title: '新标题', standard: '新标准', amendmentReason: '群众意见：标准应更具体' }),
  });
  t.equal(ok.statusCode, 303);
  const row = pledgeRow(app, p.id);
  t.equal(row.title, '新标题');
  t.equal(row.standard, '新标准');
  t.equal(row.version, p.version + 1);
  const amendments = app.db.select().from(pledgeAmendments).where(eq(pledgeAmendments.pledgeId, p.id)).all();
  t.same(
    amendments.map((a) => [a.field, a.oldValue, a.newValue, a.reason, a.userId]).sort(),
    [
      ['standard', p.standard, '新标准', '群众意见：标准应更具体', f.users.editorA],
      ['title', p.title, '新标题', '群众意见：标准应更具体', f.users.editorA],
    ],
  );
  t.ok(auditActions(app, p.id).includes('pledge.amend'));
  const entry = app.db.select().from(auditLog).where(eq(auditLog.action, 'pledge.amend')).get()!;
  t.equal(entry.username, 'editor-a');
  t.match(JSON.parse(entry.before!), { title: p.title });
  t.match(JSON.parse(entry.after!), { title: '新标题', reason: '群众意见：标准应更具体' });
  t.equal((app.db.$client.prepare('SELECT count(*) AS n FROM pledge_search WHERE rowid = ?').get(p.id) as { n: number }).n, 1, 'still indexed');
  const page = await editor.request({ url: `/manage/pledges/${p.id}` });
  t.match(page.body, '内容变更记录');
  t.match(page.body, '群众意见：标准应更具体');
});

t.test('the office moving the due date needs a reason and writes a deadline change row approved by itself', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const admin = await login(app, 'admin');
  const newDue = addDays(p.dueOn, 30);
  const noReason = await admin.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields(p, { dueOn: newDue }) });
  t.equal(noReason.statusCode, 400);
  t.match(noReason.body, '修改了截止日期，请填写变更原因。');
  const beforeStart = await admin.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields(p, { dueOn: addDays(p.startOn, -1), deadlineReason: 'x' }) });
  t.equal(beforeStart.statusCode, 400);
  t.match(beforeStart.body, '截止日期不能早于开始日期。');
  t.equal(pledgeRow(app, p.id).dueOn, p.dueOn);

  const ok = await admin.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields(p, { dueOn: newDue, deadlineReason: '管材供应延迟' }) });
  t.equal(ok.statusCode, 303);
  t.equal(pledgeRow(app, p.id).dueOn, newDue);
  const changes = app.db.select().from(deadlineChanges).where(eq(deadlineChanges.pledgeId, p.id)).all();
  t.equal(changes.length, 1);
  t.match(changes[0], { oldDueOn: p.dueOn, newDueOn: newDue, reason: '管材供应延迟', requestedBy: f.users.admin, approvedBy: f.users.admin });
  t.ok(auditActions(app, p.id).includes('pledge.deadline_change'));
  const page = await admin.request({ url: `/manage/pledges/${p.id}` });
  t.match(page.body, '管材供应延迟');
  t.match(page.body, 'admin 已审核');
});

t.test('details and co-units change with the version check and no reason; nothing else moves', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const res = await editor.request({
    method: 'POST',
    url: `/manage/pledges/${p.id}/edit`,
    form: publishedFields(p, { responsiblePerson: '赵工程师', districtUnitId: '', coUnitIds: [String(f.unitB.id)] }),
  });
  t.equal(res.statusCode, 303);
  const row = pledgeRow(app, p.id);
  t.equal(row.responsiblePerson, '赵工程师');
  t.equal(row.districtUnitId, null);
  t.same(coUnitsOf(app, p.id), [f.unitB.id]);
  t.equal(row.title, p.title);
  t.equal(row.dueOn, p.dueOn);
  t.equal(row.startOn, p.startOn);
  t.equal(row.status, 'pledged');
  t.equal(app.db.select().from(pledgeAmendments).all().length, 0, 'no amendment for details');
  t.equal(app.db.select().from(deadlineChanges).all().length, 0, 'no deadline change');
  t.ok(auditActions(app, p.id).includes('pledge.update_details'));

  const unchanged = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields({ ...p, ...row, coUnitIds: [f.unitB.id] }) });
  t.equal(unchanged.statusCode, 303);
  t.match(unchanged.headers.location, 'done=unchanged');
  t.equal(pledgeRow(app, p.id).version, row.version, 'saving nothing changes nothing');

  const lead = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit?lang=en`, form: publishedFields({ ...p, ...row, coUnitIds: [] }, { coUnitIds: [String(f.unitA.id)] }) });
  t.equal(lead.statusCode, 400);
  t.match(lead.body, 'The lead unit cannot also be a co-unit.');
});

t.test('two editors save the same published pledge: the second gets 409 with their input kept and the saved values shown', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const one = await login(app, 'editor-a');
  const two = await login(app, 'admin');
  const v1 = formVersion((await one.request({ url: `/manage/pledges/${p.id}/edit` })).body);
  const v2 = formVersion((await two.request({ url: `/manage/pledges/${p.id}/edit` })).body);
  t.equal(v1, v2);
  const first = await one.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields(p, { leadOfficial: '第一位保存的领导' }) });
  t.equal(first.statusCode, 303);
  const second = await two.request({ method: 'POST', url: `/manage/pledges/${p.id}/edit`, form: publishedFields(p, { leadOfficial: '第二位输入的领导', deadlineReason: '我写的原因' }) });
  t.equal(second.statusCode, 409);
  t.match(second.body, '此事项已被他人修改');
  t.match(second.body, 'value="第二位输入的领导"');
  t.match(second.body, '我写的原因');
  t.match(second.body, '第一位保存的领导');
  t.equal(pledgeRow(app, p.id).leadOfficial, '第一位保存的领导');
});
