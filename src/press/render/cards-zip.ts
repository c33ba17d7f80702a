// Caption cards → ZIP. SVGs are built lazily on the main thread (cheap), rasterised by a small pool
// of worker threads (expensive: ~60 ms a card), and each PNG goes into the ZIP as soon as it's its
// turn, with at most a few in flight — a big notice never holds all its PNGs at once.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { Zip, ZipPassThrough } from 'fflate';
import { cardSpecs, type CardSpec } from './cards.ts';
import { CARD_WORKER_SOURCE, cardWorkerData, type CardJob, type CardResult } from './cards-worker.ts';
import type { NoticeDocument } from './types.ts';

export interface CardPoolOptions {
  /** Worker count (default: 2 on a 2-core machine, never more than 2: rendering shares the box with requests). */
  size?: number;
}

export class CardPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly waiting: ((w: Worker) => void)[] = [];
  private nextId = 0;

  constructor(opts: CardPoolOptions = {}) {
    const size = Math.max(1, Math.min(opts.size ?? Math.min(2, availableParallelism()), 2));
    for (let i = 0; i < size; i++) {
      const w = new Worker(CARD_WORKER_SOURCE, {
        eval: true,
        // The worker needs no loader (plain JS), whatever the parent runs under.
        execArgv: [],
        workerData: cardWorkerData(),
        // resvg's pixmap lives outside the V8 heap; the heap itself only holds one SVG and one PNG.
        resourceLimits: { maxOldGenerationSizeMb: 96 },
      });
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private acquire(): Promise<Worker> {
    const w = this.idle.pop();
    if (w) return Promise.resolve(w);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(w: Worker): void {
    const next = this.waiting.shift();
    if (next) next(w);
    else this.idle.push(w);
  }

  /** Rasterises one SVG on the next free worker. */
  async render(svg: string): Promise<Uint8Array> {
    const w = await this.acquire();
    const id = ++this.nextId;
    try {
      return await new Promise<Uint8Array>((resolve, reject) => {
        const onMessage = (msg: CardResult) => {
          if (msg.id !== id) return;
          cleanup();
          if ('error' in msg) reject(new Error(`card render failed: ${msg.error}`));
          else resolve(msg.png);
        };
        const onError = (err: Error) => {
          cleanup();
          reject(err);
        };
        const onExit = (code: number) => {
          cleanup();
          reject(new Error(`card worker exited (${code})`));
        };
        const cleanup = () => {
          w.off('message', onMessage);
          w.off('error', onError);
          w.off('exit', onExit);
        };
        w.on('message', onMessage);
        w.on('error', onError);
        w.on('exit', onExit);
        w.postMessage({ id, svg } satisfies CardJob);
      });
    } finally {
      this.release(w);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * Renders every card of a notice into a ZIP, handing ZIP bytes to `onData` as they are produced.
 * PNGs are stored, not deflated (they are compressed already). Resolves when the ZIP is complete.
 */
export async function streamCardsZip(
  doc: NoticeDocument,
  opts: { perPledgeMax?: number; pool?: CardPool },
  onData: (chunk: Uint8Array) => void,
): Promise<{ files: number }> {
  const pool = opts.pool ?? new CardPool();
  let failed: Error | null = null;
  let zip!: Zip;
  const done = new Promise<void>((resolve, reject) => {
    zip = new Zip((err, data, final) => {
      if (err) return reject(err);
      onData(data);
      if (final) resolve();
    });
  });
  done.catch(() => {}); // a ZIP error surfaces through `await done` below
  const mtime = new Date(`${doc.publishedOn}T00:00:00Z`);
  const inFlight = pool.size * 2;
  const queue: { spec: CardSpec; png: Promise<Uint8Array> }[] = [];
  let files = 0;
  const flushOne = async () => {
    const { spec, png } = queue.shift()!;
    const entry = new ZipPassThrough(spec.name);
    entry.mtime = mtime;
    zip.add(entry);
    entry.push(await png, true);
    files++;
  };
  try {
    for (const spec of cardSpecs(doc, opts.perPledgeMax ?? 200)) {
      const png = pool.render(spec.svg);
      png.catch(() => {}); // awaited in order below; keeps an early failure from going unhandled
      queue.push({ spec, png });
      if (queue.length >= inFlight) await flushOne();
    }
    while (queue.length) await flushOne();
    zip.end();
    await done;
  } catch (err) {
    failed = err as Error;
    zip.terminate();
  } finally {
    if (!opts.pool) await pool.close();
  }
  if (failed) throw failed;
  return { files };
}

/** The whole ZIP as one Buffer (what callers storing a publication's files want). */
export async function renderCardsZip(doc: NoticeDocument, opts: { perPledgeMax?: number; pool?: CardPool } = {}): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  await streamCardsZip(doc, opts, (c) => chunks.push(c));
  return Buffer.concat(chunks);
}
