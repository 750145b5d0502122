/**
 * The log shipper's environment, written by the LogShipping construct and read
 * by the handler (lambda/log-shipper/config.ts): variable names, defaults,
 * limits and the pseudonymisation rule format, defined once. Pure: the Lambda
 * bundle and config validation import it too.
 */

/** The variables the construct sets and the handler reads. */
export const SHIPPER_VARIABLES = {
  enclave: 'CLOVER_ENCLAVE',
  /** The shipper's own account: its batches go under `archive/<enclave>/<account>/`. */
  account: 'CLOVER_ACCOUNT',
  /** HTTPS endpoint of the independent monitor. */
  ingestUrl: 'CLOVER_INGEST_URL',
  tokenSecretArn: 'CLOVER_TOKEN_SECRET_ARN',
  hmacSecretArn: 'CLOVER_HMAC_SECRET_ARN',
  archiveBucket: 'CLOVER_ARCHIVE_BUCKET',
  /** Account that must own the archive bucket (`ExpectedBucketOwner`). */
  archiveBucketOwner: 'CLOVER_ARCHIVE_BUCKET_OWNER',
  /** Region of the archive bucket (the monitoring plane's); unset means the function's own. */
  archiveRegion: 'CLOVER_ARCHIVE_REGION',
  deadLetterQueueUrl: 'CLOVER_DLQ_URL',
  maxRequestBytes: 'CLOVER_MAX_REQUEST_BYTES',
  requestTimeoutMs: 'CLOVER_REQUEST_TIMEOUT_MS',
  /** A JSON array of {@link PseudonymisationRule}; unset or empty means {@link DEFAULT_PSEUDONYMISATION_RULES}. */
  pseudonymisation: 'CLOVER_PSEUDONYMISATION',
} as const;

/** Largest request body to the monitor, in bytes. */
export const DEFAULT_MAX_REQUEST_BYTES = 5_000_000;
/** The bounds config validation allows for `shipper.maxRequestBytes`. */
export const MAX_REQUEST_BYTES_RANGE: readonly [number, number] = [1024, 100_000_000];
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** CloudWatch namespace of the shipper's Embedded Metric Format metrics. */
export const SHIPPER_METRICS_NAMESPACE = 'Clover/LogShipper';

/** One pseudonymisation rule, as `CLOVER_PSEUDONYMISATION` carries it. */
export interface PseudonymisationRule {
  /** What the rule matches: a field in JSON messages, or a built-in or custom pattern. */
  readonly kind: 'field' | 'pattern';
  /** For `field`: the JSON field name. For `pattern`: `ipv4`, `ipv6`, `email`, `phone`, `user-id`, or a regular expression. */
  readonly match: string;
  /** For `ipv4`/`ipv6`: keep private, loopback and link-local addresses clear. @default true */
  readonly keepPrivate?: boolean;
}

export const BUILT_IN_PATTERNS = ['ipv4', 'ipv6', 'email', 'phone', 'user-id'] as const;

export const DEFAULT_PSEUDONYMISATION_RULES: readonly PseudonymisationRule[] = [
  { kind: 'pattern', match: 'ipv4', keepPrivate: true },
  { kind: 'pattern', match: 'ipv6', keepPrivate: true },
  { kind: 'pattern', match: 'email' },
];

/** Why a custom pattern (a regular expression) cannot be used, or undefined when it can. */
export function customPatternProblem(source: string): string | undefined {
  let regex: RegExp;
  try {
    regex = new RegExp(source, 'g');
  } catch {
    return 'is neither a built-in pattern nor a valid regular expression';
  }
  if (regex.test('')) {
    return 'matches the empty string; make it match at least one character';
  }
  return undefined;
}

/** What the construct knows and writes into the shipper's environment. */
export interface ShipperSettings {
  readonly enclave: string;
  /** The shipper's account (12 digits). */
  readonly account: string;
  readonly ingestUrl: string;
  readonly tokenSecretArn: string;
  readonly hmacSecretArn: string;
  readonly archiveBucket: string;
  readonly archiveBucketOwner: string;
  readonly archiveRegion: string;
  readonly deadLetterQueueUrl: string;
  /** @default DEFAULT_MAX_REQUEST_BYTES */
  readonly maxRequestBytes?: number;
  /** @default DEFAULT_REQUEST_TIMEOUT_MS */
  readonly requestTimeoutMs?: number;
  /** @default [] (none: the handler applies DEFAULT_PSEUDONYMISATION_RULES) */
  readonly pseudonymisation?: readonly PseudonymisationRule[];
}

/** The environment variables of {@link SHIPPER_VARIABLES}, as the handler reads them. */
export function shipperEnvironment(settings: ShipperSettings): Record<string, string> {
  return {
    [SHIPPER_VARIABLES.enclave]: settings.enclave,
    [SHIPPER_VARIABLES.account]: settings.account,
    [SHIPPER_VARIABLES.ingestUrl]: settings.ingestUrl,
    [SHIPPER_VARIABLES.tokenSecretArn]: settings.tokenSecretArn,
    [SHIPPER_VARIABLES.hmacSecretArn]: settings.hmacSecretArn,
    [SHIPPER_VARIABLES.archiveBucket]: settings.archiveBucket,
    [SHIPPER_VARIABLES.archiveBucketOwner]: settings.archiveBucketOwner,
    [SHIPPER_VARIABLES.archiveRegion]: settings.archiveRegion,
    [SHIPPER_VARIABLES.deadLetterQueueUrl]: settings.deadLetterQueueUrl,
    [SHIPPER_VARIABLES.maxRequestBytes]: String(settings.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES),
    [SHIPPER_VARIABLES.requestTimeoutMs]: String(settings.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS),
    [SHIPPER_VARIABLES.pseudonymisation]: JSON.stringify(settings.pseudonymisation ?? []),
  };
}
