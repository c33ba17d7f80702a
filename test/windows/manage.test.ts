import t from 'tap';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { build, login, seed, type Fixtures } from '../helpers.ts';
import { auditLog, serviceCommitments, staffCards, units } from '../../db/schema.ts';

const commitment = { item: '不动产登记', standard: '材料齐全当场受理', timeLimitWorkingDays: '5' };
const staff = { name: '李明', post: '综合受理窗口 3 号', duties: '受理登记申请', promise: '首问负责，一次告知' };

async function setup(t: { teardown(fn: () => unknown): void }): Promise<{ app: FastifyInstance; fx: Fixtures }> {
  const app = await build(t);
  const fx = await seed(app);
  app.db.update(units).set({ isServiceWindow: true }).where(eq(units.id, fx.unitA.id)).run();
  return { app, fx };
}

function counts(app: FastifyInstance) {
  return {
    commitments: app.db.select().from(serviceCommitments).all().length,
    staff: app.db.select().from(staffCards).all().length,
    audit: app.db.select().from(auditLog).all().length,
  };
}

t.test('a unit editor keeps their own window: add, edit, reorder, deactivate — each audited', async (t) => {
  const { app, fx } = await setup(t);
  const a = await login(app, 'editor-a');
  const page = await a.request({ method: 'GET', url: '/manage/window' });
  t.equal(page.statusCode, 200);
  t.match(page.body, /市水务局/);

  const add = await a.request({ method: 'POST', url: '/manage/window/commitments', form: commitment });
  t.equal(add.statusCode, 303);
  t.equal(add.headers.location, `/manage/window?unit=${fx.unitA.id}&done=added#commitments`);
  await a.request({ method: 'POST', url: '/manage/window/commitments', form: { ...commitment, item: '抵押登记', timeLimitWorkingDays: '3' } });
  const rows = app.db.select().from(serviceCommitments).all();
  t.same(
    rows.map((r) => [r.unitId, r.item, r.timeLimitWorkingDays, r.sortOrder]),
    [
      [fx.unitA.id, '不动产登记', 5, 1],
      [fx.unitA.id, '抵押登记', 3, 2],
    ],
  );

  const edit = await a.request({ method: 'GET', url: `/manage/window/commitments/${rows[0].id}/edit` });
  t.equal(edit.statusCode, 200);
  t.match(edit.body, /value="不动产登记"/);
  t.equal((await a.request({ method: 'POST', url: `/manage/window/commitments/${rows[0].id}`, form: { ...commitment, timeLimitWorkingDays: '7' } })).statusCode, 303);
  t.equal(app.db.select().from(serviceCommitments).where(eq(serviceCommitments.id, rows[0].id)).get()!.timeLimitWorkingDays, 7);

  t.equal((await a.request({ method: 'POST', url: `/manage/window/commitments/${rows[1].id}/move`, form: { direction: 'up' } })).statusCode, 303);
  const order = app.db.select().from(serviceCommitments).orderBy(serviceCommitments.sortOrder).all();
  t.same(
    order.map((r) => r.item),
    ['抵押登记', '不动产登记'],
    'moved up',
  );

  t.equal((await a.request({ method: 'POST', url: `/manage/window/commitments/${rows[1].id}/active`, form: { active: '0' } })).statusCode, 303);
  t.equal(app.db.select().from(serviceCommitments).where(eq(serviceCommitments.id, rows[1].id)).get()!.active, false);

  t.equal((await a.request({ method: 'POST', url: '/manage/window/staff', form: staff })).statusCode, 303);
  const card = app.db.select().from(staffCards).get()!;
  t.match(card, { unitId: fx.unitA.id, name: '李明', post: '综合受理窗口 3 号', promise: '首问负责，一次告知' });

  const actions = app.db.select({ action: auditLog.action }).from(auditLog).all().map((r) => r.action);
  t.same(actions.filter((x) => x.startsWith('window.')), [
    'window.commitment.create',
    'window.commitment.create',
    'window.commitment.update',
    'window.commitment.move',
    'window.commitment.deactivate',
    'window.staff.create',
  ]);
});

