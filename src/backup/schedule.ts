// The optional built-in backup schedule (BACKUP_EVERY_HOURS, off by default): for a deployment
// without cron. The same backup as `npm run cli -- backup`, taken inside the server.
import fp from 'fastify-plugin';
import { createBackup } from './backup.ts';

export default fp(
  async (app) => {
    const hours = app.config.backupEveryHours;
    if (!hours || app.config.databaseFile === ':memory:') return;
    const run = () => {
      try {
        const result = createBackup(app.db, { databaseFile: app.config.databaseFile, dir: app.config.backupDir, keep: app.config.backupKeep });
        app.log.info({ file: result.file, bytes: result.bytes, removed: result.removed.length }, 'scheduled backup written');
      } catch (err) {
        app.log.error({ err }, 'scheduled backup failed');
      }
    };
    const timer = setInterval(run, hours * 3600_000);
    // A pending backup never keeps a stopping server alive.
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'backup-schedule', dependencies: ['db'] },
);
