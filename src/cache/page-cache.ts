// Rendered public pages kept in memory per URL and language, so the read-heavy public side is
// served close to the speed of a file. Never stale: an entry is valid only for the database
// state and the calendar day it was rendered in (overdue is derived from the date), so any
// write — through this process or another (the CLI, a restore) — and every midnight in a
// campaign's zone retire it. Only anonymous GETs are cached; a response that sets a cookie,
// says private/no-store, or was rendered while the data changed underneath is never kept.
import fp from 'fastify-plugin';
import zlib from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clientHoldsCurrent, weakEtag } from '../api/http.ts';
import { cookieNames } from '../plugins/auth.ts';
import { resolveLocale } from '../plugins/views.ts';
import { createDataVersion } from './data-version.ts';
import { PageStore, type CachedPage } from './store.ts';
import { createAggregateMemo, type AggregateMemo } from './aggregates.ts';
import { ownBytes } from '../plugins/page-bytes.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** false: never serve this route from (or store it in) the page cache. */
    pageCache?: boolean;
  }
  interface FastifyInstance {
    /** Scanned figures kept for one data version (src/cache/aggregates.ts). */
    aggregates: AggregateMemo;
    /** Charts of those figures, drawn once per data version and language (src/charts/kept.ts). */
    drawings: AggregateMemo;
    pageCache: { stats(): { hits: number; misses: number; entries: number; bytes: number }; clear(): void };
  }
  interface FastifyRequest {
    /** Set on a cache miss that may be stored: the key and the data version it was rendered at. */
    pageCacheMiss?: { key: string; version: string };
  }
}

/** Chart drawings kept (about 10 KB each): the home page, categories and the busiest units, in both languages. */
const DRAWINGS_KEPT = 400;

/** Headers that belong to one response, not to the page: never stored or replayed. */
const NOT_STORED = new Set(['set-cookie', 'content-length', 'date', 'connection', 'transfer-encoding', 'etag', 'x-page-cache', 'retry-after']);

const PERSONAL_CACHE_CONTROL = /private|no-store/;

const CACHED_TYPES = /^(text\/html|application\/json|application\/(atom|rss)\+xml|application\/xml|text\/xml|application\/problem\+json)/;

/** Cookies that make an anonymous visitor's page personal: their requests bypass the cache. */
export const PERSONAL_COOKIES: string[] = [];

function preferredEncoding(header: unknown): 'br' | 'gzip' | null {
  if (typeof header !== 'string') return null;
  const accepted = new Map<string, number>();
  for (const part of header.toLowerCase().split(',')) {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    accepted.set(name.trim(), q ? Number(q.slice(2)) || 0 : 1);
  }
  if ((accepted.get('br') ?? 0) > 0) return 'br';
  if ((accepted.get('gzip') ?? 0) > 0) return 'gzip';
  return null;
}

/** The page compressed, made once on the first request that accepts it and kept with the page. */
function encoded(page: CachedPage, encoding: 'br' | 'gzip', onGrow: (bytes: number) => void): Buffer {
  const have = encoding === 'br' ? page.br : page.gzip;
  if (have) return have;
  const made =
    encoding === 'br'
      ? zlib.brotliCompressSync(page.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 6, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: page.body.length } })
      : zlib.gzipSync(page.body, { level: 6 });
  if (encoding === 'br') page.br = made;
  else page.gzip = made;
  onGrow(made.length);
  return made;
}

