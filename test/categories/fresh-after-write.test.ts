// Issue 7: the category page's figures and the demand statistics are scans, kept per data
// version (app.aggregates) instead of redone per request. With the page cache off, so only that
// memo stands between a write and the next read: every write shows at once, and a memo kept for
// one campaign or category never answers for another.
import t from 'tap';
import { parse } from 'csv-parse/sync';
import { campaigns } from '../../db/schema.ts';
import { build, seed, login } from '../helpers.ts';
import { formVersion, makeDraft, makePublished } from '../manage/fixtures.ts';
import { makeCategory } from '../public/fixtures.ts';
import { csvText, hotlineRows, HEADER_ZH, multipart, utf8Bom } from '../demands/upload.ts';

/** The category page's headline count of published pledges. */
const publishedCount = (html: string) => /<span class="value">([^<]+)<\/span><span class="label">公开承诺/.exec(html)?.[1];

t.test('a pledge published through the workspace counts on its category page at once', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const f = await seed(app);
  await makePublished(app, f, { title: '第一项供水承诺' });
  const draft = await makeDraft(app, f, { title: '第二项供水承诺' });
  const editor = await login(app, 'editor-a');

  const first = await app.inject('/categories/water');
  t.equal(publishedCount(first.body), '1');
  t.equal(publishedCount((await app.inject('/categories/water')).body), '1', 'the same figures on a second read');

  const page = await editor.request({ url: `/manage/pledges/${draft.id}` });
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${draft.id}/publish`, form: { version: formVersion(page.body) } });
  t.equal(res.statusCode, 303, res.body.slice(0, 300));

  const after = await app.inject('/categories/water');
  t.equal(publishedCount(after.body), '2', 'the published draft counts');
  t.match(after.body, '查看本类别的 2 项承诺事项', 'and the link to the list says so');
  const en = await app.inject('/categories/water?lang=en');
  t.match(en.body, /<span class="value">2<\/span><span class="label">/, 'in English too');
});

t.test('each campaign and category has its own figures', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  const f = await seed(app);
  const year = Number(f.today.slice(0, 4));
  const earlier = app.db
    .insert(campaigns)
    .values({ slug: 'earlier', name: '上一轮活动', startsOn: `${year - 3}-01-01`, endsOn: `${year - 2}-12-31`, timeZone: 'Asia/Shanghai', issuingOffice: '活动领导小组办公室' })
    .returning()
    .get();
  const traffic = makeCategory(app, { slug: 'traffic', nameZh: '交通出行', nameEn: 'Traffic' });
  await makePublished(app, f, { title: '本轮供水一' });
  await makePublished(app, f, { title: '本轮供水二' });
  await makePublished(app, f, { title: '本轮交通', categoryId: traffic });
  await makePublished(app, f, { title: '上一轮供水', campaignId: earlier.id, startOn: `${year - 3}-02-01`, dueOn: `${year - 3}-06-30` });

  // Read in an order where a memo keyed too coarsely would hand one answer to the next.
  t.equal(publishedCount((await app.inject('/categories/water')).body), '2', 'the current campaign');
  t.equal(publishedCount((await app.inject(`/categories/water?campaign=${earlier.id}`)).body), '1', 'an earlier campaign asked for');
  t.equal(publishedCount((await app.inject('/categories/traffic')).body), '1', 'another category');
  t.equal(publishedCount((await app.inject('/categories/water')).body), '2', 'the first again');
});

t.test('a hotline import shows in the demand statistics (API and download) at once', async (t) => {
  const app = await build(t, { PAGE_CACHE_MB: '0' });
  await seed(app);
  const admin = await login(app, 'admin');
  const stats = async () => JSON.parse((await app.inject('/api/v1/demands/stats')).body).data;
  const csvTotal = async () => {
    const rows: string[][] = parse((await app.inject('/demands?format=csv')).body.replace(/^\uFEFF/, ''));
    return rows.find((r) => r[0] === 'total' && r[1] === 'reports')?.[3];
  };
  t.equal((await stats()).totals.reports, 0);
  t.equal(await csvTotal(), '0');
  t.equal((await stats()).totals.reports, 0, 'a second read agrees');

  const body = multipart([['_csrf', admin.csrf]], { filename: 'hotline.csv', content: utf8Bom(csvText([HEADER_ZH, ...hotlineRows(3)])) });
  const res = await app.inject({ method: 'POST', url: '/admin/demands/import', headers: { ...body.headers, cookie: admin.cookie }, payload: body.payload });
  t.equal(res.statusCode, 303, res.body.slice(0, 300));

  const after = await stats();
  t.match(after.totals, { reports: 3 }, 'the API counts the imported tickets');
  t.match(after.byChannel, [{ key: 'hotline_12345', count: 3 }]);
  t.equal(await csvTotal(), '3', 'and so does the download, which shares the figures');
});
