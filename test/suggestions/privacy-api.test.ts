import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { addSuggestion, post, rows, suggestionForm } from './fixtures.ts';
import { addressKey } from '../../src/app.ts';

const CONTACT = 'secret-contact-13987654321@example.cn';

t.test('the API lists published suggestions only, with public fields', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f, { title: '泉城路人行道修缮' });
  const onPledge = addSuggestion(app, { campaignId: f.campaignId, targetKind: 'pledge', pledgeId, unitId: f.unitA.id, body: '人行道砖松动，建议更换', authorName: '市民甲', authorContact: CONTACT, status: 'published', reply: '已列入本月维修计划。', replyUnitId: f.unitA.id, repliedAt: '2025-03-02T08:00:00.000Z' });
  addSuggestion(app, { campaignId: f.campaignId, targetKind: 'unit', unitId: f.unitB.id, body: '一条待审核的建议文字', status: 'pending', authorContact: CONTACT });
  addSuggestion(app, { campaignId: f.campaignId, targetKind: 'campaign', body: '一条不予公开的建议文字', status: 'rejected', rejectReason: '广告' });
  addSuggestion(app, { campaignId: f.campaignId, targetKind: 'campaign', body: '建议公开每月进展', status: 'published' });

  const res = await app.inject({ url: '/api/v1/suggestions' });
  t.equal(res.statusCode, 200);
  t.equal(res.headers['access-control-allow-origin'], '*');
  const body = res.json();
  t.equal(body.pagination.total, 2);
  const item = body.data.find((d: { id: number }) => d.id === onPledge);
  t.same(item, {
    id: onPledge,
    campaignId: f.campaignId,
    about: 'pledge',
    pledge: { id: pledgeId, title: '泉城路人行道修缮', url: `https://pledges.example.gov.cn/pledges/${pledgeId}` },
    unit: { slug: f.unitA.slug, name: '市水务局', url: `https://pledges.example.gov.cn/units/${f.unitA.slug}` },
    name: '市民甲',
    text: '人行道砖松动，建议更换',
    createdAt: item.createdAt,
    reply: { text: '已列入本月维修计划。', at: '2025-03-02T08:00:00.000Z', unit: { slug: f.unitA.slug, name: '市水务局', url: `https://pledges.example.gov.cn/units/${f.unitA.slug}` }, office: '活动领导小组办公室' },
  });
  const anonymous = body.data.find((d: { id: number }) => d.id !== onPledge);
  t.equal(anonymous.name, null);
  t.equal(anonymous.reply, null);
  t.notMatch(res.body, '待审核的建议');
  t.notMatch(res.body, '不予公开的建议');

  t.equal((await app.inject({ url: `/api/v1/suggestions?pledge=${pledgeId}` })).json().pagination.total, 1);
  t.equal((await app.inject({ url: '/api/v1/suggestions?target=campaign' })).json().data[0].text, '建议公开每月进展');
  t.equal((await app.inject({ url: `/api/v1/suggestions?unit=${f.unitB.slug}` })).json().pagination.total, 0, 'the pending one is not counted');
  t.equal((await app.inject({ url: '/api/v1/suggestions?limit=1&page=5' })).json().data.length, 0, 'a page past the end is empty');
  t.equal((await app.inject({ url: '/api/v1/suggestions?contact=1' })).statusCode, 400, 'unknown parameter');
  t.equal((await app.inject({ url: '/api/v1/suggestions?pledge=999999' })).statusCode, 400);
  t.equal((await app.inject({ url: `/api/v1/suggestions?pledge=${makePledge(app, f, { status: 'draft' })}` })).statusCode, 400, 'a draft is not public');
  t.equal((await app.inject({ url: '/api/v1/suggestions?unit=nobody' })).statusCode, 400);
  t.equal((await app.inject({ url: '/api/v1/suggestions?target=bogus' })).statusCode, 400);

  const doc = (await app.inject({ url: '/api/openapi.json' })).json();
  t.ok(doc.paths['/api/v1/suggestions'].get, 'documented');
});

