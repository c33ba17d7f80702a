import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { apiTokens, demands } from '../../db/schema.ts';
import { createTokenRepository } from '../../src/intake/token-repository.ts';
import { createDemandRepository } from '../../src/demands/repository.ts';
import { allOperations } from '../../src/api/registry.ts';
import { auditFor } from './fixtures.ts';

async function setup(t: Parameters<typeof build>[0]) {
  const app = await build(t);
  const f = await seed(app);
  const { token } = await createTokenRepository(app.db).create({ userId: f.users.admin, username: 'admin' }, '市12345热线');
  const api = (method: 'GET' | 'POST', url: string, payload?: unknown, bearer: string | null = token) =>
    app.inject({ method, url, headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(payload !== undefined ? { 'content-type': 'application/json' } : {}) }, payload: payload === undefined ? undefined : JSON.stringify(payload) });
  return { app, f, token, api };
}

const one = { service_code: 'water', description: '小区自来水发黄，有异味，联系我13800000000', address_string: '历下区文化东路12号', requested_datetime: '2025-03-05T14:23:00+08:00', external_id: 'RX-API-1', district: 'lixia', last_name: '王', first_name: '五', phone: '13800000000', email: 'w@example.com' };

t.test('the hotline system posts one request and gets our id; private fields never come back', async (t) => {
  const { app, api, f } = await setup(t);
  const res = await api('POST', '/api/v1/requests', one);
  t.equal(res.statusCode, 201);
  t.match(res.headers['content-type'], 'application/json');
  const body = res.json();
  t.equal(body.length, 1);
  t.match(body[0], { external_id: 'RX-API-1', created: true, url: /^https:\/\/pledges\.example\.gov\.cn\/reports\/[0-9A-Z-]{19}$/ });
  const row = app.db.select().from(demands).all()[0];
  t.equal(row.trackingNo, body[0].service_request_id);
  t.equal(row.channel, 'hotline_12345');
  t.equal(row.source, '市12345热线', 'the token names the source');
  t.equal(row.categoryId, f.categoryId);
  t.equal(row.districtUnitId, f.districtId);
  t.equal(row.reporterName, '王五');
  t.equal(row.reporterPhone, '13800000000');
  t.equal(row.reportedAt, '2025-03-05T06:23:00.000Z');
  t.notMatch(res.body, '13800000000');

  const status = await api('GET', `/api/v1/requests/${body[0].service_request_id}`);
  t.equal(status.statusCode, 200);
  const s = status.json()[0];
  t.match(s, { status: 'open', detailed_status: 'new', service_code: 'water', address: '历下区文化东路', pledge_id: null });
  for (const secret of ['13800000000', '王五', 'w@example.com', '12号']) t.notMatch(status.body, secret, `${secret} not in the answer`);
  t.same(auditFor(app, 'demand', row.id).map((e) => e.action), ['demand.intake']);
});

t.test('posting the same ticket again names the existing request and stores nothing', async (t) => {
  const { app, api } = await setup(t);
  const first = (await api('POST', '/api/v1/requests', one)).json()[0];
  const again = await api('POST', '/api/v1/requests', [one, { ...one, external_id: 'RX-API-2' }]);
  t.equal(again.statusCode, 201);
  const body = again.json();
  t.match(body[0], { service_request_id: first.service_request_id, created: false });
  t.match(body[1], { external_id: 'RX-API-2', created: true });
  t.equal(app.db.select().from(demands).all().length, 2);
});

t.test('an invalid batch stores nothing and names each problem by position', async (t) => {
  const { app, api } = await setup(t);
  const res = await api('POST', '/api/v1/requests', [one, { ...one, external_id: 'B', service_code: 'nope' }, { ...one, external_id: 'C', district: 'atlantis', requested_datetime: 'yesterday' }, { ...one, external_id: 'RX-API-1' }]);
  t.equal(res.statusCode, 400);
  const err = res.json().error;
  t.equal(err.code, '400');
  t.same(
    err.details.map((d: any) => [d.index, d.field]),
    [
      [1, 'service_code'],
      [2, 'district'],
      [2, 'requested_datetime'],
      [3, 'external_id'],
    ],
  );
  t.equal((await api('POST', '/api/v1/requests', { ...one, password: 'x' })).statusCode, 400, 'unknown fields are refused');
  t.equal((await api('POST', '/api/v1/requests', { description: 'x' })).statusCode, 400);
  t.equal((await api('POST', '/api/v1/requests', [])).statusCode, 400);
  t.equal(app.db.select().from(demands).all().length, 0);
});

