import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { addSuggestion, auditFor, row } from './fixtures.ts';

t.test("a unit editor answers a suggestion on their unit's pledge; the answer shows under it with the unit's name", async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f);
  const id = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'pledge', pledgeId, unitId: f.unitA.id, body: '建议夜间施工减少噪音', status: 'published', authorContact: 'secret@example.cn' });
  const editor = await login(app, 'editor-a');

  const list = await editor.request({ url: '/manage/suggestions' });
  t.equal(list.statusCode, 200);
  t.match(list.body, '建议夜间施工减少噪音');
  t.match(list.body, '待答复 1 条');
  t.notMatch(list.body, 'secret@example.cn', 'units do not see the contact');
  t.match((await editor.request({ url: '/manage' })).body, 'href="/manage/suggestions?answered=unanswered"', 'the dashboard links the unanswered ones');

  const empty = await editor.request({ method: 'POST', url: `/manage/suggestions/${id}/reply`, form: { reply: '' } });
  t.equal(empty.statusCode, 400);
  t.match(empty.body, /id="f-reply-error"/);

  const res = await editor.request({ method: 'POST', url: `/manage/suggestions/${id}/reply`, form: { reply: '已要求施工方22点后停止高噪音作业。' } });
  t.equal(res.statusCode, 303);
  const r = row(app, id);
  t.equal(r.reply, '已要求施工方22点后停止高噪音作业。');
  t.equal(r.replyUnitId, f.unitA.id);
  t.equal(r.repliedBy, f.users.editorA);
  t.ok(r.repliedAt);

  const page = await app.inject({ url: `/pledges/${pledgeId}` });
  t.match(page.body, '已要求施工方22点后停止高噪音作业');
  t.match(page.body, '市水务局 答复');

  // Replacing the answer keeps the old one in the log.
  await editor.request({ method: 'POST', url: `/manage/suggestions/${id}/reply`, form: { reply: '施工时间已调整为8点至20点。' } });
  t.equal(row(app, id).reply, '施工时间已调整为8点至20点。');
  const entries = auditFor(app, id).filter((a) => a.action.startsWith('suggestion.reply'));
  t.same(entries.map((e) => e.action), ['suggestion.reply', 'suggestion.reply_replace']);
  t.equal(JSON.parse(entries[1].before!).reply, '已要求施工方22点后停止高噪音作业。');
  t.equal(JSON.parse(entries[1].after!).reply, '施工时间已调整为8点至20点。');
  t.match((await editor.request({ url: '/manage/suggestions' })).body, '待答复 0 条');
});

t.test("another unit's editor gets 403 and nothing changes", async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'unit', unitId: f.unitA.id, body: '建议公开水质检测报告', status: 'published' });
  const other = await login(app, 'editor-b');
  t.equal((await other.request({ url: `/manage/suggestions/${id}` })).statusCode, 403);
  const res = await other.request({ method: 'POST', url: `/manage/suggestions/${id}/reply`, form: { reply: '冒名答复' } });
  t.equal(res.statusCode, 403);
  t.equal(row(app, id).reply, '');
  t.equal(row(app, id).replyUnitId, null);
  t.notMatch((await other.request({ url: '/manage/suggestions' })).body, '建议公开水质检测报告', "not in the other unit's list");
  t.equal(auditFor(app, id).length, 0);
  const press = await login(app, 'press');
  t.equal((await press.request({ method: 'POST', url: `/manage/suggestions/${id}/reply`, form: { reply: 'x' } })).statusCode, 403);
  t.equal(row(app, id).reply, '');
});

t.test('pending and rejected suggestions cannot be answered; the office answers campaign-wide ones and on behalf of a unit', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pending = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'unit', unitId: f.unitA.id, body: '等待审核的一条建议' });
  const rejected = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'unit', unitId: f.unitA.id, body: '不予公开的一条建议', status: 'rejected', rejectReason: '重复' });
  const campaignWide = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'campaign', body: '建议活动每季度通报一次进展', status: 'published' });
  const forUnit = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'unit', unitId: f.unitB.id, body: '建议交警在学校门口增派警力', status: 'published' });
  const editor = await login(app, 'editor-a');
  for (const id of [pending, rejected]) {
    t.equal((await editor.request({ method: 'POST', url: `/manage/suggestions/${id}/reply`, form: { reply: '答复' } })).statusCode, 404);
    t.equal(row(app, id).reply, '');
  }
  t.equal((await editor.request({ method: 'POST', url: `/manage/suggestions/${campaignWide}/reply`, form: { reply: '答复' } })).statusCode, 403, 'campaign-wide ones are the office’s');
  t.equal((await editor.request({ method: 'POST', url: '/manage/suggestions/999999/reply', form: { reply: '答复' } })).statusCode, 404);

  const admin = await login(app, 'admin');
  const all = await admin.request({ url: '/manage/suggestions' });
  t.match(all.body, '建议活动每季度通报一次进展');
  t.match(all.body, '建议交警在学校门口增派警力');
  t.equal((await admin.request({ method: 'POST', url: `/manage/suggestions/${campaignWide}/reply`, form: { reply: '每季度末在本站发布通报。' } })).statusCode, 303);
  t.equal(row(app, campaignWide).replyUnitId, null, 'signed by the office');
  t.equal((await admin.request({ method: 'POST', url: `/manage/suggestions/${forUnit}/reply`, form: { reply: '已转交交警支队，每天上学放学时段增派警力。' } })).statusCode, 303);
  t.equal(row(app, forUnit).replyUnitId, f.unitB.id, "on the unit's behalf, signed with its name");
  const list = await app.inject({ url: '/suggestions' });
  t.match(list.body, '活动领导小组办公室 答复', "the campaign's issuing office signs campaign-wide answers");
  t.match(list.body, '市交警支队 答复');
});
