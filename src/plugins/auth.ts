// Server-side sessions, role gating in one hook, and CSRF checks for every state change.
import fp from 'fastify-plugin';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../../db/schema.ts';
import { createAuthRepository, type SessionUser, type AuthRepository } from '../auth/repository.ts';
import type { Actor } from '../audit/repository.ts';

/** A session ends after this long without a request… */
export const SESSION_IDLE_MS = 2 * 3600 * 1000;
/** …and in any case this long after sign-in. */
export const SESSION_ABSOLUTE_MS = 12 * 3600 * 1000;
/** How often a session's last-seen time is written: idle expiry is exact to this. */
const TOUCH_EVERY_MS = 60 * 1000;

export interface CookieNames {
  session: string;
  preSession: string;
}

/**
 * Over HTTPS the cookies carry the __Host- prefix, which browsers accept only with Secure, Path=/
 * and no Domain: no subdomain or plain-http page can plant or overwrite them. Over plain http (a
 * developer's machine) the prefix would make browsers drop them, so the bare names are used.
 */
export function cookieNames(secure: boolean): CookieNames {
  return secure ? { session: '__Host-sid', preSession: '__Host-pre_csrf' } : { session: 'sid', preSession: 'pre_csrf' };
}

/**
 * Who may reach a route: 'public' (default), 'user' (anyone signed in), or a list of roles.
 * csrf: 'session' (default for writes: per-session token), 'origin' (anonymous public forms,
 * whose pages stay cacheable: Origin / Sec-Fetch-Site only), 'none' (read-only or token APIs).
 */
export type Access = 'public' | 'user' | Role[];
declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    csrf?: 'session' | 'origin' | 'none';
  }
  interface FastifyRequest {
    user: SessionUser | null;
    session: { id: string; csrfToken: string } | null;
    /** The signed-in user as the audit log names them. */
    actor(): Actor;
  }
  interface FastifyInstance {
    authRepo: AuthRepository;
    cookieNames: CookieNames;
  }
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the request plainly comes from another site. Requests without either header (non-browser clients) pass. */
export function isCrossSite(request: FastifyRequest, publicUrl: string): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (typeof fetchSite === 'string' && fetchSite !== 'same-origin' && fetchSite !== 'none') return true;
  const origin = request.headers.origin;
  if (typeof origin === 'string') {
    if (origin === 'null') return true;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      return true;
    }
    if (host !== request.headers.host && origin !== new URL(publicUrl).origin) return true;
  }
  return false;
}

export function loginRedirect(request: FastifyRequest, reply: FastifyReply) {
  return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 302);
}

export default fp(
  async (app, opts: { publicUrl: string; secureCookies: boolean }) => {
    const repo = createAuthRepository(app.db, { idleMs: SESSION_IDLE_MS });
    const names = cookieNames(opts.secureCookies);
    app.decorate('authRepo', repo);
    app.decorate('cookieNames', names);
    app.decorateRequest('user', null);
    app.decorateRequest('session', null);
    app.decorateRequest('actor', function (this: FastifyRequest): Actor {
      return { userId: this.user?.id ?? null, username: this.user?.username ?? '', ip: this.ip };
    });

    /** Loads the session a cookie names, then lets the route's access rule decide. */
    async function sessionAndAccess(request: FastifyRequest, reply: FastifyReply, token: string | undefined, access: Access) {
      if (token) {
        const found = await repo.findSession(token);
        if (found) {
          request.user = found.user;
          request.session = { id: found.id, csrfToken: found.csrfToken };
          if (Date.now() - Date.parse(found.lastSeenAt) > TOUCH_EVERY_MS) {
            try {
              await repo.touchSession(found.id);
            } catch (err) {
              // A full or read-only database must not stop signed-in people from reading.
              request.log.warn({ err }, 'could not record session activity');
            }
          }
        } else {
          reply.clearCookie(names.session, { path: '/', secure: opts.secureCookies });
        }
      }
      // Pages for signed-in people carry their name and token: never cache them anywhere shared.
      if (request.user) reply.header('cache-control', 'private, no-store');

      if (access === 'public') return;
      if (!request.user) return loginRedirect(request, reply);
      if (access !== 'user' && !access.includes(request.user.role)) {
        return reply.code(403).page('error', { status: 403, title: request.t('error.403.title'), message: request.t('error.403.body') });
      }
    }

    // Most requests are anonymous visits to public pages: they have nothing to load or check,
    // and go on at once (a synchronous hook: no promise, no extra tick).
    app.addHook('onRequest', (request, reply, done) => {
      const token = request.cookies[names.session];
      const access = request.routeOptions.config?.access ?? 'public';
      if (!token && access === 'public') return done();
      sessionAndAccess(request, reply, token, access).then(() => done(), (err) => done(err ?? new Error('session check failed')));
    });

    /** The CSRF check of a state change. */
    async function csrf(request: FastifyRequest, reply: FastifyReply, mode: 'session' | 'origin') {
      const body = (request.body && typeof request.body === 'object' ? request.body : {}) as Record<string, unknown>;
      const sent = typeof body._csrf === 'string' ? body._csrf : (request.headers['x-csrf-token'] as string | undefined);
      delete body._csrf;
      let ok: boolean;
      if (mode === 'origin') ok = !isCrossSite(request, opts.publicUrl);
      else if (request.session) ok = typeof sent === 'string' && same(sent, request.session.csrfToken);
      else {
        // Before sign-in there is no session: a double-submit cookie stands in for it.
        const pre = request.cookies[names.preSession];
        ok = !isCrossSite(request, opts.publicUrl) && typeof pre === 'string' && typeof sent === 'string' && same(sent, pre);
      }
      if (!ok) {
        return reply.code(403).page('error', { status: 403, title: request.t('error.403.title'), message: request.t('error.csrf') });
      }
    }

    app.addHook('preHandler', (request, reply, done) => {
      if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'OPTIONS') return done();
      const mode = request.routeOptions.config?.csrf ?? 'session';
      if (mode === 'none') return done();
      csrf(request, reply, mode).then(() => done(), (err) => done(err ?? new Error('CSRF check failed')));
    });

    app.decorate('sessionCookieOptions', { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: opts.secureCookies, maxAge: SESSION_ABSOLUTE_MS / 1000 });
  },
  { name: 'auth', dependencies: ['db', '@fastify/cookie', 'views'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    sessionCookieOptions: { path: string; httpOnly: boolean; sameSite: 'lax'; secure: boolean; maxAge: number };
  }
}
