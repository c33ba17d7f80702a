// Rendering a notice is seconds of CPU (PDF layout, DOCX, caption cards) and hundreds of MB for a
// whole campaign. Done in the server's own thread it would stall every other request for that
// long, so the server renders in a short-lived child process instead: the event loop stays free,
// and the memory is returned to the system when the child exits.
import { spawn } from 'node:child_process';
import type { PublicationFormat } from '../../db/schema.ts';
import type { OutputOptions } from './formats.ts';
import type { GeneratedFile } from './repository.ts';
import type { NoticeDocument } from './render/types.ts';
import { siblingScript } from '../paths.ts';

const childScript = siblingScript(import.meta.url, 'render-child');

/** A whole campaign's render takes hundreds of MB: one at a time, the others wait their turn. */
let queue: Promise<unknown> = Promise.resolve();
/** Longer than any real render (a whole campaign takes well under a minute); a stuck child is killed. */
const RENDER_TIMEOUT_MS = 5 * 60_000;

export function renderInChild(doc: NoticeDocument, options: OutputOptions, format?: PublicationFormat): Promise<GeneratedFile[]> {
  const turn = queue.then(() => runChild(doc, options, format));
  queue = turn.catch(() => undefined);
  return turn;
}

function runChild(doc: NoticeDocument, options: OutputOptions, format?: PublicationFormat): Promise<GeneratedFile[]> {
  return new Promise((resolve, reject) => {
    // The same flags as this process (they load the TypeScript loader), without an inspector port.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--inspect'));
    const child = spawn(process.execPath, [...execArgv, childScript], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => (err = (err + c.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), RENDER_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`notice rendering failed (${signal ?? `exit ${code}`}): ${err}`));
      try {
        const all = Buffer.concat(out);
        const newline = all.indexOf(0x0a);
        const header = JSON.parse(all.subarray(0, newline).toString('utf8')) as { format: PublicationFormat; mime: string; ext: string; length: number }[];
        let at = newline + 1;
        const files = header.map(({ length, ...meta }) => {
          const bytes = all.subarray(at, at + length);
          at += length;
          if (bytes.length !== length) throw new Error('output cut short');
          return { ...meta, bytes };
        });
        resolve(files);
      } catch (e) {
        reject(new Error(`notice rendering gave unreadable output: ${(e as Error).message}`));
      }
    });
    child.stdin.end(JSON.stringify({ doc, options, format }));
  });
}
