// Figures that take a scan to compute (the home page's headline and charts, the league table,
// satisfaction tallies, the units table) kept for one data version: recomputed on the first
// read after a write (or after midnight in a campaign's zone), never once per request. The
// rendered-page cache above this holds whole pages; this serves the pages it misses —
// signed-in people's, other languages, new query strings — and the API.
import type { DataVersion } from './data-version.ts';
import type { WriteCounter } from './write-counters.ts';

export interface AggregateMemo {
  /**
   * The value of `compute` for `key` at the current data version; computed at most once per
   * version. With `reads`, the version is narrowed to writes of the public record and of those
   * counters' tables (src/cache/write-counters.ts): `compute` must read no table counted
   * elsewhere — a vote, a report or a sign-in then leaves the value standing.
   */
  get<T>(key: string, compute: () => Promise<T>, reads?: readonly WriteCounter[]): Promise<T>;
}

/** Enough for every campaign × league group × language and the units table's sorts, with room. */
const MAX_ENTRIES = 2_000;

export function createAggregateMemo(version: Pick<DataVersion, 'current'> & Partial<Pick<DataVersion, 'of'>>, maxEntries = MAX_ENTRIES): AggregateMemo {
  const entries = new Map<string, { version: string; value: Promise<unknown> }>();
  return {
    get<T>(key: string, compute: () => Promise<T>, reads?: readonly WriteCounter[]): Promise<T> {
      const current = reads && version.of ? version.of(reads) : version.current();
      const found = entries.get(key);
      if (found && found.version === current) {
        // Most recently used last: the memo forgets the entry read longest ago, not the oldest made.
        entries.delete(key);
        entries.set(key, found);
        return found.value as Promise<T>;
      }
      const value = compute();
      entries.delete(key);
      entries.set(key, { version: current, value });
      // A failed computation is not kept: the next read tries again.
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      if (entries.size > maxEntries) entries.delete(entries.keys().next().value!);
      return value;
    },
  };
}
