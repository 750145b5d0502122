import { readFileSync } from 'fs';
import { UsageError } from '../exit';
import { ACCOUNT_ID_PATTERN } from '../../lib/config/naming';
import { SHIPPER_VARIABLES } from '../../lib/config/shipper-contract';
import type { PayloadInput } from '../../lambda/log-shipper/decode';

/** Reads a file named by an option, or a usage error naming the option and the file. */
export function readOptionFile(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new UsageError(`${option} ${file} cannot be read (${code}); pass a readable file`);
  }
}

/** A secret from a file (token, HMAC key): trimmed, and never empty. */
export function readSecretFile(option: string, file: string, what: string): string {
  const value = readOptionFile(option, file).toString('utf8').trim();
  if (value === '') {
    throw new UsageError(`${option} ${file} is empty; put the ${what} in it`);
  }
  return value;
}

/**
 * A subscription payload file: the raw base64 body (line breaks allowed), its
 * decoded JSON, the Lambda event `{"awslogs":{"data":…}}`, or gzip bytes.
 */
export function payloadFromFile(content: Buffer): PayloadInput {
  if (content.length >= 2 && content[0] === 0x1f && content[1] === 0x8b) {
    return { base64: content.toString('base64') };
  }
  const text = content.toString('utf8');
  if (text.trimStart().startsWith('{')) {
    try {
      const data = (JSON.parse(text) as { awslogs?: { data?: unknown } }).awslogs?.data;
      if (typeof data === 'string') {
        return { base64: data };
      }
    } catch {
      // Not JSON after all: the pipeline reports it and dead-letters the file.
    }
    return { json: text };
  }
  return { base64: text };
}

/** The stand-in account of a local `clover ship` run, as `local` is its enclave's. */
export const LOCAL_ACCOUNT = 'local';

/**
 * The shipper's account for the archive key (`archive/<enclave>/<account>/…`): `--account`, else the
 * Lambda's own variable CLOVER_ACCOUNT; a 12-digit account ID. A local run (`local` true) may also
 * name, or fall back to, LOCAL_ACCOUNT.
 */
export function shipperAccount(
  option: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  local = false,
): string {
  const given = option ?? (env[SHIPPER_VARIABLES.account]?.trim() || undefined);
  const fix = `pass --account <the shipper's 12-digit account> or set ${SHIPPER_VARIABLES.account}`;
  if (given === undefined) {
    if (local) return LOCAL_ACCOUNT;
    throw new UsageError(
      `--account is missing: replayed batches go under the shipper's account in the archive (archive/<enclave>/<account>/); ${fix}`,
    );
  }
  if (ACCOUNT_ID_PATTERN.test(given) || (local && given === LOCAL_ACCOUNT)) return given;
  const source = option !== undefined ? '--account' : SHIPPER_VARIABLES.account;
  throw new UsageError(
    `${source} "${given}" is not an AWS account ID; ${fix}${local ? ` (or ${LOCAL_ACCOUNT} for a local run)` : ''}`,
  );
}

/** A positive integer option, or a usage error. */
export function positiveInteger(option: string, value: string): number {
  const number = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(number) || number <= 0) {
    throw new UsageError(`${option} "${value}" is not a positive integer`);
  }
  return number;
}

/** An https URL, or a usage error. */
export function httpsUrl(option: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${option} "${value}" is not a URL; pass https://host/path`);
  }
  if (url.protocol !== 'https:') {
    throw new UsageError(`${option} "${value}" is not https; the monitor must be reached over TLS`);
  }
  return url;
}

/** PEM certificates for --ca. */
export function readCertificates(option: string, file: string): Buffer {
  const pem = readOptionFile(option, file);
  if (!pem.toString('utf8').includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`${option} ${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return pem;
}
