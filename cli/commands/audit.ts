import * as fs from 'fs';
import { Command, Option } from 'commander';
import { EXTRA_PACKS, FAIL_ON, FORMATS } from '../audit/choices';
import { AuditInputError } from '../audit/errors';
import type { RawAuditOptions } from '../audit/options';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, UsageError, type SetExitCode } from '../exit';

function writeReport(file: string, output: string): void {
  try {
    fs.writeFileSync(file, output);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new AuditInputError(`cannot write the report to --out ${file} (${reason}); choose a writable path`);
  }
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * `clover audit <cdk.out | template.json | template.yaml>...`: runs CloverChecks
 * (and optional packs) on synthesized templates and prints a verdict and
 * evidence report. Exit 0 clean, 1 findings at or above --fail-on, 2 bad input.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('audit')
    .description(
      'Audit cdk.out directories, CloudFormation templates (JSON or YAML) or directories of them, and print an evidence report.',
    )
    .argument('<inputs...>', 'cdk.out directories, template files, and/or directories of templates')
    .option(
      '--region <region>',
      'region of bare templates and environment-agnostic stacks (inferred from availability zones when absent)',
    )
    .option('--jurisdictions <list>', 'allowed jurisdictions, comma-separated: EU,EEA,CH,UK', 'EU,EEA')
    .addOption(
      new Option('--with <packs>', `extra rule packs, comma-separated: ${EXTRA_PACKS.join(', ')}`).argParser(
        collect,
      ),
    )
    .option(
      '--today <date>',
      'date for expiries and sunsets (YYYY-MM-DD); default SOURCE_DATE_EPOCH, else today',
    )
    .addOption(new Option('--format <format>', 'output format').choices([...FORMATS]).default('text'))
    .option('--out <file>', 'write the report to a file instead of stdout')
    .option(
      '--audit-log-retention <days>',
      'shortest retention of audit logs (flow logs, trails, gateway logs), in days; default 365',
    )
    .addOption(
      new Option(
        '--rules <module>',
        'a module of your own CloverRule objects (.js or .ts; docs/extending.md), run beside CloverChecks; repeat for more',
      ).argParser(collect),
    )
    .addOption(
      new Option(
        '--fail-on <level>',
        'lowest level that fails the audit: error, warning, or incomplete (also parts not expanded, so not judged)',
      )
        .choices([...FAIL_ON])
        .default('error'),
    )
    .action(async (inputs: string[], raw: RawAuditOptions) => {
      // Loaded on use: the rules and analysers are not needed to register the command or print --help.
      const { resolveOptions } = await import('../audit/options');
      const { runAudit } = await import('../audit/run');
      const { renderReport } = await import('../audit/render');
      const { verdictText } = await import('../audit/report');
      try {
        const options = resolveOptions(inputs, raw);
        const result = await runAudit(options);
        const output = renderReport(result, options.format);
        if (options.out) {
          writeReport(options.out, output);
          process.stderr.write(
            `clover audit: ${verdictText(result.report.summary)}; report written to ${options.out}\n`,
          );
        } else {
          process.stdout.write(output);
        }
        const { incomplete, inputErrors } = result.report;
        for (const row of incomplete.items)
          process.stderr.write(`clover audit: warning: ${row.file}: ${row.reason}\n`);
        if (inputErrors.length > 0) {
          // The rest was audited and reported; the inputs that could not be read make the run fail as bad input.
          process.stderr.write(
            `clover audit: ${inputErrors.length} input${inputErrors.length === 1 ? '' : 's'} could not be read, so ${inputErrors.length === 1 ? 'it was' : 'they were'} not audited; fix or remove ${inputErrors.length === 1 ? 'it' : 'them'}:\n${inputErrors.map((problem) => `  ${problem.message}\n`).join('')}`,
          );
          setExitCode(EXIT_USAGE);
          return;
        }
        setExitCode(result.report.summary.verdict === 'pass' ? EXIT_OK : EXIT_FINDINGS);
      } catch (error) {
        if (error instanceof AuditInputError) throw new UsageError(error.message);
        throw error;
      }
    });
}
