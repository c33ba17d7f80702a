// The window workspace (/manage/window): a unit editor keeps their own unit's service commitments
// and staff post cards; the office admin does it for any unit. Another unit's entry → 403, unchanged.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { HttpError } from '../plugins/errors.ts';
import { formValues, optionalId, parseForm, type FieldErrors } from '../validation.ts';
import { WORKSPACE } from '../manage/access.ts';
import { createUnitRepository } from '../units/repository.ts';
import { createWindowRepository, type WindowKind } from './repository.ts';
import { activeForm, commitmentForm, moveForm, staffForm } from './schemas.ts';
import { photoRoutes } from './photo-routes.ts';
import { actingUnit, assertOwns, entryId } from './access.ts';

const DONE = ['added', 'saved', 'moved', 'deactivated', 'activated', 'photo', 'photo_removed'] as const;
const pageQuery = z.object({ unit: optionalId(), done: z.enum(DONE).optional().catch(undefined) }).loose();

type Values = Record<string, string | string[]>;

/** The shared zod messages know only 0–100 ranges: a time limit out of range says its own range. */
function explained(errors: FieldErrors): FieldErrors {
  const e = errors.timeLimitWorkingDays;
  if (e && e.key !== 'validation.required') return { ...errors, timeLimitWorkingDays: { key: 'windows.error.time_limit' } };
  return errors;
}

