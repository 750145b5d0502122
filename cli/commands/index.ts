import type { Command } from 'commander';
import * as audit from './audit';
import * as migration from './migration';
import * as plan from './plan';
import * as redrive from './redrive';
import * as ship from './ship';

import type { SetExitCode } from '../exit';

/**
 * Registers every subcommand. Each command lives in its own file in this
 * folder and exports `register(program, setExitCode)`.
 */
export function registerCommands(program: Command, setExitCode: SetExitCode): void {
  audit.register(program, setExitCode);
  ship.register(program, setExitCode);
  redrive.register(program, setExitCode);
  migration.register(program, setExitCode);
  plan.register(program, setExitCode);
  void program;
  void setExitCode;
}
