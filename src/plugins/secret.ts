import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Outside production SESSION_SECRET may be unset: one is generated once and kept beside the
 * database, so restarts keep sessions and voter cookies valid.
 */
export function ensureSessionSecret(databaseFile: string): string {
  if (databaseFile === ':memory:') return randomBytes(32).toString('hex');
  const file = path.join(path.dirname(databaseFile), '.session-secret');
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (existing.length >= 32) return existing;
  } catch {
    // not there yet
  }
  const secret = randomBytes(32).toString('hex');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, secret + '\n', { mode: 0o600 });
  return secret;
}
