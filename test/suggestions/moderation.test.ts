import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { auditFor, post, row, rows, suggestionForm } from './fixtures.ts';

t.test('the office publishes a suggestion and it shows on its pledge page with name and date', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f);
  await post(app, suggestionForm(app, { pledgeId: String(pledgeId) }));
  const id = rows(app)[0].id;
  const admin = await login(app, 'admin');

  const queue = await admin.request({ url: '/admin/suggestions' });
  t.equal(queue.statusCode, 200);
  t.match(queue.body, '增设公交站牌');
  t.match(queue.body, '待审核');
  const show = await admin.request({ url: `/admin/suggestions/${id}` });
  t.match(show.body, '13912345678', 'the office sees the contact');

  const res = await admin.request({ method: 'POST', url: `/admin/suggestions/${id}/publish`, form: {} });
  t.equal(res.statusCode, 303);
  t.equal(row(app, id).status, 'published');
  t.equal(row(app, id).moderatedBy, f.users.admin);

  const page = await app.inject({ url: `/pledges/${pledgeId}` });
  t.match(page.body, '增设公交站牌');
  t.match(page.body, '老王');
  t.notMatch(page.body, '13912345678');
  const list = await app.inject({ url: '/suggestions' });
  t.match(list.body, '增设公交站牌');
  t.match(list.body, `href="/pledges/${pledgeId}"`, 'the list names what it is about');

  const audit = auditFor(app, id).map((a) => a.action);
  t.same(audit, ['suggestion.create', 'suggestion.publish']);
});

t.test('anonymous when no name is given; unit and campaign suggestions show on their pages', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await post(app, suggestionForm(app, { unit: f.unitA.slug, name: '', body: '希望水务局公开停水通知更及时一些' }));
  await post(app, suggestionForm(app, { body: '建议活动设立季度公开评议会' }));
  const admin = await login(app, 'admin');
  for (const s of rows(app)) await admin.request({ method: 'POST', url: `/admin/suggestions/${s.id}/publish`, form: {} });
  const unitPage = await app.inject({ url: `/units/${f.unitA.slug}` });
  t.match(unitPage.body, '公开停水通知');
  t.match(unitPage.body, '匿名网友');
  t.notMatch(unitPage.body, '季度公开评议会', 'campaign-wide ones are not on a unit page');
  const campaignList = await app.inject({ url: '/suggestions?target=campaign' });
  t.match(campaignList.body, '季度公开评议会');
  t.notMatch(campaignList.body, '公开停水通知');
  const home = await app.inject({ url: '/' });
  t.match(home.body, '最新建言');
  t.match(home.body, '季度公开评议会');
});

t.test('rejecting needs a reason, keeps the original text and hides it', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f);
  await post(app, suggestionForm(app, { pledgeId: String(pledgeId), body: '这条建议里有广告内容，请关注某某公众号' }));
  const id = rows(app)[0].id;
  const admin = await login(app, 'admin');

  const noReason = await admin.request({ method: 'POST', url: `/admin/suggestions/${id}/reject`, form: { reason: ' ' } });
  t.equal(noReason.statusCode, 400);
  t.match(noReason.body, /id="f-reason-error"/);
  t.equal(row(app, id).status, 'pending', 'nothing changed');

  const res = await admin.request({ method: 'POST', url: `/admin/suggestions/${id}/reject`, form: { reason: '含有广告' } });
  t.equal(res.statusCode, 303);
  const r = row(app, id);
  t.equal(r.status, 'rejected');
  t.equal(r.rejectReason, '含有广告');
  t.equal(r.body, '这条建议里有广告内容，请关注某某公众号', 'the original is kept as sent');
  t.notMatch((await app.inject({ url: `/pledges/${pledgeId}` })).body, '广告内容');
  t.notMatch((await app.inject({ url: '/suggestions' })).body, '广告内容');
  const shown = await admin.request({ url: `/admin/suggestions/${id}` });
  t.match(shown.body, '这条建议里有广告内容', 'the office still reads the original');
  t.match(shown.body, '含有广告');
  const entry = auditFor(app, id).find((a) => a.action === 'suggestion.reject')!;
  t.same(JSON.parse(entry.after!), { status: 'rejected', rejectReason: '含有广告' });

  // The database itself refuses to change the text or drop the row.
  t.throws(() => app.db.$client.prepare("UPDATE suggestions SET body = 'x' WHERE id = ?").run(id));
  t.throws(() => app.db.$client.prepare('DELETE FROM suggestions WHERE id = ?').run(id));
  t.equal(row(app, id).body, '这条建议里有广告内容，请关注某某公众号');
});

t.test('the office may not edit the text: the moderation forms take no body', async (t) => {
  const app = await build(t);
  await seed(app);
  await post(app, suggestionForm(app));
  const id = rows(app)[0].id;
  const admin = await login(app, 'admin');
  const forged = await admin.request({ method: 'POST', url: `/admin/suggestions/${id}/publish`, form: { body: '改过的内容' } });
  t.equal(forged.statusCode, 400);
  const forged2 = await admin.request({ method: 'POST', url: `/admin/suggestions/${id}/reject`, form: { reason: '重复', body: '改过的内容' } });
  t.equal(forged2.statusCode, 400);
  t.equal(row(app, id).status, 'pending');
  t.match(row(app, id).body, '增设公交站牌');
});

t.test('the queue lists pending first and filters by status and target; only the office reaches it', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await post(app, suggestionForm(app, { body: '第一条：已经公开的建议内容' }));
  await post(app, suggestionForm(app, { body: '第二条：等待审核的建议内容', unit: f.unitA.slug }));
  const [first] = rows(app);
  const admin = await login(app, 'admin');
  await admin.request({ method: 'POST', url: `/admin/suggestions/${first.id}/publish`, form: {} });
  const all = (await admin.request({ url: '/admin/suggestions' })).body;
  t.ok(all.indexOf('第二条') < all.indexOf('第一条'), 'pending first');
  const pending = (await admin.request({ url: '/admin/suggestions?status=pending' })).body;
  t.match(pending, '第二条');
  t.notMatch(pending, '第一条');
  const units = (await admin.request({ url: '/admin/suggestions?target=unit' })).body;
  t.match(units, '第二条');
  t.notMatch(units, '第一条');
  t.equal((await admin.request({ url: '/admin/suggestions?status=bogus' })).statusCode, 400);
  t.equal((await admin.request({ url: '/admin/suggestions/99999' })).statusCode, 404);
  t.equal((await admin.request({ method: 'POST', url: '/admin/suggestions/99999/publish', form: {} })).statusCode, 404);

  const overview = await admin.request({ url: '/admin' });
  t.match(overview.body, 'href="/admin/suggestions?status=pending"', 'the overview links the pending queue');

  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ url: '/admin/suggestions' })).statusCode, 403);
  t.equal((await editor.request({ method: 'POST', url: `/admin/suggestions/${first.id}/reject`, form: { reason: 'x' } })).statusCode, 403);
  t.equal((await app.inject({ url: '/admin/suggestions' })).statusCode, 302, 'signed out: to the sign-in page');
  t.equal(row(app, first.id).status, 'published');
});
