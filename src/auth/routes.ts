import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { loginForm, safeNext } from './schemas.ts';
import { parseForm, formValues } from '../validation.ts';
import { verifyPassword, dummyPasswordHash } from './passwords.ts';
import { newToken, SESSION_ABSOLUTE_MS } from '../plugins/auth.ts';
import { addressKey } from '../app.ts';

const WINDOW_MS = 15 * 60 * 1000;
const MAX_FAILURES_PER_ACCOUNT = 5;
const MAX_FAILURES_PER_ADDRESS = 20;

/** Where each role lands after signing in, unless it asked for a page. */
function homeFor(role: string): string {
  return role === 'admin' ? '/admin' : role === 'press' ? '/press' : '/manage';
}

const loginQuery = z.object({ next: z.string().max(2000).optional() }).loose();

export default async function authRoutes(app: FastifyInstance) {
  const repo = app.authRepo;
  const names = app.cookieNames;

  function preToken(request: FastifyRequest, reply: any): string {
    const existing = request.cookies[names.preSession];
    if (existing && existing.length >= 32) return existing;
    const token = newToken();
    reply.setCookie(names.preSession, token, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.sessionCookieOptions.secure });
    return token;
  }

  app.get('/login', async (request, reply) => {
    const q = loginQuery.safeParse(request.query);
    const next = safeNext(q.success ? q.data.next : '');
    if (request.user) return reply.redirect(next || homeFor(request.user.role));
    reply.header('cache-control', 'no-store');
    return reply.page('auth/login', { title: request.t('auth.title'), csrf: preToken(request, reply), values: { next } });
  });

  app.post('/login', { config: { rateLimit: { max: 30, timeWindow: 60_000 } } }, async (request, reply) => {
    const body = request.body;
    const parsed = parseForm(loginForm, body);
    const render = (status: number, errors: Record<string, { key: string }>) =>
      reply.code(status).page('auth/login', { title: request.t('auth.title'), csrf: preToken(request, reply), values: formValues(body), errors });
    if (!parsed.ok) return render(400, parsed.errors);
    const { username, password } = parsed.data;
    const ip = addressKey(request.ip);
    const userAgent = String(request.headers['user-agent'] ?? '');
    const since = new Date(Date.now() - WINDOW_MS);
    if (
      (await repo.failedSignInsSince({ username, since })) >= MAX_FAILURES_PER_ACCOUNT ||
      (await repo.failedSignInsSince({ ip, since })) >= MAX_FAILURES_PER_ADDRESS
    ) {
      await repo.recordSignIn({ userId: null, username, ip, userAgent, success: false });
      return render(429, { _form: { key: 'auth.throttled' } });
    }
    const user = await repo.findUserByUsername(username);
    // An unknown name costs the same argon2 work as a known one, and gets the same answer.
    const valid = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash(app.config.argon2MemoryKib)), password);
    if (!user || !valid || user.disabledAt) {
      await repo.recordSignIn({ userId: user?.id ?? null, username, ip, userAgent, success: false });
      return render(401, { _form: { key: 'auth.failed' } });
    }
    const token = newToken();
    await repo.createSession({ token, userId: user.id, csrfToken: newToken(), ip, userAgent, ttlMs: SESSION_ABSOLUTE_MS });
    await repo.recordSignIn({ userId: user.id, username, ip, userAgent, success: true });
    reply.setCookie(names.session, token, app.sessionCookieOptions);
    reply.clearCookie(names.preSession, { path: '/', secure: app.sessionCookieOptions.secure });
    return reply.redirect(safeNext(parsed.data.next) || homeFor(user.role), 303);
  });

  app.post('/logout', async (request, reply) => {
    if (request.session) await repo.deleteSession(request.session.id);
    reply.clearCookie(names.session, { path: '/', secure: app.sessionCookieOptions.secure });
    return reply.redirect('/', 303);
  });
}
