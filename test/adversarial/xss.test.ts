// Stored XSS: every text field a person can fill in is written through its real form with a
// payload naming the field, then every page (public, workspace, office, press, in both
// languages, and forms re-shown after an error) is checked: the markup only ever appears as
// text, and no link is ever made from user text (javascript: URLs). As features land, add their
// fields to the writes and their pages to PAGES.
import t, { type Test } from 'tap';
import { build, seed, login } from '../helpers.ts';
import { draftFields, addDays } from '../manage/fixtures.ts';

/** A payload that breaks out of text, attributes and URLs alike, tagged with its field. */
const payload = (field: string) => `"'><script>alert("${field}")</script><img src=x onerror=alert(1)>`;
const escapedMark = (field: string) => `&lt;script&gt;alert(&quot;${field}&quot;)`;

function assertInert(t: Test, url: string, body: string) {
  t.notMatch(body, '<script>alert(', `${url}: no live script`);
  t.notMatch(body, '<img src=x', `${url}: no live image handler`);
  t.notMatch(body, /href\s*=\s*["']?\s*(javascript|data|vbscript):/i, `${url}: no script URL in a link`);
  t.notMatch(body, /src\s*=\s*["']?\s*(javascript|data:text)/i, `${url}: no script URL as a source`);
}

t.test('every text field, written through its form, shows as inert text on every page that shows it', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const editor = await login(app, 'editor-a');
  const press = await login(app, 'press');
  const ok = async (res: Promise<{ statusCode: number; body: string; headers: Record<string, any> }>, what: string) => {
    const r = await res;
    t.equal(r.statusCode, 303, `${what} saved (${r.statusCode}: ${r.statusCode === 303 ? '' : r.body.match(/field-error">[^<]*/g)})`);
    return r;
  };

  // The office: campaign, unit (with javascript: URLs where a URL might be expected), category, account.
  await ok(
    admin.request({
      method: 'POST',
      url: `/admin/campaigns/${f.campaignId}`,
      form: { slug: 'test-campaign', name: payload('campaign.name'), description: payload('campaign.description'), issuingOffice: payload('campaign.office'), startsOn: `${Number(f.today.slice(0, 4)) - 1}-01-01`, endsOn: `${Number(f.today.slice(0, 4)) + 1}-12-31`, timeZone: 'Asia/Shanghai' },
    }),
    'campaign',
  );
  await ok(
    admin.request({
      method: 'POST',
      url: `/admin/units/${f.unitA.id}`,
      form: { name: payload('unit.name'), slug: f.unitA.slug, kind: 'city_department', parentId: '', contactPhone: 'javascript:alert(1)', contactAddress: payload('unit.address'), contactEmail: '', active: 'on' },
    }),
    'unit',
  );
  await ok(
    admin.request({ method: 'POST', url: `/admin/units/${f.unitB.id}`, form: { name: '市交警支队', slug: f.unitB.slug, kind: 'city_department', parentId: '', contactPhone: '', contactAddress: 'javascript:alert(document.cookie)', contactEmail: '', active: 'on' } }),
    'unit B',
  );
  await ok(admin.request({ method: 'POST', url: `/admin/categories/${f.categoryId}`, form: { slug: 'water', nameZh: payload('category.zh'), nameEn: payload('category.en'), sortOrder: '1' } }), 'category');
  await ok(admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorA}`, form: { displayName: payload('user.display'), role: 'unit', unitId: String(f.unitA.id) } }), 'account');

  // The workspace: a pledge with every field, published, with progress, a delay, an amendment and a deadline change.
  const fields = ['title', 'commitment', 'standard', 'leadOfficial', 'responsiblePerson'];
  const created = await ok(
    editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { ...Object.fromEntries(fields.map((x) => [x, payload(`pledge.${x}`)])), coUnitIds: [String(f.unitB.id)] }) }),
    'draft',
  );
  const id = Number(/\/manage\/pledges\/(\d+)/.exec(created.headers.location)![1]);
  await ok(editor.request({ method: 'POST', url: `/manage/pledges/${id}/publish`, form: { version: '1' } }), 'publish');
  await ok(editor.request({ method: 'POST', url: `/manage/pledges/${id}/progress`, form: { happenedOn: f.today, body: payload('update.body'), progress: '30', status: 'delayed', reason: payload('update.reason') } }), 'progress');
  await ok(
    editor.request({
      method: 'POST',
      url: `/manage/pledges/${id}/edit`,
      form: {
        version: '2',
        title: payload('pledge.title2'),
        commitment: payload('pledge.commitment'),
        standard: payload('pledge.standard'),
        amendmentReason: payload('amendment.reason'),
        dueOn: addDays(f.today, 150),
        deadlineReason: payload('deadline.reason'),
        leadOfficial: payload('pledge.leadOfficial'),
        responsiblePerson: payload('pledge.responsiblePerson'),
        categoryId: String(f.categoryId),
        districtUnitId: String(f.districtId),
        coUnitIds: [String(f.unitB.id)],
      },
    }),
    'amend',
  );
  const coEditor = await login(app, 'editor-b');
  await ok(coEditor.request({ method: 'POST', url: `/manage/pledges/${id}/progress`, form: { happenedOn: f.today, body: payload('co-unit.body'), progress: '', status: '', reason: '' } }), 'co-unit progress');

  const PAGES: [string, typeof admin | null][] = [
    ['/', null],
    ['/?lang=en', null],
    ['/pledges', null],
    ['/pledges?q=alert', null],
    [`/pledges?q=${encodeURIComponent(payload('q'))}`, null],
    [`/pledges/${id}`, null],
    [`/pledges/${id}?lang=en`, null],
    ['/units', null],
    [`/units/${f.unitA.slug}`, null],
    [`/units/${f.unitB.slug}`, null],
    ['/categories/water', null],
    ['/integrity', null],
    ['/manage', editor],
    [`/manage/pledges/${id}`, editor],
    [`/manage/pledges/${id}/edit`, editor],
    [`/manage/pledges/${id}`, coEditor],
    ['/manage', coEditor],
    ['/account', editor],
    ['/press', press],
    ['/press?lang=en', press],
    ['/admin', admin],
    ['/admin/campaigns', admin],
    [`/admin/campaigns/${f.campaignId}/edit`, admin],
    ['/admin/units', admin],
    [`/admin/units/${f.unitA.id}/edit`, admin],
    ['/admin/categories', admin],
    [`/admin/categories/${f.categoryId}/edit`, admin],
    ['/admin/accounts', admin],
    [`/admin/accounts/${f.users.editorA}`, admin],
    ['/admin/audit', admin],
    ['/admin/audit?lang=en', admin],
    [`/manage?unit=${f.unitA.id}`, admin],
  ];
  const seen = new Set<string>();
  for (const [url, agent] of PAGES) {
    const res = agent ? await agent.request({ url }) : await app.inject(url);
    t.ok([200, 404].includes(res.statusCode), `${url} → ${res.statusCode}`);
    assertInert(t, url, res.body);
    for (const m of res.body.matchAll(/&lt;script&gt;alert\(&quot;([a-z.A-Z0-9-]+)&quot;\)/g)) seen.add(m[1]);
  }
  const written = [
    'campaign.name',
    'campaign.description',
    'campaign.office',
    'unit.name',
    'unit.address',
    'category.zh',
    'category.en',
    'user.display',
    ...fields.map((x) => `pledge.${x}`),
    'pledge.title2',
    'update.body',
    'update.reason',
    'amendment.reason',
    'deadline.reason',
    'co-unit.body',
    'q',
  ];
  t.same(written.filter((x) => !seen.has(x)), [], 'every field was shown somewhere, escaped');
  const pledgePage = await app.inject(`/pledges/${id}`);
  for (const field of ['pledge.title2', 'pledge.commitment', 'pledge.standard', 'update.body', 'update.reason', 'amendment.reason', 'deadline.reason', 'unit.name', 'co-unit.body']) {
    t.match(pledgePage.body, escapedMark(field), `the public pledge page shows ${field} as text`);
  }
  t.match((await app.inject(`/units/${f.unitB.slug}`)).body, 'javascript:alert(document.cookie)', 'a javascript: address is shown as plain text');
});

t.test('a refused form shows the typed markup back as text, inside attributes and text areas', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const editor = await login(app, 'editor-a');
  const admin = await login(app, 'admin');
  const draft = await editor.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f, { title: payload('form.title'), commitment: payload('form.commitment'), dueOn: 'not a date' }) });
  t.equal(draft.statusCode, 400);
  assertInert(t, 'refused draft', draft.body);
  t.match(draft.body, '&quot;&#39;&gt;&lt;script&gt;alert(&quot;form.title', 'the attribute value is escaped, quotes included');
  const unit = await admin.request({ method: 'POST', url: '/admin/units', form: { name: payload('form.unit'), slug: 'Bad Slug', kind: 'city_department' } });
  t.equal(unit.statusCode, 400);
  assertInert(t, 'refused unit', unit.body);
  const login_ = await app.inject({ url: `/login?next=${encodeURIComponent(`/"><script>alert("next")</script>`)}` });
  assertInert(t, 'login next', login_.body);
});