t.test('another unit’s editor gets 403 and nothing changes', async (t) => {
  const { app, fx } = await setup(t);
  const a = await login(app, 'editor-a');
  await a.request({ method: 'POST', url: '/manage/window/commitments', form: commitment });
  await a.request({ method: 'POST', url: '/manage/window/staff', form: staff });
  const c = app.db.select().from(serviceCommitments).get()!;
  const s = app.db.select().from(staffCards).get()!;
  const before = counts(app);
  const rowsBefore = [app.db.select().from(serviceCommitments).all(), app.db.select().from(staffCards).all()];

  const b = await login(app, 'editor-b');
  const attempts: { url: string; form: Record<string, string> }[] = [
    { url: `/manage/window/commitments/${c.id}`, form: { ...commitment, item: '改掉' } },
    { url: `/manage/window/commitments/${c.id}/active`, form: { active: '0' } },
    { url: `/manage/window/commitments/${c.id}/move`, form: { direction: 'down' } },
    { url: `/manage/window/staff/${s.id}`, form: { ...staff, name: '王五' } },
    { url: `/manage/window/staff/${s.id}/active`, form: { active: '0' } },
    { url: `/manage/window/staff/${s.id}/photo/remove`, form: {} },
    { url: '/manage/window/commitments', form: { ...commitment, unit: String(fx.unitA.id) } },
    { url: '/manage/window/staff', form: { ...staff, unit: String(fx.unitA.id) } },
  ];
  for (const attempt of attempts) {
    const res = await b.request({ method: 'POST', ...attempt });
    t.equal(res.statusCode, 403, attempt.url);
  }
  t.equal((await b.request({ method: 'GET', url: `/manage/window/commitments/${c.id}/edit` })).statusCode, 403);
  t.equal((await b.request({ method: 'GET', url: `/manage/window?unit=${fx.unitA.id}` })).statusCode, 403);
  t.same(counts(app), before, 'no row and no audit entry added');
  t.same([app.db.select().from(serviceCommitments).all(), app.db.select().from(staffCards).all()], rowsBefore, 'nothing changed');

  const press = await login(app, 'press');
  t.equal((await press.request({ method: 'GET', url: '/manage/window' })).statusCode, 403);
  const anon = await app.inject({ method: 'GET', url: '/manage/window' });
  t.equal(anon.statusCode, 302);
  t.match(anon.headers.location, /^\/login\?next=/);
});

t.test('the office acts for any unit', async (t) => {
  const { app, fx } = await setup(t);
  const admin = await login(app, 'admin');
  const picker = await admin.request({ method: 'GET', url: '/manage/window' });
  t.equal(picker.statusCode, 200);
  t.match(picker.body, new RegExp(`<option value="${fx.unitA.id}">市水务局</option>`), 'window units to pick from');
  t.equal((await admin.request({ method: 'POST', url: '/manage/window/staff', form: { ...staff, unit: String(fx.unitB.id) } })).statusCode, 303);
  t.equal(app.db.select().from(staffCards).get()!.unitId, fx.unitB.id);
  const noUnit = await admin.request({ method: 'POST', url: '/manage/window/staff', form: staff });
  t.equal(noUnit.statusCode, 400, 'the office must say which unit');
  t.equal((await admin.request({ method: 'POST', url: '/manage/window/staff', form: { ...staff, unit: '99999' } })).statusCode, 404);
});

t.test('bad input: messages by the field, input kept; unknown fields and ids refused', async (t) => {
  const { app } = await setup(t);
  const a = await login(app, 'editor-a');
  const before = counts(app);
  const res = await a.request({ method: 'POST', url: '/manage/window/commitments', form: { item: '', standard: '<b>标准</b>', timeLimitWorkingDays: '0' } });
  t.equal(res.statusCode, 400);
  t.match(res.body, /id="f-item-error"/);
  t.match(res.body, /请填写 1 至 250 之间的工作日数/);
  t.match(res.body, /&lt;b&gt;标准&lt;\/b&gt;/, 'input kept, escaped');
  t.equal((await a.request({ method: 'POST', url: '/manage/window/commitments', form: { ...commitment, timeLimitWorkingDays: '251' } })).statusCode, 400);
  t.equal((await a.request({ method: 'POST', url: '/manage/window/commitments', form: { ...commitment, timeLimitWorkingDays: '2.5' } })).statusCode, 400);
  t.equal((await a.request({ method: 'POST', url: '/manage/window/staff', form: { ...staff, phone: '13800000000' } })).statusCode, 400, 'no phone field');
  t.equal((await a.request({ method: 'POST', url: '/manage/window/staff', form: { ...staff, name: '李'.repeat(41) } })).statusCode, 400);
  t.same(counts(app), before, 'nothing stored');
  t.equal((await a.request({ method: 'GET', url: '/manage/window/commitments/999/edit' })).statusCode, 404);
  t.equal((await a.request({ method: 'GET', url: '/manage/window/staff/abc/edit' })).statusCode, 404);
  t.equal((await a.request({ method: 'POST', url: '/manage/window/commitments/999/move', form: { direction: 'up' } })).statusCode, 404);
  await a.request({ method: 'POST', url: '/manage/window/commitments', form: commitment });
  const id = app.db.select().from(serviceCommitments).get()!.id;
  t.equal((await a.request({ method: 'POST', url: `/manage/window/commitments/${id}/move`, form: { direction: 'sideways' } })).statusCode, 400);
  t.equal((await a.request({ method: 'POST', url: `/manage/window/commitments/${id}/active`, form: { active: 'yes' } })).statusCode, 400);
  const noCsrf = await app.inject({ method: 'POST', url: '/manage/window/commitments', headers: { cookie: a.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: 'item=x&timeLimitWorkingDays=3' });
  t.equal(noCsrf.statusCode, 403, 'CSRF token required');
});
