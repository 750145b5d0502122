import {
  DEFAULT_MAX_REQUEST_BYTES,
  DEFAULT_REQUEST_TIMEOUT_MS,
  SHIPPER_VARIABLES as VARIABLES,
} from '../../lib/config/shipper-contract';
import { ACCOUNT_ID_PATTERN } from '../../lib/config/naming';
import { parsePseudonymisationRules, type PseudonymisationRule } from './pseudonymise';

/** The handler's settings, read from the environment the construct writes (lib/config/shipper-contract.ts). */
export interface ShipperEnvironment {
  readonly enclave: string;
  /** The shipper's own account: part of its archive prefix. */
  readonly account: string;
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

export { DEFAULT_MAX_REQUEST_BYTES, DEFAULT_REQUEST_TIMEOUT_MS };

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
  const enclave = required(VARIABLES.enclave);
  const account = required(VARIABLES.account);
  if (account && !ACCOUNT_ID_PATTERN.test(account))
    problems.push(
      `${VARIABLES.account} "${account}" is not an AWS account ID; set the shipper's own 12-digit account`,
    );
  const urlText = required(VARIABLES.ingestUrl);
  let ingestUrl = new URL('https://invalid.invalid/');
  if (urlText) {
    try {
      ingestUrl = new URL(urlText);
      if (ingestUrl.protocol !== 'https:') {
        problems.push(
          `${VARIABLES.ingestUrl} "${urlText}" is not https; the monitor must be reached over TLS`,
        );
      }
    } catch {
      problems.push(`${VARIABLES.ingestUrl} "${urlText}" is not a URL`);
    }
  }
  let rules: readonly PseudonymisationRule[] = [];
  try {
    rules = parsePseudonymisationRules(env[VARIABLES.pseudonymisation]);
  } catch (error) {
    problems.push((error as Error).message);
  }
  const result: ShipperEnvironment = {
    enclave,
    account,
    ingestUrl,
    tokenSecretArn: required(VARIABLES.tokenSecretArn),
    hmacSecretArn: required(VARIABLES.hmacSecretArn),
    archiveBucket: required(VARIABLES.archiveBucket),
    archiveBucketOwner: env[VARIABLES.archiveBucketOwner]?.trim() || undefined,
    deadLetterQueueUrl: required(VARIABLES.deadLetterQueueUrl),
    maxRequestBytes: positive(VARIABLES.maxRequestBytes, DEFAULT_MAX_REQUEST_BYTES),
    requestTimeoutMs: positive(VARIABLES.requestTimeoutMs, DEFAULT_REQUEST_TIMEOUT_MS),
    rules,
  };
  if (problems.length > 0) {
    throw new Error(`log shipper configuration is invalid:\n  ${problems.join('\n  ')}`);
  }
  return result;
}
