/** A failure the CLI reports in one line and turns into an exit code (1: it failed, 2: wrong usage). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export class UsageError extends CliError {
  constructor(
    message: string,
    /** Print the whole usage (for an unknown command), or just point at --help. */
    readonly showUsage = false,
  ) {
    super(message, 2);
  }
}
