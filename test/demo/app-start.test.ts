// Loading the demo when the app starts, for real. Apart from load.test.ts so that neither file
// loads the demo more than twice (a load takes 5–20 s of a busy 2-core machine) and each stays
// well inside tap's per-file timeout.
import t from 'tap';
import fs from 'node:fs';
import { tempDir, testConfig, login } from '../helpers.ts';
import { buildApp } from '../../src/app.ts';
import { DEMO_PASSWORD } from './fixture.ts';

t.test('the app started with DEMO_DATA=1 loads the demo and its accounts sign in with DEMO_PASSWORD', async (t) => {
  const dir = tempDir();
  const app = await buildApp(testConfig({ DEMO_DATA: '1', DEMO_PASSWORD }, dir));
  t.teardown(async () => {
    await app.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  const page = await app.inject('/login');
  t.equal(page.statusCode, 200);
  const admin = await login(app, 'admin', DEMO_PASSWORD);
  t.ok(admin.cookie);
  const editor = await login(app, 'shuiwu', DEMO_PASSWORD);
  const session = await app.authRepo.findSession(editor.token);
  t.equal(session?.user.unitName, '市水务局');
});

t.test('without DEMO_PASSWORD a random password is generated and reported once', async (t) => {
  const dir = tempDir();
  const reported: { password: string; generated: boolean }[] = [];
  const config = testConfig({ DEMO_DATA: '1' }, dir);
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  const app = await buildApp(config, { onDemoLoaded: (info) => reported.push(info) });
  try {
    t.equal(reported.length, 1);
    t.equal(reported[0].generated, true);
    t.ok(reported[0].password.length >= 12);
    await login(app, 'press', reported[0].password);
  } finally {
    await app.close();
  }

  const again: unknown[] = [];
  const restarted = await buildApp(config, { onDemoLoaded: (info) => again.push(info) });
  await restarted.close();
  t.same(again, [], 'a restart on the same database loads nothing and reports nothing');
});
