// The real server for the browser tests: buildApp on a temporary database with the demo
// campaign loaded, listening on 127.0.0.1 (a free port picked first so PUBLIC_URL is the
// address the browser really uses).
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../src/config.ts';
import { buildApp } from '../../src/app.ts';

export const DEMO_PASSWORD = 'browser-demo-password';

export interface RunningSite {
  url: string;
  close(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export async function startSite(): Promise<RunningSite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pledges-browser-'));
  const port = await freePort();
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: String(port),
    DATABASE_FILE: path.join(dir, 'browser.db'),
    DEMO_DATA: '1',
    DEMO_PASSWORD,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    // Every page is visited in two languages at two widths: far above a person's pace.
    RATE_LIMIT_PER_MINUTE: '100000',
    // A loaded CI machine must not turn page visits into load-shedding 503s.
    OVERLOAD_MAX_EVENT_LOOP_DELAY_MS: '0',
  });
  config.argon2MemoryKib = 1024;
  const app = await buildApp(config);
  await app.listen({ port, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await app.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
