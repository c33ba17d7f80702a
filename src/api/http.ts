// HTTP conventions shared by the open-data endpoints (JSON API, feeds, sitemap, bundle):
// conditional requests (a weak ETag from the body, Last-Modified from when the public record
// last changed) and CORS for anonymous reads from other sites.
import { hash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { utf8Bytes } from '../plugins/page-bytes.ts';

/** A weak validator: equal bodies give equal tags, whatever produced them. */
export function weakEtag(body: string | Buffer): string {
  // One-shot: no Hash object per response.
  return `W/"${hash('sha1', body, 'base64url')}"`;
}

/**
 * Whether an If-None-Match header names this tag (weak comparison, RFC 9110 §13.1.2).
 * Clients send all sorts: a list, `*`, tags without quotes, garbage. Anything we cannot read
 * simply does not match, so the full response goes out.
 */
export function etagMatches(header: unknown, etag: string): boolean {
  if (typeof header !== 'string' || header.length > 4096) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const wanted = opaque(etag);
  return header.split(',').some((candidate) => {
    const c = candidate.trim();
    return c === '*' || (c !== '' && opaque(c) === wanted);
  });
}

/** HTTP dates have one-second resolution; compare at that grain. */
function seconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** Whether the client's validators (If-None-Match, else If-Modified-Since) say it already holds this. */
export function clientHoldsCurrent(request: FastifyRequest, etag: string, lastModified?: Date): boolean {
  const inm = request.headers['if-none-match'];
  if (inm !== undefined) return etagMatches(inm, etag);
  // If-Modified-Since is consulted only when no If-None-Match came (RFC 9110 §13.1.3).
  const ims = request.headers['if-modified-since'];
  const since = typeof ims === 'string' ? new Date(ims) : undefined;
  return !!lastModified && !!since && !Number.isNaN(since.getTime()) && seconds(lastModified) <= seconds(since);
}

export interface Representation {
  body: string | Buffer;
  type: string;
  /** When what this response shows last changed; omitted: no Last-Modified. */
  lastModified?: Date;
  /** Cache-Control; the default lets shared caches keep it for a minute and then revalidate. */
  cacheControl?: string;
  /** The body's ETag when the caller already has it (a large cached body need not be hashed again). */
  etag?: string;
}

/** Sends a representation with its validators, or 304 when the client already holds it. */
export function sendConditional(request: FastifyRequest, reply: FastifyReply, rep: Representation) {
  // A text body is encoded once: hashing a string encodes it, and so does sending it (a 20 KB
  // API page costs ~25 µs each time). The bytes hashed are the bytes sent.
  const body = typeof rep.body === 'string' && rep.etag === undefined ? utf8Bytes(rep.body) : rep.body;
  const etag = rep.etag ?? weakEtag(body);
  reply.header('etag', etag);
  if (rep.lastModified) reply.header('last-modified', rep.lastModified.toUTCString());
  reply.header('cache-control', rep.cacheControl ?? 'public, max-age=60');
  if (clientHoldsCurrent(request, etag, rep.lastModified)) return reply.code(304).removeHeader('content-type').send();
  return reply.type(rep.type).send(body);
}

/** Open to scripts on any site: these are anonymous, read-only, and the same for everyone. */
export function allowAnyOrigin(reply: FastifyReply): void {
  reply.header('access-control-allow-origin', '*');
  reply.header('access-control-expose-headers', 'ETag, Last-Modified, Link');
  reply.header('cross-origin-resource-policy', 'cross-origin');
}

export function answerPreflight(reply: FastifyReply) {
  allowAnyOrigin(reply);
  return reply
    .code(204)
    .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
    .header('access-control-allow-headers', 'Accept, Accept-Language, If-None-Match, If-Modified-Since')
    .header('access-control-max-age', '86400')
    .send();
}

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The answer last worked out per zone and the second (since the epoch) it was for: every API
 * answer asks (Last-Modified), and formatToParts costs ~10 µs. Days and zone offsets change on
 * whole seconds, so the answer is the same for every instant of one second.
 */
const lastStarts = new Map<string, { second: number; start: number }>();

/**
 * The instant the current calendar day began in a time zone. Derived facts (overdue) change
 * at that moment without any write, so it counts as a change of the record.
 */
export function startOfTodayIn(timeZone: string, now: Date = new Date()): Date {
  const second = Math.floor(now.getTime() / 1000);
  const last = lastStarts.get(timeZone);
  if (last !== undefined && last.second === second) return new Date(last.start);
  const start = computeStartOfToday(timeZone, now);
  lastStarts.set(timeZone, { second, start: start.getTime() });
  return start;
}

function computeStartOfToday(timeZone: string, now: Date): Date {
  let f = offsetFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(now).map((p) => [p.type, p.value]));
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(parts.timeZoneName ?? '');
  const offsetMinutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return new Date(Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day)) - offsetMinutes * 60_000);
}

/** The later of the last write and the last midnight in any campaign's zone. */
export function lastModified(lastWriteAt: string | null, zones: string[], now: Date = new Date()): Date {
  let latest = lastWriteAt ? new Date(lastWriteAt) : new Date(0);
  if (Number.isNaN(latest.getTime())) latest = new Date(0);
  for (const zone of zones) {
    const midnight = startOfTodayIn(zone, now);
    if (midnight > latest) latest = midnight;
  }
  return latest > now ? now : latest;
}
