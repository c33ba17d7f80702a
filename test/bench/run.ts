// npm run bench: drives the app (a separate process, compiled and run as `npm start` runs it,
// production settings, rate limits raised and load shedding off — said in the output) over
// loopback with autocannon, on generated datasets at scale 1 and scale 10, and prints each
// public page's req/s and latency with the page cache hit and missed (a second server with
// PAGE_CACHE_MB=0), beside a bare Fastify process answering a hello-world and the same page
// bytes; the same page's misses at both scales side by side; and each page read once right
// after a vote (every vote is a write) beside a read with no write before it.
//
// On a shared VM the machine's speed drifts by a fifth or more within a minute (hello-world has
// ranged from 25,000 to 51,000 req/s within one session, 12,000 to 51,000 across sessions), so a ratio of two runs taken one after the
// other measures the drift as much as the app. Every ratio is therefore taken from its two
// sides measured interleaved: one-second slices, alternating A B B A A B B A…, so both see the
// same minutes of the machine. The drift also comes in bursts of a second or two that slow one
// slice by a third (a page's two scales, the same code, once compared at 1.45 while the other
// measurement of the same run put them at 0.77): a ratio is therefore the median, over the
// rounds, of the ratio within each round (one slice of each side), which one burst cannot move;
// each side's req/s and latencies in the tables are its slices summed. And every app
// server is warmed up before it is measured: a fresh process needs a few seconds of load before
// V8 has compiled its hot paths (the first two seconds of home at scale 10 ran at a third of its
// speed).
//   BENCH_SECONDS (default 6: six rounds) per side of each comparison; BENCH_SCALES (default "1,10").
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

const SECONDS = Number(process.env.BENCH_SECONDS ?? 6);
const SCALES = (process.env.BENCH_SCALES ?? '1,10').split(',').map(Number);
const CONNECTIONS = 20;
/** Each side of a comparison is measured in slices this long, alternating with the other side. */
const SLICE_SECONDS = 1;
/** Seconds of load every page gets on each app server before anything is measured. */
const WARM_UP_SECONDS = 3;
/** The server as `npm start` runs it: compiled by `npm run build`, run by plain node. */
const COMPILED_SERVER = 'dist/src/server.js';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pledges-bench-'));

interface Figures {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  /** Each slice's own req/s and p50, in the order measured: round i of one side beside round i of the other. */
  rounds: { rps: number; p50: number }[];
}

/** One slice of load on one URL: every response's time, and how long the slice ran. */
interface Slice {
  times: number[];
  seconds: number;
  bad: number;
}

async function loadSlice(url: string, seconds: number, opts: Partial<autocannon.Options> = {}): Promise<Slice> {
  // autocannon's own percentiles come from a histogram of whole milliseconds; a page answered in
  // 6–8 ms would then compare by ±15% of rounding alone. Every response's time is kept instead
  // (a few hundred thousand numbers at most) and the percentiles read from them exactly.
  const times: number[] = [];
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const run = autocannon({ url, connections: CONNECTIONS, duration: seconds, ...opts }, (err, done) => (err ? reject(err) : resolve(done)));
    run.on('response', (_client, _status, _bytes, ms: number) => times.push(ms));
  });
  await drained(new URL(url).origin);
  // 2xx and 3xx (a vote answers 303) are answers; 4xx, 5xx, errors and timeouts are not.
  return { times, seconds: result.duration, bad: result['4xx'] + result['5xx'] + result.errors + result.timeouts };
}

function figuresOf(slices: Slice[]): Figures {
  const times = slices.flatMap((s) => s.times).sort((a, b) => a - b);
  const seconds = slices.reduce((t, s) => t + s.seconds, 0);
  const rounds = slices.map((s) => ({ rps: s.times.length / s.seconds, p50: percentile([...s.times].sort((a, b) => a - b), 0.5) }));
  return { rps: Math.round(times.length / seconds), p50: percentile(times, 0.5), p99: percentile(times, 0.99), errors: slices.reduce((n, s) => n + s.bad, 0), rounds };
}

