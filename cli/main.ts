import { Command, CommanderError } from 'commander';
import { registerCommands } from './commands';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError } from './exit';

export { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError };

/**
 * Where the runtime flow proof's worker thread starts (cli/audit/runtime-worker.ts): the
 * esbuild bundle is one file, so the worker loads it and calls this.
 */
export async function serveRuntimeProofWorker(): Promise<void> {
  await (await import('./audit/runtime-worker')).serveRuntimeProofWorker();
}

/** Packages some commands need that the installed CLI does not bundle (optional peer dependencies), and what for. */
const OPTIONAL_PACKAGES: Record<string, string> = {
  'aws-cdk-lib': 'audit --with aws-solutions, cfn-validate',
  'cdk-nag': 'audit --with aws-solutions',
  constructs: 'audit --with aws-solutions',
  '@cdklabs/cdk-validator-cfnguard': 'audit --with control-tower',
  '@aws-sdk/client-sqs': 'redrive',
  '@aws-sdk/client-s3': 'redrive --archive-bucket',
};

/** The optional package a "Cannot find module" error is about, if any. */
function missingOptionalPackage(error: unknown): string | undefined {
  if ((error as NodeJS.ErrnoException)?.code !== 'MODULE_NOT_FOUND') return undefined;
  const missing = /Cannot find module '([^']+)'/.exec((error as Error).message)?.[1];
  return Object.keys(OPTIONAL_PACKAGES).find((name) => missing === name || missing?.startsWith(`${name}/`));
}

let standardOutputGuarded = false;

/**
 * A report that cannot be written to standard output (a full disk, a closed descriptor) is not a crash:
 * one line and exit 2, never Node's unhandled 'error' trace and exit 1 (which reads as findings). A reader
 * that stops early (EPIPE: `clover audit … | head`) ends the run quietly.
 */
function guardStandardOutput(): void {
  if (standardOutputGuarded) return;
  standardOutputGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') return;
    process.stderr.write(
      `clover: cannot write to standard output (${error.code ?? error.message}); fix: free space where it goes, or write the report to a file with --out <file>\n`,
    );
    process.exitCode = EXIT_USAGE;
  });
}

/**
 * Runs the `clover` command line and resolves to the exit code. Subcommands
 * register themselves in cli/commands/index.ts and set the code through
 * `setExitCode`. `register` is that registry; tests pass their own.
 */
export async function run(argv: readonly string[], register = registerCommands): Promise<number> {
  guardStandardOutput();
  let exitCode = EXIT_OK;
  const program = new Command()
    .name('clover')
    .description('Clover: keep European personal data in Europe, provably.')
    .version(require('../package.json').version)
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) });
  register(program, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; every other parse error is a usage error.
      return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (error instanceof UsageError) {
      process.stderr.write(`clover: ${error.message}\n`);
      return EXIT_USAGE;
    }
    const optional = missingOptionalPackage(error);
    if (optional) {
      process.stderr.write(
        `clover: this needs ${optional} (used by ${OPTIONAL_PACKAGES[optional]}), which is not installed; install it where clover is: npm i -g ${optional} for a global clover, npm i -D ${optional} in a project that has clover\n`,
      );
      return EXIT_USAGE;
    }
    // Not bad input Clover recognised: still one line and no stack trace (CLOVER_DEBUG=1 shows it),
    // and exit 2 so a pipeline never mistakes a crash for findings (1) or a pass (0).
    process.stderr.write(
      `clover: internal error: ${(error as Error)?.message ?? String(error)}; this is a Clover bug — rerun with CLOVER_DEBUG=1 and report it\n`,
    );
    if (process.env.CLOVER_DEBUG === '1') process.stderr.write(`${(error as Error)?.stack ?? ''}\n`);
    return EXIT_USAGE;
  }
  return exitCode;
}
