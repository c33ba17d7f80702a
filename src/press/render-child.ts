// The child process that renders a notice's files (see render-process.ts). Reads one JSON job
// from standard input, writes the files to standard output as a JSON header line followed by
// the files' bytes, and exits.
import { renderAll, renderFormat, type OutputOptions } from './files.ts';
import type { NoticeDocument } from './render/types.ts';
import type { PublicationFormat } from '../../db/schema.ts';

interface Job {
  doc: NoticeDocument;
  options: OutputOptions;
  /** One format, or every format when omitted. */
  format?: PublicationFormat;
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const job = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Job;
const files = job.format ? [await renderFormat(job.doc, job.format, job.options)] : await renderAll(job.doc, job.options);
const header = files.map(({ format, mime, ext, bytes }) => ({ format, mime, ext, length: bytes.length }));
process.stdout.write(JSON.stringify(header) + '\n');
for (const f of files) process.stdout.write(f.bytes);
process.stdout.end();
