// /admin/calendar: the office keeps the public holidays and make-up working days (调休) that
// every working-day time limit counts with; a year published by the State Council can be
// imported at once.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { todayIn } from '../pledges/status.ts';
import { adminOnly } from '../admin/common.ts';
import { parseQuery } from '../manage/pages.ts';
import { createCalendarRepository, isWorkingDay, workingDaysBetween } from './working-days.ts';
import { KNOWN_YEARS } from './holidays-cn.ts';
import { dayForm, importForm, removeForm, yearQuery } from './schemas.ts';

const DONE = ['saved', 'removed', 'imported'];

export default async function calendarRoutes(app: FastifyInstance) {
  const repo = createCalendarRepository(app.db);

  async function page(request: FastifyRequest, reply: FastifyReply, year: number, opts: { status?: number; errors?: FieldErrors; values?: Record<string, unknown> } = {}) {
    const [days, years] = await Promise.all([repo.listYear(year), repo.years()]);
    const exceptions = new Map(days.map((d) => [d.day, d.kind] as const));
    const done = (request.query as { done?: string }).done;
    return reply.code(opts.status ?? 200).page('calendar/admin', {
      title: request.t('calendar.title'),
      breadcrumbs: [{ href: '/admin', label: request.t('nav.admin') }, { label: request.t('calendar.title') }],
      year,
      days: days.map((d) => ({ ...d, weekday: new Date(`${d.day}T00:00:00Z`).getUTCDay(), working: isWorkingDay(d.day, exceptions) })),
      years: [...new Set([...years, year, year - 1, year + 1])].sort((a, b) => a - b),
      workingDays: workingDaysBetween(`${year - 1}-12-31`, `${year}-12-31`, exceptions),
      known: KNOWN_YEARS[year] ? { provisional: KNOWN_YEARS[year].provisional, count: KNOWN_YEARS[year].days.length } : null,
      values: opts.values ?? { day: '', kind: 'holiday', name: '' },
      errors: opts.errors,
      notice: done && DONE.includes(done) ? request.t(`calendar.done.${done}`) : undefined,
    });
  }

  const thisYear = () => Number(todayIn(app.config.timeZone).slice(0, 4));

  app.get('/admin/calendar', adminOnly, async (request, reply) => {
    const q = parseQuery(yearQuery, request.query);
    return page(request, reply, q.year ?? thisYear());
  });

  app.post('/admin/calendar/days', adminOnly, async (request, reply) => {
    const parsed = parseForm(dayForm, request.body);
    if (!parsed.ok) {
      const typed = formValues(request.body);
      const year = /^\d{4}/.test(String(typed.day ?? '')) ? Number(String(typed.day).slice(0, 4)) : thisYear();
      return page(request, reply, year >= 2000 && year <= 2100 ? year : thisYear(), { status: 400, errors: parsed.errors, values: typed });
    }
    const { day, kind, name } = parsed.data;
    await repo.setDays(request.actor(), [{ day, kind, name }]);
    return reply.redirect(`/admin/calendar?year=${day.slice(0, 4)}&done=saved`, 303);
  });

  app.post('/admin/calendar/days/remove', adminOnly, async (request, reply) => {
    const parsed = parseForm(removeForm, request.body);
    if (!parsed.ok) throw new HttpError(400, 'day');
    const removed = await repo.removeDay(request.actor(), parsed.data.day);
    if (!removed) throw new HttpError(404);
    return reply.redirect(`/admin/calendar?year=${parsed.data.day.slice(0, 4)}&done=removed`, 303);
  });

  app.post('/admin/calendar/import', adminOnly, async (request, reply) => {
    const parsed = parseForm(importForm, request.body);
    if (!parsed.ok) throw new HttpError(400, 'year');
    const known = KNOWN_YEARS[parsed.data.year];
    if (!known) throw new HttpError(404);
    await repo.setDays(request.actor(), known.days);
    return reply.redirect(`/admin/calendar?year=${parsed.data.year}&done=imported`, 303);
  });
}
