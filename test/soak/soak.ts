// A soak of the real server on loopback: mixed reads and writes at a steady rate for a bounded
// time, then checks: no errors, every acknowledged write in the database, memory (the server's
// resident set) flat after warm-up. `npm run soak` runs it for minutes; test/soak/soak.test.ts
// runs a short version in the suite.
//   npm run soak -- --seconds 300 --rate 60
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { todayIn } from '../../src/pledges/status.ts';
import { Client, DEMO_PASSWORD, startServer } from '../crash/server.ts';

export interface SoakResult {
  seconds: number;
  requests: number;
  reads: number;
  writes: number;
  errors: string[];
  missingWrites: string[];
  /** Server RSS in MiB, sampled once a second. */
  rss: number[];
  /** Median RSS of the first sampled quarter after warm-up, and of the last quarter. */
  rssEarly: number;
  rssLate: number;
  p50ms: number;
  p99ms: number;
  shutdownCode: number | string | null;
}

function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : 0;
}

export async function runSoak(opts: { seconds: number; rate: number; env?: Record<string, string>; log?: (line: string) => void }): Promise<SoakResult> {
  const log = opts.log ?? (() => {});
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pledges-soak-'));
  const file = path.join(dir, 'soak.db');
  const server = await startServer({ DATABASE_FILE: file, ...opts.env });
  try {
    const db = new Database(file, { readonly: true });
    const editorUnit = (db.prepare("SELECT unit_id AS id FROM users WHERE username = 'shuiwu'").get() as { id: number }).id;
    const zone = (db.prepare('SELECT time_zone AS zone FROM campaigns LIMIT 1').get() as { zone: string }).zone;
    const open = (db.prepare("SELECT id FROM pledges WHERE lead_unit_id = ? AND status IN ('pledged', 'in_progress', 'delayed')").all(editorUnit) as { id: number }[]).map((r) => r.id);
    const published = (db.prepare("SELECT id FROM pledges WHERE status != 'draft' ORDER BY id").all() as { id: number }[]).map((r) => r.id);
    const slugs = (db.prepare('SELECT slug FROM units WHERE active = 1 ORDER BY id LIMIT 40').all() as { slug: string }[]).map((r) => r.slug);
    db.close();

    const editor = new Client(server.base);
    await editor.signIn('shuiwu', DEMO_PASSWORD);
    const reader = new Client(server.base);
    const today = todayIn(zone);
    const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
    const readUrls = () =>
      pick([
        () => '/',
        () => `/pledges?page=${1 + Math.floor(Math.random() * 10)}`,
        () => `/pledges?q=${encodeURIComponent(pick(['供水', '道路', '改造', '停车', '服务']))}`,
        () => `/pledges/${pick(published)}`,
        () => '/units',
        () => `/units/${pick(slugs)}`,
        () => '/integrity',
      ])();

    const acknowledged: string[] = [];
    const errors: string[] = [];
    const latencies: number[] = [];
    const rss: number[] = [];
    let reads = 0;
    let writes = 0;
    let n = 0;
    const inflight = new Set<Promise<void>>();
    const started = Date.now();
    const sampler = setInterval(() => rss.push(rssMiB(server.proc.pid!)), 1000);
    const interval = 1000 / opts.rate;
    // A steady rate: requests start on a fixed schedule, whether or not earlier ones finished.
    while (Date.now() - started < opts.seconds * 1000) {
      const i = n++;
      const write = Math.random() < 0.3 && open.length > 0;
      const t0 = performance.now();
      const job = (async () => {
        try {
          if (write) {
            const body = `soak update ${i}`;
            const res = await editor.post(`/manage/pledges/${pick(open)}/progress`, { happenedOn: today, body, progress: String(i % 100), status: '', reason: '' });
            if (res.status === 303) acknowledged.push(body);
            else errors.push(`write ${i}: ${res.status}`);
            writes++;
          } else {
            const url = readUrls();
            const res = await reader.get(url);
            if (res.status !== 200) errors.push(`${url}: ${res.status}`);
            reads++;
          }
          latencies.push(performance.now() - t0);
        } catch (err) {
          errors.push(`request ${i}: ${(err as Error).message}`);
        }
      })();
      inflight.add(job);
      job.finally(() => inflight.delete(job));
      const due = started + (i + 1) * interval;
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, due - Date.now())));
      if (i % (opts.rate * 10) === 0) log(`${Math.round((Date.now() - started) / 1000)} s: ${reads} reads, ${writes} writes, ${errors.length} errors, rss ${rss.at(-1)?.toFixed(1) ?? '?'} MiB`);
    }
    await Promise.all(inflight);
    clearInterval(sampler);

    const check = new Database(file, { readonly: true });
    const stored = new Set((check.prepare("SELECT body FROM progress_updates WHERE body LIKE 'soak update %'").all() as { body: string }[]).map((r) => r.body));
    check.close();
    const missingWrites = acknowledged.filter((b) => !stored.has(b));

    server.proc.kill('SIGTERM');
    const shutdownCode = await server.exited;
    // Warm-up: the first quarter of the run (caches, JIT, SQLite page cache filling).
    const afterWarmup = rss.slice(Math.floor(rss.length / 4));
    const quarter = Math.max(1, Math.floor(afterWarmup.length / 3));
    const sorted = [...latencies].sort((a, b) => a - b);
    return {
      seconds: opts.seconds,
      requests: n,
      reads,
      writes,
      errors,
      missingWrites,
      rss,
      rssEarly: median(afterWarmup.slice(0, quarter)),
      rssLate: median(afterWarmup.slice(-quarter)),
      p50ms: sorted[Math.floor(sorted.length * 0.5)] ?? 0,
      p99ms: sorted[Math.floor(sorted.length * 0.99)] ?? 0,
      shutdownCode,
    };
  } finally {
    server.proc.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Memory counts as flat when the late median is within 20 % (or 25 MiB) of the early one. */
export function memoryFlat(r: SoakResult): boolean {
  return r.rssLate <= Math.max(r.rssEarly * 1.2, r.rssEarly + 25);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '180' }, rate: { type: 'string', default: '50' } } });
  const seconds = Math.min(Math.max(Number(values.seconds) || 180, 5), 3600);
  const rate = Math.min(Math.max(Number(values.rate) || 50, 1), 1000);
  console.log(`soak: ${seconds} s at ${rate} requests/s (30 % writes) against a demo server on 127.0.0.1`);
  // Run on its own, the server keeps its production load-shedding limit: a 503 counts as an error.
  const r = await runSoak({ seconds, rate, env: { OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '1000' }, log: console.log });
  console.log(`requests ${r.requests} (reads ${r.reads}, writes ${r.writes}); latency p50 ${r.p50ms.toFixed(1)} ms, p99 ${r.p99ms.toFixed(1)} ms`);
  console.log(`errors ${r.errors.length}${r.errors.length ? `: ${r.errors.slice(0, 5).join('; ')}` : ''}`);
  console.log(`acknowledged writes missing from the database: ${r.missingWrites.length}`);
  console.log(`server memory (RSS) after warm-up: ${r.rssEarly.toFixed(1)} MiB early, ${r.rssLate.toFixed(1)} MiB late: ${memoryFlat(r) ? 'flat' : 'GROWING'}`);
  console.log(`graceful shutdown exit code: ${r.shutdownCode}`);
  const ok = !r.errors.length && !r.missingWrites.length && memoryFlat(r) && r.shutdownCode === 0;
  console.log(ok ? 'soak passed' : 'soak FAILED');
  process.exitCode = ok ? 0 : 1;
}
