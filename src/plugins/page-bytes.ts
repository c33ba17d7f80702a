// A page's bytes. A rendered page is a string V8 holds as a rope of thousands of pieces, two
// bytes per character once it has any Chinese in it. Sent as a string it is walked three
// times: flattened, counted for Content-Length (Buffer.byteLength), then encoded again by the
// socket write (Buffer.from also counts, then encodes). TextEncoder.encodeInto encodes in one
// pass into room made ready in advance.
//
// HTML kept between requests (a chart, drawn once per data version: src/charts/kept.ts) is
// encoded once, when it is drawn: a page that shows it prints a marker in its place, and the
// kept bytes are copied in where the marker is. On the home page that is 40 of its 65 KB.
import { randomBytes } from 'node:crypto';

const encoder = new TextEncoder();
let room = new Uint8Array(256 * 1024);
/** Room kept between calls at most; a rarer, larger page is encoded the ordinary way. */
const MAX_ROOM = 4 * 1024 * 1024;

/** The UTF-8 bytes of `text`, in a Buffer of its own. */
export function utf8Bytes(text: string): Buffer {
  // UTF-8 needs at most three bytes per UTF-16 unit: with that much room one pass always fits.
  const worst = text.length * 3;
  if (worst > MAX_ROOM) return Buffer.from(text, 'utf8');
  if (room.length < worst) room = new Uint8Array(worst);
  const { written } = encoder.encodeInto(text, room);
  return copyOut(written);
}

function copyOut(length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  bytes.set(room.subarray(0, length));
  return bytes;
}

/** The kept pieces printed by the render in progress (rendering is synchronous), else null. */
let printing: KeptHtml[] | null = null;

// Private-use characters around a number, with a per-process nonce nobody outside can know, so
// no text a visitor typed can pass for a marker.
const NONCE = randomBytes(6).toString('hex');
const MARKER = new RegExp(`\uE000${NONCE}(\\d+)\uE001`);

/** HTML kept between requests, with its UTF-8 bytes made once. Prints as its HTML anywhere. */
export class KeptHtml {
  readonly bytes: Buffer;
  constructor(readonly html: string) {
    this.bytes = utf8Bytes(html);
  }
  toString(): string {
    if (printing === null) return this.html;
    printing.push(this);
    return `\uE000${NONCE}${printing.length - 1}\uE001`;
  }
  [Symbol.toPrimitive](): string {
    return this.toString();
  }
}

/** The bytes of the page `render` returns, with kept pieces copied in where they are printed. */
export function pageBytes(render: () => string): Buffer {
  const outer = printing;
  const kept: KeptHtml[] = [];
  printing = kept;
  let html: string;
  try {
    html = render();
  } finally {
    printing = outer;
  }
  if (kept.length === 0) return utf8Bytes(html);
  // Text and marker numbers alternate: [text, n, text, n, …, text].
  const parts = html.split(MARKER);
  let worst = 0;
  for (let i = 0; i < parts.length; i++) worst += i % 2 === 0 ? parts[i]!.length * 3 : kept[Number(parts[i])]!.bytes.length;
  if (worst > MAX_ROOM) return Buffer.from(parts.map((p, i) => (i % 2 === 0 ? p : kept[Number(p)]!.html)).join(''), 'utf8');
  if (room.length < worst) room = new Uint8Array(worst);
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) at += encoder.encodeInto(parts[i]!, room.subarray(at)).written;
    else {
      const bytes = kept[Number(parts[i])]!.bytes;
      room.set(bytes, at);
      at += bytes.length;
    }
  }
  return copyOut(at);
}
