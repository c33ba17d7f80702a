// Benchmark, not a test: JSON API list throughput at 50 and 500 rows per page, revalidation
// (304) throughput, and how long the open-data bundle takes to build.
//
//   npm run bench:api                                  the demo campaign in a temporary database
//   DATABASE_FILE=data/big.db npm run bench:api        an existing database (e.g. from `npm run dataset`)
//
// Requests go through app.inject (no sockets), one at a time on one core: the numbers are the
// application's own cost per request. Each run is bounded by time and by count.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';
import { createExportRepository } from '../../src/exports/repository.ts';
import { buildBundle } from '../../src/exports/bundle.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const MAX_REQUESTS = 20_000;

async function main() {
  const given = process.env.DATABASE_FILE;
  const dir = given ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'pledges-bench-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'development',
    DATABASE_FILE: given ?? path.join(dir!, 'bench.db'),
    DEMO_DATA: given ? '0' : '1',
    DEMO_PASSWORD: 'bench-password-not-used',
    PUBLIC_URL: process.env.PUBLIC_URL ?? 'https://pledges.example.gov.cn',
    RATE_LIMIT_PER_MINUTE: String(1e9),
    LOG_LEVEL: 'silent',
  });
  const app = await buildApp(config);
  try {
    const total = (await app.inject('/api/v1/pledges?limit=1')).json().pagination.total as number;
    console.log(`dataset: ${given ?? 'demo campaign (temporary database)'} — ${total} published pledges`);

    for (const limit of [50, 500]) {
      const pages = Math.max(1, Math.ceil(total / limit));
      for (let i = 0; i < 5; i++) await app.inject(`/api/v1/pledges?limit=${limit}&page=${(i % pages) + 1}`);
      let n = 0;
      let rows = 0;
      let bytes = 0;
      const start = process.hrtime.bigint();
      const until = start + BigInt(SECONDS * 1e9);
      while (process.hrtime.bigint() < until && n < MAX_REQUESTS) {
        const res = await app.inject(`/api/v1/pledges?limit=${limit}&page=${(n % pages) + 1}`);
        if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
        rows += Math.min(limit, total - ((n % pages) * limit));
        bytes += res.rawPayload.length;
        n++;
      }
      const secs = Number(process.hrtime.bigint() - start) / 1e9;
      console.log(
        `GET /api/v1/pledges?limit=${limit}: ${(n / secs).toFixed(0)} requests/s, ${(rows / secs).toFixed(0)} rows/s, ` +
          `${((secs / n) * 1000).toFixed(2)} ms/request, ${(bytes / n / 1024).toFixed(0)} KiB/response (${n} requests)`,
      );
    }

    const first = await app.inject('/api/v1/pledges?limit=50');
    const etag = first.headers.etag as string;
    let n = 0;
    const start = process.hrtime.bigint();
    const until = start + BigInt(SECONDS * 1e9);
    while (process.hrtime.bigint() < until && n < MAX_REQUESTS) {
      const res = await app.inject({ url: '/api/v1/pledges?limit=50', headers: { 'if-none-match': etag } });
      if (res.statusCode !== 304) throw new Error(`expected 304, got ${res.statusCode}`);
      n++;
    }
    const secs = Number(process.hrtime.bigint() - start) / 1e9;
    console.log(`revalidation (If-None-Match → 304), limit=50: ${(n / secs).toFixed(0)} requests/s (${n} requests)`);

    const repo = createExportRepository(app.db);
    for (let run = 1; run <= 3; run++) {
      const t0 = process.hrtime.bigint();
      const zip = await buildBundle(repo, { publicUrl: config.publicUrl, now: new Date() });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      console.log(`open-data bundle build #${run}: ${ms.toFixed(0)} ms, ${(zip.length / 1024).toFixed(0)} KiB`);
    }
  } finally {
    await app.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