t.test('a contact and an address key appear on no public page or API answer', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f);
  const ip = '203.0.113.99';
  const targets: Record<string, string>[] = [{ pledgeId: String(pledgeId) }, { unit: f.unitA.slug }, {}];
  for (const target of targets) {
    const res = await post(app, suggestionForm(app, { ...target, contact: CONTACT }), { ip });
    t.equal(res.statusCode, 303);
  }
  const admin = await login(app, 'admin');
  for (const s of rows(app)) {
    await admin.request({ method: 'POST', url: `/admin/suggestions/${s.id}/publish`, form: {} });
    await admin.request({ method: 'POST', url: `/manage/suggestions/${s.id}/reply`, form: { reply: '感谢建议，已研究落实。' } });
  }
  t.equal(rows(app).filter((s) => s.status === 'published' && s.reply).length, 3);
  t.equal(rows(app)[0].authorContact, CONTACT, 'stored for the office');
  const key = addressKey(ip);
  const urls = [
    '/',
    '/suggestions',
    '/suggestions?target=pledge',
    '/suggestions?target=unit',
    '/suggestions?target=campaign',
    `/suggestions?pledge=${pledgeId}`,
    `/suggestions?unit=${f.unitA.slug}`,
    `/pledges/${pledgeId}`,
    `/units/${f.unitA.slug}`,
    `/suggest?pledge=${pledgeId}`,
    `/suggestions/received?pledge=${pledgeId}`,
    '/api/v1/suggestions',
    `/api/v1/suggestions?pledge=${pledgeId}`,
    `/api/v1/pledges/${pledgeId}`,
    '/api/openapi.json',
    '/feeds/updates.atom',
    '/feeds/suggestions.atom',
    '/open-data',
  ];
  for (const url of urls) {
    const res = await app.inject({ url });
    t.notMatch(res.body, CONTACT, `${url}: no contact`);
    t.notMatch(res.body, '13987654321', `${url}: no part of it`);
    t.notMatch(res.body, key, `${url}: no address key`);
  }
  const page = await app.inject({ url: `/pledges/${pledgeId}` });
  t.match(page.body, '增设公交站牌', 'while the suggestion itself is public');
  const editor = await login(app, 'editor-a');
  t.notMatch((await editor.request({ url: '/manage/suggestions' })).body, CONTACT, 'units do not see it either');
});

t.test('the Atom feed carries published suggestions with their answers, and nothing private', async (t) => {
  const { parseFeed } = await import('@rowanmanning/feed-parser');
  const app = await build(t);
  const f = await seed(app);
  const pledgeId = makePledge(app, f, { title: '泉城路人行道修缮' });
  addSuggestion(app, { campaignId: f.campaignId, targetKind: 'pledge', pledgeId, unitId: f.unitA.id, body: '人行道砖松动，建议更换', authorName: '市民甲', authorContact: CONTACT, status: 'published', reply: '已列入本月维修计划。', replyUnitId: f.unitA.id, repliedAt: '2030-03-02T08:00:00.000Z' });
  addSuggestion(app, { campaignId: f.campaignId, targetKind: 'campaign', body: '一条待审核的建议文字', authorContact: CONTACT });
  const res = await app.inject({ url: '/feeds/suggestions.atom' });
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'application/atom+xml');
  const feed = parseFeed(res.body);
  t.equal(feed.items.length, 1, 'only the published one');
  const item = feed.items[0];
  t.match(item.title, '泉城路人行道修缮');
  t.match(item.content, '人行道砖松动，建议更换');
  t.match(item.content, '已列入本月维修计划。');
  t.match(item.content, '市水务局');
  t.equal(item.url, `https://pledges.example.gov.cn/pledges/${pledgeId}`);
  t.notMatch(res.body, CONTACT);
  t.notMatch(res.body, '待审核');
  t.match((await app.inject({ url: '/feeds' })).body, '/feeds/suggestions.atom', 'listed on the feeds page');
  t.match((await app.inject({ url: '/suggestions' })).body, 'rel="alternate" type="application/atom+xml"', 'linked from the list');
});
