// Who may write what: IDOR on every write route (another unit's records), role escalation
// (editors and the press desk on office routes, forged hidden fields), CSRF (missing, foreign,
// replayed after logout, cross-site), and session cookies replayed after logout or disable.
// Each refused request must change nothing. New write routes go into `writes()` as they land.
//
// Vote stuffing belongs here once ratings land: parallel votes from one voter, votes without
// the voter cookie, and votes from rotated addresses within one IPv6 /64 must each count once.
import t, { type Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, seed, login, encodeForm, PASSWORD, type Agent, type Fixtures } from '../helpers.ts';
import { makeDraft, makePublished, draftFields, addDays } from '../manage/fixtures.ts';
import { snapshot } from './snapshot.ts';

interface World {
  app: FastifyInstance;
  f: Fixtures;
  ownDraft: number;
  ownPublished: number;
  otherDraft: number;
  otherPublished: number;
  coPublished: number;
}

async function world(t: Test): Promise<World> {
  const app = await build(t);
  const f = await seed(app);
  return {
    app,
    f,
    ownDraft: (await makeDraft(app, f)).id,
    ownPublished: (await makePublished(app, f)).id,
    otherDraft: (await makeDraft(app, f, { leadUnitId: f.unitB.id, title: '交警的草稿' })).id,
    otherPublished: (await makePublished(app, f, { leadUnitId: f.unitB.id, title: '交警的承诺' })).id,
    // Unit B leads it, unit A is a co-unit: A may post progress, never change its status.
    coPublished: (await makePublished(app, f, { leadUnitId: f.unitB.id, title: '协办事项', coUnitIds: [f.unitA.id] })).id,
  };
}

function publishedEdit(w: World, id: number) {
  return {
    version: '2',
    title: '被改写的标题',
    commitment: '被改写',
    standard: '被改写',
    amendmentReason: '越权',
    dueOn: addDays(w.f.today, 200),
    deadlineReason: '越权',
    leadOfficial: '某人',
    responsiblePerson: '某人',
    categoryId: String(w.f.categoryId),
    districtUnitId: '',
  };
}

const progress = (w: World, extra: Record<string, string> = {}) => ({ happenedOn: w.f.today, body: '越权的进展', progress: '99', status: '', reason: '', ...extra });

/** Every write route, with a form that would succeed for the right person. */
function writes(w: World): { name: string; url: string; form: Record<string, string | string[]>; roles: string[] }[] {
  const f = w.f;
  const year = Number(f.today.slice(0, 4));
  return [
    { name: 'create a draft', url: '/manage/pledges', form: draftFields(f), roles: ['unit', 'admin'] },
    { name: 'edit a draft', url: `/manage/pledges/${w.ownDraft}/edit`, form: draftFields(f, { version: '1', title: '新标题' }), roles: ['unit', 'admin'] },
    { name: 'edit a published pledge', url: `/manage/pledges/${w.ownPublished}/edit`, form: publishedEdit(w, w.ownPublished), roles: ['unit', 'admin'] },
    { name: 'publish', url: `/manage/pledges/${w.ownDraft}/publish`, form: { version: '1' }, roles: ['unit', 'admin'] },
    { name: 'post progress', url: `/manage/pledges/${w.ownPublished}/progress`, form: progress(w), roles: ['unit', 'admin'] },
    { name: 'create a campaign', url: '/admin/campaigns', form: { slug: 'x-campaign', name: '新活动', startsOn: `${year}-01-01`, endsOn: `${year}-12-31`, timeZone: 'Asia/Shanghai' }, roles: ['admin'] },
    { name: 'edit a campaign', url: `/admin/campaigns/${f.campaignId}`, form: { slug: 'test-campaign', name: '改名', startsOn: `${year}-01-01`, endsOn: `${year}-12-31`, timeZone: 'Asia/Shanghai' }, roles: ['admin'] },
    { name: 'create a unit', url: '/admin/units', form: { name: '新单位', slug: 'new-unit', kind: 'community', active: 'on' }, roles: ['admin'] },
    { name: 'edit a unit', url: `/admin/units/${f.unitA.id}`, form: { name: '改名的水务局', slug: f.unitA.slug, kind: 'city_department', active: 'on' }, roles: ['admin'] },
    { name: 'create a category', url: '/admin/categories', form: { slug: 'new-cat', nameZh: '新类别', nameEn: 'New', sortOrder: '2' }, roles: ['admin'] },
    { name: 'edit a category', url: `/admin/categories/${f.categoryId}`, form: { slug: 'water', nameZh: '改', nameEn: 'Changed', sortOrder: '1' }, roles: ['admin'] },
    { name: 'create an admin account', url: '/admin/accounts', form: { username: 'mallory', role: 'admin', password: 'a long enough passphrase', confirm_password: 'a long enough passphrase' }, roles: ['admin'] },
    { name: 'promote an account', url: `/admin/accounts/${f.users.editorA}`, form: { displayName: 'x', role: 'admin', unitId: '' }, roles: ['admin'] },
    { name: 'reset a password', url: `/admin/accounts/${f.users.editorB}/password`, form: { password: 'a long enough passphrase', confirm_password: 'a long enough passphrase' }, roles: ['admin'] },
    { name: 'disable an account', url: `/admin/accounts/${f.users.editorB}/disable`, form: {}, roles: ['admin'] },
    { name: 'change own password', url: '/account/password', form: { current_password: PASSWORD, new_password: 'a long enough passphrase', confirm_password: 'a long enough passphrase' }, roles: ['unit', 'admin', 'press'] },
  ];
}

