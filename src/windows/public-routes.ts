// The public side of a service window: its block on the unit page, the window page with "if you
// apply today, it is done by …" for each commitment, and the printables (an A4 window poster and
// an A6 post card per staff member), each with a QR code that opens the unit's rating form.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../plugins/errors.ts';
import { createUnitRepository } from '../units/repository.ts';
import { todayIn } from '../pledges/status.ts';
import { addWorkingDays, createCalendarRepository } from '../calendar/working-days.ts';
import { createWindowRepository, type Commitment } from './repository.ts';
import { entryId } from './access.ts';
import { qrSvg, ratingUrl } from './qr.ts';

/** Calendar days to load exceptions for beyond today: generous for a limit of n working days. */
function spanFor(maxWorkingDays: number): number {
  return maxWorkingDays * 2 + 60;
}

function plusDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export default function publicWindowRoutes(app: FastifyInstance) {
  const repo = createWindowRepository(app.db);
  const unitRepo = createUnitRepository(app.db);
  const calendar = createCalendarRepository(app.db);

  /** Each active commitment with the day its time limit ends for someone applying today. */
  async function withDeadlines(commitments: Commitment[]) {
    const today = todayIn(app.config.timeZone);
    const longest = Math.max(0, ...commitments.map((c) => c.timeLimitWorkingDays));
    const exceptions = await calendar.exceptions(today, plusDays(today, spanFor(longest)));
    return { today, commitments: commitments.map((c) => ({ ...c, endsOn: addWorkingDays(today, c.timeLimitWorkingDays, exceptions) })) };
  }

  async function windowData(unitId: number) {
    const [commitments, staff] = await Promise.all([repo.commitments(unitId), repo.staff(unitId)]);
    return { ...(await withDeadlines(commitments)), staff };
  }

  /** The window unit named by :slug; an old slug redirects, a unit that is not a window is not found. */
  async function windowUnit(request: FastifyRequest, reply: FastifyReply, rest = '') {
    const { slug } = request.params as { slug: string };
    const found = await unitRepo.bySlug(slug);
    if (!found || !found.unit.active || !found.unit.isServiceWindow) throw new HttpError(404);
    if (!found.current) {
      reply.redirect(`/units/${found.unit.slug}/window${rest}`, 301);
      return undefined;
    }
    return found.unit;
  }

  app.sections.add('unit', {
    template: '/windows/_unit',
    slot: 'main',
    order: 20,
    async load(ctx) {
      // A deactivated window's services are not offered: its window page is not found either.
      if (!ctx.isServiceWindow || !ctx.active) return null;
      const data = await windowData(ctx.unitId);
      if (!data.commitments.length && !data.staff.length) return null;
      return { window: data };
    },
  });

  app.get('/units/:slug/window', async (request, reply) => {
    const t = request.t;
    const unit = await windowUnit(request, reply);
    if (!unit) return reply;
    return reply.page('windows/window', {
      title: t('windows.page.title', { name: unit.name }),
      description: t('windows.page.description', { name: unit.name }),
      canonical: `/units/${unit.slug}/window`,
      breadcrumbs: [{ href: '/units', label: t('units.title') }, { href: `/units/${unit.slug}`, label: unit.name }, { label: t('windows.page.crumb') }],
      unit,
      window: await windowData(unit.id),
      rateUrl: ratingUrl(app.config.publicUrl, unit.slug),
    });
  });

  app.get('/units/:slug/window/poster', async (request, reply) => {
    const t = request.t;
    const unit = await windowUnit(request, reply, '/poster');
    if (!unit) return reply;
    const rateUrl = ratingUrl(app.config.publicUrl, unit.slug);
    return reply.page('windows/poster', {
      title: t('windows.poster.title', { name: unit.name }),
      unit,
      window: await windowData(unit.id),
      rateUrl,
      qr: await qrSvg(rateUrl, t('windows.qr_label', { name: unit.name })),
    });
  });

  app.get('/units/:slug/window/staff/:id/card', async (request, reply) => {
    const t = request.t;
    const id = entryId(request);
    const unit = await windowUnit(request, reply, `/staff/${id}/card`);
    if (!unit) return reply;
    const card = await repo.staffCard(id);
    if (!card || card.unitId !== unit.id || !card.active) throw new HttpError(404);
    const rateUrl = ratingUrl(app.config.publicUrl, unit.slug);
    return reply.page('windows/card', {
      title: t('windows.card.title', { name: card.name, unit: unit.name }),
      unit,
      card,
      rateUrl,
      qr: await qrSvg(rateUrl, t('windows.qr_label', { name: unit.name })),
    });
  });
}
