import type { Command } from 'commander';
import type { SetExitCode } from '../exit';

/** `clover redrive`: replay the log shipper's dead-letter or OnFailure queue. */
export function register(program: Command, setExitCode: SetExitCode): void {
  program
    .command('redrive')
    .description(
      "Replay messages from the log shipper's dead-letter queue or OnFailure queue to the monitor; a message is " +
        'deleted only after all its events were acknowledged. Exit 0: every message received was replayed ' +
        '(--dry-run: would be); 3: some stay in the queue; 2: bad usage, or the queue cannot be read (credentials ' +
        'missing, expired or rejected, access denied, no such queue, DNS/TLS/network failure), named on stderr.',
    )
    .requiredOption('--queue-url <url>', 'SQS queue URL of the dead-letter or OnFailure queue')
    .option('--region <region>', 'queue region (default: read from the queue URL)')
    .option('--max-messages <n>', 'stop after this many messages', '100')
    .option(
      '--dry-run',
      'only report what would be replayed; nothing is sent or deleted, and the messages read are handed back at once',
    )
    .option('--ingest-url <url>', 'https URL of the monitor (required unless --dry-run)')
    .option('--token-file <file>', 'file holding the bearer token (required unless --dry-run)')
    .option('--ca <pem>', 'trust these CA certificates (PEM) instead of the bundled ones')
    .option(
      '--hmac-key-file <file>',
      'HMAC key, to replay Lambda OnFailure records through the whole pipeline',
    )
    .option('--enclave <name>', 'enclave name for replayed OnFailure records')
    .option(
      '--account <id>',
      "the shipper's 12-digit account for replayed OnFailure records, in their archive key (default: CLOVER_ACCOUNT)",
    )
    .option('--archive-dir <dir>', 'archive folder for replayed OnFailure records')
    .option('--archive-bucket <name>', 'archive bucket for replayed OnFailure records')
    .option('--archive-bucket-owner <account>', 'expected owner account of --archive-bucket')
    .option('--max-request-bytes <n>', 'monitor limit in uncompressed NDJSON bytes', '5000000')
    .option('--request-timeout-ms <n>', 'timeout of one request', '10000')
    .option('--deadline-ms <n>', 'time allowed per message, retries included', '60000')
    .action(async (options) => {
      const { runRedrive } = await import('../ship/redrive');
      setExitCode(await runRedrive(options));
    });
}
