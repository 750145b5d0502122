import { promisify } from 'util';
import { gzip as gzipCallback } from 'zlib';
import { archiveKey, type ArchiveStore } from './archive';
import { BatchBuilder, ndjson, RecordEncoder, serialiseRecord, type Batch } from './batch';
import { dataEvents } from './control';
import { decodePayload, PayloadError, type PayloadInput } from './decode';
import type { DeadLetterSink } from './deadletter';
import { Deliverer, type DeadLetterGroup, type Transport } from './deliver';
import { eventIdsFor } from './ids';
import type { Pseudonymiser } from './pseudonymise';
import { systemClock, zeroCounters, type Clock, type Counters } from './types';

const gzipAsync = promisify(gzipCallback);

export interface PipelineOptions {
  /** Enclave name, written into every record and the archive key. */
  readonly enclave: string;
  readonly pseudonymiser: Pseudonymiser;
  readonly archive: ArchiveStore;
  readonly deadLetter: DeadLetterSink;
  readonly transport: Transport;
  /** Epoch ms after which no delivery attempt starts; dead-letter writes follow it. */
  readonly deadline: number;
  /** Monitor limit in uncompressed NDJSON bytes per request. */
  readonly maxRequestBytes: number;
  readonly requestTimeoutMs: number;
  /** @default the system clock */
  readonly clock?: Clock;
  /** @default Math.random */
  readonly random?: () => number;
  /** First retry waits up to this long (full jitter). @default 100 */
  readonly baseDelayMs?: number;
  /** @default 20000 */
  readonly maxDelayMs?: number;
  /** @default decode.ts DEFAULT_MAX_DECOMPRESSED_BYTES */
  readonly maxDecompressedBytes?: number;
  /** Batches compressed, archived and delivered at the same time. @default 2 */
  readonly concurrency?: number;
  /** gzip level of request bodies and archive objects. @default 1 */
  readonly gzipLevel?: number;
}

export interface PipelineResult {
  readonly counters: Counters;
  /** The input could not be decoded and was dead-lettered whole (`eventsIn` is 0). */
  readonly payloadDeadLettered: boolean;
  /** Dead-letter reasons and how many events each covered; safe to log (no event content). */
  readonly reasons: Readonly<Record<string, number>>;
  /**
   * Why the run could not keep its promise (an archive or dead-letter write
   * failed). Non-empty means the caller must fail so the payload is kept upstream.
   */
  readonly failures: readonly string[];
}

/**
 * Ships one subscription payload: decode, drop control messages, ID,
 * pseudonymise, batch, then archive and deliver each batch, and dead-letter
 * what the monitor did not acknowledge. Per event ID: acknowledged or
 * dead-lettered, never neither; `eventsIn === delivered + deadLettered`
 * unless `failures` says otherwise.
 */
