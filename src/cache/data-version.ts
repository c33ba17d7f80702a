// What a cached page is valid for: the database's state and today's date in every campaign's
// zone. total_changes() moves with every row this connection writes (including direct SQL such
// as migrations or repairs); PRAGMA data_version moves when another connection commits (the CLI,
// a second process). Both are O(1) for SQLite, so the check costs microseconds per request.
import type { Db } from '../plugins/db.ts';
import { todayIn } from '../pledges/status.ts';
import { createCampaignZonesRepository } from './repository.ts';
import type { WriteCounter } from './write-counters.ts';

export interface DataVersion {
  /** A string that changes whenever a public page could change. */
  current(): string;
  /**
   * A string that changes when a table counted in `record` or in one of `reads` is written
   * (src/cache/write-counters.ts), and when the date changes: for figures that read only those.
   */
  of(reads: readonly WriteCounter[]): string;
  /**
   * A request has arrived: the next current() reads other connections' commits again. Called
   * at the start of every request (the page cache's first hook).
   */
  requestStarted(): void;
}

export function createDataVersion(db: Db, defaultZone: string, now: () => number = Date.now): DataVersion {
  const zonesRepo = createCampaignZonesRepository(db);
  const writes = db.$client.prepare('SELECT total_changes()').pluck();
  const externalCommits = db.$client.prepare('PRAGMA data_version').pluck();
  const readCounters = db.$client.prepare('SELECT name, n FROM write_counters').raw();
  // A page reads the version several times (each kept figure checks it). PRAGMA data_version
  // costs several times what total_changes() does, and another connection's commit is, for a
  // request already being served, concurrent with it: read once per request and event-loop
  // turn. A commit that happened before a request arrived is always seen by that request —
  // requestStarted() forgets the value — and any code outside a request reads it afresh on the
  // next turn. This connection's own writes are seen at once through total_changes().
  let external: number | null = null;
  const forgetExternal = () => {
    external = null;
  };
  let zonesAt = '';
  let zones: string[] = [defaultZone];
  let daysAtSecond = -1;
  let days = '';
  let lastWrites = -1;
  let lastExternal = -1;
  let last = '';
  // The write counters move only with a write, which moves the data part: read again only then.
  let countersAt = '';
  const counters = new Map<string, number>();

  function current(): string {
    const written = writes.get() as number;
    if (external === null) {
      external = externalCommits.get() as number;
      setImmediate(forgetExternal);
    }
    const second = Math.floor(now() / 1000);
    if (written === lastWrites && external === lastExternal && second === daysAtSecond) return last;
    const data = `${written}.${external}`;
    // The zones themselves are data: re-read them only when the data changed.
    if (data !== zonesAt) {
      zones = [...new Set([defaultZone, ...zonesRepo.zonesSync()])];
      zonesAt = data;
      daysAtSecond = -1;
    }
    if (second !== daysAtSecond) {
      days = zones.map((z) => todayIn(z, new Date(now()))).join(',');
      daysAtSecond = second;
    }
    lastWrites = written;
    lastExternal = external;
    last = `${data}|${days}`;
    return last;
  }

  return {
    requestStarted: forgetExternal,
    current,
    of(reads) {
      current();
      if (countersAt !== zonesAt) {
        counters.clear();
        for (const [name, n] of readCounters.all() as [string, number][]) counters.set(name, n);
        countersAt = zonesAt;
      }
      let scoped = String(counters.get('record') ?? 0);
      for (const name of reads) scoped += `.${name}:${counters.get(name) ?? 0}`;
      return `${scoped}|${days}`;
    },
  };
}
