// Property tests: arbitrary values for every field of every zod schema a route parses (and
// arbitrary extra fields, arrays, path segments), sent to the real routes as the role that may
// use them. Whatever arrives, no handler answers 500. Field names come from the schemas
// themselves, so a field added later is covered without touching this file; a new route or
// schema goes into FORMS / QUERIES. Runs are bounded so the file stays well under 30 s.
import t from 'tap';
import fc from 'fast-check';
import type { z } from 'zod';
import { build, seed, login, encodeForm, type Agent } from '../helpers.ts';
import { makeDraft, makePublished } from '../manage/fixtures.ts';
import { loginForm } from '../../src/auth/schemas.ts';
import { createDraftForm, updateDraftForm, publishedForm, publishForm } from '../../src/pledges/schemas.ts';
import { pledgeListQuery } from '../../src/pledges/list-schema.ts';
import { progressForm } from '../../src/progress/schemas.ts';
import { campaignForm, unitForm, categoryForm, accountCreateForm, accountEditForm, passwordResetForm, emptyForm, unitListQuery, auditQuery } from '../../src/admin/schemas.ts';
import { changePasswordForm } from '../../src/account/schemas.ts';
import { pressQuery } from '../../src/press/schemas.ts';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 40);

function keysOf(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

/** Values people and attackers send: text in any script, numbers at the edges, arrays, nothing. */
const value = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.integer().map(String),
  fc.double().map(String),
  fc.constantFrom('', ' ', '0', '-1', '1', '2147483648', '1e309', 'NaN', 'null', 'undefined', 'true', 'on', '2024-02-30', '9999-12-31', 'draft', 'admin', 'unit', '__proto__', '../..', '%00', 'x'.repeat(5000)),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 }),
);

function formFor(keys: string[]) {
  return fc.record({
    known: fc.dictionary(fc.constantFrom(...(keys.length ? keys : ['x'])), value, { maxKeys: keys.length + 1 }),
    extra: fc.dictionary(fc.string({ maxLength: 12 }), value, { maxKeys: 2 }),
    json: fc.boolean(),
  });
}

t.test('no form input makes any write route answer 500', async (t) => {
  const app = await build(t, { RATE_LIMIT_PER_MINUTE: '1000000' });
  const f = await seed(app);
  const draft = await makeDraft(app, f);
  const published = await makePublished(app, f);
  const agents: Record<string, Agent> = { unit: await login(app, 'editor-a'), admin: await login(app, 'admin') };
  const FORMS: [string, z.ZodType, string, string][] = [
    ['POST', createDraftForm, '/manage/pledges', 'unit'],
    ['POST', updateDraftForm, `/manage/pledges/${draft.id}/edit`, 'unit'],
    ['POST', publishedForm, `/manage/pledges/${published.id}/edit`, 'unit'],
    ['POST', publishForm, `/manage/pledges/${draft.id}/publish`, 'admin'],
    ['POST', progressForm, `/manage/pledges/${published.id}/progress`, 'unit'],
    ['POST', campaignForm, '/admin/campaigns', 'admin'],
    ['POST', campaignForm, `/admin/campaigns/${f.campaignId}`, 'admin'],
    ['POST', unitForm, '/admin/units', 'admin'],
    ['POST', unitForm, `/admin/units/${f.unitB.id}`, 'admin'],
    ['POST', categoryForm, '/admin/categories', 'admin'],
    ['POST', categoryForm, `/admin/categories/${f.categoryId}`, 'admin'],
    ['POST', accountCreateForm, '/admin/accounts', 'admin'],
    ['POST', accountEditForm, `/admin/accounts/${f.users.editorB}`, 'admin'],
    ['POST', passwordResetForm, `/admin/accounts/${f.users.editorB}/password`, 'admin'],
    ['POST', emptyForm, `/admin/accounts/${f.users.press}/disable`, 'admin'],
    ['POST', changePasswordForm, '/account/password', 'unit'],
  ];
  for (const [method, schema, url, role] of FORMS) {
    const agent = agents[role];
    await fc.assert(
      fc.asyncProperty(formFor(keysOf(schema)), async ({ known, extra, json }) => {
        const body = { ...extra, ...known };
        const res = json
          ? await app.inject({ method: 'POST', url, headers: { cookie: agent.cookie, 'content-type': 'application/json', 'x-csrf-token': agent.csrf }, payload: JSON.stringify(body) })
          : await app.inject({ method: 'POST', url, headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: `${encodeForm(body as Record<string, string | string[]>)}&_csrf=${agent.csrf}` });
        if (res.statusCode >= 500) throw new Error(`${method} ${url} answered ${res.statusCode} for ${JSON.stringify(body).slice(0, 300)}`);
      }),
      { numRuns: RUNS },
    );
    t.pass(`${method} ${url} (${keysOf(schema).join(', ')})`);
  }

  // Sign-in: anonymous, with its double-submit cookie; refusals (400, 401, 429) are all fine.
  const page = await app.inject('/login');
  const pre = page.cookies.find((c) => c.name === app.cookieNames.preSession)!.value;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  await fc.assert(
    fc.asyncProperty(formFor(keysOf(loginForm)), async ({ known, extra }) => {
      const res = await app.inject({
        method: 'POST',
        url: '/login',
        headers: { cookie: `${app.cookieNames.preSession}=${pre}`, 'content-type': 'application/x-www-form-urlencoded' },
        payload: `${encodeForm({ ...extra, ...known } as Record<string, string | string[]>)}&_csrf=${token}`,
      });
      if (res.statusCode >= 500) throw new Error(`/login answered ${res.statusCode}`);
    }),
    { numRuns: Math.min(RUNS, 25) },
  );
  t.pass('POST /login');
});

