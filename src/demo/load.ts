import type { Db } from '../plugins/db.ts';

export async function loadDemoIfEmpty(_db: Db, _opts: { password?: string; timeZone: string; argon2MemoryKib: number }): Promise<{ password: string; generated: boolean } | null> {
  return null;
}
