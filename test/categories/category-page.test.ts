import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makeCategory, makePledge } from '../public/fixtures.ts';

t.test('the category page shows the category\'s figures and charts in both languages', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const other = makeCategory(app, { slug: 'traffic', nameZh: '交通', nameEn: 'Traffic' });
  makePledge(app, fx, { title: '冬季供暖保障', categoryId: fx.categoryId, districtUnitId: fx.districtId, status: 'completed', completedOn: fx.today });
  makePledge(app, fx, { categoryId: fx.categoryId });
  makePledge(app, fx, { categoryId: other });
  makePledge(app, fx, { categoryId: fx.categoryId, status: 'draft' });
  const zh = await app.inject('/categories/water');
  t.equal(zh.statusCode, 200);
  t.match(zh.body, '<h1>供水供气供暖</h1>');
  t.match(zh.body, '<span class="value">2</span><span class="label">公开承诺', 'counts this category\'s published pledges only');
  t.match(zh.body, `href="/pledges?campaign=${fx.campaignId}&amp;category=water"`, 'links to the filtered list');
  t.match(zh.body, 'id="chart-status-title"');
  t.match(zh.body, 'id="chart-monthly-title"');
  t.match(zh.body, `href="/pledges?campaign=${fx.campaignId}&amp;category=water&amp;district=lixia"`, 'district rows link to the list of both');
  t.match(zh.body, '<link rel="canonical" href="https://pledges.example.gov.cn/categories/water">');
  const en = await app.inject('/categories/water?lang=en&utm_source=x');
  t.equal(en.statusCode, 200, 'unknown query keys are ignored');
  t.match(en.body, '<h1>Water, gas and heating</h1>');
  t.match(en.body, 'This category at a glance');
});

t.test('the category page answers 404 for an unknown category and 400 for a bad campaign', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  t.equal((await app.inject('/categories/nothing-here')).statusCode, 404);
  const bad = await app.inject('/categories/water?campaign=abc');
  t.equal(bad.statusCode, 400);
  const unknown = await app.inject('/categories/water?campaign=9999');
  t.equal(unknown.statusCode, 400);
  t.match(unknown.body, '9999');
  t.equal((await app.inject(`/categories/water?campaign=${fx.campaignId}`)).statusCode, 200);
});

t.test('the category page without any campaign says so', async (t) => {
  const app = await build(t);
  makeCategory(app, { slug: 'water', nameZh: '供水', nameEn: 'Water' });
  const res = await app.inject('/categories/water');
  t.equal(res.statusCode, 200);
  t.match(res.body, '<h1>供水</h1>');
  t.notMatch(res.body, 'class="chart ');
});

t.test('the pledge list links to the category page when a category is chosen', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { categoryId: fx.categoryId });
  const res = await app.inject(`/pledges?category=water&campaign=${fx.campaignId}`);
  t.match(res.body, `<a href="/categories/water?campaign=${fx.campaignId}">查看本类别的图表</a>`);
  t.notMatch((await app.inject('/pledges')).body, 'class="category-link"');
});