/** One URL on its own for BENCH_SECONDS (the vote workload, which has nothing to be compared with). */
async function measure(url: string, opts: Partial<autocannon.Options> = {}): Promise<Figures> {
  return figuresOf([await loadSlice(url, SECONDS, opts)]);
}

/**
 * Several URLs measured in alternating one-second slices (A B B A A B…), BENCH_SECONDS each in
 * all, so a drift of the machine's speed falls on every side alike: their ratio is the app's.
 */
async function interleaved(urls: string[]): Promise<Figures[]> {
  const slices: Slice[][] = urls.map(() => []);
  const rounds = Math.max(1, Math.round(SECONDS / SLICE_SECONDS));
  for (let round = 0; round < rounds; round++) {
    const order = urls.map((_, i) => (round % 2 === 0 ? i : urls.length - 1 - i));
    for (const i of order) slices[i]!.push(await loadSlice(urls[i]!, SLICE_SECONDS));
  }
  return slices.map(figuresOf);
}

/** Load that is not measured: the hot paths of a fresh process are compiled under it. */
async function warmUp(origin: string, paths: string[], seconds: number): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    autocannon({ url: origin, connections: CONNECTIONS, duration: seconds, requests: paths.map((p) => ({ method: 'GET', path: p })) }, (err) => (err ? reject(err) : resolve())),
  );
  await drained(origin);
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
/** a ÷ b of one figure: the median, over the rounds both sides were measured in, of the ratio within the round. */
function pairedRatio(a: Figures, b: Figures, figure: 'rps' | 'p50'): number {
  const within = a.rounds.map((round, i) => round[figure] / b.rounds[i]![figure]).filter(Number.isFinite);
  if (within.length === 0) return Number.NaN;
  within.sort((x, y) => x - y);
  const mid = within.length / 2;
  return within.length % 2 ? within[Math.floor(mid)]! : (within[mid - 1]! + within[mid]!) / 2;
}
type Goal = { min?: number; max?: number };
const meets = (r: number, target: Goal) => (target.min === undefined || r >= target.min) && (target.max === undefined || r <= target.max);
/** A ratio to `digits` decimals, marked ✗ when it misses its target (at least `min`, or at most `max`) — never rounded onto it. */
function ratio(r: number, target: Goal, digits = 2): string {
  if (!Number.isFinite(r)) return '— ✗';
  return `${r.toFixed(digits)}${meets(r, target) ? '' : ' ✗'}`;
}
const HIT_TARGET: Goal = { min: 0.8 };
const MISS_TARGET: Goal = { min: 0.05 };
const SCALE_TARGET: Goal = { max: 1.3 };
const hitRatio = (r: Row) => pairedRatio(r.hit, r.bareSameBytes, 'rps');
const missRatio = (r: Row) => pairedRatio(r.miss, r.hello, 'rps');
const scaleRatio = (c: ScaleComparison) => pairedRatio(c.large, c.small, 'p50');

interface Row {
  scale: number;
  page: string;
  hit: Figures;
  /** Bare Fastify serving the page's bytes, interleaved with the hits. */
  bareSameBytes: Figures;
  miss: Figures;
  /** Bare Fastify's hello-world, interleaved with the misses. */
  hello: Figures;
}

/** One scale's dataset and the two app servers on it: with the page cache and without. */
interface ScaleUnderTest {
  scale: number;
  cached: Running;
  uncached: Running;
  targets: Target[];
  /** Each target's page as the app serves it (body and headers), for bare Fastify to serve. */
  bytesFiles: string[];
  headersFiles: string[];
}

/**
 * Headers bare Fastify sets itself, or that describe the transfer rather than the page (the
 * page is fetched compressed here, and autocannon asks for it uncompressed).
 */
const TRANSFER_HEADERS = new Set(['content-length', 'content-encoding', 'date', 'connection', 'keep-alive', 'transfer-encoding']);

