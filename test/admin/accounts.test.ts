import t from 'tap';
import { build, seed, login, PASSWORD } from '../helpers.ts';
import { auditLog } from '../../db/schema.ts';
import { desc } from 'drizzle-orm';

const NEW_PASSWORD = 'a completely new passphrase';

t.test('admin lists accounts with role, unit and state', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({ url: '/admin/accounts?lang=en' });
  t.equal(res.statusCode, 200);
  t.match(res.body, 'editor-a');
  t.match(res.body, 'Unit editor');
  t.match(res.body, '市水务局');
  t.match(res.body, 'Press desk');
});

t.test('admin creates a unit editor who can then sign in', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const res = await admin.request({
    method: 'POST',
    url: '/admin/accounts',
    form: { username: 'zhang.san', displayName: '张三', role: 'unit', unitId: String(f.unitA.id), password: NEW_PASSWORD, confirm_password: NEW_PASSWORD },
  });
  t.equal(res.statusCode, 303);
  const user = await app.authRepo.findUserByUsername('zhang.san');
  t.equal(user?.unitId, f.unitA.id);
  t.equal(user?.role, 'unit');
  t.notMatch(user?.passwordHash, NEW_PASSWORD, 'the password is stored hashed');
  t.match(user?.passwordHash, /^\$argon2id\$/);
  t.equal(res.headers.location, `/admin/accounts/${user!.id}?saved=created`);
  const agent = await login(app, 'zhang.san', NEW_PASSWORD);
  t.ok(agent.cookie);
  const entry = app.db.select().from(auditLog).orderBy(desc(auditLog.id)).get();
  t.equal(entry?.action, 'user.create');
  t.notMatch(entry?.after ?? '', 'argon2', 'the audit log never holds the hash');
});

t.test('account rules: username format, unit only for unit editors, 12-character passwords typed twice', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const en = { 'accept-language': 'en' };
  const noUnit = await admin.request({ method: 'POST', url: '/admin/accounts', headers: en, form: { username: 'Bad Name!', role: 'unit', password: 'short', confirm_password: 'short' } });
  t.equal(noUnit.statusCode, 400);
  t.match(noUnit.body, 'Use lower-case letters, digits, dots, underscores and hyphens only.');
  t.match(noUnit.body, 'A unit editor must belong to a unit.');
  t.match(noUnit.body, 'Must be at least 12 characters.');
  t.match(noUnit.body, 'value="Bad Name!"', 'username kept');
  t.notMatch(noUnit.body, 'value="short"', 'passwords are never echoed back');
  const pressWithUnit = await admin.request({
    method: 'POST',
    url: '/admin/accounts',
    form: { username: 'press-2', role: 'press', unitId: String(f.unitA.id), password: NEW_PASSWORD, confirm_password: 'something else entirely' },
  });
  t.equal(pressWithUnit.statusCode, 400);
  t.match(pressWithUnit.body, '只有单位编辑属于某个单位');
  t.match(pressWithUnit.body, '两次输入的密码不一致。');
  const tooShort = await admin.request({ method: 'POST', url: '/admin/accounts', form: { username: 'ab', role: 'admin', password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
  t.match(tooShort.body, '至少 3 个字符。');
  const taken = await admin.request({ method: 'POST', url: '/admin/accounts', headers: en, form: { username: 'editor-a', role: 'unit', unitId: String(f.unitB.id), password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
  t.equal(taken.statusCode, 400);
  t.match(taken.body, 'This username is already taken.');
  const ghostUnit = await admin.request({ method: 'POST', url: '/admin/accounts', form: { username: 'ghost', role: 'unit', unitId: '9999', password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
  t.equal(ghostUnit.statusCode, 400);
  t.equal((await app.authRepo.listUsers()).length, 4, 'no account created');
});

t.test("admin changes an editor's unit, which signs them out", async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const editor = await login(app, 'editor-b');
  const res = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorB}`, form: { displayName: '李四', role: 'unit', unitId: String(f.unitA.id) } });
  t.equal(res.statusCode, 303);
  const user = await app.authRepo.findUserById(f.users.editorB);
  t.equal(user?.unitId, f.unitA.id);
  t.equal(user?.displayName, '李四');
  const after = await editor.request({ url: '/account' });
  t.equal(after.statusCode, 302, 'the old session no longer works');
  const bad = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorB}`, form: { displayName: '李四', role: 'admin', unitId: String(f.unitA.id) } });
  t.equal(bad.statusCode, 400);
  t.match(bad.body, '只有单位编辑属于某个单位');
  t.match(bad.body, '<option value="admin" selected>', 'the edit form keeps what was typed');
});

t.test('an admin cannot change their own role or disable their own account', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const role = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.admin}`, form: { displayName: 'admin', role: 'press' } });
  t.equal(role.statusCode, 400);
  t.match(role.body, '不能修改自己的角色');
  const disable = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.admin}/disable`, form: {} });
  t.equal(disable.statusCode, 400);
  t.match(disable.body, '不能停用自己正在使用的账户。');
  const user = await app.authRepo.findUserById(f.users.admin);
  t.equal(user?.role, 'admin');
  t.equal(user?.disabledAt, null);
  t.equal((await admin.request({ url: '/admin' })).statusCode, 200, 'still signed in');
});