async function refused(t: Test, w: World, label: string, send: () => Promise<{ statusCode: number; headers: Record<string, any> }>, expected: number[]) {
  const before = snapshot(w.app);
  const res = await send();
  t.ok(expected.includes(res.statusCode), `${label}: ${res.statusCode} (expected ${expected.join(' or ')})`);
  t.same(snapshot(w.app), before, `${label}: nothing changed`);
  return res;
}

t.test('the control case: each write succeeds for the right person with the right token', async (t) => {
  // Publishing needs the draft's first version, which editing it moves on: it gets its own world.
  const main = await world(t);
  const own = await world(t);
  for (const route of writes(main)) {
    const w = route.name === 'publish' ? own : main;
    const agent = await login(w.app, route.roles[0] === 'unit' ? 'editor-a' : route.roles[0]);
    const res = await agent.request({ method: 'POST', url: route.url, form: route.form });
    t.equal(res.statusCode, 303, `${route.name} as ${route.roles[0]}`);
  }
});

t.test("a unit editor cannot write another unit's records, whatever the form says", async (t) => {
  const w = await world(t);
  const editor = await login(w.app, 'editor-a');
  const post = (url: string, form: Record<string, string | string[]>) => () => editor.request({ method: 'POST', url, form });
  const cases: [string, string, Record<string, string | string[]>, number[]][] = [
    ["edit another unit's draft", `/manage/pledges/${w.otherDraft}/edit`, draftFields(w.f, { version: '1' }), [403]],
    ["edit another unit's published pledge", `/manage/pledges/${w.otherPublished}/edit`, publishedEdit(w, w.otherPublished), [403]],
    ["amend or move the deadline of another unit's pledge", `/manage/pledges/${w.coPublished}/edit`, publishedEdit(w, w.coPublished), [403]],
    ["publish another unit's draft", `/manage/pledges/${w.otherDraft}/publish`, { version: '1' }, [403]],
    ["post progress on another unit's pledge", `/manage/pledges/${w.otherPublished}/progress`, progress(w), [403]],
    ["change the status of a pledge it only co-hosts", `/manage/pledges/${w.coPublished}/progress`, progress(w, { status: 'completed' }), [403]],
    ['create a pledge for another unit (hidden leadUnitId)', '/manage/pledges', draftFields(w.f, { leadUnitId: String(w.f.unitB.id) }), [403]],
    ['make a city-level major item (hidden tier)', '/manage/pledges', draftFields(w.f, { tier: 'major' }), [403]],
    ["move its own draft to another unit", `/manage/pledges/${w.ownDraft}/edit`, draftFields(w.f, { version: '1', leadUnitId: String(w.f.unitB.id) }), [403]],
    ["hang a sub-task under another unit's pledge", '/manage/pledges', draftFields(w.f, { parentId: String(w.otherPublished) }), [400]],
    ['tag progress with another unit (hidden unitId)', `/manage/pledges/${w.ownPublished}/progress`, progress(w, { unitId: String(w.f.unitB.id) }), [400]],
  ];
  for (const [label, url, form, expected] of cases) await refused(t, w, label, post(url, form), expected);

  for (const url of [`/manage/pledges/${w.otherDraft}`, `/manage/pledges/${w.otherDraft}/edit`, `/manage/pledges/${w.otherPublished}/edit`]) {
    t.equal((await editor.request({ url })).statusCode, 403, `reading ${url} is refused too`);
  }
  const dashboard = await editor.request({ url: `/manage?unit=${w.f.unitB.id}` });
  t.notMatch(dashboard.body, '交警的草稿', "asking for another unit's dashboard shows one's own");

  const allowed = await editor.request({ method: 'POST', url: `/manage/pledges/${w.coPublished}/progress`, form: progress(w, { progress: '' }) });
  t.equal(allowed.statusCode, 303, 'a co-unit may post its part of the progress (the control case)');
});

