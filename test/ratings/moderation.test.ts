import t from 'tap';
import { sql } from 'drizzle-orm';
import { build, seed, login } from '../helpers.ts';
import { post, published } from './fixtures.ts';

t.test('a comment changed after the moderator read it is not decided blind', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f);
  await post(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: '很好' }, { ip: '198.51.100.1' });
  const { id: ratingId, seen } = app.db.get<{ id: number; seen: string }>(sql`SELECT id, updated_at AS seen FROM ratings`)!;
  app.db.run(sql`UPDATE ratings SET comment = '换成了别的话', comment_status = 'pending', updated_at = '2099-01-01T00:00:00.000Z' WHERE id = ${ratingId}`);
  const admin = await login(app, 'admin');
  const res = await admin.request({ method: 'POST', url: `/admin/ratings/comments/rating/${ratingId}`, form: { action: 'publish', seen } });
  t.equal(res.statusCode, 303);
  t.match(res.headers.location, 'done=changed');
  t.equal(app.db.get<{ s: string }>(sql`SELECT comment_status AS s FROM ratings WHERE id = ${ratingId}`)!.s, 'pending', 'still waiting');
});

t.test('comments wait for moderation; publish shows them, reject hides them, the text is kept and the decision audited', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f, { status: 'completed', progress: 100, completedOn: f.today });
  await post(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: '水压终于正常了' }, { ip: '198.51.100.1' });
  await post(app, `/pledges/${id}/rating`, { value: 'dissatisfied', comment: '广告 http://spam.example' }, { ip: '198.51.100.2' });
  await post(app, `/pledges/${id}/check`, { verdict: 'dispute', comment: '我们小区还没改造' }, { ip: '198.51.100.3' });

  let page = await app.inject({ url: `/pledges/${id}` });
  t.notMatch(page.body, '水压终于正常了', 'nothing shown before moderation');
  t.notMatch(page.body, '我们小区还没改造');

  const admin = await login(app, 'admin');
  const queue = await admin.request({ url: '/admin/ratings' });
  t.match(queue.body, '水压终于正常了');
  t.match(queue.body, '我们小区还没改造');
  const ids = app.db.all<{ id: number; comment: string; seen: string }>(sql`SELECT id, comment, updated_at AS seen FROM ratings ORDER BY id`);
  const check = app.db.get<{ id: number; seen: string }>(sql`SELECT id, updated_at AS seen FROM completion_checks`)!;
  t.equal((await admin.request({ method: 'POST', url: `/admin/ratings/comments/rating/${ids[0].id}`, form: { action: 'publish', seen: ids[0].seen } })).statusCode, 303);
  t.equal((await admin.request({ method: 'POST', url: `/admin/ratings/comments/rating/${ids[1].id}`, form: { action: 'reject', seen: ids[1].seen } })).statusCode, 303);
  t.equal((await admin.request({ method: 'POST', url: `/admin/ratings/comments/check/${check.id}`, form: { action: 'publish', seen: check.seen } })).statusCode, 303);
  t.equal((await admin.request({ method: 'POST', url: `/admin/ratings/comments/poll/${check.id}`, form: { action: 'publish', seen: check.seen } })).statusCode, 404);
  t.equal((await admin.request({ method: 'POST', url: '/admin/ratings/comments/rating/9999', form: { action: 'publish', seen: 'x' } })).statusCode, 404);
  t.equal((await admin.request({ method: 'POST', url: `/admin/ratings/comments/rating/${ids[0].id}`, form: { action: 'delete', seen: ids[0].seen } })).statusCode, 400);

  page = await app.inject({ url: `/pledges/${id}` });
  t.match(page.body, '水压终于正常了');
  t.match(page.body, '我们小区还没改造');
  t.notMatch(page.body, 'spam.example');
  const kept = app.db.get<{ comment: string; status: string }>(sql`SELECT comment, comment_status AS status FROM ratings WHERE id = ${ids[1].id}`);
  t.same(kept, { comment: '广告 http://spam.example', status: 'rejected' }, 'the original text is kept');
  const audit = app.db.all<{ action: string }>(sql`SELECT action FROM audit_log WHERE action LIKE 'rating_comment.%' ORDER BY id`);
  t.same(audit.map((a) => a.action), ['rating_comment.publish', 'rating_comment.reject', 'rating_comment.publish']);
  t.notMatch((await admin.request({ url: '/admin/ratings' })).body, '水压终于正常了', 'the queue is empty again');

  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ method: 'POST', url: `/admin/ratings/comments/rating/${ids[1].id}`, form: { action: 'publish' } })).statusCode, 403);
});