t.test('no token, a wrong one or a revoked one gets 401 JSON; tokens are stored hashed', async (t) => {
  const { app, api, token, f } = await setup(t);
  for (const bearer of [null, 'pbi_not-a-real-token-at-all', token.slice(0, -2) + 'xx']) {
    const res = await api('POST', '/api/v1/requests', one, bearer);
    t.equal(res.statusCode, 401);
    t.match(res.headers['www-authenticate'], 'Bearer');
    t.equal(res.json().error.code, '401');
  }
  const row = app.db.select().from(apiTokens).all()[0];
  t.not(row.tokenHash, token);
  t.notMatch(JSON.stringify(app.db.select().from(apiTokens).all()), token.slice(4), 'the token itself is nowhere in the database');
  t.equal((await api('GET', '/api/v1/requests/ABCD-EFGH-JKMN-PQRS')).statusCode, 404);
  t.ok(app.db.select().from(apiTokens).all()[0].lastUsedAt, 'last use is recorded');
  await createTokenRepository(app.db).revoke({ userId: f.users.admin, username: 'admin' }, row.id);
  t.equal((await api('POST', '/api/v1/requests', one)).statusCode, 401);
  t.equal(app.db.select().from(demands).all().length, 0);
});

t.test('the status follows triage and claims', async (t) => {
  const { app, api, f } = await setup(t);
  const created = (await api('POST', '/api/v1/requests', one)).json()[0];
  const repo = createDemandRepository(app.db);
  const id = app.db.select().from(demands).all()[0].id;
  await repo.decline({ userId: f.users.admin, username: 'admin' }, [id], '已转交物业', null);
  const s = (await api('GET', `/api/v1/requests/${created.service_request_id.toLowerCase()}`)).json()[0];
  t.match(s, { status: 'closed', detailed_status: 'declined', status_notes: '已转交物业' });
});

t.test('the office creates a token (shown once) and revokes it; both operations are in the OpenAPI document', async (t) => {
  const { app } = await setup(t);
  const admin = await login(app, 'admin');
  const created = await admin.request({ method: 'POST', url: '/admin/tokens', form: { name: '区12345分中心' } });
  t.equal(created.statusCode, 201);
  const token = /<code class="token">(pbi_[^<]+)<\/code>/.exec(created.body)![1];
  const list = await admin.request({ url: '/admin/tokens' });
  t.notMatch(list.body, token, 'never shown again');
  t.match(list.body, '区12345分中心');
  const works = await app.inject({ method: 'POST', url: '/api/v1/requests', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, payload: JSON.stringify(one) });
  t.equal(works.statusCode, 201);
  const id = app.db.select().from(apiTokens).all().find((k) => k.name === '区12345分中心')!.id;
  const revoked = await admin.request({ method: 'POST', url: `/admin/tokens/${id}/revoke`, form: {} });
  t.equal(revoked.statusCode, 303);
  t.equal((await admin.request({ method: 'POST', url: `/admin/tokens/${id}/revoke`, form: {} })).statusCode, 404);
  t.equal((await admin.request({ method: 'POST', url: '/admin/tokens', form: { name: '' } })).statusCode, 400);
  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ url: '/admin/tokens' })).statusCode, 403);

  const ops = allOperations().filter((o) => o.tags.includes('intake'));
  t.same(ops.map((o) => `${o.method} ${o.path}`).sort(), ['get /api/v1/requests/{id}', 'post /api/v1/requests']);
  t.ok(ops.every((o) => o.security === 'intakeToken'));
  const doc = await app.inject({ url: '/api/openapi.json' });
  if (doc.statusCode === 200) {
    t.ok(doc.json().paths['/api/v1/requests'], 'documented beside the read API');
  }
});
