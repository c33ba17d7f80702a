import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { makeDraft, makePublished, addDays } from './fixtures.ts';
import { progressUpdates } from '../../db/schema.ts';

t.test('an editor\'s dashboard lists their unit\'s pledges, drafts included, and not other units\'', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await makeDraft(app, f, { title: '本单位草稿' });
  await makePublished(app, f, { title: '本单位已公开' });
  await makePublished(app, f, { title: '别的单位事项', leadUnitId: f.unitB.id });
  const editor = await login(app, 'editor-a');
  const res = await editor.request({ url: '/manage' });
  t.equal(res.statusCode, 200);
  t.match(res.body, '市水务局');
  t.match(res.body, '本单位草稿');
  t.match(res.body, '本单位已公开');
  t.notMatch(res.body, '别的单位事项');
  const drafts = await editor.request({ url: '/manage?status=draft' });
  t.match(drafts.body, '本单位草稿');
  t.notMatch(drafts.body, '本单位已公开');
});

t.test('what needs attention: overdue, due within 14 days, no update for 30 days', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const overdue = await makePublished(app, f, { title: '已逾期事项', startOn: addDays(f.today, -90), dueOn: addDays(f.today, -1) });
  await makePublished(app, f, { title: '即将到期事项', dueOn: addDays(f.today, 10) });
  const silent = await makePublished(app, f, { title: '长期未更新事项', startOn: addDays(f.today, -120), dueOn: addDays(f.today, 100) });
  app.db.$client.prepare('UPDATE pledges SET published_at = ? WHERE id = ?').run(`${addDays(f.today, -60)}T02:00:00.000Z`, silent.id);
  const fresh = await makePublished(app, f, { title: '正常推进事项', dueOn: addDays(f.today, 100) });
  app.db.insert(progressUpdates).values({ pledgeId: fresh.id, unitId: f.unitA.id, happenedOn: f.today, body: '进展' }).run();
  const editor = await login(app, 'editor-a');
  const res = await editor.request({ url: '/manage?lang=en&status=attention' });
  t.equal(res.statusCode, 200);
  t.match(res.body, '已逾期事项');
  t.match(res.body, '即将到期事项');
  t.match(res.body, '长期未更新事项');
  t.notMatch(res.body, '正常推进事项');
  t.match(res.body, 'overdue');
  t.match(res.body, 'due within 14 days');
  t.match(res.body, 'no update for over 30 days');
  t.match(res.body, 'status-overdue', 'overdue is derived and shown');
  const overdueOnly = await editor.request({ url: '/manage?status=overdue' });
  t.match(overdueOnly.body, '已逾期事项');
  t.notMatch(overdueOnly.body, '即将到期事项');
  t.ok(overdue.id);
});

t.test('the office admin sees every unit and can narrow to one', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await makePublished(app, f, { title: '水务事项' });
  await makePublished(app, f, { title: '交警事项', leadUnitId: f.unitB.id });
  const admin = await login(app, 'admin');
  const all = await admin.request({ url: '/manage' });
  t.match(all.body, '水务事项');
  t.match(all.body, '交警事项');
  const one = await admin.request({ url: `/manage?unit=${f.unitB.id}` });
  t.notMatch(one.body, '水务事项');
  t.match(one.body, '交警事项');
});

t.test('bad query values get a clear 400; unknown keys are ignored; page numbers are clamped', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await makeDraft(app, f);
  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ url: '/manage?status=bogus' })).statusCode, 400);
  t.equal((await editor.request({ url: '/manage?campaign=abc' })).statusCode, 400);
  t.equal((await editor.request({ url: '/manage?utm_source=wechat' })).statusCode, 200);
  t.equal((await editor.request({ url: '/manage?page=-1' })).statusCode, 200);
  t.equal((await editor.request({ url: '/manage?page=1e9' })).statusCode, 200);
  t.equal((await editor.request({ url: '/manage/pledges/abc' })).statusCode, 404);
  t.equal((await editor.request({ url: '/manage/pledges/99999' })).statusCode, 404);
});

t.test('every workspace page renders in Chinese and English', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f, { coUnitIds: [f.unitB.id] });
  const d = await makeDraft(app, f);
  const editor = await login(app, 'editor-a');
  const pages = ['/manage', '/manage/pledges/new', `/manage/pledges/${p.id}`, `/manage/pledges/${p.id}/edit`, `/manage/pledges/${d.id}`, `/manage/pledges/${d.id}/edit`];
  for (const url of pages) {
    const zh = await editor.request({ url, headers: { 'accept-language': 'zh-CN' } });
    t.equal(zh.statusCode, 200, url);
    t.match(zh.body, '<html lang="zh-CN">');
    t.notMatch(zh.body, /manage\.[a-z_]+\.[a-z_]+/, `${url}: no untranslated key in Chinese`);
    const en = await editor.request({ url: `${url}${url.includes('?') ? '&' : '?'}lang=en` });
    t.equal(en.statusCode, 200, url);
    t.match(en.body, '<html lang="en">');
    t.notMatch(en.body, /manage\.[a-z_]+\.[a-z_]+/, `${url}: no untranslated key in English`);
  }
});
