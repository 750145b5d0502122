/** One line of the wire format (docs/monitor-api.md), in its fixed key order. */
export interface WireRecord {
  readonly id: string;
  readonly timestamp: number;
  readonly enclave: string;
  readonly logGroup: string;
  readonly logStream: string;
  readonly message: string;
  readonly truncated?: true;
  /** UTF-8 bytes of the whole message when `truncated`. */
  readonly originalBytes?: number;
}

/** An event ready to send: its NDJSON line and, when the line was cut to fit, the whole line for the archive. */
export interface EncodedEvent {
  readonly id: string;
  readonly timestamp: number;
  readonly line: string;
  /** UTF-8 bytes of `line` plus its newline. */
  readonly bytes: number;
  readonly archiveLine?: string;
}

/** Characters JSON.stringify would escape in a string: quote, backslash, controls, lone surrogates. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what must be found
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** Events sent in one request and archived as one object. Its NDJSON went out in chunks (see `BatchBuilder`). */
export interface Batch {
  /** Position of the batch in the payload, as passed to `onChunk`. */
  readonly sequence: number;
  readonly ids: readonly string[];
  /** Uncompressed NDJSON bytes of the batch. */
  readonly bytes: number;
  /** Earliest event timestamp; dates the archive key. */
  readonly firstTimestamp: number;
  /** The whole lines of events that were sent truncated, by ID: the archive gets these instead. */
  readonly wholeLines?: ReadonlyMap<string, string>;
}

export function serialiseRecord(record: WireRecord): string {
  return JSON.stringify({
    id: record.id,
    timestamp: record.timestamp,
    enclave: record.enclave,
    logGroup: record.logGroup,
    logStream: record.logStream,
    message: record.message,
    ...(record.truncated ? { truncated: true, originalBytes: record.originalBytes } : {}),
  });
}

/**
 * The record's line with its message cut so that line plus newline fit in
 * `maxLineBytes`, marked `truncated` with the message's original size; or
 * undefined when even an empty message does not fit.
 */
export function truncateRecord(record: WireRecord, maxLineBytes: number): string | undefined {
  const originalBytes = record.originalBytes ?? Buffer.byteLength(record.message, 'utf8');
  const lineWith = (length: number) =>
    serialiseRecord({
      ...record,
      message: cutMessage(record.message, length),
      truncated: true,
      originalBytes,
    });
  const fits = (length: number) => Buffer.byteLength(lineWith(length), 'utf8') + 1 <= maxLineBytes;
  if (!fits(0)) {
    return undefined;
  }
  let low = 0;
  let high = record.message.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(middle)) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  return lineWith(low);
}

function cutMessage(message: string, length: number): string {
  const code = message.charCodeAt(length - 1);
  // Never split a surrogate pair: half a character would not survive UTF-8 encoding.
  return message.slice(0, code >= 0xd800 && code <= 0xdbff ? length - 1 : length);
}

/**
 * Encodes the events of one log stream. The common fields are serialised once;
 * the output is byte-for-byte what `serialiseRecord` gives.
 */
export class RecordEncoder {
  private readonly middle: string;

  constructor(
    private readonly enclave: string,
    private readonly logGroup: string,
    private readonly logStream: string,
    private readonly maxRequestBytes: number,
  ) {
    this.middle =
      `,"enclave":${JSON.stringify(enclave)},"logGroup":${JSON.stringify(logGroup)}` +
      `,"logStream":${JSON.stringify(logStream)},"message":`;
  }

  /** The encoded event, or a reason when it cannot be sent at all. */
  encode(id: string, timestamp: number, message: string): EncodedEvent | { readonly error: string } {
    // IDs are hex (ids.ts) and most messages need no escaping: skip JSON.stringify's copy for those.
    const quoted = NEEDS_ESCAPE.test(message) ? JSON.stringify(message) : `"${message}"`;
    const line = `{"id":"${id}","timestamp":${timestamp}${this.middle}${quoted}}`;
    const bytes = Buffer.byteLength(line, 'utf8') + 1;
    if (bytes <= this.maxRequestBytes) {
      return { id, timestamp, line, bytes };
    }
    const record = {
      id,
      timestamp,
      enclave: this.enclave,
      logGroup: this.logGroup,
      logStream: this.logStream,
      message,
    };
    const truncated = truncateRecord(record, this.maxRequestBytes);
    if (truncated === undefined) {
      return {
        error: `the record's fields other than its message exceed maxRequestBytes (${this.maxRequestBytes})`,
      };
    }
    return {
      id,
      timestamp,
      line: truncated,
      bytes: Buffer.byteLength(truncated, 'utf8') + 1,
      archiveLine: line,
    };
  }
}

