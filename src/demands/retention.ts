// Reporters' contact details are erased a configured number of days after their report is
// resolved or declined: once when the app is ready, then daily on a timer that app.close() stops.
import type { FastifyInstance } from 'fastify';
import { createDemandRepository } from './repository.ts';

export const ERASE_EVERY_MS = 24 * 3600_000;
export const SYSTEM_ACTOR = { userId: null, username: 'system' };

export function scheduleContactErasure(app: FastifyInstance): void {
  const repo = createDemandRepository(app.db);
  let timer: NodeJS.Timeout | undefined;

  async function run() {
    try {
      const erased = await repo.eraseExpiredContacts(SYSTEM_ACTOR, app.config.demandContactRetentionDays);
      if (erased.demands || erased.batches) app.log.info({ erased }, 'erased expired reporter contact details');
    } catch (err) {
      // A failed run is retried tomorrow; it must not take the site down.
      app.log.error({ err }, 'erasing expired reporter contact details failed');
    }
  }

  app.addHook('onReady', async () => {
    await run();
    timer = setInterval(run, ERASE_EVERY_MS);
    timer.unref();
  });
  app.addHook('onClose', async () => {
    if (timer) clearInterval(timer);
  });
}
