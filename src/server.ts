import { loadConfig, ConfigError } from './config.ts';
import { buildApp } from './app.ts';

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

const app = await buildApp(config, {
  logger: { level: config.logLevel },
  onDemoLoaded: ({ password, generated }) => {
    console.log(`Demo campaign loaded. Demo accounts (admin, press, unit editors listed in README) use password: ${generated ? password : '(DEMO_PASSWORD)'}`);
  },
});

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error(err);
        process.exit(1);
      },
    );
  });
}

await app.listen({ port: config.port, host: config.host });
