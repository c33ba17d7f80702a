// Parsed files waiting for the office to map their columns. Held in memory only (they hold
// callers' phone numbers and must not outlive their purpose), bound to the session that
// uploaded them, dropped after a short time, and bounded in number and size.
import { randomBytes } from 'node:crypto';
import type { Table } from './decode.ts';

export interface PendingFile {
  sessionId: string;
  fileName: string;
  format: 'csv' | 'xlsx';
  encoding: string;
  table: Table;
  /** A rough size in characters, for the memory bound. */
  size: number;
  createdAt: number;
}

export const PENDING_TTL_MS = 30 * 60_000;
export const PENDING_MAX_FILES = 10;
export const PENDING_MAX_CHARS = 200 * 1024 * 1024;

function sizeOf(table: Table): number {
  let n = table.headers.join('').length;
  for (const row of table.rows) for (const cell of row) n += cell.length + 8;
  return n;
}

export function createPendingStore(opts: { ttlMs?: number; maxFiles?: number; maxChars?: number; now?: () => number } = {}) {
  const ttl = opts.ttlMs ?? PENDING_TTL_MS;
  const maxFiles = opts.maxFiles ?? PENDING_MAX_FILES;
  const maxChars = opts.maxChars ?? PENDING_MAX_CHARS;
  const now = opts.now ?? Date.now;
  const files = new Map<string, PendingFile>();

  function sweep() {
    const t = now();
    for (const [key, f] of files) if (t - f.createdAt > ttl) files.delete(key);
  }

  return {
    /** Keeps a file; the oldest go first when the store is full. Undefined when the file alone is too big to hold. */
    put(file: Omit<PendingFile, 'size' | 'createdAt'>): string | undefined {
      sweep();
      const size = sizeOf(file.table);
      if (size > maxChars) return undefined;
      let total = [...files.values()].reduce((s, f) => s + f.size, 0);
      for (const [key, f] of files) {
        if (files.size < maxFiles && total + size <= maxChars) break;
        files.delete(key);
        total -= f.size;
      }
      const key = randomBytes(18).toString('base64url');
      files.set(key, { ...file, size, createdAt: now() });
      return key;
    },
    /** The file, only for the session that uploaded it. */
    get(key: string, sessionId: string): PendingFile | undefined {
      sweep();
      const f = files.get(key);
      return f && f.sessionId === sessionId ? f : undefined;
    },
    delete(key: string) {
      files.delete(key);
    },
    get size() {
      return files.size;
    },
  };
}
export type PendingStore = ReturnType<typeof createPendingStore>;
