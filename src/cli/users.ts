// `user add`, `user disable`, `user list`: how a deployment gets its first admin, and how
// accounts are managed when nobody can sign in.
import type { Db } from '../plugins/db.ts';
import type { Actor } from '../audit/repository.ts';
import { createAuthRepository } from '../auth/repository.ts';
import { createUnitRepository } from '../units/repository.ts';
import { hashPassword } from '../auth/passwords.ts';
import { CliError } from './errors.ts';
import { parseOptions, parsePassword, userAddOptions, userDisableOptions } from './schemas.ts';
import { readNewPassword } from './password.ts';
import { formatTable } from './table.ts';

/** Who the audit log names for changes made here. */
export const CLI_ACTOR: Actor = { userId: null, username: 'cli' };

export interface Output {
  out(line: string): void;
}

export async function addUser(db: Db, values: unknown, io: Output): Promise<void> {
  const options = parseOptions(userAddOptions, values);
  const auth = createAuthRepository(db);
  // Everything that can be checked is checked before asking for the password.
  if (await auth.findUserByUsername(options.username)) throw new CliError(`a user named ${options.username} already exists`);
  let unitId: number | null = null;
  if (options.unit) {
    const found = await createUnitRepository(db).bySlug(options.unit);
    if (!found) throw new CliError(`no unit with the slug ${options.unit} (the office's unit list shows each slug)`);
    if (!found.unit.active) throw new CliError(`the unit ${found.unit.slug} (${found.unit.name}) is inactive`);
    unitId = found.unit.id;
  }

  const password = parsePassword(await readNewPassword(options.username));
  const passwordHash = await hashPassword(password);
  try {
    await auth.createUser(CLI_ACTOR, { username: options.username, displayName: options.username, role: options.role, unitId, passwordHash });
  } catch (err) {
    // Someone else took the name between the check and the insert.
    if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new CliError(`a user named ${options.username} already exists`);
    throw err;
  }
  io.out(`created ${options.role} account ${options.username}${options.unit ? ` for unit ${options.unit}` : ''}`);
}

export async function disableUser(db: Db, values: unknown, io: Output): Promise<void> {
  const { username } = parseOptions(userDisableOptions, values);
  const auth = createAuthRepository(db);
  const user = await auth.findUserByUsername(username);
  if (!user) throw new CliError(`no user named ${username}`);
  if (user.disabledAt) {
    io.out(`${username} was already disabled (since ${user.disabledAt})`);
    return;
  }
  await auth.setDisabled(CLI_ACTOR, user.id, true);
  io.out(`disabled ${username}; their sessions have ended`);
}

export async function listUsers(db: Db, io: Output): Promise<void> {
  const rows = await createAuthRepository(db).listUsers();
  if (!rows.length) {
    io.out('no users yet: add the first admin with `npm run cli -- user add --username NAME --role admin`');
    return;
  }
  io.out(
    formatTable(
      ['USERNAME', 'ROLE', 'UNIT', 'DISABLED'],
      rows.map((u) => [u.username, u.role, u.unitSlug ? `${u.unitSlug} (${u.unitName})` : '', u.disabledAt ? `yes, since ${u.disabledAt.slice(0, 10)}` : 'no']),
    ),
  );
}
