// One place that turns failures into pages (or JSON under /api): nothing a visitor sends
// should surface as a 500, and a real 500 never leaks internals.
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
  const known = [400, 403, 404, 409, 413, 429, 500];
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

export default fp(
  async (app) => {
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, async (request, reply) => sendError(request, reply, 404));

    app.setErrorHandler(async (error: any, request, reply) => {
      const status: number = error instanceof HttpError ? error.statusCode : (error.statusCode ?? 500);
      if (status >= 500) {
        request.log.error({ err: error }, 'request failed');
        return sendError(request, reply, 500);
      }
      if (status === 429) return sendError(request, reply, 429);
      // Validation of route schemas, malformed bodies, oversized bodies.
      const detail = error instanceof HttpError ? error.detail : status === 413 ? '' : String(error.message ?? '').slice(0, 200);
      return sendError(request, reply, status, detail);
    });
  },
  { name: 'errors', dependencies: ['views'] },
);
