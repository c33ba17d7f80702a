// Graceful shutdown of the real server: SIGTERM lets a request in flight finish, then closes the
// database (no WAL left behind) and exits 0; a second signal ends it at once.
import t from 'tap';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { tempDir } from '../helpers.ts';
import { serverPidFile } from '../../src/backup/files.ts';
import { startServer } from './server.ts';

/** Opens a connection and sends a POST whose body is held back until `finish` is called. */
function slowPost(base: string) {
  const { hostname, port } = new URL(base);
  const socket = net.connect(Number(port), hostname);
  const body = 'username=nobody&password=wrong-password-here';
  let answer = '';
  socket.on('data', (d) => (answer += d.toString()));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => {});
  socket.write(`POST /login HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`);
  return {
    finish: () => socket.write(body.slice(10)),
    answer: async () => {
      await closed;
      return answer;
    },
    abandon: () => socket.destroy(),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until the server has logged the slow request as received (its body still pending). */
async function received(server: { output(): string }) {
  for (let i = 0; i < 100 && !server.output().includes('"msg":"incoming request"'); i++) await sleep(50);
}

function serverEnv(t: { teardown(fn: () => unknown): void }) {
  const dir = tempDir('pledges-shutdown-');
  t.teardown(() => fs.rmSync(dir, { recursive: true, force: true }));
  return { DATABASE_FILE: path.join(dir, 'shutdown.db'), DEMO_DATA: '0' };
}

t.test('SIGTERM lets the request in flight finish, closes the database and exits 0', async (t) => {
  const env = serverEnv(t);
  const server = await startServer(env);
  t.teardown(() => server.proc.kill('SIGKILL'));
  t.ok(fs.existsSync(serverPidFile(env.DATABASE_FILE)), 'the running server announces itself beside the database');

  const request = slowPost(server.base);
  await received(server);
  server.proc.kill('SIGTERM');
  await sleep(300);
  t.equal(server.proc.exitCode, null, 'still running while a request is in flight');
  request.finish();
  const answer = await request.answer();
  t.match(answer, /^HTTP\/1\.1 403 /, 'the request in flight got its full answer');
  t.equal(await server.exited, 0, 'then it exits 0');
  t.match(server.output(), 'stopped; database closed');
  t.notOk(fs.existsSync(`${env.DATABASE_FILE}-wal`), 'the database was closed cleanly (its WAL folded in)');
  t.notOk(fs.existsSync(serverPidFile(env.DATABASE_FILE)), 'and the pid file removed');
});

t.test('a second signal ends a shutdown that is still waiting', async (t) => {
  const env = serverEnv(t);
  const server = await startServer(env);
  t.teardown(() => server.proc.kill('SIGKILL'));
  const request = slowPost(server.base);
  t.teardown(() => request.abandon());
  await received(server);
  server.proc.kill('SIGTERM');
  await sleep(300);
  t.equal(server.proc.exitCode, null, 'waiting for the request in flight');
  server.proc.kill('SIGTERM');
  t.equal(await server.exited, 130, 'the second signal forces the exit');
  t.match(server.output(), 'second signal');
});
