// Cross-cutting defences that no route should have to remember: load shedding (503 with
// Retry-After instead of an unbounded queue), a size limit for plain forms far below the upload
// limit, and refusal of text no person types (NUL and other control characters, invalid UTF-8,
// broken UTF-16) before any handler or database sees it.
import fp from 'fastify-plugin';
import underPressure from '@fastify/under-pressure';
import type { FastifyRequest } from 'fastify';
import { HttpError, ServiceUnavailable } from './errors.ts';

/** Plain forms are text typed by people; only multipart uploads need UPLOAD_LIMIT_MB. */
export const FORM_LIMIT_BYTES = 256 * 1024;

// C0 controls except tab, line feed and carriage return, and DEL.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;
// Half of a surrogate pair: not a character at all (JSON can carry one as \ud800).
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// What invalid UTF-8 decodes to: storing it would silently lose what was sent.
const REPLACEMENT = /\uFFFD/;

function badText(value: string): boolean {
  return CONTROL.test(value) || LONE_SURROGATE.test(value) || REPLACEMENT.test(value);
}

/**
 * True when any key or string value (nested at most a few levels) is text no person would type.
 * Multipart fields are read by their routes, after this plugin's hook: those routes call it.
 */
export function findBadText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return badText(value);
  if (depth > 6 || value === null || typeof value !== 'object') return false;
  if (Buffer.isBuffer(value)) return false;
  for (const [key, inner] of Object.entries(value)) {
    if (badText(key) || findBadText(inner, depth + 1)) return true;
  }
  return false;
}

function isTextBody(request: FastifyRequest): boolean {
  const type = String(request.headers['content-type'] ?? '').toLowerCase();
  return type.startsWith('application/x-www-form-urlencoded') || type.includes('json');
}

export default fp(
  async (app) => {
    const limits = app.config.overload;
    await app.register(underPressure, {
      maxEventLoopDelay: limits.maxEventLoopDelayMs,
      maxEventLoopUtilization: limits.maxEventLoopUtilization,
      eventLoopUtilizationMode: 'interval',
      maxHeapUsedBytes: limits.maxHeapMb * 1024 * 1024,
      customError: ServiceUnavailable,
    });

    // Both checks run on every request and are synchronous hooks (no promise, no extra tick).
    app.addHook('onRequest', (request, _reply, done) => {
      const type = request.headers['content-type'];
      if (type === undefined) return done();
      const length = Number(request.headers['content-length'] ?? 0);
      if (String(type).toLowerCase().startsWith('application/x-www-form-urlencoded') && length > FORM_LIMIT_BYTES) return done(new HttpError(413));
      done();
    });

    app.addHook('preValidation', (request, _reply, done) => {
      if (findBadText(request.query) || (isTextBody(request) && findBadText(request.body))) {
        return done(new HttpError(400, request.t('system.bad_characters')));
      }
      done();
    });
  },
  { name: 'hardening', dependencies: ['views'] },
);
