// A page's bytes. A rendered page is a string V8 holds as a rope of thousands of pieces, two
// bytes per character once it has any Chinese in it. Sent as a string it is walked three
// times: flattened, counted for Content-Length (Buffer.byteLength), then encoded again by the
// socket write (Buffer.from also counts, then encodes). TextEncoder.encodeInto encodes in one
// pass into room made ready in advance.
//
// HTML kept between requests (a chart, drawn once per data version: src/charts/kept.ts) is
// encoded once, when it is drawn: a page that shows it prints a marker in its place, and the
// kept bytes are copied in where the marker is. On the home page that is 40 of its 65 KB.
//
// A page's bytes are lent from a small pool and given back when the response has been sent
// (reply.page does that): a fresh 60 KB allocation per request came from memory the C library
// had just returned to the system, and touching it again cost ~9 page faults, a fifth of the
// home page's time on this VM. Whoever keeps a page's bytes beyond its response (the page
// cache) takes a copy with ownBytes().
import { randomBytes } from 'node:crypto';

const encoder = new TextEncoder();
// A Buffer, so copies out of it and into it are Buffer.copy (a memmove): TypedArray.set took
// 9 µs for 60 KB here, Buffer.copy about 1.
let room = Buffer.allocUnsafeSlow(256 * 1024);
/** Room kept between calls at most; a rarer, larger page is encoded the ordinary way. */
const MAX_ROOM = 4 * 1024 * 1024;

/** Room for `worst` bytes, or false when that is more than is kept (encode the ordinary way). */
function roomFor(worst: number): boolean {
  if (worst > MAX_ROOM) return false;
  if (room.length < worst) room = Buffer.allocUnsafeSlow(worst);
  return true;
}

/** The UTF-8 bytes of `text`, in a Buffer of its own. */
export function utf8Bytes(text: string): Buffer {
  // UTF-8 needs at most three bytes per UTF-16 unit: with that much room one pass always fits.
  if (!roomFor(text.length * 3)) return Buffer.from(text, 'utf8');
  return copyOut(encoder.encodeInto(text, room).written);
}

function copyOut(length: number): Buffer {
  const bytes = Buffer.allocUnsafe(length);
  room.copy(bytes, 0, 0, length);
  return bytes;
}

/** Lent bytes are at least this large (smaller ones come from Node's own pool) and at most. */
const LEND_MIN = 4 * 1024;
const LEND_MAX = 1024 * 1024;
/** Bytes of free slabs kept at most, all sizes together: a busy server's responses in flight. */
const FREE_BYTES_MAX = 8 * 1024 * 1024;
/** Free slabs by size (powers of two). */
const free = new Map<number, Buffer[]>();
let freeBytes = 0;
/** Views lent out, to the slab each came from. */
const lent = new WeakMap<Buffer, Buffer>();

export interface LentBytes {
  bytes: Buffer;
  /** Gives the bytes back for another page; call once the response is sent, and only then. */
  giveBack(): void;
}

const noGiveBack = () => {};

function lendOut(length: number): LentBytes {
  if (length < LEND_MIN || length > LEND_MAX) return { bytes: copyOut(length), giveBack: noGiveBack };
  const size = 2 ** Math.ceil(Math.log2(length));
  let slab = free.get(size)?.pop();
  if (slab) freeBytes -= size;
  else slab = Buffer.allocUnsafeSlow(size);
  room.copy(slab, 0, 0, length);
  const bytes = slab.subarray(0, length);
  lent.set(bytes, slab);
  let given = false;
  return {
    bytes,
    giveBack() {
      if (given) return;
      given = true;
      lent.delete(bytes);
      if (freeBytes + size > FREE_BYTES_MAX) return;
      freeBytes += size;
      const list = free.get(size) ?? free.set(size, []).get(size)!;
      list.push(slab);
    },
  };
}

/** Bytes that stay valid after their response: a copy of lent bytes, else the same Buffer. */
export function ownBytes(bytes: Buffer): Buffer {
  return lent.has(bytes) ? Buffer.from(bytes) : bytes;
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

/**
 * The bytes of the page `render` returns, with kept pieces copied in where they are printed,
 * lent until the response is sent.
 */
export function pageBytes(render: () => string): LentBytes {
  const outer = printing;
  const kept: KeptHtml[] = [];
  printing = kept;
  let html: string;
  try {
    html = render();
  } finally {
    printing = outer;
  }
  if (kept.length === 0) {
    if (!roomFor(html.length * 3)) return { bytes: Buffer.from(html, 'utf8'), giveBack: noGiveBack };
    return lendOut(encoder.encodeInto(html, room).written);
  }
  // Text and marker numbers alternate: [text, n, text, n, …, text].
  const parts = html.split(MARKER);
  let worst = 0;
  for (let i = 0; i < parts.length; i++) worst += i % 2 === 0 ? parts[i]!.length * 3 : kept[Number(parts[i])]!.bytes.length;
  if (!roomFor(worst)) return { bytes: Buffer.from(parts.map((p, i) => (i % 2 === 0 ? p : kept[Number(p)]!.html)).join(''), 'utf8'), giveBack: noGiveBack };
  let at = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i % 2 === 0) at += encoder.encodeInto(parts[i]!, room.subarray(at)).written;
    else at += kept[Number(parts[i])]!.bytes.copy(room, at);
  }
  return lendOut(at);
}
