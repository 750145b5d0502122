import { hash } from 'crypto';

/** Where batches are archived. `exists` means the key was already written: a replay, not an error. */
export interface ArchiveStore {
  putIfAbsent(key: string, body: Buffer, eventCount: number): Promise<'created' | 'exists'>;
}

/**
 * `archive/<enclave>/<account>/<yyyy>/<mm>/<dd>/<sha256 of the sorted event IDs>.ndjson.gz`.
 * The account is the shipper's own: the archive's policy pins each writer to its account's prefix, so
 * a role of one account cannot add batches where another account's shipper writes.
 * The date is the batch's earliest event (UTC), not the time of shipping, so a
 * replay of the same events derives the same key and the conditional write
 * answers "already archived".
 */
export function archiveKey(
  enclave: string,
  account: string,
  ids: readonly string[],
  firstTimestamp: number,
): string {
  const digest = hash('sha256', `${sortIds(ids).join('\n')}\n`, 'hex');
  const date = new Date(firstTimestamp);
  const yyyy = String(date.getUTCFullYear()).padStart(4, '0');
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `archive/${enclave}/${account}/${yyyy}/${mm}/${dd}/${digest}.ndjson.gz`;
}

/**
 * The IDs in code-unit order, as `[...ids].sort()` gives, but several times
 * faster for hex IDs: a numeric sort on (first 32 bits, index) packed into one
 * double, then a string sort only within runs that share those 32 bits.
 */
export function sortIds(ids: readonly string[]): string[] {
  const count = ids.length;
  const hex32 = /^[0-9a-f]{8}/;
  if (count >= 2 ** 21 || !ids.every((id) => hex32.test(id))) {
    return [...ids].sort();
  }
  const keys = new Float64Array(count);
  for (let index = 0; index < count; index++) {
    keys[index] = parseInt(ids[index].slice(0, 8), 16) * 2 ** 21 + index;
  }
  keys.sort();
  const sorted = new Array<string>(count);
  for (let index = 0; index < count; index++) {
    sorted[index] = ids[keys[index] % 2 ** 21];
  }
  for (let start = 0; start < count;) {
    let end = start + 1;
    const prefix = Math.floor(keys[start] / 2 ** 21);
    while (end < count && Math.floor(keys[end] / 2 ** 21) === prefix) {
      end++;
    }
    if (end - start > 1) {
      const run = sorted.slice(start, end).sort();
      for (let offset = 0; offset < run.length; offset++) {
        sorted[start + offset] = run[offset];
      }
    }
    start = end;
  }
  return sorted;
}