async function startScale(scale: number): Promise<ScaleUnderTest> {
  const file = dataset(scale);
  // The page cache at its default size, so peak RSS is what a default deployment would see.
  const cached = await start(COMPILED_SERVER, appEnv(file, '64'), '/healthz');
  const uncached = await start(COMPILED_SERVER, appEnv(file, '0'), '/healthz');
  const targets = await pickTargets(cached.url);
  const bytesFiles: string[] = [];
  const headersFiles: string[] = [];
  for (const [i, target] of targets.entries()) {
    const page = await fetch(cached.url + target.path);
    bytesFiles[i] = path.join(dir, `scale-${scale}-page-${i}.bytes`);
    fs.writeFileSync(bytesFiles[i]!, Buffer.from(await page.arrayBuffer()));
    // The same bytes on the wire: a page's headers (security policy, cache validators, language)
    // are a tenth of what the client parses per response on a small page.
    const headers = Object.fromEntries([...page.headers].filter(([name]) => !TRANSFER_HEADERS.has(name)));
    headersFiles[i] = path.join(dir, `scale-${scale}-page-${i}.headers.json`);
    fs.writeFileSync(headersFiles[i]!, JSON.stringify(headers));
  }
  return { scale, cached, uncached, targets, bytesFiles, headersFiles };
}

/** One page: hits interleaved with bare Fastify serving its bytes, misses interleaved with a hello-world. */
async function measurePage(s: ScaleUnderTest, i: number): Promise<Row> {
  const target = s.targets[i]!;
  const bare = await start('test/bench/bare-server.ts', { BYTES_FILE: s.bytesFiles[i]!, HEADERS_FILE: s.headersFiles[i]! });
  try {
    await warmUp(bare.url, ['/', '/bytes'], 1);
    const [bareSameBytes, hit] = await interleaved([`${bare.url}/bytes`, s.cached.url + target.path]);
    const [hello, miss] = await interleaved([`${bare.url}/`, s.uncached.url + target.path]);
    console.log(`  scale ${s.scale} ${target.name}: hit ${fmt(hit!.rps)} req/s (bare same bytes ${fmt(bareSameBytes!.rps)}), miss ${fmt(miss!.rps)} req/s (hello-world ${fmt(hello!.rps)})`);
    return { scale: s.scale, page: target.name, hit: hit!, bareSameBytes: bareSameBytes!, miss: miss!, hello: hello! };
  } finally {
    await bare.stop();
  }
}

interface ScaleComparison {
  page: string;
  small: Figures;
  large: Figures;
}

