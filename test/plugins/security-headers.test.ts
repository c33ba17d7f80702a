// The security headers are worked out once (src/plugins/security-headers.ts): every kind of
// response must still carry the full set, with the values helmet gives for the app's options.
import t from 'tap';
import { build } from '../helpers.ts';
import { securityHeadersFor } from '../../src/plugins/security-headers.ts';

const CSP =
  "default-src 'self';script-src 'self';style-src 'self';img-src 'self' data:;font-src 'self';connect-src 'self';form-action 'self';frame-ancestors 'none';base-uri 'none';object-src 'none'";

const EXPECTED: Record<string, string> = {
  'content-security-policy': CSP,
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'same-origin',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

t.test('pages, error pages, JSON, static files and redirects all carry the full set', async (t) => {
  const app = await build(t); // PUBLIC_URL is https: HSTS is on
  const responses = {
    page: await app.inject('/about'),
    notFound: await app.inject('/no-such-page'),
    json: await app.inject('/healthz'),
    api: await app.inject('/api/v1/pledges'),
    staticFile: await app.inject('/static/app.css'),
    redirect: await app.inject('/manage'),
    badInput: await app.inject('/pledges?q=%00'),
  };
  for (const [kind, res] of Object.entries(responses)) {
    // The open-data API sets its own resource policy, so other sites may read it: a route's own
    // value still wins over the site-wide one.
    const expected = kind === 'api' ? { ...EXPECTED, 'cross-origin-resource-policy': 'cross-origin' } : EXPECTED;
    for (const [name, value] of Object.entries(expected)) t.equal(res.headers[name], value, `${kind} (${res.statusCode}): ${name}`);
    t.equal(res.headers['x-powered-by'], undefined, `${kind}: no x-powered-by`);
  }
  t.equal(responses.redirect.statusCode, 302);
  t.equal(responses.badInput.statusCode, 400);
});

t.test('over plain http there is no HSTS, and the rest stays', async (t) => {
  const app = await build(t, { PUBLIC_URL: 'http://127.0.0.1:3000' });
  const res = await app.inject('/about');
  t.equal(res.headers['strict-transport-security'], undefined);
  t.equal(res.headers['content-security-policy'], CSP);
  t.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
});

t.test('the same header values on every request, not just the first', async (t) => {
  const app = await build(t);
  const first = await app.inject('/about');
  const second = await app.inject({ url: '/pledges', headers: { 'accept-language': 'en' } });
  for (const name of Object.keys(EXPECTED)) t.equal(second.headers[name], first.headers[name], name);
});

t.test('options whose headers depend on the request are refused, not frozen', async (t) => {
  t.throws(() => securityHeadersFor({ contentSecurityPolicy: { directives: { scriptSrc: ["'self'", () => "'nonce-x'"] } } }), /depends on the request/);
  t.same(securityHeadersFor({ contentSecurityPolicy: false, strictTransportSecurity: false }).removed, ['x-powered-by']);
});
