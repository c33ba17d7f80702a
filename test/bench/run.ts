// npm run bench: drives the app (a separate process, compiled and run as `npm start` runs it,
// production settings, rate limits raised and load shedding off — said in the output) over
// loopback with autocannon, on generated datasets at scale 1 and scale 10, and prints each
// public page's req/s and latency with the page cache hit and missed (a second server with
// PAGE_CACHE_MB=0), beside a bare Fastify hello-world (before, between and after the scales;
// ratios use the median) and the same page bytes served by bare Fastify, measured in the same
// run; and each page read once right after a vote (every vote is a write) beside a read with no
// write before it.
//   BENCH_SECONDS (default 4) per measurement; BENCH_SCALES (default "1,10").
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { openDatabase } from '../../src/plugins/db.ts';
import { createDatasetWriter } from '../../src/dataset/repository.ts';
import { generateDataset } from '../../src/dataset/generate.ts';
import { todayIn } from '../../src/pledges/status.ts';
import { root, start, type Running } from './processes.ts';
import { pickTargets, type Target } from './targets.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 4);
const SCALES = (process.env.BENCH_SCALES ?? '1,10').split(',').map(Number);
const CONNECTIONS = 20;
/** The server as `npm start` runs it: compiled by `npm run build`, run by plain node. */
const COMPILED_SERVER = 'dist/src/server.js';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pledges-bench-'));

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function measure(url: string, opts: Partial<autocannon.Options> = {}): Promise<Figures> {
  // autocannon's own percentiles come from a histogram of whole milliseconds; a page answered in
  // 6–8 ms would then compare by ±15% of rounding alone. Every response's time is kept instead
  // (a few hundred thousand numbers at most) and the percentiles read from them exactly.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url, connections: CONNECTIONS, duration: SECONDS, ...opts }, (err, done) => (err ? reject(err) : resolve(done)));
    run.on('response', (_client, _status, _bytes, ms: number) => times.push(ms));
  });
  await drained(new URL(url).origin);
  // 2xx and 3xx (a vote answers 303) are answers; 4xx, 5xx, errors and timeouts are not.
  const bad = result['4xx'] + result['5xx'] + result.errors + result.timeouts;
  times.sort((a, b) => a - b);
  return { rps: Math.round(result.requests.average), p50: percentile(times, 0.5), p99: percentile(times, 0.99), errors: bad };
}

/** The q-th percentile of sorted response times, in ms to one decimal (NaN when there were none). */
function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const at = sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  return Math.round(at * 10) / 10;
}