t.test('no query string or path segment makes any page answer 500', async (t) => {
  const app = await build(t, { RATE_LIMIT_PER_MINUTE: '1000000' });
  const f = await seed(app);
  const published = await makePublished(app, f);
  const agents: Record<string, Agent | null> = { anonymous: null, unit: await login(app, 'editor-a'), admin: await login(app, 'admin'), press: await login(app, 'press') };
  const QUERIES: [string, string[], string][] = [
    ['/', ['campaign', 'lang'], 'anonymous'],
    ['/pledges', keysOf(pledgeListQuery), 'anonymous'],
    ['/units', ['kind', 'sort'], 'anonymous'],
    [`/units/${f.unitA.slug}`, ['lang'], 'anonymous'],
    [`/pledges/${published.id}`, ['lang'], 'anonymous'],
    ['/login', ['next'], 'anonymous'],
    ['/manage', ['status', 'unit', 'campaign', 'page'], 'unit'],
    ['/manage/pledges/new', ['parent', 'unit'], 'admin'],
    [`/manage/pledges/${published.id}`, ['done'], 'unit'],
    ['/press', keysOf(pressQuery), 'press'],
    ['/admin/units', keysOf(unitListQuery), 'admin'],
    ['/admin/audit', keysOf(auditQuery), 'admin'],
    ['/admin/accounts', ['saved'], 'admin'],
  ];
  const query = (keys: string[]) =>
    fc.array(fc.tuple(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 8 })), fc.oneof(value.filter((v) => typeof v === 'string') as fc.Arbitrary<string>, fc.string({ unit: 'binary' }))), { maxLength: 6 });
  for (const [path, keys, role] of QUERIES) {
    const agent = agents[role];
    await fc.assert(
      fc.asyncProperty(query(keys), async (pairs) => {
        const qs = pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
        const url = `${path}?${qs}`;
        const res = agent ? await agent.request({ url }) : await app.inject(url);
        if (res.statusCode >= 500) throw new Error(`${url.slice(0, 300)} answered ${res.statusCode}`);
      }),
      { numRuns: RUNS },
    );
    t.pass(`GET ${path} (${keys.join(', ')})`);
  }
  const segment = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 50 }), fc.constantFrom('..', '%2e%2e', '0', '-1', '1e3', '2147483648', '..%2f..%2f'));
  for (const [template, role] of [
    ['/pledges/:x', 'anonymous'],
    ['/units/:x', 'anonymous'],
    ['/manage/pledges/:x', 'unit'],
    ['/manage/pledges/:x/edit', 'unit'],
    ['/admin/units/:x/edit', 'admin'],
    ['/admin/accounts/:x', 'admin'],
    ['/admin/campaigns/:x/edit', 'admin'],
  ] as const) {
    const agent = agents[role];
    await fc.assert(
      fc.asyncProperty(segment, async (raw) => {
        const url = template.replace(':x', encodeURIComponent(raw));
        const res = agent ? await agent.request({ url }) : await app.inject(url);
        if (res.statusCode >= 500) throw new Error(`${url.slice(0, 300)} answered ${res.statusCode}`);
      }),
      { numRuns: RUNS },
    );
    t.pass(`GET ${template}`);
  }
});
