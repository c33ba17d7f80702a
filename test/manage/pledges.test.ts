import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { draftFields, makeDraft, makePublished, pledgeRow, coUnitsOf, auditActions, formVersion, addDays } from './fixtures.ts';
import { createPledgeRepository } from '../../src/pledges/repository.ts';

t.test('an editor creates a draft for their own unit; it is not public', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const editor = await login(app, 'editor-a');
  const form = await editor.request({ url: '/manage/pledges/new' });
  t.equal(form.statusCode, 200);
  t.match(form.body, 'name="title"');
  t.notMatch(form.body, 'name="leadUnitId"', 'an editor does not choose the lead unit');
  t.notMatch(form.body, 'name="tier"', 'an editor does not choose the tier');

  const res = await editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { coUnitIds: [String(f.unitB.id)] }) });
  t.equal(res.statusCode, 303);
  const id = Number(/\/manage\/pledges\/(\d+)/.exec(res.headers.location as string)![1]);
  const row = pledgeRow(app, id);
  t.equal(row.status, 'draft');
  t.equal(row.leadUnitId, f.unitA.id);
  t.equal(row.tier, 'unit');
  t.equal(row.createdBy, f.users.editorA);
  t.equal(row.publishedAt, null, 'never published');
  t.same(coUnitsOf(app, id), [f.unitB.id]);
  t.same(auditActions(app, id), ['pledge.create']);

  const page = await editor.request({ url: res.headers.location as string });
  t.equal(page.statusCode, 200);
  t.match(page.body, '草稿已保存');
  const pub = await app.inject({ url: `/pledges/${id}` });
  t.equal(pub.statusCode, 404, 'the public cannot see a draft');
});

t.test('an invalid pledge form comes back with 400, the input kept and messages by each field, in Chinese and English', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const editor = await login(app, 'editor-a');
  const bad = draftFields(f, { title: '  ', standard: '', startOn: f.today, dueOn: addDays(f.today, -1), commitment: '<b>保留我</b>' });
  const zh = await editor.request({ method: 'POST', url: '/manage/pledges', form: bad, headers: { 'accept-language': 'zh-CN' } });
  t.equal(zh.statusCode, 400);
  t.match(zh.body, '此项必填。');
  t.match(zh.body, '截止日期不能早于开始日期。');
  t.match(zh.body, '&lt;b&gt;保留我&lt;/b&gt;', 'typed input kept, escaped');
  t.match(zh.body, 'class="error-summary"');
  const en = await editor.request({ method: 'POST', url: '/manage/pledges?lang=en', form: bad });
  t.equal(en.statusCode, 400);
  t.match(en.body, 'This field is required.');
  t.match(en.body, 'The due date cannot be before the start date.');
  const far = await editor.request({ method: 'POST', url: '/manage/pledges?lang=en', form: draftFields(f, { dueOn: addDays(f.today, 365 * 6) }) });
  t.equal(far.statusCode, 400);
  t.match(far.body, 'more than 5 years');
  const unknownCategory = await editor.request({ method: 'POST', url: '/manage/pledges?lang=en', form: draftFields(f, { categoryId: '9999', districtUnitId: String(f.unitB.id) }) });
  t.equal(unknownCategory.statusCode, 400);
  t.match(unknownCategory.body, 'Choose one of the options.');
  const extra = await editor.request({ method: 'POST', url: '/manage/pledges?lang=en', form: draftFields(f, { status: 'completed' }) });
  t.equal(extra.statusCode, 400, 'a field the form does not have is refused');
  t.equal((app.db.$client.prepare('SELECT count(*) AS n FROM pledges').get() as { n: number }).n, 0, 'nothing saved');
});

t.test('an editor cannot name another lead unit or make a major item: 403 and nothing saved', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const editor = await login(app, 'editor-a');
  const other = await editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { leadUnitId: String(f.unitB.id) }) });
  t.equal(other.statusCode, 403);
  const major = await editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { tier: 'major' }) });
  t.equal(major.statusCode, 403);
  t.equal((app.db.$client.prepare('SELECT count(*) AS n FROM pledges').get() as { n: number }).n, 0);
});

t.test('the office admin picks the lead unit and may make a city-level major item', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const form = await admin.request({ url: '/manage/pledges/new' });
  t.match(form.body, 'name="leadUnitId"');
  t.match(form.body, 'name="tier"');
  const missing = await admin.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f) });
  t.equal(missing.statusCode, 400, 'the office must name the lead unit');
  const res = await admin.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { leadUnitId: String(f.unitB.id), tier: 'major' }) });
  t.equal(res.statusCode, 303);
  const id = Number(/(\d+)/.exec(res.headers.location as string)![1]);
  t.equal(pledgeRow(app, id).leadUnitId, f.unitB.id);
  t.equal(pledgeRow(app, id).tier, 'major');
});

