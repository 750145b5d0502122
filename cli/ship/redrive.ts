import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { UsageError } from '../exit';
import { SHIPPER_VARIABLES } from '../../lib/config/shipper-contract';
import { httpsTransport } from '../../lambda/log-shipper/adapters/https-transport';
import type { ArchiveStore } from '../../lambda/log-shipper/archive';
import { serialiseRecord } from '../../lambda/log-shipper/batch';
import {
  parseDeadLetterMessage,
  type DeadLetterMessage,
  type DeadLetterSink,
} from '../../lambda/log-shipper/deadletter';
import { decodePayload, PayloadError } from '../../lambda/log-shipper/decode';
import { Deliverer, type RetryNotice, type Transport } from '../../lambda/log-shipper/deliver';
import { runPipeline } from '../../lambda/log-shipper/pipeline';
import { parsePseudonymisationRules, Pseudonymiser } from '../../lambda/log-shipper/pseudonymise';
import { explainAwsError } from './aws-errors';
import { FolderArchiveStore } from './folder-archive';
import { httpsUrl, positiveInteger, readCertificates, readSecretFile, shipperAccount } from './inputs';
import { retryReporter } from './progress';
import { promisify } from 'util';
import { gzip } from 'zlib';

const gzipAsync = promisify(gzip);

/** Raw `clover redrive` options as commander parses them. */
export interface RedriveOptions {
  readonly queueUrl: string;
  readonly region?: string;
  readonly maxMessages: string;
  readonly dryRun?: boolean;
  readonly ingestUrl?: string;
  readonly tokenFile?: string;
  readonly ca?: string;
  readonly hmacKeyFile?: string;
  readonly enclave?: string;
  /** @default CLOVER_ACCOUNT */
  readonly account?: string;
  readonly archiveDir?: string;
  readonly archiveBucket?: string;
  readonly archiveBucketOwner?: string;
  readonly maxRequestBytes: string;
  readonly requestTimeoutMs: string;
  readonly deadlineMs: string;
}

/** What a redrive did; printed as one JSON line. */
export interface RedriveSummary {
  received: number;
  replayed: number;
  deleted: number;
  left: number;
  skipped: number;
  events: number;
}

export const REDRIVE_EXIT = { done: 0, usage: 2, left: 3 } as const;

/** How long a dry run keeps the messages it read from other readers; it hands them back at the end. */
const DRY_RUN_VISIBILITY_SECONDS = 30;

/** Settings needed to replay a Lambda OnFailure record: the whole pipeline minus the queue. */
interface InvocationReplay {
  readonly enclave: string;
  readonly account: string;
  readonly pseudonymiser: Pseudonymiser;
  readonly archive: ArchiveStore;
}

/** An SQS call failed for a reason the user can fix; the message says which and how. */
class QueueAccessError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'QueueAccessError';
  }
}

/**
 * Reads messages from the event-level dead-letter queue or the OnFailure
 * queue and replays them: dead-lettered events straight to the monitor (they
 * are already pseudonymised and archived), OnFailure records through the
 * whole pipeline. A message is deleted only after every one of its events was
 * acknowledged; anything else stays in the queue and is reported. A dry run
 * checks every option given, reports what a real run would do with each
 * message and hands the messages back to the queue at once.
 */
