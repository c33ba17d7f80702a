import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { calendarDays } from '../../db/schema.ts';
import { createCalendarRepository } from '../../src/calendar/working-days.ts';

t.test('the office marks, unmarks and imports days; units may not', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const page = await admin.request({ url: '/admin/calendar?year=2026&lang=en' });
  t.equal(page.statusCode, 200);
  t.match(page.body, 'Import 2026');
  const imported = await admin.request({ method: 'POST', url: '/admin/calendar/import', form: { year: '2026' } });
  t.equal(imported.statusCode, 303);
  const repo = createCalendarRepository(app.db);
  const ex = await repo.exceptions('2026-01-01', '2026-12-31');
  t.equal(ex.get('2026-10-01'), 'holiday');
  t.equal(ex.get('2026-02-14'), 'workday', 'Saturday make-up day before Spring Festival');
  const year = await admin.request({ url: '/admin/calendar?year=2026' });
  t.match(year.body, '春节调休上班');
  t.match(year.body, '2026 年（全年 ', 'the year’s working days are counted');

  const bad = await admin.request({ method: 'POST', url: '/admin/calendar/days?lang=en', form: { day: '2026-02-30', kind: 'holiday', name: '' } });
  t.equal(bad.statusCode, 400);
  const set = await admin.request({ method: 'POST', url: '/admin/calendar/days', form: { day: '2026-03-02', kind: 'holiday', name: '本市特别假日' } });
  t.equal(set.statusCode, 303);
  t.equal((await repo.exceptions('2026-03-02', '2026-03-02')).get('2026-03-02'), 'holiday');
  const removed = await admin.request({ method: 'POST', url: '/admin/calendar/days/remove', form: { day: '2026-03-02' } });
  t.equal(removed.statusCode, 303);
  t.equal((await repo.exceptions('2026-03-02', '2026-03-02')).size, 0);
  t.equal((await admin.request({ method: 'POST', url: '/admin/calendar/days/remove', form: { day: '2026-03-02' } })).statusCode, 404);

  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ url: '/admin/calendar' })).statusCode, 403);
  const before = app.db.select().from(calendarDays).all().length;
  t.equal((await editor.request({ method: 'POST', url: '/admin/calendar/days', form: { day: '2026-03-03', kind: 'holiday', name: '' } })).statusCode, 403);
  t.equal(app.db.select().from(calendarDays).all().length, before, 'nothing changed');
  t.equal((await app.inject('/admin/calendar')).statusCode, 302, 'anonymous: to the login page');
});
