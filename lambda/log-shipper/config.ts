import { parsePseudonymisationRules, type PseudonymisationRule } from './pseudonymise';

/** The handler's settings, read from the environment the wiring sets (docs/monitor-api.md). */
export interface ShipperEnvironment {
  readonly enclave: string;
  readonly ingestUrl: URL;
  readonly tokenSecretArn: string;
  readonly hmacSecretArn: string;
  readonly archiveBucket: string;
  readonly archiveBucketOwner?: string;
  readonly deadLetterQueueUrl: string;
  readonly maxRequestBytes: number;
  readonly requestTimeoutMs: number;
  readonly rules: readonly PseudonymisationRule[];
}

export const DEFAULT_MAX_REQUEST_BYTES = 5_000_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 10_000;

/** Reads and checks every variable, then throws one error listing all problems. */
export function readEnvironment(env: Readonly<Record<string, string | undefined>>): ShipperEnvironment {
  const problems: string[] = [];
  const required = (name: string): string => {
    const value = env[name]?.trim();
    if (!value) {
      problems.push(`${name} is not set`);
      return '';
    }
    return value;
  };
  const positive = (name: string, fallback: number): number => {
    const text = env[name]?.trim();
    if (!text) {
      return fallback;
    }
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
      problems.push(`${name} "${text}" is not a positive integer`);
    }
    return value;
  };
  const enclave = required('CLOVER_ENCLAVE');
  const urlText = required('CLOVER_INGEST_URL');
  let ingestUrl = new URL('https://invalid.invalid/');
  if (urlText) {
    try {
      ingestUrl = new URL(urlText);
      if (ingestUrl.protocol !== 'https:') {
        problems.push(`CLOVER_INGEST_URL "${urlText}" is not https; the monitor must be reached over TLS`);
      }
    } catch {
      problems.push(`CLOVER_INGEST_URL "${urlText}" is not a URL`);
    }
  }
  let rules: readonly PseudonymisationRule[] = [];
  try {
    rules = parsePseudonymisationRules(env.CLOVER_PSEUDONYMISATION);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const result: ShipperEnvironment = {
    enclave,
    ingestUrl,
    tokenSecretArn: required('CLOVER_TOKEN_SECRET_ARN'),
    hmacSecretArn: required('CLOVER_HMAC_SECRET_ARN'),
    archiveBucket: required('CLOVER_ARCHIVE_BUCKET'),
    archiveBucketOwner: env.CLOVER_ARCHIVE_BUCKET_OWNER?.trim() || undefined,
    deadLetterQueueUrl: required('CLOVER_DLQ_URL'),
    maxRequestBytes: positive('CLOVER_MAX_REQUEST_BYTES', DEFAULT_MAX_REQUEST_BYTES),
    requestTimeoutMs: positive('CLOVER_REQUEST_TIMEOUT_MS', DEFAULT_REQUEST_TIMEOUT_MS),
    rules,
  };
  if (problems.length > 0) {
    throw new Error(`log shipper configuration is invalid:\n  ${problems.join('\n  ')}`);
  }
  return result;
}
