import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makeCategory, makePledge, makeUnit } from '../public/fixtures.ts';

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

t.test('the by-district chart keeps 12 rows however many districts there are, the rest summed into one', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  // 15 districts: district i leads i + 1 pledges of the category (the seed's 历下区 one), so the
  // 11 with the most are drawn and the four smallest (1 to 4 pledges, 10 in all) are summed.
  const districts = [{ id: fx.districtId, slug: 'lixia', name: '历下区' }];
  for (let i = 1; i < 15; i++) {
    const name = `测试区${String(i).padStart(2, '0')}`;
    districts.push({ ...makeUnit(app, { slug: `district-${i}`, name, kind: 'district' }), name });
  }
  districts.forEach((d, i) => {
    for (let n = 0; n <= i; n++) makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: d.id, status: n === 0 ? 'completed' : 'in_progress', completedOn: n === 0 ? fx.today : null });
  });
  const zh = await app.inject('/categories/water');
  t.equal(zh.statusCode, 200);
  const districtTable = zh.body.slice(zh.body.indexOf('id="chart-district-block"'));
  const rowNames = [...districtTable.matchAll(/<th scope="row"[^>]*>(?:<a [^>]*>)?([^<]+)/g)].map((m) => m[1]);
  t.equal(rowNames.length, 12, 'twelve rows in the table');
  t.same(rowNames.slice(0, 11).sort(), districts.slice(4).map((d) => d.name).sort(), 'the eleven districts with the most pledges, each named');
  t.equal(rowNames[11], '其他 4 个', 'the rest in one row, last');
  t.notMatch(districtTable, '历下区', 'a summed district is not drawn');
  t.match(districtTable, /<th scope="row" data-label="区县">其他 4 个<\/th><td data-label="承诺数" class="num">10<\/td><td data-label="按期完成" class="num">4<\/td>/, 'its figures are the sums (10 pledges, 4 completed on time)');
  t.match(districtTable, `href="/pledges?campaign=${fx.campaignId}&amp;category=water&amp;district=district-14"`, 'drawn districts link to their pledges of the category');
  t.match(zh.body, '<a href="/units">各单位完成情况全表</a>', 'and the page links to every unit\'s figures');
  t.match(zh.body, '<span class="value">120</span><span class="label">公开承诺', 'the headline counts every district');
  const en = await app.inject('/categories/water?lang=en');
  t.match(en.body, '>4 others</th>');
  t.match(en.body, 'Every unit&#39;s figures');
});

t.test('a category page with few districts draws each and has no link to the units table', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  makePledge(app, fx, { categoryId: fx.categoryId, districtUnitId: fx.districtId });
  const res = await app.inject('/categories/water');
  t.match(res.body, `district=lixia">历下区</a>`);
  t.notMatch(res.body, '其他');
  t.notMatch(res.body, '各单位完成情况全表');
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
