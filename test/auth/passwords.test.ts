// New passwords: at least 12 characters and not a commonly chosen one, in every place a
// password is set (office account forms, the account page, the CLI).
import t from 'tap';
import { build, seed, login, PASSWORD } from '../helpers.ts';
import { isCommonPassword } from '../../src/auth/passwords.ts';
import { parsePassword } from '../../src/cli/schemas.ts';
import { snapshot } from '../adversarial/snapshot.ts';

const COMMON = ['password1234', 'qwertyuiop12', '123456789012', 'P@ssw0rd2024!', 'iloveyou2024', 'abcabcabcabc', 'aaaaaaaaaaaa', '1qaz2wsx3edc', 'Dragon123456'];
const FINE = [PASSWORD, 'a completely new passphrase', 'Tr0ub4dor&3xyz', '河边的柳树长了新芽2024', 'long password here'];

t.test('common passwords, with digits tacked on or as a repeated pattern, are recognised; others are not', async (t) => {
  for (const p of COMMON) t.ok(isCommonPassword(p), `${p} is common`);
  for (const p of FINE) t.notOk(isCommonPassword(p), `${p} is not`);
});

t.test('the office cannot create or reset an account with a common password (message in both languages)', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const admin = await login(app, 'admin');
  const before = snapshot(app);
  const zh = await admin.request({
    method: 'POST',
    url: '/admin/accounts',
    form: { username: 'wang.wu', role: 'unit', unitId: String(f.unitA.id), password: 'password1234', confirm_password: 'password1234' },
  });
  t.equal(zh.statusCode, 400);
  t.match(zh.body, '这个密码太常见');
  const en = await admin.request({
    method: 'POST',
    url: `/admin/accounts/${f.users.editorB}/password?lang=en`,
    form: { password: 'qwertyuiop12', confirm_password: 'qwertyuiop12' },
  });
  t.equal(en.statusCode, 400);
  t.match(en.body, 'This password is too common');
  t.same(snapshot(app), before, 'nothing changed');
});

t.test('a user cannot change to a common password on the account page', async (t) => {
  const app = await build(t);
  await seed(app);
  const editor = await login(app, 'editor-a');
  const before = snapshot(app);
  const res = await editor.request({ method: 'POST', url: '/account/password', form: { current_password: PASSWORD, new_password: '123456789012', confirm_password: '123456789012' } });
  t.equal(res.statusCode, 400);
  t.match(res.body, '这个密码太常见');
  t.same(snapshot(app), before, 'nothing changed');
});

t.test('the CLI refuses short and common passwords', async (t) => {
  t.throws(() => parsePassword('short'), /at least 12 characters/);
  t.throws(() => parsePassword('iloveyou2024'), /too common/);
  t.equal(parsePassword('a completely new passphrase'), 'a completely new passphrase');
});
