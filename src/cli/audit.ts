// `audit verify`: walks the audit log's hash chain, so tampering with the file is found.
import type { Db } from '../plugins/db.ts';
import { createAuditRepository } from '../audit/repository.ts';
import { CliError } from './errors.ts';
import type { Output } from './users.ts';

export async function verifyAudit(db: Db, io: Output): Promise<void> {
  const result = await createAuditRepository(db).verify();
  if (!result.ok) throw new CliError(`audit log broken at entry #${result.badId}: ${result.problem} (${result.count} entries read)`);
  io.out(`audit log intact: ${result.count} ${result.count === 1 ? 'entry' : 'entries'}`);
}
