// What a cached page is valid for: the database's state and today's date in every campaign's
// zone. total_changes() moves with every row this connection writes (including direct SQL such
// as migrations or repairs); PRAGMA data_version moves when another connection commits (the CLI,
// a second process). Both are O(1) for SQLite, so the check costs microseconds per request.
import type { Db } from '../plugins/db.ts';
import { todayIn } from '../pledges/status.ts';
import { createCampaignZonesRepository } from './repository.ts';

export interface DataVersion {
  /** A string that changes whenever a public page could change. */
  current(): string;
}

export function createDataVersion(db: Db, defaultZone: string, now: () => number = Date.now): DataVersion {
  const zonesRepo = createCampaignZonesRepository(db);
  const writes = db.$client.prepare('SELECT total_changes()').pluck();
  const external = db.$client.prepare('PRAGMA data_version').pluck();
  let zonesAt = '';
  let zones: string[] = [defaultZone];
  let daysAtSecond = -1;
  let days = '';

  return {
    current() {
      const data = `${writes.get()}.${external.get()}`;
      // The zones themselves are data: re-read them only when the data changed.
      if (data !== zonesAt) {
        zones = [...new Set([defaultZone, ...zonesRepo.zonesSync()])];
        zonesAt = data;
        daysAtSecond = -1;
      }
      const second = Math.floor(now() / 1000);
      if (second !== daysAtSecond) {
        days = zones.map((z) => todayIn(z, new Date(now()))).join(',');
        daysAtSecond = second;
      }
      return `${data}|${days}`;
    },
  };
}
