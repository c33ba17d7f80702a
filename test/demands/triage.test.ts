import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { auditLog } from '../../db/schema.ts';
import { createDemandRepository } from '../../src/demands/repository.ts';
import { makeDemand, demandRow, auditFor, ADMIN } from './fixtures.ts';

t.test('the office lists, filters and searches reports; others may not', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  await makeDemand(app, f, { text: '冬季供暖温度不达标，室内只有十五度' });
  await makeDemand(app, f, { channel: 'hotline_12345', externalRef: 'RX-1', text: '路口拥堵严重，早高峰排队很长', categoryId: null });
  const admin = await login(app, 'admin');
  const all = await admin.request({ url: '/admin/demands' });
  t.equal(all.statusCode, 200);
  t.match(all.body, '供暖温度');
  t.match(all.body, '拥堵');
  const search = await admin.request({ url: '/admin/demands?q=供暖' });
  t.match(search.body, '供暖温度');
  t.notMatch(search.body, '排队很长', 'a two-character search is answered from the index');
  const hotline = await admin.request({ url: '/admin/demands?channel=hotline_12345' });
  t.notMatch(hotline.body, '供暖温度');
  t.match(hotline.body, 'RX-1');
  const byRef = await admin.request({ url: '/admin/demands?ref=RX-1' });
  t.match(byRef.body, '拥堵');
  t.notMatch(byRef.body, '供暖温度');
  t.equal((await admin.request({ url: '/admin/demands?status=bogus' })).statusCode, 400);
  t.equal((await admin.request({ url: '/admin/demands?utm_source=x' })).statusCode, 200, 'unknown keys are ignored');
  t.equal((await admin.request({ url: '/admin/demands?from=2020-01-01&to=2020-01-31' })).statusCode, 200);
  t.notMatch((await admin.request({ url: '/admin/demands?from=2020-01-01&to=2020-01-31' })).body, '供暖温度', 'date range');
  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ url: '/admin/demands' })).statusCode, 403);
  t.equal((await app.inject({ url: '/admin/demands' })).statusCode, 302);
});

t.test('merging adds up report counts and per-channel counts, and deletes nothing', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const repo = createDemandRepository(app.db);
  const a = await makeDemand(app, f, { channel: 'web' });
  const b = await makeDemand(app, f, { channel: 'hotline_12345', externalRef: 'T-1' });
  const c = await makeDemand(app, f, { channel: 'hotline_12345', externalRef: 'T-2' });
  const d = await makeDemand(app, f, { channel: 'survey', source: '走访' });
  const admin = await login(app, 'admin');

  let res = await admin.request({ method: 'POST', url: `/admin/demands/${b.id}/merge`, form: { target: `#${a.id}` } });
  t.equal(res.statusCode, 303);
  res = await admin.request({ method: 'POST', url: '/admin/demands/bulk', form: { 'ids[]': [String(d.id)], action: 'merge', target: c.trackingNo, back: '/admin/demands?status=new' } });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/admin/demands?status=new&done=merged');
  // C (with D already merged into it) goes into A: D must follow, so nothing points at a duplicate.
  res = await admin.request({ method: 'POST', url: `/admin/demands/${c.id}/merge`, form: { target: 'T-1' } });
  t.equal(res.statusCode, 409, 'a duplicate cannot be the target');
  res = await admin.request({ method: 'POST', url: `/admin/demands/${c.id}/merge`, form: { target: String(a.id) } });
  t.equal(res.statusCode, 303);

  t.equal(demandRow(app, d.id).duplicateOfId, a.id, 'chains are flattened');
  t.equal(demandRow(app, c.id).status, 'duplicate');
  const view = await repo.staffView(a.id);
  t.equal(view!.reportCount, 4);
  t.same(Object.fromEntries(view!.byChannel.map((x: any) => [x.channel, x.n])), { hotline_12345: 2, web: 1, survey: 1 });
  t.equal((await repo.totals()).reports, 4, 'every report still counts');
  const board = await app.inject({ url: '/demands' });
  t.match(board.body, '共 4 人次反映');
  t.equal((await repo.board({})).total, 1, 'the board lists the canonical report once');

  res = await admin.request({ method: 'POST', url: `/admin/demands/${a.id}/merge`, form: { target: String(a.id) } });
  t.equal(res.statusCode, 400, 'not into itself');
  t.equal(auditFor(app, 'demand', c.id).filter((e) => e.action === 'demand.merge').length, 1);
});

