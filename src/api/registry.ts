// Every JSON API operation (read API, intake API, …) is declared here once, with the zod
// schemas its route validates with; /api/openapi.json is generated from this registry, so
// the document cannot drift from what the routes accept. Declarations are static, so a
// module-level map (keyed by method + path, idempotent) serves every app instance.
import type { z } from 'zod';

export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** OpenAPI-style path, e.g. /api/v1/pledges/{id} */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  responses: Record<number, { description: string; schema?: z.ZodType; contentType?: string }>;
  /** Name of a security scheme (e.g. 'intakeToken'); omitted = public. */
  security?: string;
  /** Values for the example request shown on /api/docs: path and query parameters, a JSON body. */
  example?: { params?: Record<string, string | number>; query?: Record<string, string | number>; body?: unknown };
}

const operations = new Map<string, ApiOperation>();

export function defineOperation<T extends ApiOperation>(op: T): T {
  operations.set(`${op.method} ${op.path}`, op);
  return op;
}

export function allOperations(): ApiOperation[] {
  return [...operations.values()].sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}
