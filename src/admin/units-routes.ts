import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { UNIT_KINDS } from '../../db/schema.ts';
import { createUnitRepository, type Unit, type UnitInput } from '../units/repository.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { adminOnly, asFormValues, isUniqueViolation, noticeFor, paramId } from './common.ts';
import { unitForm, unitListQuery } from './schemas.ts';

const PAGE_SIZE = 50;
const SLUG_TAKEN: FieldErrors = { slug: { key: 'admin.error.slug_taken' } };

export default async function unitAdminRoutes(app: FastifyInstance) {
  const units = createUnitRepository(app.db);

  function crumbs(request: FastifyRequest, last?: string) {
    const list = [
      { href: '/admin', label: request.t('nav.admin') },
      { href: last ? '/admin/units' : '', label: request.t('admin.units.title') },
    ];
    return last ? [...list, { href: '', label: last }] : list;
  }

  async function renderForm(request: FastifyRequest, reply: FastifyReply, status: number, data: { unit?: Unit; values: Record<string, unknown>; errors?: FieldErrors }) {
    const title = data.unit ? request.t('admin.units.edit_title', { name: data.unit.name }) : request.t('admin.units.new_title');
    const parents = (await units.list()).filter((u) => u.id !== data.unit?.id);
    return reply.code(status).page('admin/unit-form', { title, breadcrumbs: crumbs(request, title), kinds: UNIT_KINDS, parents, ...data });
  }

  /** Checks the form cannot express: a free slug (current or retired), an existing parent, no cycle. */
  async function problems(input: { slug: string; parentId?: number }, unitId?: number): Promise<FieldErrors | undefined> {
    if (await units.slugTaken(input.slug, unitId)) return SLUG_TAKEN;
    if (input.parentId !== undefined) {
      if (!(await units.get(input.parentId))) return { parentId: { key: 'validation.invalid_choice' } };
      if (unitId !== undefined && (await units.wouldCreateCycle(unitId, input.parentId))) return { parentId: { key: 'admin.error.parent_cycle' } };
    }
    return undefined;
  }

  app.get('/admin/units', adminOnly, async (request, reply) => {
    const parsed = unitListQuery.safeParse(request.query);
    if (!parsed.success) throw new HttpError(400, request.t('admin.error.bad_filter'));
    const { kind, q } = parsed.data;
    const asked = parsed.data.page ?? 1;
    const first = await units.search({ kind: kind || undefined, q: q || undefined, limit: PAGE_SIZE, offset: (asked - 1) * PAGE_SIZE });
    const pages = Math.max(1, Math.ceil(first.total / PAGE_SIZE));
    // A page past the end (an old link, a typed number) shows the last page rather than nothing.
    const page = Math.min(asked, pages);
    const result = page === asked ? first : await units.search({ kind: kind || undefined, q: q || undefined, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE });
    return reply.page('admin/units', {
      title: request.t('admin.units.title'),
      breadcrumbs: crumbs(request),
      kinds: UNIT_KINDS,
      filters: { kind: kind ?? '', q: q ?? '' },
      units: result.rows,
      total: result.total,
      page,
      pages,
      notice: noticeFor(request),
    });
  });

  app.get('/admin/units/new', adminOnly, async (request, reply) => renderForm(request, reply, 200, { values: { active: 'on' } }));

  app.post('/admin/units', adminOnly, async (request, reply) => {
    const parsed = parseForm(unitForm, request.body);
    const again = (errors: FieldErrors) => renderForm(request, reply, 400, { values: formValues(request.body), errors });
    if (!parsed.ok) return again(parsed.errors);
    const wrong = await problems(parsed.data);
    if (wrong) return again(wrong);
    try {
      await units.create(request.actor(), { ...parsed.data, parentId: parsed.data.parentId ?? null });
    } catch (error) {
      if (isUniqueViolation(error)) return again(SLUG_TAKEN);
      throw error;
    }
    return reply.redirect('/admin/units?saved=created', 303);
  });

  app.get('/admin/units/:id/edit', adminOnly, async (request, reply) => {
    const unit = await units.get(paramId(request));
    if (!unit) throw new HttpError(404);
    return renderForm(request, reply, 200, { unit, values: asFormValues(unit) });
  });

  app.post('/admin/units/:id', adminOnly, async (request, reply) => {
    const unit = await units.get(paramId(request));
    if (!unit) throw new HttpError(404);
    const parsed = parseForm(unitForm, request.body);
    const again = (errors: FieldErrors) => renderForm(request, reply, 400, { unit, values: formValues(request.body), errors });
    if (!parsed.ok) return again(parsed.errors);
    const wrong = await problems(parsed.data, unit.id);
    if (wrong) return again(wrong);
    const input: Partial<UnitInput> = { ...parsed.data, parentId: parsed.data.parentId ?? null };
    try {
      await units.update(request.actor(), unit.id, input);
    } catch (error) {
      if (isUniqueViolation(error)) return again(SLUG_TAKEN);
      throw error;
    }
    return reply.redirect('/admin/units?saved=updated', 303);
  });
}