/** Receives a batch's NDJSON in order, a chunk at a time. */
export type ChunkSink = (sequence: number, chunk: Buffer) => void;

export interface BatchBuilderOptions {
  /** Where each batch's NDJSON goes, chunk by chunk (the pipeline compresses as it comes). */
  readonly onChunk: ChunkSink;
  /** @default 256 KiB */
  readonly chunkBytes?: number;
}

interface OpenBatch {
  readonly sequence: number;
  readonly ids: string[];
  bytes: number;
  firstTimestamp: number;
  wholeLines?: Map<string, string>;
}

/**
 * Groups encoded events into batches whose NDJSON stays within
 * `maxRequestBytes`. Lines are written into small chunks handed to `onChunk`
 * as they fill, so no batch is ever held uncompressed in one piece.
 */
export class BatchBuilder {
  private current?: OpenBatch;
  private sequence = 0;
  private chunk: Buffer;
  private used = 0;
  private readonly chunkBytes: number;
  private readonly spare: Buffer[] = [];

  constructor(
    private readonly maxRequestBytes: number,
    private readonly options: BatchBuilderOptions,
  ) {
    this.chunkBytes = options.chunkBytes ?? 256 * 1024;
    this.chunk = Buffer.allocUnsafeSlow(this.chunkBytes);
  }

  /** Adds an event; returns the previous batch, complete, when this event starts a new one. */
  add(event: EncodedEvent): Batch | undefined {
    let full: Batch | undefined;
    if (this.current && this.current.bytes + event.bytes > this.maxRequestBytes) {
      full = this.finish();
    }
    const batch = (this.current ??= {
      sequence: this.sequence++,
      ids: [],
      bytes: 0,
      firstTimestamp: event.timestamp,
    });
    batch.ids.push(event.id);
    batch.bytes += event.bytes;
    if (event.timestamp < batch.firstTimestamp) {
      batch.firstTimestamp = event.timestamp;
    }
    if (event.archiveLine !== undefined) {
      (batch.wholeLines ??= new Map()).set(event.id, event.archiveLine);
    }
    if (this.used + event.bytes > this.chunkBytes) {
      this.flush(batch.sequence);
    }
    if (event.bytes > this.chunkBytes) {
      this.options.onChunk(batch.sequence, Buffer.from(`${event.line}\n`, 'utf8'));
    } else {
      this.chunk.write(event.line, this.used, 'utf8');
      this.chunk[this.used + event.bytes - 1] = 0x0a;
      this.used += event.bytes;
    }
    return full;
  }

  /** Completes the open batch (its last chunk goes to `onChunk` first). */
  finish(): Batch | undefined {
    const open = this.current;
    this.current = undefined;
    if (!open) {
      return undefined;
    }
    this.flush(open.sequence);
    return {
      sequence: open.sequence,
      ids: open.ids,
      bytes: open.bytes,
      firstTimestamp: open.firstTimestamp,
      ...(open.wholeLines ? { wholeLines: open.wholeLines } : {}),
    };
  }

  /** Gives back a chunk from `onChunk` that has been consumed, so its memory is reused. */
  recycle(chunk: Buffer): void {
    if (chunk.buffer.byteLength === this.chunkBytes && this.spare.length < 8) {
      this.spare.push(Buffer.from(chunk.buffer, 0, this.chunkBytes));
    }
  }

  private flush(sequence: number): void {
    if (this.used > 0) {
      // The receiver holds on to the chunk until it has consumed it (then `recycle`), so write into another.
      this.options.onChunk(sequence, this.chunk.subarray(0, this.used));
      this.chunk = this.spare.pop() ?? Buffer.allocUnsafeSlow(this.chunkBytes);
      this.used = 0;
    }
  }
}

/** The archive's NDJSON for a batch: its sent lines, with truncated events replaced by their whole lines. */
export function wholeNdjson(sent: Buffer, wholeLines: ReadonlyMap<string, string>): Buffer {
  return ndjson(ndjsonLines(sent).map((line) => wholeLines.get((JSON.parse(line) as WireRecord).id) ?? line));
}

/** The NDJSON body of some lines (each followed by a newline). */
export function ndjson(lines: readonly string[]): Buffer {
  return Buffer.from(lines.length === 0 ? '' : `${lines.join('\n')}\n`, 'utf8');
}

/** The lines of an NDJSON body (the inverse of `ndjson`). */
export function ndjsonLines(body: Buffer): string[] {
  const text = body.toString('utf8');
  return text.length === 0 ? [] : text.slice(0, text.endsWith('\n') ? -1 : undefined).split('\n');
}
