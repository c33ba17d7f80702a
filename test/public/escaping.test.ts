import t from 'tap';
import { eq } from 'drizzle-orm';
import { campaigns, categories, units } from '../../db/schema.ts';
import { build, seed } from '../helpers.ts';
import { addAmendment, addDeadlineChange, addDays, addUpdate, makePledge } from './fixtures.ts';

const XSS = '<script>alert(1)</script>';
const ESCAPED = '&lt;script&gt;alert(1)&lt;/script&gt;';

t.test('a pledge titled <script>alert(1)</script> shows as text on every public page', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  app.db.update(campaigns).set({ description: XSS, issuingOffice: XSS }).where(eq(campaigns.id, fx.campaignId)).run();
  app.db.update(units).set({ contactAddress: XSS }).where(eq(units.id, fx.unitA.id)).run();
  app.db.update(categories).set({ nameZh: XSS, nameEn: XSS }).where(eq(categories.id, fx.categoryId)).run();
  const id = makePledge(app, fx, {
    title: XSS,
    tier: 'major',
    commitment: XSS,
    standard: XSS,
    leadOfficial: XSS,
    responsiblePerson: XSS,
    status: 'delayed',
    statusReason: XSS,
    categoryId: fx.categoryId,
    districtUnitId: fx.districtId,
    dueOn: addDays(fx.today, 10),
  });
  const child = makePledge(app, fx, { title: `子任务 ${XSS}`, parentId: id, coUnitIds: [fx.unitA.id] });
  addUpdate(app, id, { unitId: fx.unitA.id, body: XSS, progress: 10, reason: XSS });
  addDeadlineChange(app, id, { oldDueOn: fx.today, newDueOn: addDays(fx.today, 10), reason: XSS });
  addAmendment(app, id, { field: 'title', oldValue: XSS, newValue: XSS, reason: XSS });

  for (const url of ['/', '/?lang=en', '/pledges', `/pledges?q=${encodeURIComponent(XSS)}`, '/pledges?q=alert', `/pledges/${id}`, `/pledges/${child}`, '/units', '/units/water-bureau']) {
    const res = await app.inject(url);
    t.equal(res.statusCode, 200, url);
    t.notMatch(res.body, XSS, `${url} never carries the raw markup`);
    t.notMatch(res.body, /<script>(?!<\/script>)/, `${url} has no inline script`);
  }
  const page = await app.inject(`/pledges/${id}`);
  t.match(page.body, `<h1>${ESCAPED}</h1>`, 'the title shows as text');
  t.match(page.body, `<title>${ESCAPED} · `);
  t.match(page.body, `<meta name="description" content="${ESCAPED}">`);
  const search = await app.inject(`/pledges?q=${encodeURIComponent(XSS)}`);
  t.match(search.body, `value="${ESCAPED}"`, 'the search box echoes the query as text');
});

t.test('no public page carries an inline style attribute', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { tier: 'major', categoryId: fx.categoryId, districtUnitId: fx.districtId, progress: 60 });
  makePledge(app, fx, { parentId: id, progress: 30 });
  addUpdate(app, id, { unitId: fx.unitA.id, body: '进展', progress: 60 });
  for (const url of ['/', '/pledges', `/pledges/${id}`, '/units', '/units/water-bureau']) {
    const res = await app.inject(url);
    t.notMatch(res.body, / style="/, url);
  }
});
