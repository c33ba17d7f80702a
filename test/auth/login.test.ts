import t from 'tap';
import { build, seed, login, encodeForm, PASSWORD } from '../helpers.ts';

t.test('GET /healthz answers ok when the database is reachable', async (t) => {
  const app = await build(t);
  const res = await app.inject('/healthz');
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'ok' });
});

t.test('login page renders in both languages', async (t) => {
  const app = await build(t);
  const zh = await app.inject({ url: '/login', headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
  t.equal(zh.statusCode, 200);
  t.match(zh.body, '工作人员登录');
  const en = await app.inject({ url: '/login?lang=en' });
  t.match(en.body, 'Staff sign-in');
  t.match(en.headers['content-security-policy'], "script-src 'self'");
});

t.test('a user signs in, reaches their page, and logout ends the session', async (t) => {
  const app = await build(t);
  await seed(app);
  const admin = await login(app, 'admin');
  const before = await admin.request({ url: '/login' });
  t.equal(before.statusCode, 302, 'signed-in user visiting /login is sent on');
  const out = await admin.request({ method: 'POST', url: '/logout', form: {} });
  t.equal(out.statusCode, 303);
  const after = await app.authRepo.findSession(admin.token);
  t.equal(after, undefined, 'session row is gone');
});

t.test('wrong password is refused with the form kept, and sign-ins are throttled per account', async (t) => {
  const app = await build(t);
  await seed(app);
  const page = await app.inject('/login');
  const preName = app.cookieNames.preSession;
  const pre = page.cookies.find((c) => c.name === preName)!.value;
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const attempt = (password: string) =>
    app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${preName}=${pre}` },
      payload: encodeForm({ username: 'admin', password, _csrf: token }),
    });
  const first = await attempt('wrong password!');
  t.equal(first.statusCode, 401);
  t.match(first.body, 'value="admin"', 'username is kept');
  for (let i = 0; i < 4; i++) await attempt('wrong password!');
  const locked = await attempt(PASSWORD);
  t.equal(locked.statusCode, 429, 'even the right password waits after five failures');
});

t.test('login without the CSRF token is refused', async (t) => {
  const app = await build(t);
  await seed(app);
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: encodeForm({ username: 'admin', password: PASSWORD }),
  });
  t.equal(res.statusCode, 403);
});

t.test('next is followed only for local paths', async (t) => {
  const app = await build(t);
  await seed(app);
  const page = await app.inject('/login?next=//evil.example');
  t.match(page.body, 'name="next" value=""', 'a protocol-relative next is dropped');
});
