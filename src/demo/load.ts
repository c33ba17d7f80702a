// Loads the demo campaign into an empty database (called at start when DEMO_DATA is on).
import { randomBytes } from 'node:crypto';
import type { Db } from '../plugins/db.ts';
import { hashPassword } from '../auth/passwords.ts';
import { todayIn } from '../pledges/status.ts';
import { readDemoSource } from './source.ts';
import { generateDemoPlan } from './generate.ts';
import { createDemoRepository } from './repository.ts';
import { demoExtras } from './extras.ts';

/** A password nobody has to type twice: 16 characters from base64url. */
function randomPassword(): string {
  return randomBytes(12).toString('base64url');
}

export async function loadDemoIfEmpty(
  db: Db,
  opts: { password?: string; timeZone: string; argon2MemoryKib: number; publicUrl: string },
): Promise<{ password: string; generated: boolean } | null> {
  const repo = createDemoRepository(db);
  // Checked first so an ordinary start does not pay for the plan or a password hash.
  if (await repo.hasContent()) return null;

  const plan = generateDemoPlan(readDemoSource(), todayIn(opts.timeZone), opts.timeZone);
  const password = opts.password ?? randomPassword();
  // One hash for every demo account: argon2 is deliberately slow.
  const passwordHash = await hashPassword(password, opts.argon2MemoryKib);
  const summary = await repo.load(plan, passwordHash);
  if (summary) for (const extra of demoExtras) await extra(db, { today: todayIn(opts.timeZone), timeZone: opts.timeZone, publicUrl: opts.publicUrl });
  return summary ? { password, generated: opts.password === undefined } : null;
}
