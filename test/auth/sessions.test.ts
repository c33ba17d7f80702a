// Sessions end when they should (idle, absolute, logout, password change, disable), cookies are
// __Host- over HTTPS, and a login reveals nothing about which usernames exist.
import t from 'tap';
import { build, seed, login, encodeForm, PASSWORD } from '../helpers.ts';
import { SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from '../../src/plugins/auth.ts';
import { dummyPasswordHash } from '../../src/auth/passwords.ts';
import { tokenId } from '../../src/auth/repository.ts';

const ago = (ms: number) => new Date(Date.now() - ms).toISOString();

t.test('a session left idle for two hours is over; one in use stays', async (t) => {
  const app = await build(t);
  await seed(app);
  const editor = await login(app, 'editor-a');
  const set = app.db.$client.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?');
  set.run(ago(SESSION_IDLE_MS - 5 * 60_000), tokenId(editor.token));
  const used = await editor.request({ url: '/manage' });
  t.equal(used.statusCode, 200, 'used within the idle limit: still signed in');
  const seen = app.db.$client.prepare('SELECT last_seen_at AS at FROM sessions WHERE id = ?').get(tokenId(editor.token)) as { at: string };
  t.ok(Date.now() - Date.parse(seen.at) < 60_000, 'using it records activity');

  set.run(ago(SESSION_IDLE_MS + 1000), tokenId(editor.token));
  const idle = await editor.request({ url: '/manage' });
  t.equal(idle.statusCode, 302);
  t.equal(idle.headers.location, '/login?next=%2Fmanage');
});

t.test('a session ends twelve hours after sign-in however busy it is', async (t) => {
  const app = await build(t);
  await seed(app);
  const editor = await login(app, 'editor-a');
  const row = app.db.$client.prepare('SELECT created_at AS createdAt, expires_at AS expiresAt FROM sessions WHERE id = ?').get(tokenId(editor.token)) as { createdAt: string; expiresAt: string };
  t.ok(Math.abs(Date.parse(row.expiresAt) - Date.now() - SESSION_ABSOLUTE_MS) < 60_000, 'expires twelve hours from sign-in');
  app.db.$client.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(ago(2 * 60_000), tokenId(editor.token));
  await editor.request({ url: '/manage' });
  const after = app.db.$client.prepare('SELECT expires_at AS expiresAt FROM sessions WHERE id = ?').get(tokenId(editor.token)) as { expiresAt: string };
  t.equal(after.expiresAt, row.expiresAt, 'activity does not extend it');
  app.db.$client.prepare('UPDATE sessions SET expires_at = ? WHERE id = ?').run(ago(1000), tokenId(editor.token));
  t.equal((await editor.request({ url: '/manage' })).statusCode, 302, 'past it, the cookie signs in nobody');
  await app.authRepo.deleteExpiredSessions();
  t.equal((app.db.$client.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n, 0, 'expired sessions can be swept');
});

t.test('logout, a password change and disabling each end the session for good (cookie replay fails)', async (t) => {
  const app = await build(t);
  const f = await seed(app);
  const replay = (cookie: string) => app.inject({ url: '/manage', headers: { cookie } });

  const a = await login(app, 'editor-a');
  await a.request({ method: 'POST', url: '/logout', form: {} });
  t.equal((await replay(a.cookie)).statusCode, 302, 'after logout');

  const b1 = await login(app, 'editor-b');
  const b2 = await login(app, 'editor-b');
  const changed = await b2.request({ method: 'POST', url: '/account/password', form: { current_password: PASSWORD, new_password: 'a fresh passphrase for b', confirm_password: 'a fresh passphrase for b' } });
  t.equal(changed.statusCode, 303);
  t.equal((await replay(b1.cookie)).statusCode, 302, 'the other session ends at a password change');
  t.equal((await replay(b2.cookie)).statusCode, 200, 'the one that changed it stays');

  const victim = await login(app, 'editor-a');
  const admin = await login(app, 'admin');
  t.equal((await admin.request({ method: 'POST', url: `/admin/accounts/${f.users.editorA}/disable`, form: {} })).statusCode, 303);
  t.equal((await replay(victim.cookie)).statusCode, 302, 'after the account is disabled');
  const post = await app.inject({
    method: 'POST',
    url: '/manage/pledges',
    headers: { cookie: victim.cookie, 'content-type': 'application/x-www-form-urlencoded' },
    payload: encodeForm({ _csrf: victim.csrf, title: 'x' }),
  });
  t.equal(post.statusCode, 302, 'a replayed form with the old token writes nothing');
});

t.test('over HTTPS the cookies are __Host- prefixed, Secure, HttpOnly and SameSite=Lax', async (t) => {
  const app = await build(t, { PUBLIC_URL: 'https://pledges.example.gov.cn' });
  await seed(app);
  const page = await app.inject('/login');
  const pre = page.cookies.find((c) => c.name === '__Host-pre_csrf');
  t.ok(pre, 'the pre-session CSRF cookie');
  t.match(pre, { secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
  t.notOk(pre!.domain, 'no Domain attribute');
  const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
  const res = await app.inject({
    method: 'POST',
    url: '/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `__Host-pre_csrf=${pre!.value}` },
    payload: encodeForm({ username: 'admin', password: PASSWORD, _csrf: token }),
  });
  t.equal(res.statusCode, 303);
  const sid = res.cookies.find((c) => c.name === '__Host-sid');
  t.match(sid, { secure: true, httpOnly: true, sameSite: 'Lax', path: '/' });
  t.equal(sid!.maxAge, SESSION_ABSOLUTE_MS / 1000, 'the browser drops it when the session ends anyway');
  const plain = await app.inject({ url: '/admin', headers: { cookie: `sid=${sid!.value}` } });
  t.equal(plain.statusCode, 302, 'the unprefixed name is not accepted over HTTPS');
});

t.test('over plain http (development) the cookies keep their bare names', async (t) => {
  const app = await build(t, { PUBLIC_URL: 'http://127.0.0.1:3000' });
  await seed(app);
  const page = await app.inject('/login');
  const pre = page.cookies.find((c) => c.name === 'pre_csrf');
  t.ok(pre);
  t.notOk(pre!.secure, 'not Secure, or the browser would drop it');
  const admin = await login(app, 'admin');
  t.match(admin.cookie, /^sid=/);
});

t.test('pages for signed-in people are never stored by caches', async (t) => {
  const app = await build(t);
  await seed(app);
  const editor = await login(app, 'editor-a');
  for (const url of ['/manage', '/account', '/pledges', '/']) {
    const res = await editor.request({ url });
    t.equal(res.statusCode, 200);
    t.match(res.headers['cache-control'], 'no-store', `${url} signed in: no-store`);
  }
  const login_ = await app.inject('/login');
  t.match(login_.headers['cache-control'], 'no-store', 'the login page carries a token: no-store');
});

t.test('an unknown username and a wrong password get the same answer, after the same work', async (t) => {
  const app = await build(t);
  await seed(app);
  const attempt = async (username: string) => {
    const page = await app.inject('/login');
    const pre = page.cookies.find((c) => c.name === app.cookieNames.preSession)!.value;
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1];
    const res = await app.inject({
      method: 'POST',
      url: '/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${app.cookieNames.preSession}=${pre}` },
      payload: encodeForm({ username, password: 'not the password at all', _csrf: token }),
    });
    return { status: res.statusCode, body: res.body.replace(/value="[^"]*"/g, 'value=""') };
  };
  const known = await attempt('admin');
  const unknown = await attempt('nobody-here');
  t.equal(unknown.status, known.status);
  t.equal(known.status, 401);
  t.equal(unknown.body, known.body, 'the same page, word for word');

  // The same work: the stand-in hash for unknown names costs what real accounts cost.
  const real = (app.db.$client.prepare("SELECT password_hash AS h FROM users WHERE username = 'admin'").get() as { h: string }).h;
  const params = (h: string) => h.split('$')[3];
  t.equal(params(await dummyPasswordHash(app.config.argon2MemoryKib)), params(real), 'same argon2 parameters as the accounts');
  t.equal(params(await dummyPasswordHash()), 'm=19456,p=1,t=2', 'and the production cost by default');

  for (let i = 0; i < 5; i++) await attempt('nobody-here');
  const throttled = await attempt('nobody-here');
  t.equal(throttled.status, 429, 'unknown names are throttled like known ones');
});
