// Benchmark, not a test (npm run bench:votes): votes accepted per second through HTTP on the
// demo database — the whole path of a real vote (routing, Origin check, rate limit, form
// parsing, zod, cookie signing, the UPSERT with its stuffing check, the 303) via app.inject —
// printed beside the same number of bare prepared INSERTs into the same table, one transaction
// each like the votes, in the same run, so the price of what a vote does is plain to see.
// Each vote comes from a new voter at an address of its own: the costliest case (a new row and
// a burst check every time), and no stuffing flag or rate limit in the way.
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/app.ts';
import { testConfig, tempDir } from '../helpers.ts';

const VOTES = Number(process.env.BENCH_VOTES ?? 5_000);
const VALUES = ['satisfied', 'basically_satisfied', 'dissatisfied'];
const rate = (n: number, ms: number) => Math.round((n / ms) * 1000);

const dir = tempDir('bench-votes-');
try {
  const started = performance.now();
  const app = await buildApp(testConfig({ DEMO_DATA: '1', DEMO_PASSWORD: 'bench-password-2024', LOG_LEVEL: 'silent' }, dir));
  await app.ready();
  const pledges = app.db.all<{ id: number }>(sql`SELECT id FROM pledges WHERE status IN ('pledged', 'in_progress', 'delayed', 'completed') ORDER BY id`);
  const before = app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ratings`).n;
  console.log(`demo database loaded in ${((performance.now() - started) / 1000).toFixed(1)} s: ${pledges.length} votable pledges, ${before} ratings`);

  const address = (i: number) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
  let refused = 0;
  const t0 = performance.now();
  for (let i = 0; i < VOTES; i++) {
    const res = await app.inject({
      method: 'POST',
      url: `/pledges/${pledges[i % pledges.length].id}/rating`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.config.publicUrl },
      remoteAddress: address(i + 1),
      payload: `value=${VALUES[i % 3]}&comment=`,
    });
    if (res.statusCode !== 303) refused++;
  }
  const httpMs = performance.now() - t0;
  const stored = app.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM ratings`).n - before;

  const insert = app.db.$client.prepare(
    `INSERT INTO ratings (target_key, pledge_id, voter_id, address_key, value, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const t1 = performance.now();
  for (let i = 0; i < VOTES; i++) {
    const id = pledges[i % pledges.length].id;
    const now = new Date().toISOString();
    insert.run(`p:${id}`, id, `bare-${i}`, address(i + 1), VALUES[i % 3], now, now);
  }
  const bareMs = performance.now() - t1;
  await app.close();

  const http = rate(VOTES, httpMs);
  const bare = rate(VOTES, bareMs);
  console.log(`${VOTES.toLocaleString('en')} votes through HTTP (app.inject): ${http.toLocaleString('en')} votes/s (${stored} stored, ${refused} refused)`);
  console.log(`${VOTES.toLocaleString('en')} bare INSERTs, one transaction each:  ${bare.toLocaleString('en')} rows/s`);
  console.log(`ratio: a vote through HTTP costs ${(bare / http).toFixed(1)}× a bare insert`);
} finally {
  fs.rmSync(path.resolve(dir), { recursive: true, force: true });
}
