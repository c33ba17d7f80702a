// The command-line tool: `npm run cli -- <command> [options]`. It opens DATABASE_FILE (running
// migrations, never loading demo data) and exits 0 on success, 1 when the command fails,
// 2 when it was called wrongly.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError, type AppConfig } from '../config.ts';
import { openDatabase, DatabaseUnusableError, type Db } from '../plugins/db.ts';
import { CliError, UsageError } from './errors.ts';
import { addUser, disableUser, listUsers, type Output } from './users.ts';
import { verifyAudit } from './audit.ts';
import { backupCommand, restoreCommand } from './backup.ts';
import { eraseContactsCommand } from '../demands/cli.ts';

export const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  user add --username NAME --role admin|press|unit [--unit UNIT-SLUG]
      Create an account. The password is read from standard input: a hidden
      prompt, asked twice, on a terminal; the first line when piped.
      At least 12 characters. --unit (a unit's slug) is required for, and
      only for, --role unit.
  user disable --username NAME
      Disable an account; its sessions end at once.
  user list
      List accounts: username, role, unit, disabled.
  audit verify
      Check the audit log's hash chain: exit 0 when intact, 1 naming the
      first bad entry.
  backup [--to DIR]
      Write a consistent backup while the server runs, check it with
      integrity_check, and keep the BACKUP_KEEP newest (default directory:
      BACKUP_DIR, data/backups).
  restore --from FILE [--dry-run]
      Check a backup and replace the database with it; the current file is
      moved aside, not deleted. Stop the server first, start it after.
      --dry-run only reports what the backup holds.
  demands erase-contacts
      Erase reporters' contact details (name, phone, contact, full address,
      unredacted text) of reports resolved or declined more than
      DEMAND_CONTACT_RETENTION_DAYS (default 180) days ago. The server also
      does this at start and daily.

The database is DATABASE_FILE (default data/pledges.db); pending migrations
are applied first. The CLI never loads demo data.

Examples:
  echo 'long password here' | npm run cli -- user add --username chen --role admin
  npm run cli -- user add --username wang --role unit --unit shuiwu
  npm run cli -- user disable --username wang
  npm run cli -- restore --from data/backups/pledges-20260301T020000000Z.db --dry-run
`;

type Options = NonNullable<ParseArgsConfig['options']>;
type Command = { options: Options } & (
  | { run(db: Db, values: Record<string, unknown>, io: Output, config: AppConfig): Promise<void> }
  /** For commands that must not hold the database open (restore replaces the file). */
  | { runOnFile(config: AppConfig, values: Record<string, unknown>, io: Output): Promise<void> }
);

const text = { type: 'string' } as const;
const COMMANDS: Record<string, Command> = {
  'user add': { options: { username: text, role: text, unit: text }, run: addUser },
  'user disable': { options: { username: text }, run: disableUser },
  'user list': { options: {}, run: (db, _values, io) => listUsers(db, io) },
  'audit verify': { options: {}, run: (db, _values, io) => verifyAudit(db, io) },
  backup: { options: { to: text }, run: backupCommand },
  restore: { options: { from: text, 'dry-run': { type: 'boolean' } }, runOnFile: restoreCommand },
  'demands erase-contacts': { options: {}, run: eraseContactsCommand },
};

export async function main(argv: string[], io: Output & { err(line: string): void }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    // Commands are one word (backup) or two (user add).
    const words = COMMANDS[argv.slice(0, 2).join(' ')] ? 2 : 1;
    const name = argv.slice(0, words).join(' ');
    const command = COMMANDS[name];
    if (!command) throw new UsageError(argv.length ? `unknown command: ${argv.slice(0, 2).join(' ')}` : 'no command given', true);
    let values: Record<string, unknown>;
    try {
      values = { ...parseArgs({ args: argv.slice(words), options: command.options, strict: true, allowPositionals: false }).values };
    } catch (err) {
      // node's message goes on to explain `--` for positionals, which no command takes.
      throw new UsageError((err as Error).message.split('. ')[0]);
    }

    let config;
    try {
      config = loadConfig();
    } catch (err) {
      if (err instanceof ConfigError) throw new CliError(err.message);
      throw err;
    }
    if ('runOnFile' in command) {
      await command.runOnFile(config, values, io);
      return 0;
    }
    let db: Db;
    try {
      db = openDatabase(config.databaseFile, { backupDir: config.backupDir });
    } catch (err) {
      if (err instanceof DatabaseUnusableError) throw new CliError(err.message);
      throw err;
    }
    try {
      await command.run(db, values, io, config);
    } finally {
      db.$client.close();
    }
    return 0;
  } catch (err) {
    if (!(err instanceof CliError)) throw err;
    io.err(`error: ${err.message}`);
    if (err instanceof UsageError) io.err(err.showUsage ? `\n${USAGE}` : 'run `npm run cli -- --help` for usage');
    return err.exitCode;
  }
}

process.exitCode = await main(process.argv.slice(2), {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
});