t.test('confirm / dispute a completed pledge: one per voter, changeable, both counts shown', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const id = published(app, f, { status: 'completed', progress: 100, completedOn: f.today });
  const page = await app.inject({ url: `/pledges/${id}` });
  t.match(page.body, '真的完成了吗');
  t.match(page.body, `action="/pledges/${id}/check"`);
  const first = await post(app, `/pledges/${id}/check`, { verdict: 'confirm' });
  t.equal(first.headers.location, `/pledges/${id}?checked=1#check`);
  const cookie = first.cookies.find((c) => c.name === '__Host-voter')!.value;
  await post(app, `/pledges/${id}/check`, { verdict: 'dispute' }, { cookie });
  await post(app, `/pledges/${id}/check`, { verdict: 'dispute' }, { ip: '198.51.100.9' });
  await post(app, `/pledges/${id}/check`, { verdict: 'confirm' }, { ip: '198.51.100.10' });
  t.equal(app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM completion_checks`).n, 3);
  const after = await app.inject({ url: `/pledges/${id}?checked=1` });
  t.match(after.body, '感谢您的反馈');
  t.match(after.body, '1 人确认完成');
  t.match(after.body, '2 人认为并未完成');
  const bad = await post(app, `/pledges/${id}/check`, { verdict: 'maybe' });
  t.equal(bad.statusCode, 400);
  const notDone = published(app, f);
  t.notMatch((await app.inject({ url: `/pledges/${notDone}` })).body, '真的完成了吗', 'only on completed pledges');
});

t.test('fewer counted votes than MIN_RATINGS show "too few ratings (n)", never a percentage', async (t) => {
  const app = await build(t, { MIN_RATINGS: '4' });
  const f = await seed(app);
  const id = published(app, f);
  for (let i = 0; i < 3; i++) await post(app, `/pledges/${id}/rating`, { value: 'satisfied' }, { ip: `198.51.100.${i + 1}` });
  let page = await app.inject({ url: `/pledges/${id}` });
  t.match(page.body, '评价太少（3 票），暂不计算满意率');
  t.notMatch(page.body, '满意率 100%');
  await post(app, `/pledges/${id}/rating`, { value: 'dissatisfied' }, { ip: '198.51.100.9' });
  page = await app.inject({ url: `/pledges/${id}` });
  t.match(page.body, '满意率 75%');
  t.match(page.body, '（样本 4 票）');
  t.match(page.body, '满意率 =（满意 + 基本满意）÷ 计入的评价总数', 'the method in one sentence');
  const en = await app.inject({ url: `/pledges/${id}?lang=en` });
  t.match(en.body, '75% satisfied');
  t.match(en.body, '(sample: 4 votes)');
});

t.test('the home page, office overview and workspace carry their ratings blocks', async (t) => {
  const app = await build(t, { MIN_RATINGS: '2' });
  const f = await seed(app);
  const id = published(app, f);
  await post(app, `/pledges/${id}/rating`, { value: 'satisfied', comment: '好' }, { ip: '198.51.100.1' });
  await post(app, `/pledges/${id}/rating`, { value: 'dissatisfied' }, { ip: '198.51.100.2' });
  const home = await app.inject({ url: '/' });
  t.match(home.body, 'id="chart-satisfaction-block"');
  t.match(home.body, '群众满意度（2 票）');
  t.match(home.body, '满意率 50%');
  const admin = await login(app, 'admin');
  const overview = await admin.request({ url: '/admin' });
  t.match(overview.body, 'href="/admin/ratings#comments"');
  app.db.run(sql`UPDATE units SET is_service_window = 1 WHERE id = ${f.unitA.id}`);
  const editor = await login(app, 'editor-a');
  const dash = await editor.request({ url: '/manage' });
  t.match(dash.body, 'href="/manage/ratings/codes"');
  const editorB = await login(app, 'editor-b');
  t.notMatch((await editorB.request({ url: '/manage' })).body, '/manage/ratings/codes', 'not for a unit without a window');
});
