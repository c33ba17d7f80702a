// The privacy walk: the demo campaign plus reports carrying planted sentinel values (names,
// phone numbers, contacts, house numbers, a hidden text) through every intake path, then a
// GET of every route the app has, as the public would (and the intake API with its token),
// every parameter filled with real ids, slugs and tracking numbers, exports and zip files
// opened: no sentinel may appear anywhere.
import t from 'tap';
import { unzipSync } from 'fflate';
import type { FastifyInstance } from 'fastify';
import { build, encodeForm } from '../helpers.ts';
import { campaigns, categories, demands, pledges, units, users } from '../../db/schema.ts';
import { createDemandRepository, type NewDemand } from '../../src/demands/repository.ts';
import { createTokenRepository } from '../../src/intake/token-repository.ts';
import { startedField } from './fixtures.ts';
import { eq } from 'drizzle-orm';

const SENTINELS = ['QXSENTNAME', '测哨兵名', '19912345678', '199 1234 5678', 'qxsent@example.net', '8单元901室', '901室', 'QXHIDDENTEXT', '370102199912319999', 'QXAPINAME', '18612340000'];

/** Every route and its methods, from Fastify's own route tree. */
function routesOf(app: FastifyInstance): { path: string; methods: string[] }[] {
  const out: { path: string; methods: string[] }[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:[├└]── )?(.+?) \(([A-Z, ]+)\)$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    stack.length = depth;
    stack.push(m[2]);
    const full = stack.join('').replace(/^\/\/?/, '/');
    out.push({ path: full === '' ? '/' : full, methods: m[3].split(', ') });
  }
  return out;
}

/** The text of a response, and of every file inside it when it is a zip (XLSX, the open-data bundle). */
function texts(body: Buffer): string[] {
  const isZip = body.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  if (!isZip) return [body.toString('utf8')];
  const out: string[] = [];
  for (const [, data] of Object.entries(unzipSync(new Uint8Array(body)))) out.push(...texts(Buffer.from(data)));
  return out;
}

