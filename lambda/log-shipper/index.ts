import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { httpsTransport } from './adapters/https-transport';
import { S3ArchiveStore } from './adapters/s3-archive';
import { secretsManagerFetcher } from './adapters/secrets-manager';
import { SqsDeadLetterSink } from './adapters/sqs-dead-letter';
import { readEnvironment, type ShipperEnvironment } from './config';
import { archiveClientSettings } from './requests';
import type { Transport } from './deliver';
import { createMetrics, publishRunMetrics } from './metrics';
import { describe, runPipeline, type PipelineResult } from './pipeline';
import { Pseudonymiser } from './pseudonymise';
import { SecretCache } from './secrets';
import { systemClock, zeroCounters, type Clock, type Counters } from './types';

/**
 * Thrown after the run dead-lettered events whose delivery ran out of retries
 * before the deadline: the invocation fails so Lambda retries it and, at the
 * end, hands the payload to the OnFailure queue.
 */
export class RetriesExhaustedError extends Error {
  constructor(
    public readonly exhausted: number,
    public readonly counters: Counters,
  ) {
    super(
      `log shipper exhausted its retries for ${exhausted} event(s) before the deadline; they are in the dead-letter queue, and the invocation fails so Lambda retries it`,
    );
    this.name = 'RetriesExhaustedError';
  }
}

/** The subset of the Lambda context the handler uses. */
export interface InvocationContext {
  getRemainingTimeInMillis(): number;
}

/** Test seams; production uses the defaults. */
export interface HandlerOptions {
  /** Trust these CAs for the monitor instead of Node's bundle. @default Node's bundled CAs */
  readonly ca?: string | Buffer;
  /** @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** @default the system clock */
  readonly clock?: Clock;
  /** Time kept back from the invocation's remaining time for dead-letter writes and metrics. @default 5000 */
  readonly safetyMarginMs?: number;
  /** @default 100 */
  readonly baseDelayMs?: number;
  /** @default 20000 */
  readonly maxDelayMs?: number;
}

const HMAC_KEY_MIN_BYTES = 32;

/** Per container: AWS clients, secrets, the pseudonymiser (and its token cache) and keep-alive connections. */
interface ContainerState {
  readonly s3: S3Client;
  readonly sqs: SQSClient;
  readonly secrets: SecretCache;
  pseudonymiser?: { readonly key: string; readonly rules: string; readonly instance: Pseudonymiser };
  transport?: { readonly token: string; readonly url: string; readonly instance: Transport };
}

/**
 * Builds the Lambda handler. It only wires: settings from the environment,
 * secrets from Secrets Manager, S3 archive, SQS dead-letter queue, HTTPS
 * transport, then runs the pipeline and publishes EMF metrics. It throws when
 * the pipeline could not secure every event (an archive or dead-letter write
 * failed), or when retries ran out before the deadline (after dead-lettering
 * those events), so Lambda's async retries and the OnFailure destination keep the payload.
 */
