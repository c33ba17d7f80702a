import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { createCampaignRepository } from '../../src/campaigns/repository.ts';

const valid = { slug: 'phase-two', name: '第二阶段', issuingOffice: '活动办', description: '', startsOn: '2030-03-01', endsOn: '2030-12-31', timeZone: 'Asia/Shanghai' };

t.test('admin lists campaigns with published and overdue counts', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ url: '/admin/campaigns' });
  t.equal(res.statusCode, 200);
  t.match(res.body, '深入基层、服务群众');
  t.match(res.body, 'test-campaign');
});

t.test('the new campaign form defaults to the configured time zone', async (t) => {
  const app = await build(t, { TZ_DEFAULT: 'Asia/Urumqi' });
  await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ url: '/admin/campaigns/new' });
  t.equal(res.statusCode, 200);
  t.match(res.body, 'name="timeZone" required maxlength="64" autocapitalize="none" spellcheck="false" value="Asia/Urumqi"');
});

t.test('admin creates a campaign and is sent back to the list with a notice', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ method: 'POST', url: '/admin/campaigns', form: valid });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/admin/campaigns?saved=created');
  const created = await createCampaignRepository(app.db).bySlug('phase-two');
  t.equal(created?.name, '第二阶段');
  t.equal(created?.endsOn, '2030-12-31');
  const list = await admin.request({ url: res.headers.location as string });
  t.match(list.body, '已创建。');
});

t.test('admin edits a campaign', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const form = await admin.request({ url: `/admin/campaigns/${f.campaignId}/edit` });
  t.match(form.body, 'value="test-campaign"', 'the form shows the stored values');
  const res = await admin.request({ method: 'POST', url: `/admin/campaigns/${f.campaignId}`, form: { ...valid, slug: 'test-campaign', timeZone: 'Europe/Berlin' } });
  t.equal(res.statusCode, 303);
  t.equal((await createCampaignRepository(app.db).get(f.campaignId))?.timeZone, 'Europe/Berlin');
});

t.test('an end date before the start and an unknown time zone are refused, in both languages, input kept', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const bad = { ...valid, name: '<b>保留</b>', startsOn: '2030-12-31', endsOn: '2030-01-01', timeZone: 'Mars/Olympus' };
  const zh = await admin.request({ method: 'POST', url: '/admin/campaigns', form: bad, headers: { 'accept-language': 'zh-CN' } });
  t.equal(zh.statusCode, 400);
  t.match(zh.body, '结束日期不能早于开始日期。');
  t.match(zh.body, '请输入有效的 IANA 时区名称');
  t.match(zh.body, 'value="&lt;b&gt;保留&lt;/b&gt;"', 'input kept, escaped');
  t.match(zh.body, 'value="Mars/Olympus"');
  const en = await admin.request({ method: 'POST', url: '/admin/campaigns', form: bad, headers: { 'accept-language': 'en' } });
  t.equal(en.statusCode, 400);
  t.match(en.body, 'The end date cannot be before the start date.');
  t.match(en.body, 'Enter a valid IANA time zone');
  t.equal(await createCampaignRepository(app.db).count(), 1, 'nothing created');
});

t.test('missing fields, an invalid date and unknown fields are field errors, not failures', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ method: 'POST', url: '/admin/campaigns', form: { slug: 'Not A Slug', startsOn: '2030-02-30', extra: 'x' } });
  t.equal(res.statusCode, 400);
  t.match(res.body, 'href="#f-name"');
  t.match(res.body, '只能使用小写字母、数字和连字符。');
  t.match(res.body, '请输入有效日期');
  t.match(res.body, '表单中有无法识别的字段：extra');
});

t.test('a taken campaign slug is a field error, not a 500', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ method: 'POST', url: '/admin/campaigns', form: { ...valid, slug: 'test-campaign' }, headers: { 'accept-language': 'en' } });
  t.equal(res.statusCode, 400);
  t.match(res.body, 'This address name is already used');
});

t.test('editing a campaign that does not exist is a 404', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  t.equal((await admin.request({ url: '/admin/campaigns/999/edit' })).statusCode, 404);
  t.equal((await admin.request({ url: '/admin/campaigns/abc/edit' })).statusCode, 404);
  t.equal((await admin.request({ method: 'POST', url: '/admin/campaigns/999', form: valid })).statusCode, 404);
});
