import { createHash } from 'crypto';
import * as fs from 'fs';
import { Command, Option } from 'commander';
import { MigrationInputError } from '../../lambda/migration/verification/errors';
import { VERIFY_FORMATS, type RawVerifyOptions } from '../migration/options';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type SetExitCode } from '../exit';

function writeEvidence(file: string, output: string): void {
  try {
    fs.writeFileSync(file, output);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new MigrationInputError(
      `cannot write the evidence to --out ${file} (${reason}); choose a writable path`,
    );
  }
}

/**
 * `clover migration verify`: proves offline, from an S3 Inventory report or a
 * DynamoDB export of each side, that everything in the source arrived in the
 * destination unchanged. Exit 0 complete, 1 incomplete, 2 bad input.
 */
export function register(program: Command, setExitCode: SetExitCode): void {
  const migration = program
    .command('migration')
    .description('Verify a migration between enclaves from the reports AWS writes (docs/migration.md).');
  migration
    .command('verify')
    .description(
      'Compare the S3 Inventory reports or DynamoDB exports of the source and destination of a migration. ' +
        'Exit 0: complete; 1: something is missing or changed; 2: bad input.',
    )
    .requiredOption(
      '--source <path>',
      "the source's manifest.json (S3 Inventory) or manifest-summary.json (DynamoDB export), inside a copy of its delivery bucket",
    )
    .requiredOption('--destination <path>', "the destination's manifest, of the same kind")
    .option('--key <attributes>', 'DynamoDB primary key: partition key[,sort key]')
    .option(
      '--versions',
      'S3: compare every version and delete marker by version ID, not only current versions',
    )
    .addOption(
      new Option('--format <format>', 'output on stdout').choices([...VERIFY_FORMATS]).default('text'),
    )
    .option('--out <file>', 'also write the JSON evidence to this file (what the cut-over gate reads)')
    .action(async (raw: RawVerifyOptions) => {
      // Loaded on use: registering the command and --help stay cheap.
      const { parseFormat, parseKeyAttributes } = await import('../migration/options');
      const { verifyMigration } = await import('../../lambda/migration/verification/run');
      const { renderEvidence, renderResult } = await import('../migration/render');
      const { resolveGeneratedAt } = await import('../audit/options');
      const { AuditInputError } = await import('../audit/errors');
      try {
        const format = parseFormat(raw.format);
        const result = await verifyMigration({
          source: raw.source,
          destination: raw.destination,
          keyAttributes: raw.key === undefined ? undefined : parseKeyAttributes(raw.key),
          versions: raw.versions === true,
          generatedAt: resolveGeneratedAt(process.env),
        });
        if (raw.out !== undefined) {
          const evidence = renderEvidence(result.evidence);
          writeEvidence(raw.out, evidence);
          const sha256 = createHash('sha256').update(evidence).digest('hex');
          process.stderr.write(
            `clover migration verify: ${result.evidence.verdict}; evidence written to ${raw.out} (sha256 ${sha256})\n`,
          );
        }
        process.stdout.write(renderResult(result, format));
        setExitCode(result.evidence.verdict === 'complete' ? EXIT_OK : EXIT_FINDINGS);
      } catch (error) {
        if (error instanceof MigrationInputError || error instanceof AuditInputError) {
          throw new UsageError(error.message);
        }
        throw error;
      }
    });
}
