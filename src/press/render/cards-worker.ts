// The card rasteriser that runs in worker threads: SVG in, PNG out, via resvg with our CJK font.
//
// It is plain JavaScript source run with `eval: true`, not a .ts entry file: Node 20 doesn't put a
// worker's entry (or its imports) through tsx's loader hooks (nodejs/node#47747, fixed in 22.2),
// so a .ts worker fails under `tsx`/`--import=tsx`, and a .js/.mjs file beside it would be left
// behind by a TypeScript build. A source string travels with this module under tsx, plain node and
// any build. It needs nothing but resvg, whose resolved path comes in workerData (text comes as glyph
// outlines drawn from our font, so resvg loads no fonts).
import { createRequire } from 'node:module';

export interface CardJob {
  id: number;
  svg: string;
}
export type CardResult = { id: number; png: Uint8Array } | { id: number; error: string };

export interface CardWorkerData {
  resvgPath: string;
}

export const CARD_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { renderAsync } = require(workerData.resvgPath);
// Text arrives as glyph outlines, so resvg loads no fonts. renderAsync, not new Resvg().render():
// the synchronous path kept every 8 MB pixmap alive (RSS +9 MB a card even after GC, measured with
// resvg-js 2.6.2); the async one frees it. A GC after each card returns the rest promptly.
require('node:v8').setFlagsFromString('--expose-gc');
const collect = require('node:vm').runInNewContext('gc');
const options = { fitTo: { mode: 'original' }, font: { loadSystemFonts: false } };
parentPort.on('message', async (job) => {
  let reply;
  try {
    const png = (await renderAsync(job.svg, options)).asPng();
    // Copy into a transferable buffer so the PNG moves to the main thread without another copy.
    const out = new Uint8Array(png.length);
    out.set(png);
    parentPort.postMessage({ id: job.id, png: out }, [out.buffer]);
  } catch (err) {
    parentPort.postMessage({ id: job.id, error: String((err && err.message) || err) });
  }
  collect();
});
`;

export function cardWorkerData(): CardWorkerData {
  return {
    resvgPath: createRequire(import.meta.url).resolve('@resvg/resvg-js'),
  };
}
