import t from 'tap';
import { Validator } from '@seriousme/openapi-schema-validator';
import { build, seed } from '../helpers.ts';
import { allOperations } from '../../src/api/registry.ts';
import { fastifyPath } from '../../src/api/openapi.ts';

/**
 * Every route Fastify serves under /api/v1, as "METHOD /path" with :params, rebuilt from the
 * printed radix tree (each line's segment continues its parent's path).
 */
function apiRoutes(printed: string): Set<string> {
  const out = new Set<string>();
  const stack: string[] = [];
  for (const line of printed.split('\n')) {
    const m = /^(.*?)[├└]── (\S+)(?: \(([^)]+)\))?$/.exec(line.trimEnd());
    if (!m) continue;
    const depth = Array.from(m[1]).length / 4;
    const path = (depth ? stack[depth - 1] : '') + m[2];
    stack[depth] = path;
    stack.length = depth + 1;
    if (!m[3] || !path.startsWith('/api/v1/')) continue;
    for (const method of m[3].split(',').map((x) => x.trim())) {
      if (method !== 'HEAD' && method !== 'OPTIONS') out.add(`${method} ${path}`);
    }
  }
  return out;
}

t.test('the OpenAPI document is a valid OpenAPI 3.1 document', async (t) => {
  const app = await build(t);
  const res = await app.inject('/api/openapi.json');
  t.equal(res.statusCode, 200);
  t.match(res.headers['content-type'], 'application/json');
  t.equal(res.headers['access-control-allow-origin'], '*');
  const doc = res.json();
  t.equal(doc.openapi, '3.1.0');
  const validator = new Validator();
  const result = await validator.validate(doc);
  t.same(result.errors ?? [], [], 'no validation errors');
  t.ok(result.valid, 'valid');
  t.equal(doc.servers[0].url, 'https://pledges.example.gov.cn', 'server from PUBLIC_URL');
});

t.test('the document covers every /api/v1 route Fastify serves, and nothing else', async (t) => {
  const app = await build(t);
  await app.ready();
  const served = apiRoutes(app.printRoutes({ commonPrefix: false }));
  t.ok(served.size >= 8, `found ${served.size} API routes`);
  const documented = new Set<string>();
  const doc = (await app.inject('/api/openapi.json')).json();
  for (const [path, item] of Object.entries<Record<string, unknown>>(doc.paths)) {
    for (const method of Object.keys(item)) documented.add(`${method.toUpperCase()} ${fastifyPath(path)}`);
  }
  t.same([...served].filter((r) => !documented.has(r)).sort(), [], 'served but not documented');
  t.same([...documented].filter((r) => !served.has(r)).sort(), [], 'documented but not served');
  for (const op of allOperations()) t.ok(app.hasRoute({ method: op.method.toUpperCase() as 'GET', url: fastifyPath(op.path) }), `${op.method} ${op.path} is routed`);
});

t.test('the document declares the intake bearer token scheme and the error shape', async (t) => {
  const app = await build(t);
  const doc = (await app.inject('/api/openapi.json')).json();
  t.same(doc.components.securitySchemes.intakeToken, { type: 'http', scheme: 'bearer', description: doc.components.securitySchemes.intakeToken.description });
  t.same(doc.components.schemas.Error.required, ['error']);
  const list = doc.paths['/api/v1/pledges'].get;
  t.equal(list.responses['400'].content['application/json'].schema.$ref, '#/components/schemas/Error');
  const limit = list.parameters.find((p: { name: string }) => p.name === 'limit');
  t.same({ in: limit.in, required: limit.required, min: limit.schema.minimum, max: limit.schema.maximum, def: limit.schema.default }, { in: 'query', required: false, min: 1, max: 500, def: 50 });
  const status = list.parameters.find((p: { name: string }) => p.name === 'status');
  t.ok(status.schema.enum.includes('overdue'), 'derived overdue is a documented status filter');
  const detail = doc.paths['/api/v1/pledges/{id}'].get;
  t.same(detail.parameters.map((p: { name: string; in: string; required: boolean }) => [p.name, p.in, p.required]), [['id', 'path', true]]);
  const item = detail.responses['200'].content['application/json'].schema.properties.data;
  t.notOk('createdBy' in item.properties, 'no internal fields in the schema');
  t.notOk('version' in item.properties);
});

t.test('/api/docs lists every operation with its parameters, responses and a curl example, using no outside assets', async (t) => {
  const app = await build(t);
  await seed(app);
  const res = await app.inject({ url: '/api/docs?lang=en' });
  t.equal(res.statusCode, 200);
  const html = res.body;
  for (const op of allOperations()) {
    t.match(html, `id="${op.operationId}"`, `${op.operationId} has a section`);
    t.match(html, `${op.method.toUpperCase()} ${op.path}`);
  }
  t.match(html, 'curl &#39;https://pledges.example.gov.cn/api/v1/pledges?status=overdue&amp;sort=due_asc&amp;limit=20&#39;', 'a working example request');
  t.match(html, 'a whole number from 1 to 500', 'limit is explained');
  t.match(html, '/api/openapi.json');
  const external = [...html.matchAll(/(?:src|href)="(https?:\/\/[^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('https://pledges.example.gov.cn'));
  t.same(external, [], 'no third-party assets or links');
  const zh = await app.inject({ url: '/api/docs', headers: { 'accept-language': 'zh-CN' } });
  t.match(zh.body, '数据接口说明');
});