t.test('disabling an account ends its session at once; enabling lets it sign in again', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const editor = await login(app, 'editor-a');
  t.equal((await editor.request({ url: '/account' })).statusCode, 200);
  const res = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorA}/disable`, form: {} });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/admin/accounts/${f.users.editorA}?saved=disabled`);
  const next = await editor.request({ url: '/account' });
  t.equal(next.statusCode, 302, 'the old cookie is treated as anonymous');
  t.equal(next.headers.location, '/login?next=%2Faccount');
  const workspace = await editor.request({ url: '/manage' });
  t.equal(workspace.statusCode, 302, 'the unit workspace sends them to sign in');
  t.equal(workspace.headers.location, '/login?next=%2Fmanage');
  const write = await editor.request({ method: 'POST', url: '/account/password', form: { current_password: PASSWORD, new_password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
  t.equal(write.statusCode, 302, 'and cannot write');
  await t.rejects(login(app, 'editor-a'), 'a disabled account cannot sign in');
  const page = await admin.request({ url: `/admin/accounts/${f.users.editorA}?saved=disabled` });
  t.match(page.body, '账户已停用');
  t.match(page.body, `action="/admin/accounts/${f.users.editorA}/enable"`);
  const again = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorA}/disable`, form: {} });
  t.equal(again.statusCode, 303, 'disabling twice is harmless');
  const enable = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorA}/enable`, form: {} });
  t.equal(enable.statusCode, 303);
  t.ok(await login(app, 'editor-a'), 'signs in again');
  const actions = app.db.select({ action: auditLog.action }).from(auditLog).all().map((r) => r.action);
  t.same(actions, ['user.disable', 'user.enable']);
});

t.test('admin resets a password: the user is signed out everywhere and the new password works', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const editor = await login(app, 'editor-b');
  const mismatch = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorB}/password`, form: { password: NEW_PASSWORD, confirm_password: 'nope' } });
  t.equal(mismatch.statusCode, 400);
  t.match(mismatch.body, '两次输入的密码不一致。');
  t.equal((await editor.request({ url: '/account' })).statusCode, 200, 'a refused reset changes nothing');
  const res = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorB}/password`, form: { password: NEW_PASSWORD, confirm_password: NEW_PASSWORD } });
  t.equal(res.statusCode, 303);
  t.equal((await editor.request({ url: '/account' })).statusCode, 302);
  await t.rejects(login(app, 'editor-b'), 'the old password no longer works');
  t.ok(await login(app, 'editor-b', NEW_PASSWORD));
  t.equal((await admin.request({ url: '/admin' })).statusCode, 200, 'the admin stays signed in');
});

t.test('account pages: unknown ids are 404, and extra fields on disable are refused', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  t.equal((await admin.request({ url: '/admin/accounts/9999' })).statusCode, 404);
  t.equal((await admin.request({ method: 'POST', url: '/admin/accounts/9999/disable', form: {} })).statusCode, 404);
  const extra = await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorA}/disable`, form: { role: 'admin' } });
  t.equal(extra.statusCode, 400);
  t.equal((await app.authRepo.findUserById(f.users.editorA))?.disabledAt, null);
  const page = await admin.request({ url: `/admin/accounts/${f.users.editorA}?lang=en` });
  t.equal(page.statusCode, 200);
  t.match(page.body, 'Reset password');
  t.match(page.body, 'Recent sign-ins');
});
