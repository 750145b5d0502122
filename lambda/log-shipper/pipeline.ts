import { promisify } from 'util';
import { createGzip, gunzipSync, gzip as gzipCallback, type Gzip } from 'zlib';
import { archiveKey, type ArchiveStore } from './archive';
import { BatchBuilder, ndjsonLines, RecordEncoder, serialiseRecord, wholeNdjson, type Batch } from './batch';
import { payloadJson, PayloadError, scanPayload, type PayloadInput } from './decode';
import type { DeadLetterSink } from './deadletter';
import { Deliverer, type DeadLetterGroup, type DeliveryOptions, type Transport } from './deliver';
import { eventIdsFor } from './ids';
import type { Pseudonymiser } from './pseudonymise';
import { systemClock, zeroCounters, type Clock, type Counters } from './types';

const gzipAsync = promisify(gzipCallback);

/** Uncompressed bytes queued for zlib before encoding waits for it. */
const MAX_PENDING_BYTES = 1024 * 1024;

/** Events parsed per `JSON.parse` call. */
const PARSE_GROUP = 256;

export interface PipelineOptions {
  /** Enclave name, written into every record and the archive key. */
  readonly enclave: string;
  /** The shipper's account, in the archive key. */
  readonly account: string;
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
  /** Told before each wait for a retry. @default nothing */
  readonly onRetry?: DeliveryOptions['onRetry'];
}

export interface PipelineResult {
  readonly counters: Counters;
  /**
   * The input could not be decoded and was dead-lettered whole. `eventsIn` and
   * `deadLettered` then count the events it was found to hold (a poisoned
   * payload: its structure checked out but an event did not), 0 when not even
   * its structure could be read.
   */
  readonly payloadDeadLettered: boolean;
  /** Dead-letter reasons and how many events each covered; safe to log (no event content). */
  readonly reasons: Readonly<Record<string, number>>;
  /**
   * Why the run could not keep its promise (an archive or dead-letter write
   * failed). Non-empty means the caller must fail so the payload is kept upstream.
   */
  readonly failures: readonly string[];
  /**
   * Events dead-lettered because the monitor did not answer in time (retries or
   * deadline exhausted). The Lambda handler fails the invocation for them after
   * dead-lettering, so Lambda's async retries and OnFailure also keep the payload.
   */
  readonly exhausted: number;
}

/** A batch encoded and being compressed, waiting for the whole payload to check out. */
interface PreparedBatch {
  readonly ids: readonly string[];
  readonly firstTimestamp: number;
  readonly body: Promise<Buffer>;
  readonly archiveBody: Promise<Buffer>;
}

/**
 * Ships one subscription payload: decode, drop control messages, ID,
 * pseudonymise, batch, then archive and deliver each batch, and dead-letter
 * what the monitor did not acknowledge. Per event ID: acknowledged or
 * dead-lettered, never neither; `eventsIn === delivered + deadLettered`
 * unless `failures` says otherwise.
 *
 * Every event is checked and encoded before the first request, so a payload
 * that turns out to be corrupt half-way is dead-lettered whole, not half
 * shipped. Batches are compressed on the libuv pool while encoding goes on.
 */
