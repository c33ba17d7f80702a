import t from 'tap';
import { build, seed, login, encodeForm, PASSWORD } from '../helpers.ts';
import { auditLog } from '../../db/schema.ts';

const NEW_PASSWORD = 'another long passphrase';

t.test('the account page needs a signed-in user', async (t) => {
  const app = await build(t);
  await seed(app);
  const res = await app.inject('/account');
  t.equal(res.statusCode, 302);
  t.equal(res.headers.location, '/login?next=%2Faccount');
  const post = await app.inject({ method: 'POST', url: '/account/password', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: encodeForm({ current_password: PASSWORD }) });
  t.equal(post.statusCode, 302);
});

t.test('every role sees their name, role and unit, and their sign-ins including failed ones, in both languages', async (t) => {
  const app = await build(t);
  await seed(app);
  await t.rejects(login(app, 'editor-a', 'wrong password here'));
  const editor = await login(app, 'editor-a', PASSWORD);
  const zh = await editor.request({ url: '/account' });
  t.equal(zh.statusCode, 200);
  t.match(zh.body, '单位编辑');
  t.match(zh.body, '市水务局');
  t.match(zh.body, '最近登录记录');
  t.match(zh.body, '成功');
  t.match(zh.body, '失败', 'the failed attempt is listed too');
  t.match(zh.body, '127.0.0.1', 'the address');
  t.match(zh.body, 'lightMyRequest', 'the browser');
  const en = await editor.request({ url: '/account?lang=en' });
  t.match(en.body, 'Recent sign-ins');
  t.match(en.body, 'Unit editor');
  for (const who of ['admin', 'press']) {
    const agent = await login(app, who);
    t.equal((await agent.request({ url: '/account' })).statusCode, 200, `${who} has an account page`);
  }
});

t.test('changing the password ends the other sessions and keeps this one', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const here = await login(app, 'editor-b');
  const elsewhere = await login(app, 'editor-b');
  const res = await here.request({ method: 'POST', url: '/account/password', form: { current_password: PASSWORD, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/account?saved=password');
  const page = await here.request({ url: '/account?saved=password' });
  t.equal(page.statusCode, 200, 'this session still works');
  t.match(page.body, '密码已修改');
  const other = await elsewhere.request({ url: '/account' });
  t.equal(other.statusCode, 302, 'the other session has ended');
  await t.rejects(login(app, 'editor-b', PASSWORD), 'the old password no longer works');
  t.ok(await login(app, 'editor-b', NEW_PASSWORD));
  const entries = app.db.select().from(auditLog).all();
  t.same(
    entries.map((e) => [e.action, e.entityId, e.username]),
    [['user.password', String(f.users.editorB), 'editor-b']],
    'the change is audited, without the password',
  );
});

t.test('a wrong current password, a short or mismatched new one are field errors in both languages', async (t) => {
  const app = await build(t);
  await seed(app);
  const agent = await login(app, 'press');
  const wrong = await agent.request({ method: 'POST', url: '/account/password', form: { current_password: 'not my password', new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
  t.equal(wrong.statusCode, 400);
  t.match(wrong.body, '当前密码不正确。');
  t.match(wrong.body, 'href="#f-current_password"');
  const en = await agent.request({ method: 'POST', url: '/account/password', headers: { 'accept-language': 'en' }, form: { current_password: PASSWORD, new_password: 'short', confirm_password: 'different' } });
  t.equal(en.statusCode, 400);
  t.match(en.body, 'Must be at least 12 characters.');
  t.match(en.body, 'The two passwords do not match.');
  t.notMatch(en.body, `value="${PASSWORD}"`, 'passwords are never echoed back');
  const empty = await agent.request({ method: 'POST', url: '/account/password', form: {} });
  t.equal(empty.statusCode, 400);
  t.match(empty.body, '此项必填。');
  t.ok(await login(app, 'press', PASSWORD), 'the password is unchanged');
});

t.test('changing the password needs the CSRF token and refuses unknown fields', async (t) => {
  const app = await build(t);
  await seed(app);
  const agent = await login(app, 'editor-a');
  const form = { current_password: PASSWORD, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD };
  for (const token of [undefined, 'forged']) {
    const res = await app.inject({ method: 'POST', url: '/account/password', headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: agent.cookie }, payload: encodeForm({ ...form, _csrf: token }) });
    t.equal(res.statusCode, 403);
  }
  const extra = await agent.request({ method: 'POST', url: '/account/password', form: { ...form, userId: '1' } });
  t.equal(extra.statusCode, 400);
  t.ok(await login(app, 'editor-a', PASSWORD), 'the password is unchanged');
});