export async function runPipeline(input: PayloadInput, options: PipelineOptions): Promise<PipelineResult> {
  const counters = zeroCounters();
  const failures: string[] = [];
  const reasons: Record<string, number> = {};
  const clock = options.clock ?? systemClock;
  const gzipLevel = options.gzipLevel ?? 1;
  const gzip = (body: Buffer) => gzipAsync(body, { level: gzipLevel });

  let payload;
  try {
    payload = decodePayload(input, { maxDecompressedBytes: options.maxDecompressedBytes });
  } catch (error) {
    if (!(error instanceof PayloadError)) {
      throw error;
    }
    const raw =
      'json' in input
        ? { format: 'subscription-json' as const, text: input.json }
        : { format: 'subscription-base64' as const, text: input.base64 };
    try {
      await options.deadLetter.sendPayload(error.reason, raw);
      reasons[error.reason] = 0;
      return { counters, payloadDeadLettered: true, reasons, failures };
    } catch (sinkError) {
      failures.push(`could not dead-letter an undecodable payload (${error.reason}): ${describe(sinkError)}`);
      return { counters, payloadDeadLettered: false, reasons, failures };
    }
  }

  const events = dataEvents(payload);
  counters.eventsIn = events.length;
  const idOf = eventIdsFor(payload.logGroup, payload.logStream);
  const encoder = new RecordEncoder(
    options.enclave,
    payload.logGroup,
    payload.logStream,
    options.maxRequestBytes,
  );
  const builder = new BatchBuilder(options.maxRequestBytes);
  const deliverer = new Deliverer({
    transport: options.transport,
    clock,
    deadline: options.deadline,
    requestTimeoutMs: options.requestTimeoutMs,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
    random: options.random,
    gzip,
    encode: (lines) => ndjson(lines),
  });
  const deadLetters: DeadLetterGroup[] = [];
  const unsendable: { ids: string[]; lines: string[]; reason: string } = { ids: [], lines: [], reason: '' };

  const processBatch = async (batch: Batch): Promise<void> => {
    const body = await gzip(ndjson(batch.lines, batch.bytes));
    const archiveBody = batch.archiveLines ? await gzip(ndjson(batch.archiveLines)) : body;
    const key = archiveKey(options.enclave, batch.ids, batch.firstTimestamp);
    const [archived, delivered] = await Promise.allSettled([
      options.archive.putIfAbsent(key, archiveBody, batch.ids.length),
      deliverer.deliver({ ids: batch.ids, lines: batch.lines, body }),
    ]);
    if (archived.status === 'fulfilled') {
      counters.archived += batch.ids.length;
    } else {
      failures.push(
        `archive write of ${batch.ids.length} events failed (${key}): ${describe(archived.reason)}`,
      );
    }
    if (delivered.status === 'fulfilled') {
      counters.delivered += delivered.value.acknowledged.length;
      deadLetters.push(...delivered.value.deadLetters);
    } else {
      deadLetters.push({
        ids: batch.ids,
        lines: batch.lines,
        reason: `delivery error: ${describe(delivered.reason)}`,
      });
    }
  };

  const concurrency = Math.max(1, options.concurrency ?? 2);
  const inFlight = new Set<Promise<void>>();
  const launch = async (batch: Batch | undefined): Promise<void> => {
    if (!batch) {
      return;
    }
    while (inFlight.size >= concurrency) {
      await Promise.race(inFlight);
    }
    const job = processBatch(batch).finally(() => inFlight.delete(job));
    inFlight.add(job);
  };

  for (const event of events) {
    const id = idOf(event.id);
    const message = options.pseudonymiser.apply(event.message);
    const encoded = encoder.encode(id, event.timestamp, message);
    if ('error' in encoded) {
      unsendable.ids.push(id);
      unsendable.reason = encoded.error;
      unsendable.lines.push(
        serialiseRecord({
          id,
          timestamp: event.timestamp,
          enclave: options.enclave,
          logGroup: payload.logGroup,
          logStream: payload.logStream,
          message,
        }),
      );
      continue;
    }
    await launch(builder.add(encoded));
  }
  await launch(builder.finish());
  await Promise.all(inFlight);
  if (unsendable.ids.length > 0) {
    deadLetters.push(unsendable);
  }

  for (const group of deadLetters) {
    try {
      await options.deadLetter.sendEvents(group.reason, group.lines);
      counters.deadLettered += group.ids.length;
      reasons[group.reason] = (reasons[group.reason] ?? 0) + group.ids.length;
    } catch (error) {
      failures.push(`could not dead-letter ${group.ids.length} events (${group.reason}): ${describe(error)}`);
    }
  }
  counters.requests = deliverer.requests;
  counters.retries = deliverer.retries;
  if (failures.length === 0 && counters.delivered + counters.deadLettered !== counters.eventsIn) {
    failures.push(
      `internal error: ${counters.eventsIn} events in but ${counters.delivered} delivered + ${counters.deadLettered} dead-lettered`,
    );
  }
  return { counters, payloadDeadLettered: false, reasons, failures };
}

/** An error's name and message, never a stack: safe to log and to return to callers. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`.slice(0, 300);
  }
  return String(error).slice(0, 300);
}
