import fp from 'fastify-plugin';
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
import { Views } from './templates.ts';
import { projectPath } from '../paths.ts';
import { pageBytes } from './page-bytes.ts';

const viewsDir = projectPath('views');

declare module 'fastify' {
  interface FastifyRequest {
    locale: Locale;
    t: Translate;
  }
  interface FastifyInstance {
    /** Renders a partial (views/<template>.eta) in a language outside any request: `it` is `data` and `t`. */
    renderPartial(template: string, locale: Locale, data: Record<string, unknown>): string;
  }
  interface FastifyReply {
    /** Renders views/<template>.eta inside the layout with the request's locale, user and CSRF token. */
    page(template: string, data?: Record<string, unknown>): Promise<FastifyReply>;
  }
}

/** A URL for the same page with some query keys replaced (null removes a key). */
export function withQuery(url: string, changes: Record<string, string | number | null | undefined>): string {
  return queryLinks(url)(changes);
}

/**
 * withQuery for one URL, parsed once however many links a page builds from it (pagination,
 * the language switch).
 */
function queryLinks(url: string): (changes: Record<string, string | number | null | undefined>) => string {
  let parsed: URL | undefined;
  return (changes) => {
    parsed ??= new URL(url, 'http://x');
    const params = new URLSearchParams(parsed.searchParams);
    for (const [k, v] of Object.entries(changes)) {
      if (v === null || v === undefined || v === '') params.delete(k);
      else params.set(k, String(v));
    }
    const qs = params.toString();
    return parsed.pathname + (qs ? `?${qs}` : '');
  };
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

const VARY = 'Accept-Language, Cookie';

/**
 * it.err for one render. Made by a function rather than written inline in `it`: tsx
 * (esbuild keepNames) wraps a closure written as a named property in a defineProperty call
 * on every render.
 */
function fieldErrors(errors: FieldErrors | undefined, t: Translate): (field: string) => string {
  return (field) => errorText(errors, field, t);
}

/** What a page's `it` holds that depends only on the language: made once per language. */
interface LocaleHelpers {
  t: Translate;
  day: (d: string | null | undefined) => string;
  instant: (iso: string | null | undefined, tz?: string) => string;
  num: (n: number) => string;
}

export default fp(
  async (app, opts: { production: boolean; timeZone: string; publicUrl: string; isDemo?: () => boolean }) => {
    const eta = new Views({ views: viewsDir, cache: opts.production, autoEscape: true, autoTrim: [false, 'nl'] });

    const helpers = {} as Record<Locale, LocaleHelpers>;
    for (const locale of LOCALES) {
      helpers[locale] = {
        t: translator(locale),
        day: (d) => formatDay(d, locale),
        instant: (iso, tz) => formatInstant(iso, locale, tz ?? opts.timeZone),
        num: (n) => formatNumber(n, locale),
      };
    }

    app.decorate('renderPartial', (template: string, locale: Locale, data: Record<string, unknown>) => eta.render(`/${template}`, { ...data, t: helpers[locale].t }));

    app.decorateRequest('locale', 'zh-CN');
    app.decorateRequest('t', null as unknown as Translate);

    // Synchronous (no promise, no extra tick): every request passes through here.
    app.addHook('onRequest', (request, reply, done) => {
      const { locale, remember } = resolveLocale(request);
      if (remember) reply.setCookie('lang', locale, { path: '/', sameSite: 'lax', maxAge: 365 * 86400, httpOnly: true });
      request.locale = locale;
      request.t = helpers[locale].t;
      reply.header('content-language', locale);
      reply.header('vary', VARY);
      done();
    });

    app.decorateReply('page', async function (this: FastifyReply, template: string, data: Record<string, unknown> = {}) {
      const request = this.request as FastifyRequest;
      const locale = request.locale;
      const t = request.t;
      const forLocale = helpers[locale];
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
        day: forLocale.day,
        instant: forLocale.instant,
        num: forLocale.num,
        withQuery: queryLinks(request.url),
        err: fieldErrors(errors, t),
        errors: errors ?? {},
        values: {},
        ...data,
      };
      const page = pageBytes(() => eta.render(`/${template}`, it));
      // 'finish': every byte has gone to the socket. A response cut short ('close' alone) does not
      // give its bytes back: the socket may still be reading them.
      this.raw.once('finish', page.giveBack);
      return this.type('text/html; charset=utf-8').send(page.bytes);
    });
  },
  { name: 'views', dependencies: ['@fastify/cookie'] },
);
