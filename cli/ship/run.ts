import { mkdirSync } from 'fs';
import { UsageError } from '../exit';
import { SHIPPER_VARIABLES } from '../../lib/config/shipper-contract';
import { httpsTransport } from '../../lambda/log-shipper/adapters/https-transport';
import { runPipeline } from '../../lambda/log-shipper/pipeline';
import { parsePseudonymisationRules, Pseudonymiser } from '../../lambda/log-shipper/pseudonymise';
import { FolderArchiveStore } from './folder-archive';
import { FolderDeadLetterSink } from './folder-dead-letter';
import { retryReporter } from './progress';
import {
  httpsUrl,
  payloadFromFile,
  positiveInteger,
  readCertificates,
  readOptionFile,
  readSecretFile,
  shipperAccount,
} from './inputs';

/** Exit codes of `clover ship` (0 and 2 are shared by every command). */
export const SHIP_EXIT = { delivered: 0, failed: 1, usage: 2, deadLettered: 3 } as const;

/** Raw `clover ship` options as commander parses them. */
export interface ShipOptions {
  readonly payload: string;
  readonly ingestUrl: string;
  readonly tokenFile: string;
  readonly hmacKeyFile: string;
  readonly ca?: string;
  readonly enclave: string;
  /** The shipper's account in the archive key; @default CLOVER_ACCOUNT, else `local`. */
  readonly account?: string;
  readonly archiveDir: string;
  readonly dlqDir: string;
  readonly maxRequestBytes: string;
  readonly deadlineMs: string;
  readonly requestTimeoutMs: string;
}

const ENCLAVE_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * Runs the Lambda's pipeline on one payload file, with the archive and the
 * dead-letter queue as local folders. Prints one JSON line of counters and
 * resolves to the exit code; bad usage throws `UsageError` (exit 2).
 */
export async function runShip(options: ShipOptions): Promise<number> {
  const url = httpsUrl('--ingest-url', options.ingestUrl);
  const maxRequestBytes = positiveInteger('--max-request-bytes', options.maxRequestBytes);
  const deadlineMs = positiveInteger('--deadline-ms', options.deadlineMs);
  const requestTimeoutMs = positiveInteger('--request-timeout-ms', options.requestTimeoutMs);
  if (!ENCLAVE_NAME.test(options.enclave)) {
    throw new UsageError(`--enclave "${options.enclave}" must be lower-case letters, digits and dashes`);
  }
  // A local run writes a local archive: `local` stands in for an account, as `local` does for the enclave.
  const account = shipperAccount(options.account, process.env, true);
  const payload = payloadFromFile(readOptionFile('--payload', options.payload));
  const token = readSecretFile('--token-file', options.tokenFile, 'bearer token');
  const hmacKey = readSecretFile('--hmac-key-file', options.hmacKeyFile, 'HMAC key');
  const ca = options.ca === undefined ? undefined : readCertificates('--ca', options.ca);
  let rules;
  try {
    rules = parsePseudonymisationRules(process.env[SHIPPER_VARIABLES.pseudonymisation]);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  for (const [option, directory] of [
    ['--archive-dir', options.archiveDir],
    ['--dlq-dir', options.dlqDir],
  ]) {
    try {
      mkdirSync(directory, { recursive: true });
    } catch (error) {
      throw new UsageError(
        `${option} ${directory} cannot be created (${(error as NodeJS.ErrnoException).code})`,
      );
    }
  }
  if (Buffer.byteLength(hmacKey) < 32) {
    process.stderr.write('clover ship: warning: the HMAC key is shorter than 32 bytes\n');
  }

  const transport = httpsTransport({ url, token, ca });
  try {
    const result = await runPipeline(payload, {
      enclave: options.enclave,
      account,
      pseudonymiser: new Pseudonymiser(hmacKey, rules),
      archive: new FolderArchiveStore(options.archiveDir),
      deadLetter: new FolderDeadLetterSink(options.dlqDir, options.enclave),
      transport,
      deadline: Date.now() + deadlineMs,
      maxRequestBytes,
      requestTimeoutMs,
      onRetry: retryReporter('clover ship'),
    });
    const { eventsIn, delivered, archived, deadLettered, requests, retries } = result.counters;
    process.stdout.write(
      `${JSON.stringify({ eventsIn, delivered, archived, deadLettered, requests, retries })}\n`,
    );
    for (const [reason, count] of Object.entries(result.reasons)) {
      const what = result.payloadDeadLettered
        ? `the whole payload${count > 0 ? ` (${count} event(s))` : ''}`
        : `${count} event(s)`;
      process.stderr.write(`clover ship: dead-lettered ${what} to ${options.dlqDir}: ${reason}\n`);
    }
    for (const failure of result.failures) {
      process.stderr.write(`clover ship: ${failure}\n`);
    }
    if (result.failures.length > 0) {
      return SHIP_EXIT.failed;
    }
    return deadLettered > 0 || result.payloadDeadLettered ? SHIP_EXIT.deadLettered : SHIP_EXIT.delivered;
  } finally {
    transport.close();
  }
}
