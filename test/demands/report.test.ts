import t from 'tap';
import { eq } from 'drizzle-orm';
import { build, seed, encodeForm } from '../helpers.ts';
import { demands } from '../../db/schema.ts';
import { reportForm, startedField, trackingNoFrom, auditFor } from './fixtures.ts';
import { REPORTS_PER_HOUR } from '../../src/demands/public-routes.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://pledges.example.gov.cn', host: 'pledges.example.gov.cn' };

t.test('the report form states what is collected, why, who sees it and for how long, and sets no cookie', async (t) => {
  const app = await build(t, { DEMAND_CONTACT_RETENTION_DAYS: '90' });
  await seed(app);
  const res = await app.inject({ url: '/report' });
  t.equal(res.statusCode, 200);
  t.same(res.cookies, [], 'no cookie on view: the page can be cached');
  t.match(res.body, '我们如何使用您的信息');
  t.match(res.body, '90 天后');
  t.match(res.body, 'name="website"', 'the honeypot is there');
  t.match(res.body, /name="started" value="[^"]+"/);
  t.notMatch(res.body, 'name="_csrf"', 'no per-visitor token');
  const en = await app.inject({ url: '/report?lang=en' });
  t.match(en.body, 'How we use your information');
});

t.test('a citizen reports a problem and follows it with the tracking number', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const res = await app.inject({ method: 'POST', url: '/report', headers: FORM, payload: encodeForm(reportForm(app, f, { text: '路灯坏了，我的电话13900001111，住12号楼' })) });
  t.equal(res.statusCode, 303);
  const no = trackingNoFrom(res.headers.location as string);
  const row = app.db.select().from(demands).where(eq(demands.trackingNo, no)).get()!;
  t.equal(row.channel, 'web');
  t.equal(row.status, 'new');
  t.equal(row.reporterName, '李四');
  t.equal(row.reporterContact, '13800001111');
  t.equal(row.campaignId, f.campaignId);
  t.notMatch(row.publicText, '13900001111');
  t.equal(row.location, '历下区文化东路与历山路', 'street level: the crossing, not a house');

  const page = await app.inject({ url: `/reports/${no}?submitted=1` });
  t.equal(page.statusCode, 200);
  t.match(page.body, no);
  t.match(page.body, '您的诉求已收到');
  t.match(page.body, '待认领');
  for (const secret of ['李四', '13800001111', '13900001111']) t.notMatch(page.body, secret, `${secret} is not on the tracking page`);

  const lower = await app.inject({ url: `/reports/${no.toLowerCase()}` });
  t.equal(lower.statusCode, 301, 'a number typed in lower case redirects to the canonical page');
  const lookup = await app.inject({ url: `/reports?no=${no.replace(/-/g, '')}` });
  t.equal(lookup.statusCode, 303);
  t.equal(lookup.headers.location, `/reports/${no}`);
  t.equal((await app.inject({ url: '/reports?no=nonsense' })).statusCode, 400);
  t.equal((await app.inject({ url: '/reports/ABCD-EFGH-JKMN-PQRS' })).statusCode, 404);

  const audit = auditFor(app, 'demand', row.id);
  t.equal(audit.length, 1);
  t.equal(audit[0].ip, '', "the reporter's address is not written to the permanent log");
  t.notMatch(JSON.stringify(audit[0]), '李四');
});

t.test('an invalid report is shown again with the input kept and a message by each field', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const res = await app.inject({ method: 'POST', url: '/report', headers: FORM, payload: encodeForm(reportForm(app, f, { text: '短', address: '', categoryId: '9999' })) });
  t.equal(res.statusCode, 400);
  t.match(res.body, 'value="李四"');
  t.match(res.body, /id="f-address-error"/);
  t.match(res.body, /id="f-text-error"/);
  t.equal(app.db.select().from(demands).all().length, 0);
  const unknown = await app.inject({ method: 'POST', url: '/report', headers: FORM, payload: encodeForm(reportForm(app, f, { categoryId: '9999' })) });
  t.equal(unknown.statusCode, 400, 'a category that does not exist');
  const extra = await app.inject({ method: 'POST', url: '/report', headers: FORM, payload: encodeForm({ ...reportForm(app, f), status: 'resolved' }) });
  t.equal(extra.statusCode, 400, 'an unknown field');
  t.equal(app.db.select().from(demands).all().length, 0);
});

t.test('robots are turned away: honeypot, too fast, forged or missing time, another site', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const post = (form: Record<string, string>, headers: Record<string, string> = FORM) => app.inject({ method: 'POST', url: '/report', headers, payload: encodeForm(form) });
  const honeypot = await post(reportForm(app, f, { website: 'http://spam.example' }));
  t.equal(honeypot.statusCode, 400);
  const fast = await post(reportForm(app, f, { started: startedField(app, 500) }));
  t.equal(fast.statusCode, 400);
  t.match(fast.body, '请核对填写内容后再提交一次');
  t.match(fast.body, /name="started" value="[^"]+"/, 'a fresh time to try again with');
  const forged = await post(reportForm(app, f, { started: String(Date.now() - 60_000) }));
  t.equal(forged.statusCode, 400, 'an unsigned time');
  const stale = await post(reportForm(app, f, { started: startedField(app, 2 * 86_400_000) }));
  t.equal(stale.statusCode, 400, 'a form served two days ago');
  const missing = await post({ ...reportForm(app, f), started: '' });
  t.equal(missing.statusCode, 400);
  const crossSite = await post(reportForm(app, f), { ...FORM, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
  t.equal(crossSite.statusCode, 403);
  t.equal(app.db.select().from(demands).all().length, 0, 'nothing was stored');
});

t.test('one address may send only so many reports an hour; IPv6 counts by /64', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const post = (ip: string) => app.inject({ method: 'POST', url: '/report', remoteAddress: ip, headers: FORM, payload: encodeForm(reportForm(app, f)) });
  for (let i = 0; i < REPORTS_PER_HOUR; i++) t.equal((await post(`2001:db8:1:2::${i + 1}`)).statusCode, 303);
  const over = await post('2001:db8:1:2:ffff::1');
  t.equal(over.statusCode, 429, 'another address in the same /64 is the same subscriber');
  t.equal((await post('2001:db8:1:3::1')).statusCode, 303, 'the next /64 is someone else');
  t.equal((await app.inject({ url: '/report', remoteAddress: '2001:db8:1:2::1' })).statusCode, 200, 'reading the form is not limited');
});

t.test('a report text with markup shows as text everywhere', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const res = await app.inject({ method: 'POST', url: '/report', headers: FORM, payload: encodeForm(reportForm(app, f, { text: '<script>alert(1)</script> 路灯坏了', address: '<img src=x onerror=alert(1)>路' })) });
  const no = trackingNoFrom(res.headers.location as string);
  for (const url of [`/reports/${no}`, '/demands']) {
    const page = await app.inject({ url });
    t.notMatch(page.body, '<script>alert(1)</script>', url);
    t.notMatch(page.body, '<img src=x', url);
    t.match(page.body, '&lt;script&gt;alert(1)&lt;/script&gt;', url);
  }
});