/** Requests still queued when a run ends would slow the next one: wait until the server is idle. */
async function drained(origin: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const t0 = performance.now();
    await fetch(`${origin}/healthz`).catch(() => undefined);
    if (performance.now() - t0 < 20) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

function dataset(scale: number): string {
  const file = path.join(dir, `scale-${scale}.db`);
  const started = Date.now();
  const db = openDatabase(file);
  const summary = generateDataset(createDatasetWriter(db), { scale, today: todayIn('Asia/Shanghai') });
  db.$client.close();
  console.log(`dataset scale ${scale}: ${summary.pledges} pledges, ${summary.demands} demands, ${summary.ratings} ratings in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return file;
}

function appEnv(file: string, cacheMb: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    DATABASE_FILE: file,
    DEMO_DATA: '0',
    SESSION_SECRET: 'bench-secret-bench-secret-bench-secret-0123',
    PUBLIC_URL: 'http://127.0.0.1',
    LOG_LEVEL: 'warn',
    PAGE_CACHE_MB: cacheMb,
    // Raised for the benchmark only: one client address sends everything.
    RATE_LIMIT_PER_MINUTE: '100000000',
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
  };
}

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString('en-US', { maximumFractionDigits: 2 }) : '—');
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : '—');

interface Row {
  scale: number;
  page: string;
  hit: Figures;
  miss: Figures;
  bareSameBytes: Figures;
}

async function helloWorld(): Promise<Figures> {
  const bare = await start('test/bench/bare-server.ts', {});
  try {
    const hello = await measure(bare.url + '/');
    console.log(`bare Fastify hello-world: ${fmt(hello.rps)} req/s, p50 ${hello.p50} ms`);
    return hello;
  } finally {
    await bare.stop();
  }
}

async function runScale(scale: number): Promise<{ rows: Row[]; rssMb: number; votes: Figures | null; afterVote: AfterWrite[] }> {
  const file = dataset(scale);
  // The page cache at its default size, so peak RSS is what a default deployment would see.
  const cached = await start(COMPILED_SERVER, appEnv(file, '64'), '/healthz');
  const uncached = await start(COMPILED_SERVER, appEnv(file, '0'), '/healthz');
  const rows: Row[] = [];
  let votes: Figures | null = null;
  let afterVote: AfterWrite[] = [];
  let rssMb = 0;
  try {
    const targets: Target[] = await pickTargets(cached.url);
    for (const target of targets) {
      const page = await fetch(cached.url + target.path);
      const bytesFile = path.join(dir, 'page.bytes');
      fs.writeFileSync(bytesFile, Buffer.from(await page.arrayBuffer()));
      const bare = await start('test/bench/bare-server.ts', { BYTES_FILE: bytesFile });
      try {
        const bareSameBytes = await measure(`${bare.url}/bytes`);
        const hit = await measure(cached.url + target.path);
        // Misses: the same page from a server with the cache switched off by configuration.
        const miss = await measure(uncached.url + target.path);
        rows.push({ scale, page: target.name, hit, miss, bareSameBytes });
        console.log(`  scale ${scale} ${target.name}: hit ${fmt(hit.rps)} req/s, miss ${fmt(miss.rps)} req/s, bare same bytes ${fmt(bareSameBytes.rps)} req/s`);
      } finally {
        await bare.stop();
      }
    }
    afterVote = await readsAfterAVote(uncached, targets);
    votes = await voteWorkload(cached, targets);
  } finally {
    rssMb = Math.max(cached.peakRssMb(), uncached.peakRssMb());
    console.log(`  scale ${scale}: peak RSS of the server with the page cache ${cached.peakRssMb()} MB, without ${uncached.peakRssMb()} MB`);
    await cached.stop();
    await uncached.stop();
  }
  return { rows, rssMb, votes, afterVote };
}

interface AfterWrite {
  page: string;
  /** Median of the rounds, ms: a vote, then one read of the page. */
  ms: number;
  /** Median of as many reads with no write between them, ms. */
  warmMs: number;
}

const AFTER_WRITE_ROUNDS = 7;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
}

/**
 * The first read of each page after a vote, on the server without a page cache: what the next
 * visitor waits for when votes keep arriving (every vote is a write; figures kept per data
 * version must not all be scanned again for it).
 */
async function readsAfterAVote(app: Running, targets: Target[]): Promise<AfterWrite[]> {
  const vote = targets.find((t) => t.votePath);
  if (!vote?.votePath) return [];
  const out: AfterWrite[] = [];
  for (const target of targets) {
    const times: number[] = [];
    for (let i = 0; i < AFTER_WRITE_ROUNDS; i++) {
      const voted = await fetch(app.url + vote.votePath, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url },
        body: vote.voteBody,
        redirect: 'manual',
      });
      await voted.arrayBuffer();
      const t0 = performance.now();
      await (await fetch(app.url + target.path)).arrayBuffer();
      times.push(performance.now() - t0);
    }
    const warm: number[] = [];
    for (let i = 0; i < AFTER_WRITE_ROUNDS; i++) {
      const t0 = performance.now();
      await (await fetch(app.url + target.path)).arrayBuffer();
      warm.push(performance.now() - t0);
    }
    out.push({ page: target.name, ms: median(times), warmMs: median(warm) });
  }
  return out;
}

/** Anonymous votes on many pledges, each from a new voter (the costliest case: a new row each). */
async function voteWorkload(app: Running, targets: Target[]): Promise<Figures | null> {
  const vote = targets.find((t) => t.votePath);
  if (!vote?.votePath) return null;
  return measure(app.url + vote.votePath, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: app.url },
    body: vote.voteBody,
  });
}

async function main() {
  console.log(`bench: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${SECONDS} s per measurement, ${CONNECTIONS} connections; rate limits raised and load shedding off for the run`);
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  // The yardstick is measured before, between and after the scales: on a shared VM one 4-second
  // run swings by a fifth, and the ratios should not hang on a single run of it.
  const helloRuns = [await helloWorld()];

  const all: Row[] = [];
  const rss: Record<number, number> = {};
  const voteFigures: Record<number, Figures | null> = {};
  const afterVotes: Record<number, AfterWrite[]> = {};
  for (const scale of SCALES) {
    const { rows, rssMb, votes, afterVote } = await runScale(scale);
    all.push(...rows);
    rss[scale] = rssMb;
    voteFigures[scale] = votes;
    afterVotes[scale] = afterVote;
    helloRuns.push(await helloWorld());
  }
  const helloRps = median(helloRuns.map((h) => h.rps));

  console.log('\n| scale | page | hit req/s | hit p50 ms | hit p99 ms | miss req/s | miss p50 ms | miss p99 ms | hit ÷ bare same bytes (≥ 0.8) | miss ÷ hello (≥ 0.05) | errors |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of all) {
    console.log(`| ${r.scale} | ${r.page} | ${fmt(r.hit.rps)} | ${r.hit.p50} | ${r.hit.p99} | ${fmt(r.miss.rps)} | ${r.miss.p50} | ${r.miss.p99} | ${ratio(r.hit.rps, r.bareSameBytes.rps)} | ${ratio(r.miss.rps, helloRps)} | ${r.hit.errors + r.miss.errors} |`);
  }
  if (SCALES.includes(1) && SCALES.includes(10)) {
    console.log('\n| page | miss p50 scale 1 | miss p50 scale 10 | ratio (≤ 1.3) |');
    console.log('| --- | --- | --- | --- |');
    for (const r1 of all.filter((r) => r.scale === 1)) {
      const r10 = all.find((r) => r.scale === 10 && r.page === r1.page);
      if (r10) console.log(`| ${r1.page} | ${r1.miss.p50} | ${r10.miss.p50} | ${ratio(r10.miss.p50, r1.miss.p50)} |`);
    }
  }
  console.log(`\n| scale | page | one read after a vote, ms (no page cache, median of ${AFTER_WRITE_ROUNDS}) | one read with no write before it, ms |`);
  console.log('| --- | --- | --- | --- |');
  for (const scale of SCALES) {
    for (const a of afterVotes[scale] ?? []) console.log(`| ${scale} | ${a.page} | ${a.ms} | ${a.warmMs} |`);
  }
  console.log(`\nbare Fastify hello-world: ${helloRuns.map((h) => fmt(h.rps)).join(', ')} req/s (before, between and after the scales); the ratios use the median, ${fmt(helloRps)}`);
  for (const scale of SCALES) {
    const v = voteFigures[scale];
    console.log(`scale ${scale}: peak server RSS ${rss[scale]} MB (≤ 300)${v ? `; votes ${fmt(v.rps)} req/s, p50 ${v.p50} ms, p99 ${v.p99} ms, refused or failed ${v.errors}` : ''}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
