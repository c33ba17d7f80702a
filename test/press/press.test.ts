import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { addOutlets, makePledge } from './fixtures.ts';

t.test('the press desk page is for press and office admins only', async (t) => {
  const app = await build(t);
  await seed(app);
  const anonymous = await app.inject('/press');
  t.equal(anonymous.statusCode, 302);
  t.equal(anonymous.headers.location, '/login?next=%2Fpress');
  for (const who of ['editor-a', 'editor-b']) {
    t.equal((await (await login(app, who)).request({ url: '/press' })).statusCode, 403, `${who} is refused`);
  }
  for (const who of ['press', 'admin']) {
    t.equal((await (await login(app, who)).request({ url: '/press' })).statusCode, 200, `${who} gets in`);
  }
});

t.test('the builder offers outlets, ready-made sets and the public list’s filters, in both languages', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  addOutlets(app);
  makePledge(app, f, { title: '<script>alert(1)</script>' });
  const press = await login(app, 'press');
  const res = await press.request({ url: '/press' });
  t.equal(res.statusCode, 200);
  for (const text of ['济南日报', '济南电视台', '上次公告以来新公开的事项', '当前逾期事项', '市级重点实事', 'name="category"', 'name="district"', 'name="tier"', 'name="status"', 'formaction="/press/preview"']) {
    t.match(res.body, text);
  }
  t.match(res.body, '符合条件的已公开事项：1项');
  t.notMatch(res.body, '<script>alert(1)</script>');
  const en = await press.request({ url: '/press?lang=en' });
  t.match(en.body, 'Press desk');
  t.match(en.body, 'Published since this outlet’s last notice');
  const preview = await press.request({ url: '/press/preview' });
  t.match(preview.body, '&lt;script&gt;alert(1)&lt;/script&gt;', 'titles are shown as text');
  t.notMatch(preview.body, '<script>alert(1)</script>');
});

t.test('without outlets or a campaign the builder says so', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const press = await login(app, 'press');
  const noOutlet = await press.request({ url: '/press' });
  t.equal(noOutlet.statusCode, 200);
  t.match(noOutlet.body, '还没有可用的刊播媒体');
  addOutlets(app);
  app.db.$client.prepare('DELETE FROM campaigns WHERE id = ?').run(f.campaignId);
  const res = await press.request({ url: '/press' });
  t.equal(res.statusCode, 200);
  t.match(res.body, '目前没有活动。');
});