t.test('no sentinel reporter detail appears on any public route, feed, export or API answer', async (t) => {
  const app = await build(t, { DEMO_DATA: '1', DEMO_PASSWORD: 'demo-password-1234' });
  await app.ready();
  const db = app.db;
  const repo = createDemandRepository(db);
  const admin = db.select().from(users).where(eq(users.username, 'admin')).get()!;
  const actor = { userId: admin.id, username: 'admin' };
  const campaign = db.select().from(campaigns).get()!;
  const category = db.select().from(categories).get()!;
  const district = db.select().from(units).where(eq(units.kind, 'district')).get()!;
  const published = db.select().from(pledges).where(eq(pledges.status, 'in_progress')).get()!;
  const completed = db.select().from(pledges).where(eq(pledges.status, 'completed')).get()!;

  const planted = (over: Partial<NewDemand>): NewDemand => ({
    channel: 'survey',
    source: '走访',
    externalRef: null,
    campaignId: campaign.id,
    categoryId: category.id,
    districtUnitId: district.id,
    text: '联系人QXSENTNAME（测哨兵名），电话 199 1234 5678，住哨兵路7号8单元901室，身份证370102199912319999，楼道灯坏了',
    address: '历下区哨兵路7号8单元901室',
    reportedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    reporterName: 'QXSENTNAME 测哨兵名',
    reporterPhone: '19912345678',
    reporterContact: 'qxsent@example.net',
    ...over,
  });
  await repo.create(actor, planted({}));
  const claimed = await repo.create(actor, planted({ channel: 'letter' }));
  const resolved = await repo.create(actor, planted({ channel: 'reception' }));
  const declined = await repo.create(actor, planted({ channel: 'diary' }));
  const duplicate = await repo.create(actor, planted({ channel: 'other' }));
  const hidden = await repo.create(actor, planted({ text: 'QXHIDDENTEXT 这段话不应公开', reporterName: 'QXSENTNAME' }));
  await repo.claim(actor, [claimed.id], published.id, published.leadUnitId);
  await repo.claim(actor, [resolved.id], completed.id, completed.leadUnitId);
  db.update(demands).set({ status: 'resolved', closedAt: new Date().toISOString() }).where(eq(demands.id, resolved.id)).run();
  await repo.decline(actor, [declined.id], '已转物业处理', null);
  await repo.merge(actor, [duplicate.id], claimed.id);
  await repo.setHidden(actor, hidden.id, true);

  // Through the public form and the intake API as well.
  const web = await app.inject({
    method: 'POST',
    url: '/report',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://pledges.example.gov.cn', host: 'pledges.example.gov.cn' },
    payload: encodeForm({ categoryId: String(category.id), districtUnitId: String(district.id), text: '我是QXSENTNAME，电话19912345678，小区路灯不亮', address: '哨兵路7号8单元901室', name: '测哨兵名', contact: 'qxsent@example.net', website: '', started: startedField(app) }),
  });
  t.equal(web.statusCode, 303);
  const webNo = /\/reports\/([0-9A-Z-]+)/.exec(String(web.headers.location))![1];
  const { token } = await createTokenRepository(db).create(actor, 'hotline');
  const posted = await app.inject({
    method: 'POST',
    url: '/api/v1/requests',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ service_code: category.slug, description: '来电人QXAPINAME反映：电话18612340000，8单元901室门口积水', address_string: '哨兵路7号8单元901室', external_id: 'SENT-1', last_name: 'QXAPINAME', phone: '18612340000', email: 'qxsent@example.net' }),
  });
  t.equal(posted.statusCode, 201);
  t.notMatch(posted.body, /QXAPINAME|18612340000|qxsent/);
  const apiNo = posted.json()[0].service_request_id;

  const trackingNos = [...db.select({ no: demands.trackingNo }).from(demands).where(eq(demands.reporterContact, 'qxsent@example.net')).all().map((r) => r.no), webNo, apiNo];
  t.equal(new Set(trackingNos).size, 8);
  const unit = db.select().from(units).where(eq(units.id, published.leadUnitId)).get()!;

  const values: Record<string, string[]> = {
    id: [String(published.id), String(completed.id)],
    slug: [unit.slug, district.slug],
    trackingNo: trackingNos,
    part: ['1'],
  };
  const routes = routesOf(app).filter((r) => r.methods.includes('GET'));
  t.ok(routes.length > 40, `walked ${routes.length} GET routes`);
  t.ok(routes.some((r) => r.path === '/reports/:trackingNo'));
  const urls = new Set<string>();
  for (const r of routes) {
    if (r.path.includes('*')) continue;
    const names = [...r.path.matchAll(/:(\w+)/g)].map((m) => m[1]);
    let filled = [r.path];
    for (const name of names) {
      const options = r.path.startsWith('/api/v1/campaigns') && name === 'id' ? [String(campaign.id)] : r.path.startsWith('/categories') || r.path.startsWith('/feeds/categories') ? [category.slug] : r.path.startsWith('/api/v1/requests') ? trackingNos : (values[name] ?? ['1']);
      filled = filled.flatMap((p) => options.map((v) => p.replace(`:${name}`, encodeURIComponent(v))));
    }
    for (const u of filled) urls.add(u);
  }
  for (const extra of [
    '/demands?q=QXSENTNAME',
    '/demands?q=哨兵',
    '/demands?q=19912345678',
    '/demands?q=QXHIDDENTEXT',
    `/demands?pledge=${published.id}`,
    '/demands?channel=letter',
    '/demands?status=declined',
    '/pledges?format=csv',
    '/pledges?format=xlsx',
    '/units?format=csv',
    '/units?format=xlsx',
    '/pledges?q=QXSENTNAME',
    '/report?lang=en',
  ])
    urls.add(extra);

  const found: string[] = [];
  let walked = 0;
  for (const url of urls) {
    const headers: Record<string, string> = url.startsWith('/api/v1/requests') ? { authorization: `Bearer ${token}` } : {};
    const res = await app.inject({ method: 'GET', url, headers });
    walked++;
    if (res.statusCode >= 500) found.push(`${url}: ${res.statusCode}`);
    // A search box shows the visitor's own query back to them: that is not a leak of anything stored.
    const q = new URL(url, 'http://x').searchParams.get('q');
    const echoes = q ? [`value="${q}"`, `“${q}”`, `q=${q}`, `q=${encodeURIComponent(q)}`] : [];
    const unechoed = (body: string) => echoes.reduce((b, e) => b.split(e).join(''), body);
    for (const raw of texts(res.rawPayload)) {
      const body = unechoed(raw);
      for (const s of SENTINELS) if (body.includes(s)) found.push(`${url}: ${s}`);
    }
    if (q && SENTINELS.includes(q)) t.notMatch(res.body, /共 [1-9][\d,]* 条/, `${url}: a search for private details finds nothing`);
    for (const s of SENTINELS) if (JSON.stringify(res.headers).includes(s)) found.push(`${url} (headers): ${s}`);
  }
  t.ok(walked > 60, `requested ${walked} URLs`);
  t.same([...new Set(found)], [], 'no sentinel anywhere public');

  // The walk did reach the planted reports: their public pages exist and say what they may.
  const page = await app.inject({ url: `/reports/${trackingNos[0]}` });
  t.equal(page.statusCode, 200);
  t.match(page.body, '楼道灯坏了');
  t.match(page.body, '历下区哨兵路');
  const board = await app.inject({ url: '/demands?channel=letter' });
  t.match(board.body, '楼道灯坏了');
});