export async function runRedrive(options: RedriveOptions): Promise<number> {
  const region = options.region ?? regionOfQueue(options.queueUrl);
  const maxMessages = positiveInteger('--max-messages', options.maxMessages);
  const maxRequestBytes = positiveInteger('--max-request-bytes', options.maxRequestBytes);
  const requestTimeoutMs = positiveInteger('--request-timeout-ms', options.requestTimeoutMs);
  const deadlineMs = positiveInteger('--deadline-ms', options.deadlineMs);
  const dryRun = options.dryRun === true;
  if (!dryRun && (!options.ingestUrl || !options.tokenFile)) {
    throw new UsageError('--ingest-url and --token-file are required unless --dry-run is given');
  }
  // Options are checked with --dry-run too: a dry run must not hide what would stop the real one.
  const url = options.ingestUrl === undefined ? undefined : httpsUrl('--ingest-url', options.ingestUrl);
  const token =
    options.tokenFile === undefined
      ? undefined
      : readSecretFile('--token-file', options.tokenFile, 'bearer token');
  const ca = options.ca === undefined ? undefined : readCertificates('--ca', options.ca);
  const invocationReplay = await invocationSettings(options, region);
  const transport = dryRun || !url || !token ? undefined : httpsTransport({ url, token, ca });

  // The queue URL's own host, as the SDK would pick it anyway (without warning about it).
  const sqs = new SQSClient({ region, endpoint: new URL(options.queueUrl).origin });
  const call = async <T>(action: string, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      const explained = explainAwsError(error, { service: 'SQS', action, resource: options.queueUrl });
      if (!explained) throw error;
      throw new QueueAccessError(explained.message);
    }
  };
  const summary: RedriveSummary = { received: 0, replayed: 0, deleted: 0, left: 0, skipped: 0, events: 0 };
  const seen = new Set<string>();
  const handBack: Message[] = [];
  let failure: string | undefined;
  try {
    while (summary.received < maxMessages) {
      const response = await call('sqs:ReceiveMessage', () =>
        sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: options.queueUrl,
            MaxNumberOfMessages: Math.min(10, maxMessages - summary.received),
            WaitTimeSeconds: 1,
            // Long enough that a message is not handed out again while it is being replayed.
            VisibilityTimeout: dryRun ? DRY_RUN_VISIBILITY_SECONDS : Math.ceil(deadlineMs / 1000) + 30,
          }),
        ),
      );
      const messages = (response.Messages ?? []).filter((message) => !seen.has(message.MessageId ?? ''));
      if (messages.length === 0) {
        break;
      }
      for (const message of messages) {
        seen.add(message.MessageId ?? '');
        summary.received++;
        if (dryRun) handBack.push(message);
        const outcome = dryRun
          ? assess(message, invocationReplay)
          : await replay(message, {
              transport: transport as Transport,
              invocationReplay,
              maxRequestBytes,
              requestTimeoutMs,
              deadlineMs,
              onRetry: retryReporter(`clover redrive: ${message.MessageId ?? '?'}`),
            });
        report(message, outcome);
        if (outcome.kind === 'acknowledged') {
          summary.replayed++;
          summary.events += outcome.events;
          try {
            await call('sqs:DeleteMessage', () =>
              sqs.send(
                new DeleteMessageCommand({
                  QueueUrl: options.queueUrl,
                  ReceiptHandle: message.ReceiptHandle,
                }),
              ),
            );
          } catch (error) {
            // Replayed but still in the queue: a later run replays it again (the monitor deduplicates by ID).
            summary.left++;
            throw error;
          }
          summary.deleted++;
        } else if (outcome.kind === 'skipped') {
          summary.skipped++;
        } else if (outcome.kind === 'left') {
          summary.left++;
        } else {
          summary.events += outcome.events;
        }
      }
    }
  } catch (error) {
    if (!(error instanceof QueueAccessError)) throw error;
    failure = error.message;
  } finally {
    transport?.close();
    if (handBack.length > 0) await handBackToQueue(sqs, options.queueUrl, handBack);
  }
  if (failure !== undefined) {
    process.stderr.write(`clover redrive: ${failure}\n`);
    // Nothing was read: the queue could not be used at all (exit 2); otherwise some messages stay (exit 3).
    if (summary.received === 0) return REDRIVE_EXIT.usage;
    process.stdout.write(`${JSON.stringify(summary)}\n`);
    return REDRIVE_EXIT.left;
  }
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return summary.left + summary.skipped > 0 ? REDRIVE_EXIT.left : REDRIVE_EXIT.done;
}

