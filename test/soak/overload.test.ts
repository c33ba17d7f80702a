// Load shedding: past the configured limits the server answers 503 with Retry-After and a clear
// page, at once and without touching the database, instead of queueing without bound; when the
// pressure passes it serves again.
import t from 'tap';
import { build, seed, login } from '../helpers.ts';
import { makePublished } from '../manage/fixtures.ts';
import { snapshot } from '../adversarial/snapshot.ts';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps the event loop busy in 700 ms slices, the way a flood of work would, until the server's
 * own sampling (about once a second) reports the pressure, or `ms` has passed.
 */
function busyUntil(done: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  return new Promise((resolve) => {
    const slice = () => {
      const stop = Date.now() + 700;
      while (Date.now() < stop);
      if (Date.now() < end && !done()) setImmediate(slice);
      else resolve();
    };
    slice();
  });
}

/** Asks until the server answers something other than 503 (a busy test machine may need a few samples). */
async function servedOnceCalm(app: { inject(url: string): Promise<{ statusCode: number }> }): Promise<number> {
  let status = 503;
  for (let i = 0; i < 15 && status === 503; i++) {
    status = (await app.inject('/pledges')).statusCode;
    if (status === 503) await sleep(500);
  }
  return status;
}

t.test('a blocked event loop past OVERLOAD_MAX_EVENT_LOOP_DELAY_MS sheds requests with 503, then recovers', async (t) => {
  const app = await build(t, { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '400' });
  await seed(app);
  t.equal(await servedOnceCalm(app), 200, 'calm: served');
  await busyUntil(() => app.isUnderPressure(), 8000);
  // A page that must be rendered is shed; one already in the page cache costs about as much
  // as a static file and is still served.
  const shed = await app.inject('/pledges?sort=title');
  t.equal(shed.statusCode, 503, 'overloaded: shed');
  t.equal(shed.headers['retry-after'], '60');
  t.match(shed.body, '当前访问量过大');
  const en = await app.inject('/pledges?lang=en');
  t.match(en.body, 'too many requests');
  const cached = await app.inject('/pledges');
  t.equal(cached.statusCode, 200, 'a cached page is still served');
  t.equal(cached.headers['x-page-cache'], 'hit');
  t.equal(await servedOnceCalm(app), 200, 'once the loop is calm again: served');
});

t.test('past OVERLOAD_MAX_HEAP_MB every request is shed, writes included, and nothing changes', async (t) => {
  const app = await build(t, { OVERLOAD_MAX_HEAP_MB: '1' });
  const f = await seed(app);
  const pledge = await makePublished(app, f);
  const editor = await login(app, 'editor-a');
  await sleep(1100);
  const before = snapshot(app);
  const res = await editor.request({ method: 'POST', url: `/manage/pledges/${pledge.id}/progress`, form: { happenedOn: f.today, body: '进展', progress: '10', status: '', reason: '' } });
  t.equal(res.statusCode, 503);
  t.same(snapshot(app), before, 'the shed write changed nothing');
  t.equal((await app.inject('/healthz')).statusCode, 503, 'the health check tells the load balancer too');
});
