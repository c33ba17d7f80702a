// The security headers (CSP, framing, nosniff, referrer policy…) on every response. Helmet works
// out the values; @fastify/helmet would build a new helmet middleware, and parse the CSP again,
// on every request (~20 µs each, the largest part of the app's per-request cost). The options
// never change while the server runs, so the headers are worked out once, by running helmet
// against a stand-in response, and written on each request exactly as helmet writes them: on
// the raw response, where a route's own reply.header() (a sandboxed file's CSP) still wins and
// an onSend hook (the embeds' frame-ancestors) can rewrite them.
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface SecurityHeaders {
  /** Header name (lower case) and value, in the order helmet sets them. */
  set: [string, string][];
  /** Headers helmet removes (X-Powered-By). */
  removed: string[];
}

/**
 * The headers helmet writes for these options. Throws what helmet throws for bad options, and
 * for a CSP directive given as a function of the request, which has no once-for-all value.
 */
export function securityHeadersFor(options: HelmetOptions): SecurityHeaders {
  const csp = options.contentSecurityPolicy;
  const directives = csp && typeof csp === 'object' ? Object.values(csp.directives ?? {}) : [];
  if (directives.some((value) => typeof value === 'function' || (Array.isArray(value) && value.some((part) => typeof part === 'function')))) {
    throw new Error('security headers: a CSP directive that depends on the request cannot be worked out once');
  }
  const set = new Map<string, string>();
  const removed: string[] = [];
  const recorder = {
    setHeader(name: string, value: unknown) {
      set.set(name.toLowerCase(), String(value));
    },
    removeHeader(name: string) {
      set.delete(name.toLowerCase());
      removed.push(name.toLowerCase());
    },
    getHeader(name: string) {
      return set.get(name.toLowerCase());
    },
  };
  let failure: unknown;
  let finished = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (err?: unknown) => {
    failure = err;
    finished = true;
  });
  if (failure) throw failure;
  // With static options every helmet middleware is synchronous.
  if (!finished) throw new Error('security headers: helmet did not finish synchronously');
  return { set: [...set], removed };
}

export default fp(
  async (app, options: HelmetOptions) => {
    const { set, removed } = securityHeadersFor(options);
    app.addHook('onRequest', (_request, reply, done) => {
      const raw = reply.raw;
      for (let i = 0; i < set.length; i++) raw.setHeader(set[i][0], set[i][1]);
      for (let i = 0; i < removed.length; i++) raw.removeHeader(removed[i]);
      done();
    });
  },
  { name: 'security-headers' },
);