export default function manageWindowRoutes(app: FastifyInstance) {
  const repo = createWindowRepository(app.db);
  const unitRepo = createUnitRepository(app.db);

  async function workspace(request: FastifyRequest, reply: FastifyReply, unitId: number | undefined, opts: { status?: number; form?: WindowKind; errors?: FieldErrors; values?: Values } = {}) {
    const t = request.t;
    const q = pageQuery.safeParse(request.query ?? {});
    const unit = unitId === undefined ? undefined : await unitRepo.get(unitId);
    if (unitId !== undefined && !unit) throw new HttpError(404);
    const [commitments, staff, windowUnits] = await Promise.all([
      unit ? repo.commitments(unit.id, { includeInactive: true }) : [],
      unit ? repo.staff(unit.id, { includeInactive: true }) : [],
      request.user!.role === 'admin' ? repo.windowUnits() : [],
    ]);
    return reply.code(opts.status ?? 200).page('windows/manage', {
      title: t('windows.manage.title'),
      breadcrumbs: [{ href: '/manage', label: t('manage.title') }, { label: t('windows.manage.title') }],
      unit,
      windowUnits,
      isAdmin: request.user!.role === 'admin',
      commitments,
      staff,
      done: q.success && q.data.done ? t(`windows.done.${q.data.done}`) : undefined,
      form: opts.form,
      errors: opts.errors,
      values: opts.values ?? {},
    });
  }

  function back(unitId: number, done: (typeof DONE)[number], anchor: string) {
    return `/manage/window?unit=${unitId}&done=${done}#${anchor}`;
  }

  app.get('/manage/window', { config: WORKSPACE }, async (request, reply) => {
    const q = pageQuery.safeParse(request.query ?? {});
    if (!q.success) throw new HttpError(400, 'unit');
    return workspace(request, reply, actingUnit(request, q.data.unit));
  });

  // ---- adding --------------------------------------------------------------------------------

  for (const kind of ['commitment', 'staff'] as const) {
    const schema = kind === 'commitment' ? commitmentForm : staffForm;
    const plural = kind === 'commitment' ? 'commitments' : 'staff';
    app.post(`/manage/window/${plural}`, { config: WORKSPACE }, async (request, reply) => {
      const named = optionalId().safeParse((request.body as Record<string, unknown> | undefined)?.unit);
      if (!named.success) throw new HttpError(400, 'unit');
      const unitId = actingUnit(request, named.data);
      if (unitId === undefined) throw new HttpError(400, request.t('windows.error.no_unit'));
      if (!(await unitRepo.get(unitId))) throw new HttpError(404);
      const parsed = parseForm(schema, request.body);
      if (!parsed.ok) return workspace(request, reply, unitId, { status: 400, form: kind, errors: explained(parsed.errors), values: formValues(request.body) });
      const { unit: _unit, ...input } = parsed.data;
      if (kind === 'commitment') await repo.addCommitment(request.actor(), unitId, input as z.output<typeof commitmentForm>);
      else await repo.addStaff(request.actor(), unitId, input as z.output<typeof staffForm>);
      return reply.redirect(back(unitId, 'added', plural), 303);
    });
  }

  // ---- editing -------------------------------------------------------------------------------

  async function loadEntry(request: FastifyRequest, kind: WindowKind) {
    const id = entryId(request);
    const entry = kind === 'commitment' ? await repo.commitment(id) : await repo.staffCard(id);
    if (!entry) throw new HttpError(404);
    assertOwns(request, entry.unitId);
    return entry;
  }

  async function editPage(request: FastifyRequest, reply: FastifyReply, kind: WindowKind, opts: { status?: number; errors?: FieldErrors; values?: Values } = {}) {
    const t = request.t;
    const entry = await loadEntry(request, kind);
    const unit = (await unitRepo.get(entry.unitId))!;
    const values: Values = opts.values ?? Object.fromEntries(Object.entries(entry).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));
    return reply.code(opts.status ?? 200).page(`windows/edit-${kind}`, {
      title: t(`windows.edit.${kind}`),
      breadcrumbs: [{ href: '/manage', label: t('manage.title') }, { href: `/manage/window?unit=${unit.id}`, label: t('windows.manage.title') }, { label: t(`windows.edit.${kind}`) }],
      unit,
      entry,
      errors: opts.errors,
      values,
      uploadLimitMb: app.config.uploadLimitMb,
    });
  }

  for (const kind of ['commitment', 'staff'] as const) {
    const schema = kind === 'commitment' ? commitmentForm : staffForm;
    const plural = kind === 'commitment' ? 'commitments' : 'staff';

    app.get(`/manage/window/${plural}/:id/edit`, { config: WORKSPACE }, async (request, reply) => editPage(request, reply, kind));

    app.post(`/manage/window/${plural}/:id`, { config: WORKSPACE }, async (request, reply) => {
      const entry = await loadEntry(request, kind);
      const parsed = parseForm(schema, request.body);
      if (!parsed.ok) return editPage(request, reply, kind, { status: 400, errors: explained(parsed.errors), values: formValues(request.body) });
      const { unit, ...input } = parsed.data;
      if (unit !== undefined && unit !== entry.unitId) throw new HttpError(400, 'unit');
      if (kind === 'commitment') await repo.updateCommitment(request.actor(), entry.id, input as z.output<typeof commitmentForm>);
      else await repo.updateStaff(request.actor(), entry.id, input as z.output<typeof staffForm>);
      return reply.redirect(back(entry.unitId, 'saved', plural), 303);
    });

    app.post(`/manage/window/${plural}/:id/active`, { config: WORKSPACE }, async (request, reply) => {
      const entry = await loadEntry(request, kind);
      const parsed = activeForm.safeParse(request.body ?? {});
      if (!parsed.success) throw new HttpError(400, 'active');
      const active = parsed.data.active === '1';
      await repo.setActive(request.actor(), kind, entry.id, active);
      return reply.redirect(back(entry.unitId, active ? 'activated' : 'deactivated', plural), 303);
    });

    app.post(`/manage/window/${plural}/:id/move`, { config: WORKSPACE }, async (request, reply) => {
      const entry = await loadEntry(request, kind);
      const parsed = moveForm.safeParse(request.body ?? {});
      if (!parsed.success) throw new HttpError(400, 'direction');
      await repo.move(request.actor(), kind, entry.id, parsed.data.direction);
      return reply.redirect(back(entry.unitId, 'moved', plural), 303);
    });
  }

  photoRoutes(app, { repo, editPage: (request, reply, opts) => editPage(request, reply, 'staff', opts), back });

  // The unit workspace's dashboard links here for service-window units (and for the office).
  app.sections.add('manage', {
    template: '/windows/_manage',
    slot: 'main',
    order: 40,
    async load(ctx, request) {
      if (request.user?.role === 'admin') return { windowLink: '/manage/window' + (ctx.unitId ? `?unit=${ctx.unitId}` : '') };
      if (!ctx.unitId) return null;
      const unit = await unitRepo.get(ctx.unitId);
      return unit?.isServiceWindow ? { windowLink: '/manage/window' } : null;
    },
  });
}