t.test('the office suggests a unit, declines with a public reason, reopens, reclassifies and hides a text', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const x = await makeDemand(app, f, { text: '某小区门口垃圾堆放多日无人清运' });
  const admin = await login(app, 'admin');
  let res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/suggest`, form: { unitId: String(f.unitB.id) } });
  t.equal(res.statusCode, 303);
  t.equal(demandRow(app, x.id).suggestedUnitId, f.unitB.id);
  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/suggest`, form: { unitId: '99999' } });
  t.equal(res.statusCode, 400);

  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/decline`, form: { reason: '' } });
  t.equal(res.statusCode, 400);
  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/decline`, form: { reason: '已转物业公司处理，不属于本次活动范围' } });
  t.equal(res.statusCode, 303);
  const declined = demandRow(app, x.id);
  t.equal(declined.status, 'declined');
  t.ok(declined.closedAt, 'the retention clock starts');
  const page = await app.inject({ url: `/reports/${x.trackingNo}` });
  t.match(page.body, '已转物业公司处理');
  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/decline`, form: { reason: '再次' } });
  t.equal(res.statusCode, 409, 'only a new report can be declined');

  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/reopen`, form: {} });
  t.equal(res.statusCode, 303);
  t.equal(demandRow(app, x.id).status, 'new');
  t.equal(demandRow(app, x.id).closedAt, null);

  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/classify`, form: { categoryId: '', districtUnitId: String(f.unitA.id) } });
  t.equal(res.statusCode, 400, 'a district must be a district');
  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/classify`, form: { categoryId: '', districtUnitId: '' } });
  t.equal(res.statusCode, 303);
  t.equal(demandRow(app, x.id).categoryId, null);

  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/hide`, form: { hidden: 'on' } });
  t.equal(res.statusCode, 303);
  t.notMatch((await app.inject({ url: `/reports/${x.trackingNo}` })).body, '垃圾堆放');
  t.notMatch((await app.inject({ url: '/demands' })).body, '垃圾堆放');
  t.equal((await createDemandRepository(app.db).board({ q: '垃圾' })).total, 0, 'a hidden text is not searchable by the public');
  res = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/hide`, form: {} });
  t.match((await app.inject({ url: '/demands' })).body, '垃圾堆放');

  const actions = auditFor(app, 'demand', x.id).map((e) => e.action);
  t.same(actions, ['demand.create', 'demand.suggest', 'demand.decline', 'demand.reopen', 'demand.classify', 'demand.hide_text', 'demand.show_text']);
  t.notMatch(JSON.stringify(app.db.select().from(auditLog).all()), '王小明', 'no reporter name in the permanent log');
  t.notMatch(JSON.stringify(app.db.select().from(auditLog).all()), '13912345678', 'no reporter phone in the permanent log');
});

t.test('bulk actions change every selected report or none', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const a = await makeDemand(app, f);
  const b = await makeDemand(app, f);
  const repo = createDemandRepository(app.db);
  await repo.decline(ADMIN(f), [b.id], '不属于本次活动', null);
  const admin = await login(app, 'admin');
  let res = await admin.request({ method: 'POST', url: '/admin/demands/bulk', form: { 'ids[]': [String(a.id), String(b.id)], action: 'suggest', unitId: String(f.unitA.id), back: '/admin/demands' } });
  t.equal(res.statusCode, 409);
  t.equal(demandRow(app, a.id).suggestedUnitId, null, 'nothing changed');
  res = await admin.request({ method: 'POST', url: '/admin/demands/bulk', form: { 'ids[]': [String(a.id)], action: 'suggest', unitId: String(f.unitA.id), back: 'https://evil.example/' } });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/admin/demands?done=suggested', 'never back to another site');
  res = await admin.request({ method: 'POST', url: '/admin/demands/bulk', form: { action: 'decline', reason: 'x', back: '' } });
  t.equal(res.statusCode, 400, 'nothing selected');
  res = await admin.request({ method: 'POST', url: '/admin/demands/bulk', form: { 'ids[]': [String(a.id)], action: 'decline', reason: '', back: '' } });
  t.equal(res.statusCode, 400, 'declining needs a reason');
});

