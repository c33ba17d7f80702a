// Reads for the read-after-write tests: fill the page cache with the public views of a thing,
// proving each is served from the cache, then read them again after a write and prove none of
// them is the copy kept from before. Only anonymous reads: they are the ones the cache serves.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Test } from 'tap';

/**
 * A public view: a URL, read in Chinese unless a language is named. The language goes in
 * Accept-Language, as a browser sends it: `?lang=` sets a cookie, and such answers are never cached.
 */
export type View = string | { url: string; language: string };

interface Read {
  url: string;
  headers: Record<string, string>;
  response: LightMyRequestResponse;
}

/** Cached reads by label: the URL, with the language after it when one was named. */
export type Reads = Map<string, Read>;

function labelOf(view: View): string {
  return typeof view === 'string' ? view : `${view.url} [${view.language}]`;
}

/**
 * Reads each view twice. The second read must be a cache hit with the same bytes: otherwise the
 * page was never cached, and a test reading it after a write could not tell a fresh page from a
 * stale one.
 */
export async function primeCache(t: Test, app: FastifyInstance, views: View[]): Promise<Reads> {
  const reads: Reads = new Map();
  for (const view of views) {
    const label = labelOf(view);
    const url = typeof view === 'string' ? view : view.url;
    const headers: Record<string, string> = typeof view === 'string' ? {} : { 'accept-language': view.language };
    const first = await app.inject({ url, headers });
    t.equal(first.statusCode, 200, `${label} answers before the write`);
    const second = await app.inject({ url, headers });
    t.equal(second.headers['x-page-cache'], 'hit', `${label} is served from the page cache before the write`);
    t.equal(second.body, first.body, `${label}: the hit is the page that was rendered`);
    reads.set(label, { url, headers, response: second });
  }
  return reads;
}

/**
 * Reads each view again after a write: once as a new visitor and once as a browser that holds
 * the copy from before (If-None-Match). Both must get a page rendered after the write, and it
 * must differ from the one cached before. Returns the bodies by label, for the caller to check
 * that the change itself is there.
 */
export async function readAfterWrite(t: Test, app: FastifyInstance, before: Reads): Promise<Record<string, string>> {
  const bodies: Record<string, string> = {};
  for (const [label, old] of before) {
    const fresh = await app.inject({ url: old.url, headers: old.headers });
    t.equal(fresh.statusCode, 200, `${label} answers after the write`);
    t.equal(fresh.headers['x-page-cache'], 'miss', `${label} is rendered again after the write, not replayed`);
    t.not(fresh.body, old.response.body, `${label} changed with the write`);
    const conditional = await app.inject({ url: old.url, headers: { ...old.headers, 'if-none-match': String(old.response.headers.etag) } });
    t.equal(conditional.statusCode, 200, `${label}: a browser holding the old copy is not told it is current`);
    t.equal(conditional.body, fresh.body, `${label}: and gets the new page`);
    bodies[label] = fresh.body;
  }
  return bodies;
}

/** The bodies of cached reads by label: the state before a write, to compare with. */
export function bodiesOf(reads: Reads): Record<string, string> {
  return Object.fromEntries([...reads].map(([label, read]) => [label, read.response.body]));
}
