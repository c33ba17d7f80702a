// The command-line tool: `npm run cli -- <command> [options]`. It opens DATABASE_FILE (running
// migrations, never loading demo data) and exits 0 on success, 1 when the command fails,
// 2 when it was called wrongly.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig, ConfigError } from '../config.ts';
import { openDatabase, type Db } from '../plugins/db.ts';
import { CliError, UsageError } from './errors.ts';
import { addUser, disableUser, listUsers, type Output } from './users.ts';
import { verifyAudit } from './audit.ts';

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

The database is DATABASE_FILE (default data/pledges.db); pending migrations
are applied first. The CLI never loads demo data.

Examples:
  echo 'long password here' | npm run cli -- user add --username chen --role admin
  npm run cli -- user add --username wang --role unit --unit shuiwu
  npm run cli -- user disable --username wang
`;

type Options = NonNullable<ParseArgsConfig['options']>;
interface Command {
  options: Options;
  run(db: Db, values: Record<string, unknown>, io: Output): Promise<void>;
}

const text = { type: 'string' } as const;
const COMMANDS: Record<string, Command> = {
  'user add': { options: { username: text, role: text, unit: text }, run: addUser },
  'user disable': { options: { username: text }, run: disableUser },
  'user list': { options: {}, run: (db, _values, io) => listUsers(db, io) },
  'audit verify': { options: {}, run: (db, _values, io) => verifyAudit(db, io) },
};

export async function main(argv: string[], io: Output & { err(line: string): void }): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(USAGE);
    return 0;
  }
  try {
    const name = argv.slice(0, 2).join(' ');
    const command = COMMANDS[name];
    if (!command) throw new UsageError(argv.length ? `unknown command: ${name}` : 'no command given', true);
    let values: Record<string, unknown>;
    try {
      values = { ...parseArgs({ args: argv.slice(2), options: command.options, strict: true, allowPositionals: false }).values };
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
    const db = openDatabase(config.databaseFile);
    try {
      await command.run(db, values, io);
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