export default fp(
  async function pageCachePlugin(app: FastifyInstance) {
    const store = new PageStore(app.config.pageCacheMb * 1024 * 1024);
    const version = createDataVersion(app.db, app.config.timeZone);
    app.decorate('aggregates', createAggregateMemo(version));
    app.decorate('drawings', createAggregateMemo(version, DRAWINGS_KEPT));
    let hits = 0;
    let misses = 0;
    app.decorate('pageCache', {
      stats: () => ({ hits, misses, entries: store.size, bytes: store.bytes }),
      clear: () => store.clear(),
    });
    const enabled = app.config.pageCacheMb > 0;
    const maxAge = app.config.publicMaxAge;

    const sessionCookie = cookieNames(app.config.publicUrl.startsWith('https:')).session;

    /**
     * Runs right after the cookie parser, before every other request hook — the security headers
     * (replayed from the stored page) and the rate limiter's (its hooks are per route) — so a hit
     * costs little more than serving a file and is not counted against the address. A request
     * carrying a session cookie is never answered from here, whatever the cookie is worth; the
     * onSend check below makes sure a signed-in page is never stored either.
     */
    function cacheable(request: FastifyRequest): boolean {
      if (request.method !== 'GET') return false;
      const route = request.routeOptions; // a getter that builds a new object on each read
      if (route.config?.pageCache === false || !route.url) return false;
      if (request.url.startsWith('/static/')) return false;
      // A request that proves who it is (an intake token) gets an answer for that caller only:
      // never served from, nor stored in, the shared cache — whatever its route's headers say.
      if (request.headers.authorization !== undefined) return false;
      const cookies = request.cookies ?? {};
      if (cookies[sessionCookie] !== undefined) return false;
      return !PERSONAL_COOKIES.some((name) => cookies[name] !== undefined);
    }

    function replay(request: FastifyRequest, reply: FastifyReply, key: string, page: CachedPage) {
      reply.headers(page.headers);
      reply.header('etag', page.etag).header('x-page-cache', 'hit');
      const lastModified = page.headers['last-modified'] ? new Date(page.headers['last-modified']) : undefined;
      if (clientHoldsCurrent(request, page.etag, lastModified)) return reply.code(304).removeHeader('content-type').send();
      const encoding = preferredEncoding(request.headers['accept-encoding']);
      if (!encoding) return reply.send(page.body);
      return reply.header('content-encoding', encoding).send(encoded(page, encoding, (bytes) => store.grew(key, bytes)));
    }

    async function lookUp(request: FastifyRequest, reply: FastifyReply) {
      const { locale, remember } = resolveLocale(request);
      if (remember) return; // this answer sets the language cookie: render it
      const current = version.current();
      const key = `${locale}\u0000${request.url}`;
      const page = store.get(key);
      if (page && page.version === current) {
        hits++;
        return replay(request, reply, key, page);
      }
      misses++;
      reply.header('x-page-cache', 'miss');
      request.pageCacheMiss = { key, version: current };
    }

    // Synchronous up to the look-up (no promise, no extra tick for what is never cached); the
    // look-up and a hit's replay run as before.
    app.addHook('onRequest', (request, reply, done) => {
      version.requestStarted();
      if (!cacheable(request)) return done();
      // Public pages may be held briefly by browsers and proxies; the app's own copy never goes stale.
      reply.header('cache-control', `public, max-age=${maxAge}`);
      if (!enabled) return done();
      lookUp(request, reply).then(() => done(), (err) => done(err ?? new Error('page cache look-up failed')));
    });

    /** The payload, stored first when it is a page that may be kept. */
    function keep(request: FastifyRequest, reply: FastifyReply, payload: unknown): unknown {
      const miss = request.pageCacheMiss;
      if (!miss || request.user || reply.statusCode !== 200) return payload;
      if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
      if (reply.getHeader('set-cookie') !== undefined) return payload;
      // Pages, feeds and API answers only: stored files (notices, photos, evidence) already carry
      // their own validators, and compressing a PDF or a ZIP again would cost CPU for nothing.
      if (!CACHED_TYPES.test(String(reply.getHeader('content-type') ?? ''))) return payload;
      const cc = String(reply.getHeader('cache-control') ?? '');
      if (PERSONAL_CACHE_CONTROL.test(cc)) return payload;
      // A page's bytes are lent until its response is sent (src/plugins/page-bytes.ts): the store keeps its own.
      const body = Buffer.isBuffer(payload) ? ownBytes(payload) : Buffer.from(payload);
      const etag = (reply.getHeader('etag') as string | undefined) ?? weakEtag(body);
      reply.header('etag', etag);
      // Rendered while something was written: it may mix before and after, so it is not kept.
      if (version.current() !== miss.version) return payload;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(reply.getHeaders())) {
        if (value === undefined || NOT_STORED.has(name) || name.startsWith('x-ratelimit')) continue;
        headers[name] = Array.isArray(value) ? value.join(', ') : String(value);
      }
      store.set(miss.key, { version: miss.version, body, etag, headers });
      return payload;
    }

    // Every response passes here: a synchronous hook (nothing in it waits).
    app.addHook('onSend', (request, reply, payload, done) => {
      let out: unknown;
      try {
        out = keep(request, reply, payload);
      } catch (err) {
        return done(err as Error);
      }
      done(null, out);
    });

    app.addHook('onClose', async () => store.clear());
  },
  { name: 'page-cache' },
);

