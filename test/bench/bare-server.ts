// The yardstick for `npm run bench`: a bare Fastify process answering a hello-world at / and,
// at /bytes, the exact response of a page the app serves (its body read from BYTES_FILE, its
// headers from HEADERS_FILE), so the app's figures can be printed as ratios of what this
// machine can do at all.
import fs from 'node:fs';
import Fastify from 'fastify';

const bytes = process.env.BYTES_FILE ? fs.readFileSync(process.env.BYTES_FILE) : Buffer.from('');
const headers: Record<string, string> = process.env.HEADERS_FILE ? JSON.parse(fs.readFileSync(process.env.HEADERS_FILE, 'utf8')) : {};
const app = Fastify({ logger: false });
app.get('/', async () => ({ hello: 'world' }));
app.get('/bytes', async (_request, reply) => reply.type('text/html; charset=utf-8').headers(headers).send(bytes));
await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
console.log(`listening ${(app.server.address() as { port: number }).port}`);