t.test("reading a reporter's contact is a POST, shown only to the office here, and audited every time", async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const x = await makeDemand(app, f, { text: '我家在12号楼，楼下污水外溢' });
  const admin = await login(app, 'admin');
  const page = await admin.request({ url: `/admin/demands/${x.id}` });
  t.equal(page.statusCode, 200);
  t.notMatch(page.body, '13912345678', 'not shown until asked for');
  t.notMatch(page.body, '文化东路12号3单元501室', 'nor the full address');
  t.match(page.body, '我家在12号楼', 'the office sees the text as reported');
  t.notMatch((await app.inject({ url: `/reports/${x.trackingNo}` })).body, '12号楼', 'the public does not');
  const shown = await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/contact`, form: {} });
  t.equal(shown.statusCode, 200);
  t.match(shown.body, '13912345678');
  t.match(shown.body, '王小明');
  t.match(shown.body, '文化东路12号3单元501室');
  t.equal(shown.headers['cache-control'], 'private, no-store');
  await admin.request({ method: 'POST', url: `/admin/demands/${x.id}/contact`, form: {} });
  const views = auditFor(app, 'demand', x.id).filter((e) => e.action === 'demand.contact_view');
  t.equal(views.length, 2);
  t.equal(views[0].username, 'admin');
  t.equal((await admin.request({ method: 'POST', url: '/admin/demands/99999/contact', form: {} })).statusCode, 404);
  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ method: 'POST', url: `/admin/demands/${x.id}/contact`, form: {} })).statusCode, 403);
});

t.test('staff record reports from surveys, reception days, diaries and letters', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const form = {
    channel: 'reception',
    source: '3月5日局长接待日',
    reportedAt: '2025-03-05T09:30',
    categoryId: String(f.categoryId),
    districtUnitId: String(f.districtId),
    text: '希望增加社区老年食堂的供餐点',
    address: '',
    reporterName: '赵大爷',
    reporterPhone: '13700002222',
    reporterContact: '',
  };
  let res = await admin.request({ method: 'POST', url: '/admin/demands', form });
  t.equal(res.statusCode, 303);
  const id = Number(/\/admin\/demands\/(\d+)\?done=recorded/.exec(res.headers.location as string)![1]);
  const row = demandRow(app, id);
  t.equal(row.channel, 'reception');
  t.equal(row.source, '3月5日局长接待日');
  t.equal(row.reportedAt, '2025-03-05T01:30:00.000Z', 'a wall-clock time in the campaign zone');
  t.equal(row.suggestedUnitId, null);

  res = await admin.request({ method: 'POST', url: '/admin/demands', form: { ...form, channel: 'web' } });
  t.equal(res.statusCode, 400, 'web and hotline reports come in their own ways');
  res = await admin.request({ method: 'POST', url: '/admin/demands', form: { ...form, source: '', reportedAt: '2999-01-01T00:00' } });
  t.equal(res.statusCode, 400);
  t.match(res.body, 'id="f-source-error"');
  t.match(res.body, 'id="f-reportedAt-error"');
  t.match(res.body, '希望增加社区老年食堂', 'input kept');

  const editor = await login(app, 'editor-a');
  res = await editor.request({ method: 'POST', url: '/manage/demands', form: { ...form, channel: 'survey', source: '走访调查' } });
  t.equal(res.statusCode, 303);
  const unitId = Number(/\/manage\/demands\/(\d+)/.exec(res.headers.location as string)![1]);
  t.equal(demandRow(app, unitId).suggestedUnitId, f.unitA.id, "a unit's own record is suggested to it");
  t.equal((await editor.request({ method: 'POST', url: '/admin/demands', form })).statusCode, 403);
  const press = await login(app, 'press');
  t.equal((await press.request({ method: 'POST', url: '/manage/demands', form })).statusCode, 403);
});
