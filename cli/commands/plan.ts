import { Command, Option } from 'commander';
import { AuditInputError } from '../audit/errors';
import { UsageError, type SetExitCode } from '../exit';

function collectContext(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new UsageError(`-c ${value}: write context as key=value, e.g. -c config=my-clover.json`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}

/**
 * `clover plan [cdk.out]`: the deploy waves of a cloud assembly, from the cross-stage references in
 * its templates, offline. Exit 0 a plan, 1 no order exists, 2 bad input.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('plan')
    .description(
      'Print the deploy waves of a cdk.out directory, or of the app synthesized here (offline, no credentials): ' +
        'stages, accounts, regions, jurisdictions, the cross-stage references that order them, and what must exist ' +
        'before each wave. Exit 0: a plan; 1: no order exists (a cycle, named with its references) or the app failed ' +
        'its policy gate; 2: bad input.',
    )
    .argument('[cdk.out]', 'cloud assembly directory; when absent, cdk.json’s app is synthesized')
    .addOption(
      new Option(
        '-c, --context <key=value>',
        'context for the synth, e.g. -c config=my-clover.json (repeatable)',
      ).argParser(collectContext),
    )
    .option(
      '-o, --output <dir>',
      'keep the synthesized cloud assembly in this directory (deploy it with --app <dir>)',
    )
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(
      async (
        assembly: string | undefined,
        options: { context?: Record<string, string>; output?: string; format: 'text' | 'json' },
      ) => {
        const { runPlan } = await import('../plan/run');
        try {
          setExitCode(
            await runPlan({
              assembly,
              context: options.context ?? {},
              format: options.format,
              outdir: options.output,
            }),
          );
        } catch (error) {
          if (error instanceof AuditInputError) throw new UsageError(error.message);
          throw error;
        }
      },
    );
}
