import t from 'tap';
import { eq } from 'drizzle-orm';
import type { FastifyInstance } from 'fastify';
import { build, seed, type Fixtures } from '../helpers.ts';
import { calendarDays, serviceCommitments, staffCards, units } from '../../db/schema.ts';
import { decodeQrSvg, qrSvgOf } from './qr-decode.ts';

const PUBLIC_URL = 'https://pledges.example.gov.cn';

function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}
const weekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

async function windowUnit(t: { teardown(fn: () => unknown): void }): Promise<{ app: FastifyInstance; fx: Fixtures; staffId: number }> {
  const app = await build(t);
  const fx = await seed(app);
  app.db.update(units).set({ isServiceWindow: true }).where(eq(units.id, fx.unitA.id)).run();
  app.db
    .insert(serviceCommitments)
    .values([
      { unitId: fx.unitA.id, item: '新装用水申请', standard: '资料齐全即受理', timeLimitWorkingDays: 3, sortOrder: 1 },
      { unitId: fx.unitA.id, item: '已停用的事项', timeLimitWorkingDays: 9, sortOrder: 2, active: false },
    ])
    .run();
  const staffId = app.db
    .insert(staffCards)
    .values({ unitId: fx.unitA.id, name: '张晓燕', post: '营业厅 2 号窗口', duties: '用水报装受理', promise: '微笑服务，一次办好' })
    .returning()
    .get().id;
  app.db.insert(staffCards).values({ unitId: fx.unitA.id, name: '停用人员', post: '旧岗位', active: false }).run();
  return { app, fx, staffId };
}

t.test('the unit page lists a window’s active commitments and staff; other units show none', async (t) => {
  const { app, fx } = await windowUnit(t);
  const page = await app.inject(`/units/${fx.unitA.slug}`);
  t.equal(page.statusCode, 200);
  t.match(page.body, /id="h-window"/);
  t.match(page.body, /新装用水申请/);
  t.match(page.body, /张晓燕/);
  t.match(page.body, /营业厅 2 号窗口/);
  t.notMatch(page.body, /已停用的事项|停用人员/, 'deactivated entries are not public');
  const other = await app.inject(`/units/${fx.unitB.slug}`);
  t.notMatch(other.body, /id="h-window"/);
  t.equal((await app.inject(`/units/${fx.unitB.slug}/window`)).statusCode, 404, 'not a service window');
  t.equal((await app.inject('/units/nowhere/window')).statusCode, 404);
  t.notOk(page.headers['set-cookie'], 'no cookie on page view');

  app.db.update(units).set({ active: false }).where(eq(units.id, fx.unitA.id)).run();
  const deactivated = await app.inject(`/units/${fx.unitA.slug}`);
  t.equal(deactivated.statusCode, 200, 'a deactivated window keeps its unit page');
  t.notMatch(deactivated.body, /id="h-window"|新装用水申请/, 'but offers no services there');
  t.equal((await app.inject(`/units/${fx.unitA.slug}/window`)).statusCode, 404, 'as its window page is not found');
});

t.test('the window page: "apply today, done by" counts working days across a holiday and a make-up day', async (t) => {
  const { app, fx } = await windowUnit(t);
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  // A holiday on the first two weekdays after today, and the first Saturday after those made a working day.
  const weekdays: string[] = [];
  for (let d = plusDays(today, 1); weekdays.length < 2; d = plusDays(d, 1)) if (weekday(d) !== 0 && weekday(d) !== 6) weekdays.push(d);
  let saturday = plusDays(weekdays[1], 1);
  while (weekday(saturday) !== 6) saturday = plusDays(saturday, 1);
  app.db
    .insert(calendarDays)
    .values([...weekdays.map((day) => ({ day, kind: 'holiday' as const, name: '假日' })), { day: saturday, kind: 'workday', name: '调休上班' }])
    .run();
  // Expected, counted by hand: skip weekends and the two holidays, count the make-up Saturday.
  const off = new Set(weekdays);
  let left = 3;
  let expected = today;
  while (left > 0) {
    expected = plusDays(expected, 1);
    const working = expected === saturday || (weekday(expected) !== 0 && weekday(expected) !== 6 && !off.has(expected));
    if (working) left--;
  }
  const res = await app.inject(`/units/${fx.unitA.slug}/window`);
  t.equal(res.statusCode, 200);
  t.match(res.body, new RegExp(`<time datetime="${expected}">`), `3 working days from ${today} end on ${expected}`);
  t.ok(expected > plusDays(today, 3), 'the holidays push the date out');
  t.match(res.body, new RegExp(`href="/units/${fx.unitA.slug}#rating"`), 'links the rating form');
  const en = await app.inject(`/units/${fx.unitA.slug}/window?lang=en`);
  t.match(en.body, /If you apply today/);
});

t.test('the poster and the post card carry a QR code that decodes to the rating URL built from PUBLIC_URL', async (t) => {
  const { app, fx, staffId } = await windowUnit(t);
  const want = `${PUBLIC_URL}/units/${fx.unitA.slug}#rating`;
  const headers = { host: 'evil.example', 'x-forwarded-host': 'evil.example' };

  const poster = await app.inject({ url: `/units/${fx.unitA.slug}/window/poster`, headers });
  t.equal(poster.statusCode, 200);
  t.match(poster.body, /href="\/static\/windows-poster\.css"/);
  t.match(poster.body, /新装用水申请/);
  t.notMatch(poster.body, /evil\.example/);
  t.equal(decodeQrSvg(qrSvgOf(poster.body)), want);

  const card = await app.inject({ url: `/units/${fx.unitA.slug}/window/staff/${staffId}/card`, headers });
  t.equal(card.statusCode, 200);
  t.match(card.body, /href="\/static\/windows-card\.css"/);
  t.match(card.body, /张晓燕/);
  t.match(card.body, /微笑服务，一次办好/);
  t.equal(decodeQrSvg(qrSvgOf(card.body)), want);

  const css = await app.inject('/static/windows-card.css');
  t.match(css.body, /@page\s*\{\s*size:\s*A6/);
  t.match((await app.inject('/static/windows-poster.css')).body, /@page\s*\{\s*size:\s*A4/);

  const inactive = app.db.select().from(staffCards).where(eq(staffCards.active, false)).get()!;
  t.equal((await app.inject(`/units/${fx.unitA.slug}/window/staff/${inactive.id}/card`)).statusCode, 404, 'a deactivated card is not printed');
  t.equal((await app.inject(`/units/${fx.unitB.slug}/window/staff/${staffId}/card`)).statusCode, 404);
  t.equal((await app.inject(`/units/${fx.unitA.slug}/window/staff/x/card`)).statusCode, 404);
});
