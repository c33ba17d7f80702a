// The office's list of outlets (/admin/outlets): add, rename, change kind or language, deactivate.
// Outlets are never deleted: their notices stay on the record.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { OUTLET_KINDS } from '../../db/schema.ts';
import { HttpError } from '../plugins/errors.ts';
import type { Access } from '../plugins/auth.ts';
import { formValues, parseForm, requiredText, type FieldErrors } from '../validation.ts';
import { createOutletRepository, type Outlet } from './outlets-repository.ts';

const ADMIN: { access: Access } = { access: ['admin'] };

export const outletForm = z
  .object({
    name: requiredText(80),
    kind: z.enum(OUTLET_KINDS, { error: 'validation.invalid_choice' }),
    language: z.enum(['zh-CN', 'en'], { error: 'validation.invalid_choice' }),
  })
  .strict();
const activeForm = z.object({ active: z.enum(['0', '1']) }).strict();

function outletId(raw: string): number {
  if (!/^[0-9]{1,10}$/.test(raw)) throw new HttpError(404);
  return Number(raw);
}

export default async function outletRoutes(app: FastifyInstance) {
  const outlets = createOutletRepository(app.db);

  app.sections.add('admin', {
    template: '/press/_admin',
    slot: 'main',
    order: 40,
    async load() {
      return { outletCount: (await outlets.list()).length };
    },
  });

  app.get('/admin/outlets', { config: ADMIN }, async (request, reply) => {
    const t = request.t;
    return reply.page('press/outlets', {
      title: t('outlets.title'),
      breadcrumbs: [{ href: '/admin', label: t('admin.title') }, { label: t('outlets.title') }],
      outlets: await outlets.list(),
      saved: (request.query as Record<string, unknown>)?.saved === '1',
    });
  });

  function formPage(request: FastifyRequest, reply: FastifyReply, opts: { outlet?: Outlet; status?: number; errors?: FieldErrors; values?: Record<string, unknown> }) {
    const t = request.t;
    const title = opts.outlet ? t('outlets.edit', { name: opts.outlet.name }) : t('outlets.new');
    return reply.code(opts.status ?? 200).page('press/outlet-form', {
      title,
      breadcrumbs: [{ href: '/admin', label: t('admin.title') }, { href: '/admin/outlets', label: t('outlets.title') }, { label: title }],
      outlet: opts.outlet ?? null,
      kinds: OUTLET_KINDS,
      errors: opts.errors,
      values: opts.values ?? (opts.outlet ? { name: opts.outlet.name, kind: opts.outlet.kind, language: opts.outlet.language } : { kind: 'newspaper', language: 'zh-CN' }),
    });
  }

  app.get('/admin/outlets/new', { config: ADMIN }, async (request, reply) => formPage(request, reply, {}));

  app.post('/admin/outlets', { config: ADMIN }, async (request, reply) => {
    const parsed = parseForm(outletForm, request.body);
    if (!parsed.ok) return formPage(request, reply, { status: 400, errors: parsed.errors, values: formValues(request.body) });
    if (await outlets.nameTaken(parsed.data.name)) return formPage(request, reply, { status: 400, errors: { name: { key: 'outlets.name_taken' } }, values: formValues(request.body) });
    await outlets.create(request.actor(), parsed.data);
    return reply.redirect('/admin/outlets?saved=1', 303);
  });

  async function load(raw: string) {
    const outlet = await outlets.get(outletId(raw));
    if (!outlet) throw new HttpError(404);
    return outlet;
  }

  app.get('/admin/outlets/:id/edit', { config: ADMIN }, async (request, reply) => formPage(request, reply, { outlet: await load((request.params as { id: string }).id) }));

  app.post('/admin/outlets/:id', { config: ADMIN }, async (request, reply) => {
    const outlet = await load((request.params as { id: string }).id);
    const parsed = parseForm(outletForm, request.body);
    if (!parsed.ok) return formPage(request, reply, { outlet, status: 400, errors: parsed.errors, values: formValues(request.body) });
    if (await outlets.nameTaken(parsed.data.name, outlet.id)) return formPage(request, reply, { outlet, status: 400, errors: { name: { key: 'outlets.name_taken' } }, values: formValues(request.body) });
    await outlets.update(request.actor(), outlet.id, parsed.data);
    return reply.redirect('/admin/outlets?saved=1', 303);
  });

  app.post('/admin/outlets/:id/active', { config: ADMIN }, async (request, reply) => {
    const outlet = await load((request.params as { id: string }).id);
    const parsed = activeForm.safeParse(request.body ?? {});
    if (!parsed.success) throw new HttpError(400, request.t('validation.invalid'));
    await outlets.update(request.actor(), outlet.id, { active: parsed.data.active === '1' });
    return reply.redirect('/admin/outlets?saved=1', 303);
  });
}
