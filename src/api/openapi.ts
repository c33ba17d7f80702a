// The OpenAPI 3.1 document, generated from the operation registry and the zod schemas the
// routes validate with (z.toJSONSchema), never written by hand.
import { z } from 'zod';
import type { ApiOperation } from './registry.ts';
import { errorBody } from './schemas.ts';

type Json = Record<string, any>;

export const SECURITY_SCHEMES: Json = {
  intakeToken: {
    type: 'http',
    scheme: 'bearer',
    description: 'A token the campaign office issues to a partner system (for example the 12345 hotline) that sends in reports.',
  },
};

/** A zod schema as a JSON Schema (2020-12, what OpenAPI 3.1 uses), without the $schema marker. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  // A transform has no JSON Schema; 'any' documents it as {} instead of failing the whole document.
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  delete out.$schema;
  return out;
}

export interface OperationParameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  description?: string;
  schema: Json;
}

/** Path and query parameters of an operation, each with its schema and description. */
export function parametersOf(op: ApiOperation): OperationParameter[] {
  const out: OperationParameter[] = [];
  for (const [where, object] of [
    ['path', op.params],
    ['query', op.query],
  ] as const) {
    if (!object) continue;
    const js = jsonSchema(object, 'input');
    const required = new Set<string>(js.required ?? []);
    for (const [name, prop] of Object.entries<Json>(js.properties ?? {})) {
      const { description, ...schema } = prop;
      out.push({ name, in: where, required: where === 'path' || required.has(name), ...(description ? { description } : {}), schema });
    }
  }
  return out;
}

function responseSchema(schema: z.ZodType): Json {
  return schema === errorBody ? { $ref: '#/components/schemas/Error' } : jsonSchema(schema, 'output');
}

const CACHE_HEADERS: Json = {
  ETag: { description: 'Weak validator of this representation; send it back in If-None-Match', schema: { type: 'string' } },
  'Last-Modified': { description: 'When the public record last changed', schema: { type: 'string' } },
};

function operationObject(op: ApiOperation): Json {
  const responses: Json = {};
  for (const [status, r] of Object.entries(op.responses)) {
    const response: Json = { description: r.description };
    if (r.schema) response.content = { [r.contentType ?? 'application/json']: { schema: responseSchema(r.schema) } };
    if (status === '200' && op.responses[304]) response.headers = CACHE_HEADERS;
    responses[status] = response;
  }
  const parameters = parametersOf(op);
  return {
    operationId: op.operationId,
    summary: op.summary,
    ...(op.description ? { description: op.description } : {}),
    tags: op.tags,
    ...(parameters.length ? { parameters } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
    responses,
    ...(op.security ? { security: [{ [op.security]: [] }] } : {}),
  };
}

export function buildOpenApi(operations: ApiOperation[], opts: { publicUrl: string; title: string; description: string }): Json {
  const paths: Json = {};
  for (const op of operations) (paths[op.path] ??= {})[op.method] = operationObject(op);
  const tags = [...new Set(operations.flatMap((op) => op.tags))].map((name) => ({ name }));
  return {
    openapi: '3.1.0',
    info: { title: opts.title, version: '1.0.0', description: opts.description },
    servers: [{ url: opts.publicUrl }],
    tags,
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody, 'output') },
      securitySchemes: SECURITY_SCHEMES,
    },
  };
}

/** OpenAPI path templates ({id}) as Fastify routes (:id). */
export function fastifyPath(path: string): string {
  return path.replace(/\{(\w+)\}/g, ':$1');
}

/** A working example request: path parameters filled in, query parameters appended. */
export function exampleUrl(op: ApiOperation, publicUrl: string): string {
  const ex = op.example ?? {};
  const path = op.path.replace(/\{(\w+)\}/g, (whole, name) => (ex.params?.[name] !== undefined ? encodeURIComponent(String(ex.params[name])) : whole));
  const query = new URLSearchParams(Object.entries(ex.query ?? {}).map(([k, v]) => [k, String(v)])).toString();
  return `${publicUrl}${path}${query ? `?${query}` : ''}`;
}

/** The example as a curl command line (shell-quoted). */
export function exampleCurl(op: ApiOperation, publicUrl: string): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl'];
  if (op.method !== 'get') parts.push('-X', op.method.toUpperCase());
  // Double quotes so the shell fills in $TOKEN.
  if (op.security) parts.push('-H', '"Authorization: Bearer $TOKEN"');
  if (op.body) {
    parts.push('-H', quote('Content-Type: application/json'));
    parts.push('-d', quote(op.example?.body !== undefined ? JSON.stringify(op.example.body) : '{}'));
  }
  parts.push(quote(exampleUrl(op, publicUrl)));
  return parts.join(' ');
}
