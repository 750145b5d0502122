import type { Command } from 'commander';

/** Sets the process exit code of the running command. */
export type SetExitCode = (code: number) => void;

/**
 * Registers every subcommand. Each command lives in its own file in this
 * folder and exports `register(program, setExitCode)`.
 */
export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  void program;
  void setExitCode;
}
