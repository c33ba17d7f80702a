import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { createCategoryRepository, type Category } from '../categories/repository.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { adminOnly, asFormValues, isUniqueViolation, noticeFor, paramId } from './common.ts';
import { categoryForm } from './schemas.ts';

const SLUG_TAKEN: FieldErrors = { slug: { key: 'admin.error.slug_taken' } };

export default async function categoryAdminRoutes(app: FastifyInstance) {
  const categories = createCategoryRepository(app.db);

  function crumbs(request: FastifyRequest, last?: string) {
    const list = [
      { href: '/admin', label: request.t('nav.admin') },
      { href: last ? '/admin/categories' : '', label: request.t('admin.categories.title') },
    ];
    return last ? [...list, { href: '', label: last }] : list;
  }

  function renderForm(request: FastifyRequest, reply: FastifyReply, status: number, data: { category?: Category; values: Record<string, unknown>; errors?: FieldErrors }) {
    const name = data.category ? (request.locale === 'en' ? data.category.nameEn : data.category.nameZh) : '';
    const title = data.category ? request.t('admin.categories.edit_title', { name }) : request.t('admin.categories.new_title');
    return reply.code(status).page('admin/category-form', { title, breadcrumbs: crumbs(request, title), ...data });
  }

  app.get('/admin/categories', adminOnly, async (request, reply) =>
    reply.page('admin/categories', {
      title: request.t('admin.categories.title'),
      breadcrumbs: crumbs(request),
      categories: await categories.list(),
      notice: noticeFor(request),
    }),
  );

  app.get('/admin/categories/new', adminOnly, async (request, reply) => renderForm(request, reply, 200, { values: { sortOrder: '0' } }));

  app.post('/admin/categories', adminOnly, async (request, reply) => {
    const parsed = parseForm(categoryForm, request.body);
    const again = (errors: FieldErrors) => renderForm(request, reply, 400, { values: formValues(request.body), errors });
    if (!parsed.ok) return again(parsed.errors);
    if (await categories.bySlug(parsed.data.slug)) return again(SLUG_TAKEN);
    try {
      await categories.create(request.actor(), parsed.data);
    } catch (error) {
      if (isUniqueViolation(error)) return again(SLUG_TAKEN);
      throw error;
    }
    return reply.redirect('/admin/categories?saved=created', 303);
  });

  app.get('/admin/categories/:id/edit', adminOnly, async (request, reply) => {
    const category = await categories.get(paramId(request));
    if (!category) throw new HttpError(404);
    return renderForm(request, reply, 200, { category, values: asFormValues(category) });
  });

  app.post('/admin/categories/:id', adminOnly, async (request, reply) => {
    const category = await categories.get(paramId(request));
    if (!category) throw new HttpError(404);
    const parsed = parseForm(categoryForm, request.body);
    const again = (errors: FieldErrors) => renderForm(request, reply, 400, { category, values: formValues(request.body), errors });
    if (!parsed.ok) return again(parsed.errors);
    const other = await categories.bySlug(parsed.data.slug);
    if (other && other.id !== category.id) return again(SLUG_TAKEN);
    try {
      await categories.update(request.actor(), category.id, parsed.data);
    } catch (error) {
      if (isUniqueViolation(error)) return again(SLUG_TAKEN);
      throw error;
    }
    return reply.redirect('/admin/categories?saved=updated', 303);
  });
}
