import { createHash } from 'crypto';

/** Where batches are archived. `exists` means the key was already written: a replay, not an error. */
export interface ArchiveStore {
  putIfAbsent(key: string, body: Buffer, eventCount: number): Promise<'created' | 'exists'>;
}

/**
 * `archive/<enclave>/<yyyy>/<mm>/<dd>/<sha256 of the sorted event IDs>.ndjson.gz`.
 * The date is the batch's earliest event (UTC), not the time of shipping, so a
 * replay of the same events derives the same key and the conditional write
 * answers "already archived".
 */
export function archiveKey(enclave: string, ids: readonly string[], firstTimestamp: number): string {
  const digest = createHash('sha256');
  for (const id of [...ids].sort()) {
    digest.update(id);
    digest.update('\n');
  }
  const date = new Date(firstTimestamp);
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `archive/${enclave}/${yyyy}/${mm}/${dd}/${digest.digest('hex')}.ndjson.gz`;
}
