// `npm run cli -- demands erase-contacts`: the daily erasure of expired reporter contact
// details, run by hand (or by cron when the server is not the one running it).
import type { Db } from '../plugins/db.ts';
import type { AppConfig } from '../config.ts';
import { createDemandRepository } from './repository.ts';
import { SYSTEM_ACTOR } from './retention.ts';

export async function eraseContactsCommand(db: Db, _values: Record<string, unknown>, io: { out(line: string): void }, config: AppConfig): Promise<void> {
  const erased = await createDemandRepository(db).eraseExpiredContacts({ ...SYSTEM_ACTOR, username: 'cli' }, config.demandContactRetentionDays);
  io.out(`erased contact details of ${erased.demands} report(s) closed more than ${config.demandContactRetentionDays} days ago; emptied the refused rows of ${erased.batches} import batch(es)`);
}
