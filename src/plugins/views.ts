import fp from 'fastify-plugin';
import { Eta } from 'eta';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  type Locale,
  type Translate,
  LOCALES,
  isLocale,
  fromAcceptLanguage,
  translator,
  formatDay,
  formatInstant,
  formatNumber,
} from '../i18n/index.ts';
import { errorText, type FieldErrors } from '../validation.ts';

const viewsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../views');

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
  interface FastifyReply {
    /** Renders views/<template>.eta inside the layout with the request's locale, user and CSRF token. */
    page(template: string, data?: Record<string, unknown>): Promise<FastifyReply>;
  }
}

/** A URL for the same page with some query keys replaced (null removes a key). */
export function withQuery(url: string, changes: Record<string, string | number | null | undefined>): string {
  const u = new URL(url, 'http://x');
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === undefined || v === '') u.searchParams.delete(k);
    else u.searchParams.set(k, String(v));
  }
  const qs = u.searchParams.toString();
  return u.pathname + (qs ? `?${qs}` : '');
}

/**
 * The request's language: ?lang= (remembered in a cookie when it differs from the cookie's),
 * else the lang cookie, else Accept-Language. Pure, so the page cache can key on it before
 * this plugin's hook runs.
 */
export function resolveLocale(request: FastifyRequest): { locale: Locale; remember: boolean } {
  const query = request.query as Record<string, unknown> | undefined;
  const asked = typeof query?.lang === 'string' ? query.lang : undefined;
  if (isLocale(asked)) return { locale: asked, remember: request.cookies?.lang !== asked };
  if (isLocale(request.cookies?.lang)) return { locale: request.cookies.lang as Locale, remember: false };
  return { locale: fromAcceptLanguage(request.headers['accept-language']), remember: false };
}

export default fp(
  async (app, opts: { production: boolean; timeZone: string; publicUrl: string; isDemo?: () => boolean }) => {
    const eta = new Eta({ views: viewsDir, cache: opts.production, autoEscape: true, autoTrim: [false, 'nl'] });

    app.decorateRequest('locale', 'zh-CN');
    app.decorateRequest('t', null as unknown as Translate);

    app.addHook('onRequest', async (request, reply) => {
      const { locale, remember } = resolveLocale(request);
      if (remember) reply.setCookie('lang', locale, { path: '/', sameSite: 'lax', maxAge: 365 * 86400, httpOnly: true });
      request.locale = locale;
      request.t = translator(locale);
      reply.header('content-language', locale);
      reply.header('vary', 'Accept-Language, Cookie');
    });

    app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      const request = this.request as FastifyRequest;
      const locale = request.locale;
      const t = request.t;
      const errors = (data.errors as FieldErrors | undefined) ?? undefined;
      const it = {
        lang: locale,
        locales: LOCALES,
        t,
        user: request.user ?? null,
        csrf: request.session?.csrfToken ?? '',
        path: request.url,
        publicUrl: opts.publicUrl,
        isDemo: opts.isDemo?.() ?? false,
        day: (d: string | null | undefined) => formatDay(d, locale),
        instant: (iso: string | null | undefined, tz?: string) => formatInstant(iso, locale, tz ?? opts.timeZone),
        num: (n: number) => formatNumber(n, locale),
        withQuery: (changes: Record<string, string | number | null | undefined>) => withQuery(request.url, changes),
        err: (field: string) => errorText(errors, field, t),
        errors: errors ?? {},
        values: {},
        ...data,
      };
      const html = eta.render(`/${template}`, it);
      return this.type('text/html; charset=utf-8').send(html);
    });
  },
  { name: 'views', dependencies: ['@fastify/cookie'] },
);
