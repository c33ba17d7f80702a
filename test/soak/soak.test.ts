// A short soak in the suite (the long one is `npm run soak`): steady mixed traffic on loopback,
// no errors, every acknowledged write stored, memory not running away, a clean shutdown.
import t from 'tap';
import { runSoak, memoryFlat } from './soak.ts';

t.test('ten seconds of steady mixed reads and writes: no errors, every write kept, memory flat', async (t) => {
  const r = await runSoak({ seconds: 10, rate: 40 });
  t.ok(r.requests >= 350, `a steady rate was kept (${r.requests} requests)`);
  t.ok(r.writes > 0 && r.reads > r.writes, `mixed: ${r.reads} reads, ${r.writes} writes`);
  t.same(r.errors, [], 'no errors');
  t.same(r.missingWrites, [], 'every acknowledged write is in the database');
  t.ok(memoryFlat(r), `memory flat after warm-up (${r.rssEarly.toFixed(1)} → ${r.rssLate.toFixed(1)} MiB)`);
  t.equal(r.shutdownCode, 0, 'then a graceful shutdown');
});
