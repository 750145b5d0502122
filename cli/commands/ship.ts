import type { Command } from 'commander';
import type { SetExitCode } from '../exit';

/** `clover ship`: run the log shipper's pipeline locally on one payload. */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('ship')
    .description(
      'Ship one CloudWatch Logs subscription payload to a monitor exactly as the Lambda log shipper does, ' +
        'with the archive and dead-letter queue as local folders. Exit 0: all delivered; 3: something was ' +
        'dead-lettered; 1: the archive or dead-letter folder could not be written; 2: bad usage.',
    )
    .requiredOption(
      '--payload <file>',
      'subscription payload: raw base64 body, its decoded JSON, or the Lambda event',
    )
    .requiredOption('--ingest-url <url>', 'https URL of the monitor')
    .requiredOption('--token-file <file>', 'file holding the bearer token')
    .requiredOption('--hmac-key-file <file>', 'file holding the pseudonymisation HMAC key')
    .option('--ca <pem>', 'trust these CA certificates (PEM) instead of the bundled ones')
    .option('--enclave <name>', 'enclave name written into every record', 'local')
    .option(
      '--account <id>',
      "the shipper's 12-digit account, in the archive key archive/<enclave>/<account>/… (default: CLOVER_ACCOUNT, else local)",
    )
    .option('--archive-dir <dir>', 'archive folder (one gzip NDJSON file per batch)', 'clover-ship/archive')
    .option('--dlq-dir <dir>', 'dead-letter folder (one JSON file per batch)', 'clover-ship/dlq')
    .option('--max-request-bytes <n>', 'monitor limit in uncompressed NDJSON bytes', '5000000')
    .option('--deadline-ms <n>', 'time allowed for delivery, retries included', '60000')
    .option('--request-timeout-ms <n>', 'timeout of one request', '10000')
    .action(async (options) => {
      const { runShip } = await import('../ship/run');
      setExitCode(await runShip(options));
    });
}
