import fs from 'node:fs';
import { loadConfig, ConfigError } from './config.ts';
import { buildApp } from './app.ts';
import { DatabaseUnusableError } from './plugins/db.ts';
import { serverPidFile } from './backup/files.ts';

let config;
try {
  config = loadConfig();
} catch (err) {
  if (err instanceof ConfigError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

let app;
try {
  app = await buildApp(config, {
    logger: { level: config.logLevel },
    onDemoLoaded: ({ password, generated }) => {
      console.log(`Demo campaign loaded. Demo accounts (admin, press, unit editors listed in README) use password: ${generated ? password : '(DEMO_PASSWORD)'}`);
    },
  });
} catch (err) {
  if (err instanceof DatabaseUnusableError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}

// Tells `npm run cli -- restore` that this database is in use (from now until it is closed).
const pidFile = config.databaseFile === ':memory:' ? undefined : serverPidFile(config.databaseFile);
if (pidFile) fs.writeFileSync(pidFile, `${process.pid}\n`);

/** How long in-flight requests get to finish once asked to stop (Fastify's request timeout). */
const SHUTDOWN_GRACE_MS = 30_000;

// First SIGINT/SIGTERM: stop taking connections, let in-flight requests finish, close the
// database. A second signal, or the grace period running out, ends the process at once.
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) {
      app.log.warn({ signal }, 'second signal: exiting without waiting');
      process.exit(130);
    }
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const force = setTimeout(() => {
      app.log.error('requests still running after the grace period: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    app.close().then(
      () => {
        if (pidFile) fs.rmSync(pidFile, { force: true });
        app.log.info('stopped; database closed');
        process.exit(0);
      },
      (err) => {
        app.log.error(err);
        process.exit(1);
      },
    );
  });
}

await app.listen({ port: config.port, host: config.host });
