import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { build, seed, login, encodeForm, type Fixtures } from '../helpers.ts';
import { makeDraft, makePublished, draftFields, addDays } from './fixtures.ts';

/** Everything a workspace write could touch, to prove a refused request changed nothing. */
function state(app: FastifyInstance) {
  const q = (sql: string) => app.db.$client.prepare(sql).all();
  return JSON.stringify([
    q('SELECT * FROM pledges ORDER BY id'),
    q('SELECT * FROM pledge_co_units ORDER BY pledge_id, unit_id'),
    q('SELECT * FROM progress_updates ORDER BY id'),
    q('SELECT * FROM pledge_amendments ORDER BY id'),
    q('SELECT * FROM deadline_changes ORDER BY id'),
    q('SELECT count(*) FROM audit_log'),
  ]);
}

interface WriteCase {
  name: string;
  /** Sets up the pledge the write targets and returns the request. */
  prepare(app: FastifyInstance, f: Fixtures): Promise<{ url: string; form: Record<string, string | string[]> }>;
}

const cases: WriteCase[] = [
  {
    name: 'edit a draft',
    async prepare(app, f) {
      const d = await makeDraft(app, f, { coUnitIds: [f.unitB.id] });
      return { url: `/manage/pledges/${d.id}/edit`, form: draftFields(f, { version: '1', title: '改写的标题', coUnitIds: [String(f.unitB.id)] }) };
    },
  },
  {
    name: 'edit a published pledge',
    async prepare(app, f) {
      const p = await makePublished(app, f, { coUnitIds: [f.unitB.id] });
      return {
        url: `/manage/pledges/${p.id}/edit`,
        form: {
          version: String(p.version),
          title: p.title,
          commitment: p.commitment,
          standard: p.standard,
          dueOn: addDays(p.dueOn, 10),
          deadlineReason: '施工许可延后',
          leadOfficial: '新的责任领导',
          responsiblePerson: p.responsiblePerson,
          categoryId: String(f.categoryId),
          districtUnitId: String(f.districtId),
          coUnitIds: [String(f.unitB.id)],
        },
      };
    },
  },
  {
    name: 'publish a draft',
    async prepare(app, f) {
      const d = await makeDraft(app, f, { coUnitIds: [f.unitB.id] });
      return { url: `/manage/pledges/${d.id}/publish`, form: { version: '1' } };
    },
  },
  {
    name: 'post progress with a status change',
    async prepare(app, f) {
      const p = await makePublished(app, f, { coUnitIds: [f.unitB.id] });
      return { url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '进展', progress: '50', status: 'in_progress' } };
    },
  },
];

for (const c of cases) {
  t.test(`authorization matrix: ${c.name}`, async (t) => {
    t.test('anonymous is sent to sign in, nothing changes', async (t) => {
      const app = await build(t);
      const f = await seed(app);
      const { url, form } = await c.prepare(app, f);
      const before = state(app);
      const res = await app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm(form) });
      t.equal(res.statusCode, 302);
      t.equal(res.headers.location, `/login?next=${encodeURIComponent(url)}`);
      t.equal(state(app), before);
    });
    for (const who of ['editor-b', 'press']) {
      t.test(`${who} gets 403 and nothing changes`, async (t) => {
        const app = await build(t);
        const f = await seed(app);
        const { url, form } = await c.prepare(app, f);
        const agent = await login(app, who);
        const before = state(app);
        const res = await agent.request({ method: 'POST', url, form });
        t.equal(res.statusCode, 403);
        t.equal(state(app), before);
      });
    }
    for (const who of ['editor-a', 'admin']) {
      t.test(`${who} may`, async (t) => {
        const app = await build(t);
        const f = await seed(app);
        const { url, form } = await c.prepare(app, f);
        const agent = await login(app, who);
        const before = state(app);
        const res = await agent.request({ method: 'POST', url, form: who === 'admin' && form.campaignId ? { ...form, leadUnitId: String(f.unitA.id) } : form });
        t.equal(res.statusCode, 303);
        t.not(state(app), before);
      });
    }
    t.test('without or with a wrong CSRF token: 403 and nothing changes', async (t) => {
      const app = await build(t);
      const f = await seed(app);
      const { url, form } = await c.prepare(app, f);
      const agent = await login(app, 'editor-a');
      const before = state(app);
      const none = await app.inject({ method: 'POST', url, headers: { cookie: agent.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm(form) });
      t.equal(none.statusCode, 403);
      const wrong = await agent.request({ method: 'POST', url, form: { ...form, _csrf: 'x'.repeat(43) } });
      t.equal(wrong.statusCode, 403);
      t.equal(state(app), before);
    });
  });
}

t.test('creating a pledge: anonymous signs in, press is refused, editors create for their own unit', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const before = state(app);
  const anon = await app.inject({ method: 'POST', url: '/manage/pledges', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm(draftFields(f)) });
  t.equal(anon.statusCode, 302);
  const press = await login(app, 'press');
  t.equal((await press.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f) })).statusCode, 403);
  const editor = await login(app, 'editor-a');
  const noCsrf = await app.inject({ method: 'POST', url: '/manage/pledges', headers: { cookie: editor.cookie, 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm(draftFields(f)) });
  t.equal(noCsrf.statusCode, 403);
  t.equal(state(app), before, 'nothing created');
  const b = await login(app, 'editor-b');
  t.equal((await b.request({ method: 'POST', url: '/manage/pledges', form: draftFields(f) })).statusCode, 303);
  t.equal((app.db.$client.prepare('SELECT lead_unit_id AS u FROM pledges').get() as { u: number }).u, f.unitB.id);
});

t.test('a co-unit editor may post progress but not edit, publish or change the status', async (t) => {
  for (const c of cases) {
    const app = await build(t);
    const f = await seed(app);
    const { url, form } = await c.prepare(app, f);
    const co = await login(app, 'editor-b');
    const before = state(app);
    const res = await co.request({ method: 'POST', url, form });
    t.equal(res.statusCode, 403, c.name);
    t.equal(state(app), before, `${c.name}: nothing changes`);
  }
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f, { coUnitIds: [f.unitB.id] });
  const co = await login(app, 'editor-b');
  const res = await co.request({ method: 'POST', url: `/manage/pledges/${p.id}/progress`, form: { happenedOn: f.today, body: '配合进展', progress: '30' } });
  t.equal(res.statusCode, 303);
});

t.test('workspace pages: anonymous is sent to sign in, press is refused, another unit\'s pledge is refused', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const p = await makePublished(app, f);
  const urls = ['/manage', '/manage/pledges/new', `/manage/pledges/${p.id}`, `/manage/pledges/${p.id}/edit`];
  const press = await login(app, 'press');
  for (const url of urls) {
    const anon = await app.inject({ url });
    t.equal(anon.statusCode, 302, `anonymous ${url}`);
    t.equal(anon.headers.location, `/login?next=${encodeURIComponent(url)}`);
    t.equal((await press.request({ url })).statusCode, 403, `press ${url}`);
  }
  const b = await login(app, 'editor-b');
  t.equal((await b.request({ url: `/manage/pledges/${p.id}` })).statusCode, 403);
  t.equal((await b.request({ url: `/manage/pledges/${p.id}/edit` })).statusCode, 403);
});
