import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { createCategoryRepository } from '../../src/categories/repository.ts';

t.test('admin lists, creates and edits categories', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const list = await admin.request({ url: '/admin/categories' });
  t.equal(list.statusCode, 200);
  t.match(list.body, '供水供气供暖');
  const created = await admin.request({ method: 'POST', url: '/admin/categories', form: { slug: 'traffic', nameZh: '交通出行', nameEn: 'Traffic', sortOrder: '' } });
  t.equal(created.statusCode, 303);
  const repo = createCategoryRepository(app.db);
  t.equal((await repo.bySlug('traffic'))?.sortOrder, 0, 'an empty order means 0');
  const edited = await admin.request({ method: 'POST', url: `/admin/categories/${f.categoryId}`, form: { slug: 'utilities', nameZh: '水气暖', nameEn: 'Utilities', sortOrder: '-5' } });
  t.equal(edited.statusCode, 303);
  t.equal(edited.headers.location, '/admin/categories?saved=updated');
  const cat = await repo.get(f.categoryId);
  t.same([cat?.slug, cat?.nameZh, cat?.nameEn, cat?.sortOrder], ['utilities', '水气暖', 'Utilities', -5]);
  const page = await admin.request({ url: '/admin/categories?saved=updated&lang=en' });
  t.match(page.body, 'Changes saved.');
});

t.test('category form errors are shown by each field in both languages, a taken slug included', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const form = { slug: 'water', nameZh: '', nameEn: 'Roads', sortOrder: 'first' };
  const zh = await admin.request({ method: 'POST', url: '/admin/categories', form });
  t.equal(zh.statusCode, 400);
  t.match(zh.body, '此项必填。');
  t.match(zh.body, '请输入有效数字。');
  t.match(zh.body, 'value="Roads"');
  const en = await admin.request({ method: 'POST', url: '/admin/categories', form: { ...form, nameZh: '道路', sortOrder: '3' }, headers: { 'accept-language': 'en' } });
  t.equal(en.statusCode, 400);
  t.match(en.body, 'This address name is already used');
  t.equal((await createCategoryRepository(app.db).list()).length, 1, 'nothing created');
});
