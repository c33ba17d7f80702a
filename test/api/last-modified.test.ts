// Last-Modified is read once per data version (the newest write takes a scan of the pledges):
// it must still move with the first write after it was read.
import t from 'tap';
import { build, seed } from '../helpers.ts';
import { makePledge } from '../public/fixtures.ts';
import { startOfTodayIn } from '../../src/api/http.ts';

t.test('Last-Modified is the last midnight until a write, then the write', async (t) => {
  const app = await build(t);
  const fx = await seed(app);
  const id = makePledge(app, fx, { title: '老旧小区改造' });
  // Everything written before today: the last midnight in the campaign's zone is the newest change.
  for (const table of ['units', 'campaigns', 'pledges']) app.db.$client.exec(`UPDATE ${table} SET updated_at = '2020-01-01T00:00:00.000Z'`);
  app.db.$client.exec(`UPDATE pledges SET published_at = '2020-01-01T00:00:00.000Z'`);

  const midnight = startOfTodayIn('Asia/Shanghai').toUTCString();
  const first = await app.inject('/api/v1/pledges');
  t.equal(first.headers['last-modified'], midnight);
  t.equal((await app.inject('/api/v1/categories')).headers['last-modified'], midnight, 'every resource says the same');

  const before = Date.now();
  app.db.$client.prepare('UPDATE pledges SET progress = 40, updated_at = ? WHERE id = ?').run(new Date(before).toISOString(), id);
  const second = await app.inject({ url: '/api/v1/pledges', headers: { 'if-modified-since': midnight } });
  t.equal(second.statusCode, 200, 'the client\'s copy from before the write is stale');
  t.equal(second.headers['last-modified'], new Date(Math.floor(before / 1000) * 1000).toUTCString(), 'the write is the newest change');
});
