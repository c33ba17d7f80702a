// Every signed-in person's own page: who they are here, their password, their recent sign-ins.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { noticeFor } from '../admin/common.ts';
import { parseForm, type FieldErrors } from '../validation.ts';
import { changePasswordForm } from './schemas.ts';

const SIGN_INS_SHOWN = 10;

export default async function accountRoutes(app: FastifyInstance) {
  const auth = app.authRepo;
  const signedIn = { config: { access: 'user' as const } };

  async function render(request: FastifyRequest, reply: FastifyReply, status: number, errors?: FieldErrors) {
    const user = request.user!;
    return reply.code(status).page('account/index', {
      title: request.t('account.title'),
      breadcrumbs: [{ href: '', label: request.t('account.title') }],
      account: await auth.findUserById(user.id),
      signIns: await auth.recentSignIns(user.id, SIGN_INS_SHOWN),
      errors,
      notice: noticeFor(request, 'account.notice'),
    });
  }

  app.get('/account', signedIn, async (request, reply) => render(request, reply, 200));

  app.post('/account/password', signedIn, async (request, reply) => {
    const parsed = parseForm(changePasswordForm, request.body);
    if (!parsed.ok) return render(request, reply, 400, parsed.errors);
    const user = await auth.findUserById(request.user!.id);
    if (!user || !(await verifyPassword(user.passwordHash, parsed.data.current_password))) {
      return render(request, reply, 400, { current_password: { key: 'account.error.wrong_current' } });
    }
    const passwordHash = await hashPassword(parsed.data.new_password, app.config.argon2MemoryKib);
    // Whoever else holds a session as this user (a forgotten browser, a thief) is signed out.
    await auth.setPassword(request.actor(), user.id, passwordHash, request.session!.id);
    return reply.redirect('/account?saved=password', 303);
  });
}