/** Each page's misses on the smallest and the largest scale, interleaved. */
async function compareScales(small: ScaleUnderTest, large: ScaleUnderTest): Promise<ScaleComparison[]> {
  const out: ScaleComparison[] = [];
  for (const [i, target] of small.targets.entries()) {
    const other = large.targets.find((t) => t.name === target.name);
    if (!other) continue;
    const [a, b] = await interleaved([small.uncached.url + target.path, large.uncached.url + other.path]);
    console.log(`  ${target.name}: miss p50 ${a!.p50} ms at scale ${small.scale}, ${b!.p50} ms at scale ${large.scale}`);
    out[i] = { page: target.name, small: a!, large: b! };
  }
  return out.filter(Boolean);
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
  console.log(`bench: ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; ${SECONDS} s per side of each comparison (interleaved ${SLICE_SECONDS}-s slices), ${CONNECTIONS} connections; rate limits raised and load shedding off for the run`);
  execFileSync('npm', ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });

  const scales: ScaleUnderTest[] = [];
  const rows: Row[] = [];
  let comparison: ScaleComparison[] = [];
  const rss: Record<number, number> = {};
  const voteFigures: Record<number, Figures | null> = {};
  const afterVotes: Record<number, AfterWrite[]> = {};
  try {
    // Every dataset is built and every server started first: all of them are up while pages are
    // measured, so the scales can be compared side by side.
    for (const scale of SCALES) scales.push(await startScale(scale));
    for (const s of scales) {
      const paths = s.targets.map((t) => t.path);
      await warmUp(s.cached.url, paths, WARM_UP_SECONDS);
      await warmUp(s.uncached.url, paths, WARM_UP_SECONDS);
    }
    for (const s of scales) {
      for (const i of s.targets.keys()) rows.push(await measurePage(s, i));
    }
    const small = scales.find((s) => s.scale === Math.min(...SCALES));
    const large = scales.find((s) => s.scale === Math.max(...SCALES));
    if (small && large && small !== large) comparison = await compareScales(small, large);
    // Writes last: nothing above reads a database these have written to.
    for (const s of scales) {
      afterVotes[s.scale] = await readsAfterAVote(s.uncached, s.targets);
      voteFigures[s.scale] = await voteWorkload(s.cached, s.targets);
    }
  } finally {
    for (const s of scales) {
      rss[s.scale] = Math.max(s.cached.peakRssMb(), s.uncached.peakRssMb());
      console.log(`  scale ${s.scale}: peak RSS of the server with the page cache ${s.cached.peakRssMb()} MB, without ${s.uncached.peakRssMb()} MB`);
      await s.cached.stop();
      await s.uncached.stop();
    }
  }

  console.log('\nEach ratio is the median over the rounds of the ratio within a round; req/s and latencies are all rounds together.');
  console.log('\n| scale | page | hit req/s | hit p50 ms | hit p99 ms | bare same bytes req/s | miss req/s | miss p50 ms | miss p99 ms | hello-world req/s | hit ÷ bare same bytes (≥ 0.8) | miss ÷ hello (≥ 0.05) | errors |');
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const r of rows) {
    console.log(
      `| ${r.scale} | ${r.page} | ${fmt(r.hit.rps)} | ${r.hit.p50} | ${r.hit.p99} | ${fmt(r.bareSameBytes.rps)} | ${fmt(r.miss.rps)} | ${r.miss.p50} | ${r.miss.p99} | ${fmt(r.hello.rps)} | ${ratio(hitRatio(r), HIT_TARGET)} | ${ratio(missRatio(r), MISS_TARGET, 3)} | ${r.hit.errors + r.miss.errors} |`,
    );
  }
  if (comparison.length) {
    const [a, b] = [Math.min(...SCALES), Math.max(...SCALES)];
    console.log(`\n| page | miss p50 scale ${a} | miss p50 scale ${b} | ratio (≤ 1.3) | miss req/s scale ${a} | miss req/s scale ${b} |`);
    console.log('| --- | --- | --- | --- | --- | --- |');
    for (const c of comparison) console.log(`| ${c.page} | ${c.small.p50} | ${c.large.p50} | ${ratio(scaleRatio(c), SCALE_TARGET)} | ${fmt(c.small.rps)} | ${fmt(c.large.rps)} |`);
  }
  console.log(`\n| scale | page | one read after a vote, ms (no page cache, median of ${AFTER_WRITE_ROUNDS}) | one read with no write before it, ms |`);
  console.log('| --- | --- | --- | --- |');
  for (const scale of SCALES) {
    for (const a of afterVotes[scale] ?? []) console.log(`| ${scale} | ${a.page} | ${a.ms} | ${a.warmMs} |`);
  }
  const missed = (label: string, cells: string[]) => console.log(`${label}: ${cells.length ? `missed by ${cells.join('; ')}` : 'met everywhere'}`);
  console.log('');
  missed('hit ÷ bare same bytes ≥ 0.8', rows.filter((r) => !meets(hitRatio(r), HIT_TARGET)).map((r) => `scale ${r.scale} ${r.page}`));
  missed('miss ÷ hello ≥ 0.05', rows.filter((r) => !meets(missRatio(r), MISS_TARGET)).map((r) => `scale ${r.scale} ${r.page}`));
  if (comparison.length) missed('miss p50 largest ÷ smallest scale ≤ 1.3', comparison.filter((c) => !meets(scaleRatio(c), SCALE_TARGET)).map((c) => c.page));
  const hellos = rows.map((r) => r.hello.rps);
  console.log(`\nbare Fastify hello-world: ${fmt(Math.min(...hellos))} to ${fmt(Math.max(...hellos))} req/s over the run; each miss is divided by the hello-world interleaved with it`);
  for (const scale of SCALES) {
    const v = voteFigures[scale];
    console.log(`scale ${scale}: peak server RSS ${rss[scale]} MB (≤ 300${rss[scale]! > 300 ? ' ✗' : ''})${v ? `; votes ${fmt(v.rps)} req/s, p50 ${v.p50} ms, p99 ${v.p99} ms, refused or failed ${v.errors}` : ''}`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
}

await main();
