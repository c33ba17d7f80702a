import t from 'tap';
import { build } from '../helpers.ts';

t.test('the method page explains overdue and the on-time rate in both languages', async (t) => {
  const app = await build(t);
  const zh = await app.inject('/about');
  t.equal(zh.statusCode, 200);
  for (const s of ['统计口径说明', '逾期怎样判定', '按期完成率 = 在完成时限内完成的事项数', '活动所在时区', '不计入']) t.match(zh.body, s);
  const en = await app.inject('/about?lang=en');
  t.match(en.body, '<html lang="en">');
  for (const s of ['How overdue is decided', 'Completed-on-time rate = pledges completed by their due date', 'time zone']) t.match(en.body, s);
});

t.test('every page\'s footer links the API docs, the feeds and the method page', async (t) => {
  const app = await build(t);
  const res = await app.inject('/about');
  const footer = res.body.slice(res.body.indexOf('<footer'));
  for (const href of ['/api/docs', '/feeds', '/about', '/pledges', '/units']) t.match(footer, `href="${href}"`);
  t.notMatch(footer, 'href="/notices"', 'no link to a page that does not exist yet');
});