export async function runPipeline(input: PayloadInput, options: PipelineOptions): Promise<PipelineResult> {
  const counters = zeroCounters();
  const failures: string[] = [];
  const reasons: Record<string, number> = {};
  const gzipLevel = options.gzipLevel ?? 1;
  const gzip = (body: Buffer) => gzipAsync(body, { level: gzipLevel });

  // Events the payload was found to hold before it turned out to be undecodable.
  let eventsFound = 0;
  const undecodable = async (error: PayloadError): Promise<PipelineResult> => {
    const raw =
      'json' in input
        ? { format: 'subscription-json' as const, text: input.json }
        : { format: 'subscription-base64' as const, text: input.base64 };
    try {
      await options.deadLetter.sendPayload(error.reason, raw);
      return {
        counters: { ...zeroCounters(), eventsIn: eventsFound, deadLettered: eventsFound },
        payloadDeadLettered: true,
        reasons: { [error.reason]: eventsFound },
        failures,
        exhausted: 0,
      };
    } catch (sinkError) {
      failures.push(`could not dead-letter an undecodable payload (${error.reason}): ${describe(sinkError)}`);
      return {
        counters: { ...zeroCounters(), eventsIn: eventsFound },
        payloadDeadLettered: false,
        reasons,
        failures,
        exhausted: 0,
      };
    }
  };

  const prepared: PreparedBatch[] = [];
  const unsendable: DeadLetterGroup[] = [];
  const compressors = new Map<number, Compressor>();
  try {
    const scan = scanPayload(payloadJson(input, { maxDecompressedBytes: options.maxDecompressedBytes }));
    const { logGroup, logStream } = scan.header;
    counters.eventsIn = eventsFound = scan.eventCount;
    const idOf = eventIdsFor(logGroup, logStream);
    const encoder = new RecordEncoder(options.enclave, logGroup, logStream, options.maxRequestBytes);
    const compressorFor = (sequence: number): Compressor => {
      let compressor = compressors.get(sequence);
      if (!compressor) {
        compressor = new Compressor(gzipLevel);
        compressors.set(sequence, compressor);
      }
      return compressor;
    };
    const builder: BatchBuilder = new BatchBuilder(options.maxRequestBytes, {
      onChunk: (sequence, chunk) => compressorFor(sequence).write(chunk, () => builder.recycle(chunk)),
    });
    const seal = (batch: Batch | undefined): void => {
      if (!batch) {
        return;
      }
      const body = compressorFor(batch.sequence).end();
      compressors.delete(batch.sequence);
      const wholeLines = batch.wholeLines;
      const archiveBody = wholeLines
        ? body.then((sent) => gzip(wholeNdjson(gunzipSync(sent), wholeLines)))
        : body;
      // Settled later; a rejection must not surface before then.
      body.catch(() => undefined);
      archiveBody.catch(() => undefined);
      prepared.push({ ids: batch.ids, firstTimestamp: batch.firstTimestamp, body, archiveBody });
    };
    for (let first = 0; first < scan.eventCount; first += PARSE_GROUP) {
      for (const event of scan.events(first, first + PARSE_GROUP)) {
        const id = idOf(event.id);
        const message = options.pseudonymiser.apply(event.message);
        const encoded = encoder.encode(id, event.timestamp, message);
        if ('error' in encoded) {
          const record = {
            id,
            timestamp: event.timestamp,
            enclave: options.enclave,
            logGroup,
            logStream,
            message,
          };
          unsendable.push({ ids: [id], lines: [serialiseRecord(record)], reason: encoded.error });
        } else {
          seal(builder.add(encoded));
        }
      }
      // Let zlib take the chunks written so far (it compresses on the libuv pool meanwhile).
      await Promise.all([...compressors.values()].map((compressor) => compressor.relieve()));
    }
    seal(builder.finish());
  } catch (error) {
    for (const compressor of compressors.values()) {
      compressor.end().catch(() => undefined);
    }
    if (error instanceof PayloadError) {
      return undecodable(error);
    }
    throw error;
  }

  const deliverer = new Deliverer({
    transport: options.transport,
    clock: options.clock ?? systemClock,
    deadline: options.deadline,
    requestTimeoutMs: options.requestTimeoutMs,
    baseDelayMs: options.baseDelayMs,
    maxDelayMs: options.maxDelayMs,
    random: options.random,
    gzip,
    onRetry: options.onRetry,
  });
  const deadLetters: DeadLetterGroup[] = [...unsendable];
  const ship = async (batch: PreparedBatch): Promise<void> => {
    const key = archiveKey(options.enclave, options.account, batch.ids, batch.firstTimestamp);
    const [archived, delivered] = await Promise.allSettled([
      batch.archiveBody.then((body) => options.archive.putIfAbsent(key, body, batch.ids.length)),
      batch.body.then((body) => deliverer.deliver({ ids: batch.ids, body })),
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
      // Only a failed compression gets here; the events cannot be sent, so they are dead-lettered as written.
      const lines = ndjsonLines(await batch.body.catch(() => Buffer.alloc(0)));
      deadLetters.push({ ids: batch.ids, lines, reason: `delivery error: ${describe(delivered.reason)}` });
    }
  };
  await inParallel(prepared, Math.max(1, options.concurrency ?? 2), ship);

  let exhausted = 0;
  for (const group of deadLetters) {
    try {
      await options.deadLetter.sendEvents(group.reason, group.lines);
      counters.deadLettered += group.ids.length;
      if (group.exhausted) exhausted += group.ids.length;
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
  return { counters, payloadDeadLettered: false, reasons, failures, exhausted };
}

/**
 * gzip of one batch, fed chunk by chunk while the batch is being encoded, so
 * the batch never exists uncompressed in one piece.
 */
class Compressor {
  private readonly stream: Gzip;
  private readonly output: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(level: number) {
    this.stream = createGzip({ level, chunkSize: 64 * 1024 });
    this.stream.on('data', (chunk: Buffer) => this.output.push(chunk));
    this.done = new Promise((resolve, reject) => {
      this.stream.on('end', () => resolve(Buffer.concat(this.output)));
      this.stream.on('error', reject);
    });
  }

  /** Queues a chunk; `consumed` runs once zlib has taken it and its memory may be reused. */
  write(chunk: Buffer, consumed: () => void): void {
    this.stream.write(chunk, consumed);
  }

  /** Yields to the event loop, and waits while more than `MAX_PENDING_BYTES` are queued for zlib. */
  async relieve(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    while (this.stream.writableLength > MAX_PENDING_BYTES) {
      await new Promise((resolve) => this.stream.once('drain', resolve));
    }
  }

  end(): Promise<Buffer> {
    this.stream.end();
    return this.done;
  }
}

/** Runs `work` on every item, at most `limit` at a time. */
async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      await work(items[next++]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** An error's name and message, never a stack: safe to log and to return to callers. */
export function describe(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`.slice(0, 300);
  }
  return String(error).slice(0, 300);
}