export function createHandler(options: HandlerOptions = {}) {
  let state: ContainerState | undefined;
  const clock = options.clock ?? systemClock;

  return async (event: unknown, context: InvocationContext): Promise<Counters> => {
    const env = readEnvironment(options.env ?? process.env);
    const remaining = context.getRemainingTimeInMillis();
    const deadline = clock.now() + remaining - Math.min(options.safetyMarginMs ?? 5000, remaining / 2);
    state ??= {
      s3: new S3Client(archiveClientSettings(options.env ?? process.env)),
      sqs: new SQSClient({}),
      secrets: new SecretCache(secretsManagerFetcher(new SecretsManagerClient({}))),
    };
    const [token, key] = await Promise.all([
      state.secrets.get(env.tokenSecretArn),
      state.secrets.get(env.hmacSecretArn),
    ]);
    const deadLetter = new SqsDeadLetterSink(state.sqs, env.deadLetterQueueUrl, env.enclave);
    const data = (event as { awslogs?: { data?: unknown } } | null)?.awslogs?.data;
    let result: PipelineResult;
    if (typeof data !== 'string') {
      result = await deadLetterEvent(deadLetter, event);
    } else {
      result = await runPipeline(
        { base64: data },
        {
          enclave: env.enclave,
          account: env.account,
          pseudonymiser: pseudonymiserFor(state, key, env),
          archive: new S3ArchiveStore(state.s3, {
            bucket: env.archiveBucket,
            expectedOwner: env.archiveBucketOwner,
          }),
          deadLetter,
          transport: transportFor(state, token.trim(), env, options.ca),
          deadline,
          maxRequestBytes: env.maxRequestBytes,
          requestTimeoutMs: env.requestTimeoutMs,
          clock,
          baseDelayMs: options.baseDelayMs,
          maxDelayMs: options.maxDelayMs,
        },
      );
    }
    // An undecodable payload counts its events, or 1 when none could be counted, so the alarm fires for it too.
    const uncounted = result.payloadDeadLettered && result.counters.deadLettered === 0 ? 1 : 0;
    publishRunMetrics(createMetrics(env.enclave), {
      ...result.counters,
      deadLettered: result.counters.deadLettered + uncounted,
    });
    // Counts and reasons only: never event contents.
    console.log(
      JSON.stringify({
        message: 'log shipper run',
        enclave: env.enclave,
        ...result.counters,
        payloadDeadLettered: result.payloadDeadLettered,
        deadLetterReasons: result.reasons,
        failures: result.failures,
      }),
    );
    if (result.failures.length > 0) {
      throw new Error(
        `log shipper could not secure every event; failing so Lambda retries: ${result.failures.join('; ')}`,
      );
    }
    if (result.exhausted > 0) {
      // Already dead-lettered (the per-ID promise holds); failing also hands the payload to Lambda's
      // async retries and then the OnFailure queue, as the delivery contract says.
      throw new RetriesExhaustedError(result.exhausted, result.counters);
    }
    return result.counters;
  };
}

function pseudonymiserFor(state: ContainerState, key: string, env: ShipperEnvironment): Pseudonymiser {
  const trimmed = key.trim();
  if (trimmed === '') {
    throw new Error(
      `the HMAC key secret ${env.hmacSecretArn} is empty; store a random key of at least ${HMAC_KEY_MIN_BYTES} bytes`,
    );
  }
  const rules = JSON.stringify(env.rules);
  if (state.pseudonymiser?.key !== trimmed || state.pseudonymiser.rules !== rules) {
    if (Buffer.byteLength(trimmed) < HMAC_KEY_MIN_BYTES) {
      console.warn(
        JSON.stringify({
          message: `HMAC key is shorter than ${HMAC_KEY_MIN_BYTES} bytes`,
          enclave: env.enclave,
        }),
      );
    }
    state.pseudonymiser = { key: trimmed, rules, instance: new Pseudonymiser(trimmed, env.rules) };
  }
  return state.pseudonymiser.instance;
}

function transportFor(
  state: ContainerState,
  token: string,
  env: ShipperEnvironment,
  ca?: string | Buffer,
): Transport {
  if (state.transport?.token !== token || state.transport.url !== env.ingestUrl.href) {
    state.transport?.instance.close();
    state.transport = {
      token,
      url: env.ingestUrl.href,
      instance: httpsTransport({ url: env.ingestUrl, token, ca }),
    };
  }
  return state.transport.instance;
}

async function deadLetterEvent(deadLetter: SqsDeadLetterSink, event: unknown): Promise<PipelineResult> {
  const reason = 'not a CloudWatch Logs subscription event (awslogs.data is missing)';
  try {
    await deadLetter.sendPayload(reason, {
      format: 'lambda-event',
      text: JSON.stringify(event) ?? 'undefined',
    });
    return {
      counters: zeroCounters(),
      payloadDeadLettered: true,
      reasons: { [reason]: 0 },
      failures: [],
      exhausted: 0,
    };
  } catch (error) {
    return {
      counters: zeroCounters(),
      payloadDeadLettered: false,
      reasons: {},
      failures: [`could not dead-letter an invalid event: ${describe(error)}`],
      exhausted: 0,
    };
  }
}

export const handler = createHandler();
