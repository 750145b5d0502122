// What every command shares with the entry point: exit codes and the usage error.
// Its own module, so that commands import it without importing cli/main.ts.

/** Exit codes shared by every subcommand. */
export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** A bad-input or usage error: printed as one line, exit 2, never a stack trace. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** Sets the process exit code of the running command. */
export type SetExitCode = (code: number) => void;