/** Makes the messages a dry run read visible again at once, so a real run right after finds them. */
async function handBackToQueue(
  sqs: SQSClient,
  queueUrl: string,
  messages: readonly Message[],
): Promise<void> {
  let kept = 0;
  let why = '';
  for (let first = 0; first < messages.length; first += 10) {
    const batch = messages.slice(first, first + 10);
    try {
      const response = await sqs.send(
        new ChangeMessageVisibilityBatchCommand({
          QueueUrl: queueUrl,
          Entries: batch.map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
            VisibilityTimeout: 0,
          })),
        }),
      );
      kept += response.Failed?.length ?? 0;
      why ||= response.Failed?.[0]?.Code ?? '';
    } catch (error) {
      kept += batch.length;
      why ||=
        explainAwsError(error, {
          service: 'SQS',
          action: 'sqs:ChangeMessageVisibility',
          resource: queueUrl,
        })?.message ?? String(error);
    }
  }
  if (kept > 0) {
    process.stderr.write(
      `clover redrive: ${kept} message(s) read by this dry run stay hidden for up to ${DRY_RUN_VISIBILITY_SECONDS} s (${why})\n`,
    );
  }
}

type ReplayOutcome =
  | { readonly kind: 'acknowledged'; readonly events: number }
  | { readonly kind: 'dry-run'; readonly events: number; readonly what: string }
  | { readonly kind: 'left'; readonly reason: string }
  | { readonly kind: 'skipped'; readonly reason: string };

interface ReplaySettings {
  readonly transport: Transport;
  readonly invocationReplay?: InvocationReplay;
  readonly maxRequestBytes: number;
  readonly requestTimeoutMs: number;
  readonly deadlineMs: number;
  readonly onRetry: (notice: RetryNotice) => void;
}

const ONFAILURE_NEEDS =
  'a Lambda OnFailure record needs --hmac-key-file, --enclave, --account (or CLOVER_ACCOUNT) and --archive-dir or --archive-bucket';

/** What a message is, before anything is replayed: skipped outcomes here are final. */
function classify(
  message: Message,
):
  | Extract<DeadLetterMessage, { kind: 'events' | 'invocation' }>
  | Extract<ReplayOutcome, { kind: 'skipped' }> {
  const parsed = parseDeadLetterMessage(message.Body ?? '');
  if (parsed.kind === 'payload') {
    return { kind: 'skipped', reason: `undecodable payload (${parsed.reason}); fix or remove it by hand` };
  }
  if (parsed.kind === 'unknown') {
    return { kind: 'skipped', reason: parsed.reason };
  }
  return parsed;
}

/** What a real run would do with a message, without sending anything (`--dry-run`). */
function assess(message: Message, invocationReplay: InvocationReplay | undefined): ReplayOutcome {
  const parsed = classify(message);
  if (parsed.kind === 'events') {
    return { kind: 'dry-run', events: parsed.records.length, what: `events (${parsed.reason})` };
  }
  if (parsed.kind !== 'invocation') {
    return parsed;
  }
  if (!invocationReplay) {
    return { kind: 'skipped', reason: ONFAILURE_NEEDS };
  }
  try {
    const payload = decodePayload({ base64: parsed.base64 });
    const events = payload.messageType === 'CONTROL_MESSAGE' ? 0 : payload.logEvents.length;
    return { kind: 'dry-run', events, what: `a Lambda OnFailure record (${parsed.reason})` };
  } catch (error) {
    if (!(error instanceof PayloadError)) throw error;
    return { kind: 'left', reason: `the OnFailure record's payload is undecodable (${error.reason})` };
  }
}

