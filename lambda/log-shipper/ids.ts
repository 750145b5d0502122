import { hash } from 'crypto';

/**
 * The deterministic ID of a log event: the first 128 bits of
 * SHA-256(logGroup NUL logStream NUL cloudWatchEventId), as 32 lowercase hex
 * digits. A replay of the same delivery yields the same IDs, so the monitor
 * can deduplicate and the archive key stays stable.
 */
export function eventId(logGroup: string, logStream: string, cloudWatchEventId: string): string {
  return eventIdsFor(logGroup, logStream)(cloudWatchEventId);
}

/** Binds the log group and stream once for the events of one payload. */
export function eventIdsFor(logGroup: string, logStream: string): (cloudWatchEventId: string) => string {
  const prefix = `${logGroup}\u0000${logStream}\u0000`;
  return (cloudWatchEventId) => hash('sha256', prefix + cloudWatchEventId, 'hex').slice(0, 32);
}