t.test('unit editors and the press desk cannot reach the office, and the press desk cannot write pledges', async (t) => {
  const w = await world(t);
  const editor = await login(w.app, 'editor-a');
  const press = await login(w.app, 'press');
  for (const route of writes(w)) {
    for (const [role, agent] of [['unit', editor], ['press', press]] as const) {
      if (route.roles.includes(role)) continue;
      await refused(t, w, `${role} → ${route.name}`, () => agent.request({ method: 'POST', url: route.url, form: route.form }), [403]);
    }
  }
  for (const url of ['/admin', '/admin/accounts', '/admin/audit', '/press']) t.equal((await editor.request({ url })).statusCode, 403, `editor GET ${url}`);
  for (const url of ['/admin', '/manage', `/manage/pledges/${w.ownDraft}`]) t.equal((await press.request({ url })).statusCode, 403, `press GET ${url}`);
  await refused(t, w, 'a role field on the password form', () => editor.request({ method: 'POST', url: '/account/password', form: { ...writes(w).at(-1)!.form, role: 'admin' } }), [400]);
  await refused(t, w, 'a unitId field on the password form', () => editor.request({ method: 'POST', url: '/account/password', form: { ...writes(w).at(-1)!.form, unitId: String(w.f.unitB.id) } }), [400]);
  const admin = await login(w.app, 'admin');
  await refused(t, w, 'an admin demoting themself', () => admin.request({ method: 'POST', url: `/admin/accounts/${w.f.users.admin}`, form: { displayName: 'x', role: 'unit', unitId: String(w.f.unitA.id) } }), [400]);
});

t.test('every write needs this session’s CSRF token: missing, foreign and replayed tokens change nothing', async (t) => {
  const w = await world(t);
  const agents: Record<string, Agent> = { unit: await login(w.app, 'editor-a'), admin: await login(w.app, 'admin'), press: await login(w.app, 'press') };
  const stranger = await login(w.app, 'editor-b');
  for (const route of writes(w)) {
    const agent = agents[route.roles[0]];
    const raw = (extra: Record<string, string>, headers: Record<string, string> = {}) => () =>
      w.app.inject({ method: 'POST', url: route.url, headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, payload: encodeForm({ ...route.form, ...extra }) });
    await refused(t, w, `${route.name}: no token`, raw({}), [403]);
    await refused(t, w, `${route.name}: another session's token`, raw({ _csrf: stranger.csrf }), [403]);
    await refused(t, w, `${route.name}: another session's token in the header`, raw({}, { 'x-csrf-token': stranger.csrf }), [403]);
    await refused(t, w, `${route.name}: an empty token`, raw({ _csrf: '' }), [403]);
  }
  // Replayed after logout: the old cookie and its token sign in nobody.
  const gone = await login(w.app, 'editor-a');
  await gone.request({ method: 'POST', url: '/logout', form: {} });
  for (const route of writes(w).filter((r) => r.roles.includes('unit'))) {
    await refused(t, w, `${route.name} replayed after logout`, () => gone.request({ method: 'POST', url: route.url, form: route.form }), [302, 403]);
  }
});

t.test('sign-in refuses cross-site posts and posts without the pre-session cookie', async (t) => {
  const w = await world(t);
  const page = await w.app.inject('/login');
  const name = w.app.cookieNames.preSession;
  const pre = page.cookies.find((c) => c.name === name)!.value;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const attempt = (headers: Record<string, string>, cookie = `${name}=${pre}`) => () =>
    w.app.inject({ method: 'POST', url: '/login', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie, ...headers }, payload: encodeForm({ username: 'admin', password: PASSWORD, _csrf: token }) });
  for (const [label, headers] of [
    ['Origin of another site', { origin: 'https://evil.example' }],
    ['Origin null (sandboxed frame)', { origin: 'null' }],
    ['Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['Sec-Fetch-Site: same-site (a sibling subdomain)', { 'sec-fetch-site': 'same-site' }],
  ] as const) {
    const res = await refused(t, w, label, attempt(headers), [403]);
    t.notOk(res.headers['set-cookie']?.toString().includes('sid='), `${label}: no session cookie`);
  }
  await refused(t, w, 'no pre-session cookie', attempt({}, ''), [403]);
  await refused(t, w, 'a pre-session cookie that does not match', attempt({}, `${name}=${'x'.repeat(43)}`), [403]);
  const ok = await attempt({ origin: 'https://pledges.example.gov.cn', 'sec-fetch-site': 'same-origin' })();
  t.equal(ok.statusCode, 303, 'the same site signs in (the control case)');
});

t.test('a session cookie replayed after logout or after the account is disabled reaches nothing', async (t) => {
  const w = await world(t);
  const admin = await login(w.app, 'admin');
  const loggedOut = await login(w.app, 'editor-a');
  await loggedOut.request({ method: 'POST', url: '/logout', form: {} });
  const disabled = await login(w.app, 'editor-b');
  t.equal((await admin.request({ method: 'POST', url: `/admin/accounts/${w.f.users.editorB}/disable`, form: {} })).statusCode, 303);
  for (const [label, agent, pledge] of [
    ['after logout', loggedOut, w.ownPublished],
    ['after disable', disabled, w.otherPublished],
  ] as const) {
    t.equal((await agent.request({ url: '/manage' })).statusCode, 302, `${label}: the workspace sends to sign-in`);
    await refused(t, w, `${label}: a progress post`, () => agent.request({ method: 'POST', url: `/manage/pledges/${pledge}/progress`, form: progress(w) }), [302]);
  }
  const page = await disabled.request({ url: '/' });
  t.notMatch(page.body, 'editor-b', 'the public page no longer greets the disabled user');
});