async function replay(message: Message, settings: ReplaySettings): Promise<ReplayOutcome> {
  const parsed = classify(message);
  const transport = settings.transport;
  if (parsed.kind === 'events') {
    const deliverer = new Deliverer({
      transport,
      clock: { now: Date.now, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
      deadline: Date.now() + settings.deadlineMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      gzip: (body) => gzipAsync(body, { level: 1 }),
      onRetry: settings.onRetry,
    });
    const lines = parsed.records.map(serialiseRecord);
    const result = await deliverer.deliver({ ids: parsed.records.map((record) => record.id), lines });
    if (result.deadLetters.length > 0) {
      return { kind: 'left', reason: result.deadLetters.map((group) => group.reason).join('; ') };
    }
    return { kind: 'acknowledged', events: result.acknowledged.length };
  }
  if (parsed.kind !== 'invocation') {
    return parsed;
  }
  if (!settings.invocationReplay) {
    return { kind: 'skipped', reason: ONFAILURE_NEEDS };
  }
  const unacknowledged: string[] = [];
  const collector: DeadLetterSink = {
    sendEvents: async (reason) => void unacknowledged.push(reason),
    sendPayload: async (reason) => void unacknowledged.push(reason),
  };
  const result = await runPipeline(
    { base64: parsed.base64 },
    {
      ...settings.invocationReplay,
      deadLetter: collector,
      transport,
      deadline: Date.now() + settings.deadlineMs,
      maxRequestBytes: settings.maxRequestBytes,
      requestTimeoutMs: settings.requestTimeoutMs,
      onRetry: settings.onRetry,
    },
  );
  if (unacknowledged.length > 0 || result.failures.length > 0) {
    return { kind: 'left', reason: [...unacknowledged, ...result.failures].join('; ') };
  }
  return { kind: 'acknowledged', events: result.counters.delivered };
}

function report(message: Message, outcome: ReplayOutcome): void {
  const id = message.MessageId ?? '?';
  if (outcome.kind === 'dry-run') {
    process.stderr.write(
      `clover redrive: ${id}: would replay ${outcome.events} event(s) from ${outcome.what}\n`,
    );
  } else if (outcome.kind === 'left' || outcome.kind === 'skipped') {
    process.stderr.write(`clover redrive: ${id}: ${outcome.kind} in the queue: ${outcome.reason}\n`);
  }
}

async function invocationSettings(
  options: RedriveOptions,
  region: string,
): Promise<InvocationReplay | undefined> {
  if (!options.hmacKeyFile) {
    return undefined;
  }
  if (!options.enclave || !(options.archiveDir || options.archiveBucket)) {
    throw new UsageError(
      '--hmac-key-file needs --enclave, --account (or CLOVER_ACCOUNT) and one of --archive-dir or --archive-bucket',
    );
  }
  // The replayed batches go where the shipper's own would: under its account's prefix of the archive.
  const account = shipperAccount(options.account, process.env);
  const key = readSecretFile('--hmac-key-file', options.hmacKeyFile, 'HMAC key');
  let rules;
  try {
    rules = parsePseudonymisationRules(process.env[SHIPPER_VARIABLES.pseudonymisation]);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  let archive: ArchiveStore;
  if (options.archiveBucket) {
    const { S3Client } = await import('@aws-sdk/client-s3');
    const { S3ArchiveStore } = await import('../../lambda/log-shipper/adapters/s3-archive');
    const client = new S3Client({ region, followRegionRedirects: true });
    archive = new S3ArchiveStore(client, {
      bucket: options.archiveBucket,
      expectedOwner: options.archiveBucketOwner,
    });
  } else {
    archive = new FolderArchiveStore(options.archiveDir as string);
  }
  return { enclave: options.enclave, account, pseudonymiser: new Pseudonymiser(key, rules), archive };
}

/** `https://sqs.eu-west-1.amazonaws.com/…` (any partition suffix) → `eu-west-1`. */
export function regionOfQueue(queueUrl: string): string {
  let host: string;
  try {
    host = new URL(queueUrl).hostname;
  } catch {
    throw new UsageError(`--queue-url "${queueUrl}" is not a URL`);
  }
  const region =
    /^sqs\.([a-z0-9-]+)\./.exec(host)?.[1] ?? /^([a-z]{2}(?:-[a-z]+)+-\d+)\.queue\./.exec(host)?.[1];
  if (!region) {
    throw new UsageError(`cannot tell the region from --queue-url "${queueUrl}"; pass --region`);
  }
  return region;
}