t.test('a draft is edited freely; two editors saving the same version: the second gets 409 with their input kept', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const draft = await makeDraft(app, f);
  const one = await login(app, 'editor-a');
  const admin = await login(app, 'admin');
  const formOne = await one.request({ url: `/manage/pledges/${draft.id}/edit` });
  const formTwo = await admin.request({ url: `/manage/pledges/${draft.id}/edit` });
  t.equal(formVersion(formOne.body), '1');
  t.equal(formVersion(formTwo.body), '1');

  const first = await one.request({ method: 'POST', url: `/manage/pledges/${draft.id}/edit`, form: draftFields(f, { version: '1', title: '第一位编辑的标题', startOn: draft.startOn, dueOn: addDays(f.today, 200) }) });
  t.equal(first.statusCode, 303);
  t.equal(pledgeRow(app, draft.id).title, '第一位编辑的标题');
  t.equal(pledgeRow(app, draft.id).version, 2);

  const second = await admin.request({
    method: 'POST',
    url: `/manage/pledges/${draft.id}/edit?lang=en`,
    form: draftFields(f, { version: '1', leadUnitId: String(f.unitA.id), title: 'Second editor typed this', startOn: draft.startOn }),
  });
  t.equal(second.statusCode, 409);
  t.match(second.body, 'Changed by someone else meanwhile');
  t.match(second.body, 'value="Second editor typed this"', 'their input is kept');
  t.match(second.body, '第一位编辑的标题', 'the saved value is shown');
  t.equal(formVersion(second.body), '2', 'the form now carries the saved version');
  t.equal(pledgeRow(app, draft.id).title, '第一位编辑的标题', 'nothing overwritten');

  const again = await admin.request({
    method: 'POST',
    url: `/manage/pledges/${draft.id}/edit`,
    form: draftFields(f, { version: '2', leadUnitId: String(f.unitA.id), title: 'Second editor typed this', startOn: draft.startOn }),
  });
  t.equal(again.statusCode, 303, 'submitting again after reading saves');
  t.equal(pledgeRow(app, draft.id).title, 'Second editor typed this');
  t.same(auditActions(app, draft.id), ['pledge.create', 'pledge.update_draft', 'pledge.update_draft']);
});

t.test('publishing a draft makes it pledged, sets publishedAt, indexes it and audits it', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const draft = await makeDraft(app, f);
  const editor = await login(app, 'editor-a');
  const page = await editor.request({ url: `/manage/pledges/${draft.id}` });
  t.match(page.body, `action="/manage/pledges/${draft.id}/publish"`);
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${draft.id}/publish`, form: { version: formVersion(page.body) } });
  t.equal(res.statusCode, 303);
  const row = pledgeRow(app, draft.id);
  t.equal(row.status, 'pledged');
  t.ok(row.publishedAt);
  t.equal((app.db.$client.prepare('SELECT count(*) AS n FROM pledge_search WHERE rowid = ?').get(draft.id) as { n: number }).n, 1, 'findable once public');
  t.same(auditActions(app, draft.id), ['pledge.create', 'pledge.publish']);
  const twice = await editor.request({ method: 'POST', url: `/manage/pledges/${draft.id}/publish`, form: { version: String(row.version) } });
  t.equal(twice.statusCode, 409, 'publishing twice is refused');
});

t.test('publishing a draft someone changed meanwhile shows the current draft with 409', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const draft = await makeDraft(app, f);
  const editor = await login(app, 'editor-a');
  await createPledgeRepository(app.db).updateDraft({ userId: f.users.admin, username: 'admin' }, draft.id, 1, { ...draft, categoryId: f.categoryId, title: '改过的标题' });
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${draft.id}/publish`, form: { version: '1' } });
  t.equal(res.statusCode, 409);
  t.match(res.body, '改过的标题');
  t.equal(pledgeRow(app, draft.id).status, 'draft');
});

t.test('a pledge titled <script> shows as text on every workspace page', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const evil = '<script>alert(1)</script>';
  const p = await makePublished(app, f, { title: evil, commitment: evil, standard: evil });
  await makeDraft(app, f, { title: evil, parentId: p.id });
  const editor = await login(app, 'editor-a');
  for (const url of ['/manage', `/manage/pledges/${p.id}`, `/manage/pledges/${p.id}/edit`, `/manage/pledges/new?parent=${p.id}`]) {
    const res = await editor.request({ url });
    t.equal(res.statusCode, 200, url);
    t.notMatch(res.body, '<script>alert(1)</script>', `${url} does not inject`);
    t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;', `${url} shows the title as text`);
  }
});

t.test('sub-tasks: created from the parent, listed on it with the roll-up; the parent must be the same unit\'s top-level pledge', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const parent = await makePublished(app, f, { title: '父事项' });
  const editor = await login(app, 'editor-a');
  const form = await editor.request({ url: `/manage/pledges/new?parent=${parent.id}` });
  t.match(form.body, new RegExp(`<option value="${parent.id}" selected>`));
  const res = await editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { title: '子任务一', parentId: String(parent.id) }) });
  t.equal(res.statusCode, 303);
  const childId = Number(/(\d+)/.exec(res.headers.location as string)![1]);
  t.equal(pledgeRow(app, childId).parentId, parent.id);
  const child2 = await makePublished(app, f, { title: '子任务二', parentId: parent.id });
  app.db.$client.prepare('UPDATE pledges SET progress = 60 WHERE id = ?').run(child2.id);
  const page = await editor.request({ url: `/manage/pledges/${parent.id}` });
  t.match(page.body, '子任务一');
  t.match(page.body, '子任务二');
  t.match(page.body, '1 个已公开子任务平均进度 60%', 'roll-up averages the published sub-tasks');

  const nested = await editor.request({ method: 'POST', url: '/manage/pledges?lang=en', form: draftFields(f, { parentId: String(childId) }) });
  t.equal(nested.statusCode, 400);
  t.match(nested.body, 'itself a sub-task');
  const bPledge = await makeDraft(app, f, { leadUnitId: f.unitB.id });
  const foreign = await editor.request({ method: 'POST', url: '/manage/pledges?lang=en', form: draftFields(f, { parentId: String(bPledge.id) }) });
  t.equal(foreign.statusCode, 400);
  t.match(foreign.body, 'same lead unit and campaign');
  const foreignForm = await editor.request({ url: `/manage/pledges/new?parent=${bPledge.id}` });
  t.equal(foreignForm.statusCode, 403);
  const badQuery = await editor.request({ url: '/manage/pledges/new?parent=abc' });
  t.equal(badQuery.statusCode, 400);
});
