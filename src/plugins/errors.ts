// One place that turns failures into pages (or JSON under /api): nothing a visitor sends
// should surface as a 500, and a real 500 never leaks internals. A database that cannot take
// writes (disk full, read-only, I/O failure) answers 503 with a clear page; reads go on.
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';

export class HttpError extends Error {
  constructor(
    public statusCode: number,
    public detail = '',
  ) {
    super(detail || `HTTP ${statusCode}`);
  }
}

function wantsJson(request: FastifyRequest) {
  return request.url.startsWith('/api/') || request.url === '/healthz';
}

export async function sendError(request: FastifyRequest, reply: FastifyReply, status: number, detail = '') {
  const t = request.t;
  const known = [400, 403, 404, 409, 413, 429, 500, 503];
  const code = known.includes(status) ? status : status >= 500 ? 500 : 400;
  if (wantsJson(request)) {
    return reply.code(status).send({ error: { code: String(status), message: detail || t(`error.${code}.title`) } });
  }
  const bodyKey = `error.${code}.body`;
  const body = t(bodyKey, { detail });
  return reply
    .code(status)
    .page('error', { status, title: t(`error.${code}.title`), message: body === bodyKey ? detail : body });
}

/** The server sheds load (see plugins/hardening.ts): the request was not handled at all. */
export class ServiceUnavailable extends HttpError {
  constructor(public messageKey = 'system.overloaded') {
    super(503);
  }
}

/** Seconds a client is asked to wait before trying again after a 503. */
export const RETRY_AFTER_SECONDS = 60;

/**
 * SQLite failures that mean "the database cannot take this write now", not "the request was
 * wrong": the message key that explains it to the visitor, or undefined for any other error.
 */
export function storageProblem(error: unknown): string | undefined {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return undefined;
  if (code === 'SQLITE_FULL') return 'system.unavailable.full';
  if (code.startsWith('SQLITE_READONLY')) return 'system.unavailable.read_only';
  if (code.startsWith('SQLITE_IOERR') || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_CANTOPEN') || code === 'SQLITE_PROTOCOL') {
    return 'system.unavailable.storage';
  }
  return undefined;
}

export default fp(
  async (app) => {
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (request, reply) => sendError(request, reply, 404));

    app.setErrorHandler(async (error: any, request, reply) => {
      const storage = storageProblem(error);
      if (storage) {
        request.log.error({ err: error }, 'database cannot take writes');
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        return sendError(request, reply, 503, request.t(storage));
      }
      if (error instanceof ServiceUnavailable) {
        request.log.warn({ url: request.url }, 'shedding load');
        reply.header('retry-after', String(RETRY_AFTER_SECONDS));
        return sendError(request, reply, 503, request.t(error.messageKey));
      }
      const status: number = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return sendError(request, reply, status === 503 ? 503 : 500);
      }
      if (status === 429) return sendError(request, reply, 429);
      // Validation of route schemas, malformed bodies, oversized bodies.
      const detail = error instanceof HttpError ? error.detail : status === 413 ? '' : String(error.message ?? '').slice(0, 200);
      return sendError(request, reply, status, detail);
    });
  },
  { name: 'errors', dependencies: ['views'] },
);
