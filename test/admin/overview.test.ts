import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { pledges } from '../../db/schema.ts';

t.test('the office overview shows counts, overdue pledges per campaign and recent changes, in both languages', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const base = { campaignId: f.campaignId, leadUnitId: f.unitA.id, title: '事项', startOn: '2020-01-01' };
  app.db
    .insert(pledges)
    .values([
      { ...base, status: 'in_progress', dueOn: '2020-06-30' },
      { ...base, status: 'delayed', dueOn: '2020-06-30' },
      { ...base, status: 'completed', dueOn: '2020-06-30', completedOn: '2020-07-02' },
      { ...base, status: 'pledged', dueOn: '2999-01-01' },
      { ...base, status: 'draft', dueOn: '2020-06-30' },
    ])
    .run();
  const admin = await login(app, 'admin');
  await admin.request({ method: 'POST', url: '/admin/categories', form: { slug: 'traffic', nameZh: '交通出行', nameEn: 'Traffic' } });
  const zh = await admin.request({ url: '/admin' });
  t.equal(zh.statusCode, 200);
  t.match(zh.body, '需要关注');
  t.match(zh.body, /<td[^>]*class="num">4<\/td>/, 'published pledges counted, drafts left out');
  t.match(zh.body, '<span class="status status-overdue">2</span>', 'in progress and delayed past due are overdue');
  t.match(zh.body, '新增分类 · 分类 #2', 'recent changes in words');
  const en = await admin.request({ url: '/admin?lang=en' });
  t.match(en.body, 'Needs attention');
  t.match(en.body, 'Recent changes');
});
