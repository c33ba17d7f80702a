import t from 'tap';
import { eq } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { makeDraft, makePublished, pledgeRow, auditActions, addDays } from './fixtures.ts';
import { progressUpdates } from '../../db/schema.ts';

function updatesOf(app: Awaited<ReturnType<typeof build>>, pledgeId: number) {
  return app.db.select().from(progressUpdates).where(eq(progressUpdates.pledgeId, pledgeId)).all();
}

t.test('the lead unit posts a dated update with a new % and status; the timeline shows it', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const page = await editor.request({ url: `/manage/pledges/${p.id}` });
  t.match(page.body, `name="happenedOn" max="${f.today}" required value="${f.today}"`, 'defaults to today in the campaign zone');
  const res = await editor.request({
    method: 'POST',
    url: `/manage/pledges/${p.id}/progress`,
    form: { happenedOn: f.today, body: '完成 4 个小区管网铺设', progress: '35', status: 'in_progress', reason: '' },
  });
  t.equal(res.statusCode, 303);
  const row = pledgeRow(app, p.id);
  t.equal(row.status, 'in_progress');
  t.equal(row.progress, 35);
  t.equal(row.version, p.version, 'an update does not invalidate open edit forms');
  const [u] = updatesOf(app, p.id);
  t.match(u, { unitId: f.unitA.id, authorId: f.users.editorA, happenedOn: f.today, body: '完成 4 个小区管网铺设', progress: 35, status: 'in_progress' });
  t.ok(auditActions(app, p.id).includes('progress.post'));
  const after = await editor.request({ url: `/manage/pledges/${p.id}` });
  t.match(after.body, '完成 4 个小区管网铺设');
  t.match(after.body, '状态改为：推进中');
});

t.test('delayed and cancelled need a reason; the reason is kept on the pledge', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  for (const status of ['delayed', 'cancelled']) {
    const res = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress?lang=en`, form: { happenedOn: f.today, body: '情况说明', status } });
    t.equal(res.statusCode, 400, `${status} without a reason`);
    t.match(res.body, 'A delayed or cancelled status needs a reason.');
    t.match(res.body, '情况说明', 'the text typed is kept');
  }
  t.equal(pledgeRow(app, p.id).status, 'pledged');
  t.equal(updatesOf(app, p.id).length, 0);
  const ok = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '管材未到货', status: 'delayed', reason: '供应商延期交货' } });
  t.equal(ok.statusCode, 303);
  t.match(pledgeRow(app, p.id), { status: 'delayed', statusReason: '供应商延期交货' });
  await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '恢复施工', status: 'in_progress' } });
  t.match(pledgeRow(app, p.id), { status: 'in_progress', statusReason: '' }, 'leaving delayed clears the reason');
});

t.test('completed sets progress to 100 and completedOn to the update\'s date; reopening clears it', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const day = addDays(f.today, -2);
  // Completion needs evidence or a written reason (test/evidence covers the refusal).
  const done = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: day, body: '全部通水验收', progress: '80', status: 'completed', reason: '验收报告另行报送' } });
  t.equal(done.statusCode, 303);
  t.match(pledgeRow(app, p.id), { status: 'completed', progress: 100, completedOn: day });
  const stays = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress?lang=en`, form: { happenedOn: f.today, body: '补充说明', progress: '90' } });
  t.equal(stays.statusCode, 400, 'a completed pledge stays at 100% unless its status changes');
  t.match(stays.body, 'A completed pledge stands at 100%');
  const note = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '回访群众满意' } });
  t.equal(note.statusCode, 303, 'a further note on a completed pledge is fine');
  t.match(pledgeRow(app, p.id), { status: 'completed', completedOn: day });
  const reopen = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '发现部分管段漏水，重新施工', progress: '90', status: 'in_progress' } });
  t.equal(reopen.statusCode, 303);
  t.match(pledgeRow(app, p.id), { status: 'in_progress', progress: 90, completedOn: null });
});

t.test('an update cannot be dated in the future, and a draft takes no updates', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  const future = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: addDays(f.today, 1), body: '明天的事' } });
  t.equal(future.statusCode, 400);
  t.match(future.body, '进展日期不能晚于今天。');
  const badPercent = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress?lang=en`, form: { happenedOn: f.today, body: 'x', progress: '101' } });
  t.equal(badPercent.statusCode, 400);
  t.match(badPercent.body, 'Enter a number from 0 to 100.');
  const badStatus = await editor.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: 'x', status: 'draft' } });
  t.equal(badStatus.statusCode, 400, 'back to draft is not a status an update can set');
  const draft = await makeDraft(app, f);
  const onDraft = await editor.request({ method: 'POST', url: `/manage/pledges/${draft.id}/progress`, form: { happenedOn: f.today, body: '草稿进展' } });
  t.equal(onDraft.statusCode, 409);
  t.equal(updatesOf(app, p.id).length + updatesOf(app, draft.id).length, 0);
});

t.test('a co-unit editor posts progress tagged with their unit but cannot change the status or edit the pledge', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f, { coUnitIds: [f.unitB.id] });
  const co = await login(app, 'editor-b');
  const dash = await co.request({ url: '/manage' });
  t.match(dash.body, p.title, 'listed among the co-unit pledges');
  const page = await co.request({ url: `/manage/pledges/${p.id}` });
  t.equal(page.statusCode, 200);
  t.match(page.body, `action="/manage/pledges/${p.id}/progress"`);
  t.notMatch(page.body, 'name="status"', 'no status field for a co-unit');
  t.notMatch(page.body, `/manage/pledges/${p.id}/edit`);

  const ok = await co.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '交警配合完成道路占用审批', progress: '20' } });
  t.equal(ok.statusCode, 303);
  const [u] = updatesOf(app, p.id);
  t.equal(u.unitId, f.unitB.id, 'tagged with the co-unit');
  t.equal(u.authorId, f.users.editorB);
  t.equal(pledgeRow(app, p.id).progress, 20);

  const status = await co.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '宣布完成', status: 'completed' } });
  t.equal(status.statusCode, 403);
  t.equal(pledgeRow(app, p.id).status, 'pledged');
  t.equal(updatesOf(app, p.id).length, 1, 'nothing posted');
  const edit = await co.request({ url: `/manage/pledges/${p.id}/edit` });
  t.equal(edit.statusCode, 403);

  const draft = await makeDraft(app, f, { coUnitIds: [f.unitB.id] });
  t.equal((await co.request({ url: `/manage/pledges/${draft.id}` })).statusCode, 403, 'a co-unit does not see the lead unit\'s drafts');
});

t.test('the office admin posts for the lead unit', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const admin = await login(app, 'admin');
  const res = await admin.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '活动办督办', status: 'delayed', reason: '督办发现进度滞后' } });
  t.equal(res.statusCode, 303);
  const [u] = updatesOf(app, p.id);
  t.equal(u.unitId, f.unitA.id);
  t.equal(u.authorId, f.users.admin);
  t.equal(pledgeRow(app, p.id).status, 'delayed');
});
