import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLES } from '../../db/schema.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { UserRow } from '../auth/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { HttpError } from '../plugins/errors.ts';
import { formValues, parseForm, type FieldErrors } from '../validation.ts';
import { adminOnly, asFormValues, isUniqueViolation, noticeFor, paramId } from './common.ts';
import { accountCreateForm, accountEditForm, emptyForm, passwordResetForm } from './schemas.ts';

const USERNAME_TAKEN: FieldErrors = { username: { key: 'admin.error.username_taken' } };
const UNKNOWN_UNIT: FieldErrors = { unitId: { key: 'validation.invalid_choice' } };

export default async function accountAdminRoutes(app: FastifyInstance) {
  const auth = app.authRepo;
  const units = createUnitRepository(app.db);

  function crumbs(request: FastifyRequest, last?: string) {
    const list = [
      { href: '/admin', label: request.t('nav.admin') },
      { href: last ? '/admin/accounts' : '', label: request.t('admin.accounts.title') },
    ];
    return last ? [...list, { href: '', label: last }] : list;
  }

  async function renderNew(request: FastifyRequest, reply: FastifyReply, status: number, values: Record<string, unknown>, errors?: FieldErrors) {
    const title = request.t('admin.accounts.new_title');
    return reply
      .code(status)
      .page('admin/account-new', { title, breadcrumbs: crumbs(request, title), roles: ROLES, units: await units.list(), values, errors });
  }

  /**
   * The account page holds three forms (details, password reset, disable/enable); a failed one
   * comes back with its own input and errors, the others as stored.
   */
  async function renderAccount(
    request: FastifyRequest,
    reply: FastifyReply,
    status: number,
    user: UserRow,
    failed?: { form: 'details' | 'password' | 'status'; values?: Record<string, unknown>; errors: FieldErrors },
  ) {
    const title = request.t('admin.accounts.edit_title', { username: user.username });
    const stored = asFormValues({ displayName: user.displayName, role: user.role, unitId: user.unitId });
    return reply.code(status).page('admin/account', {
      title,
      breadcrumbs: crumbs(request, title),
      account: user,
      unit: user.unitId ? await units.get(user.unitId) : undefined,
      isSelf: user.id === request.user!.id,
      roles: ROLES,
      units: await units.list(),
      signIns: await auth.recentSignIns(user.id, 10),
      values: failed?.form === 'details' ? failed.values : stored,
      errors: failed?.form === 'details' ? failed.errors : undefined,
      passwordErrors: failed?.form === 'password' ? failed.errors : {},
      statusErrors: failed?.form === 'status' ? failed.errors : {},
      notice: noticeFor(request),
    });
  }

  async function loadUser(request: FastifyRequest): Promise<UserRow> {
    const user = await auth.findUserById(paramId(request));
    if (!user) throw new HttpError(404);
    return user;
  }

  app.get('/admin/accounts', adminOnly, async (request, reply) =>
    reply.page('admin/accounts', {
      title: request.t('admin.accounts.title'),
      breadcrumbs: crumbs(request),
      accounts: await auth.listUsers(),
      notice: noticeFor(request),
    }),
  );

  app.get('/admin/accounts/new', adminOnly, async (request, reply) => renderNew(request, reply, 200, { role: 'unit' }));

  app.post('/admin/accounts', adminOnly, async (request, reply) => {
    const parsed = parseForm(accountCreateForm, request.body);
    const again = (errors: FieldErrors) => renderNew(request, reply, 400, formValues(request.body), errors);
    if (!parsed.ok) return again(parsed.errors);
    const { username, displayName, role, unitId, password } = parsed.data;
    if (await auth.findUserByUsername(username)) return again(USERNAME_TAKEN);
    if (unitId !== undefined && !(await units.get(unitId))) return again(UNKNOWN_UNIT);
    const passwordHash = await hashPassword(password, app.config.argon2MemoryKib);
    let created: UserRow;
    try {
      created = await auth.createUser(request.actor(), { username, displayName, role, unitId: unitId ?? null, passwordHash });
    } catch (error) {
      if (isUniqueViolation(error)) return again(USERNAME_TAKEN);
      throw error;
    }
    return reply.redirect(`/admin/accounts/${created.id}?saved=created`, 303);
  });

  app.get('/admin/accounts/:id', adminOnly, async (request, reply) => renderAccount(request, reply, 200, await loadUser(request)));

  app.post('/admin/accounts/:id', adminOnly, async (request, reply) => {
    const user = await loadUser(request);
    const parsed = parseForm(accountEditForm, request.body);
    const again = (errors: FieldErrors) => renderAccount(request, reply, 400, user, { form: 'details', values: formValues(request.body), errors });
    if (!parsed.ok) return again(parsed.errors);
    const { displayName, role, unitId } = parsed.data;
    // An admin demoting themself would lock the office out of its own pages mid-task.
    if (user.id === request.user!.id && role !== user.role) return again({ role: { key: 'admin.error.self_role' } });
    if (unitId !== undefined && !(await units.get(unitId))) return again(UNKNOWN_UNIT);
    await auth.updateUser(request.actor(), user.id, { displayName, role, unitId: unitId ?? null });
    return reply.redirect(`/admin/accounts/${user.id}?saved=updated`, 303);
  });

  app.post('/admin/accounts/:id/password', adminOnly, async (request, reply) => {
    const user = await loadUser(request);
    const parsed = parseForm(passwordResetForm, request.body);
    if (!parsed.ok) return renderAccount(request, reply, 400, user, { form: 'password', errors: parsed.errors });
    const passwordHash = await hashPassword(parsed.data.password, app.config.argon2MemoryKib);
    // Everyone signed in as this user is signed out; an admin resetting their own keeps this session.
    const keep = user.id === request.user!.id ? request.session!.id : undefined;
    await auth.setPassword(request.actor(), user.id, passwordHash, keep);
    return reply.redirect(`/admin/accounts/${user.id}?saved=password`, 303);
  });

  for (const action of ['disable', 'enable'] as const) {
    app.post(`/admin/accounts/:id/${action}`, adminOnly, async (request, reply) => {
      const user = await loadUser(request);
      const parsed = parseForm(emptyForm, request.body);
      if (!parsed.ok) return renderAccount(request, reply, 400, user, { form: 'status', errors: parsed.errors });
      if (action === 'disable' && user.id === request.user!.id) {
        return renderAccount(request, reply, 400, user, { form: 'status', errors: { _form: { key: 'admin.error.self_disable' } } });
      }
      const disable = action === 'disable';
      // Pressing twice (two tabs) should not move the recorded time an account was disabled.
      if (!!user.disabledAt !== disable) await auth.setDisabled(request.actor(), user.id, disable);
      return reply.redirect(`/admin/accounts/${user.id}?saved=${action}d`, 303);
    });
  }
}
