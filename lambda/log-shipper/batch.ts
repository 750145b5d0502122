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

/** Events sent in one request and archived as one object. */
export interface Batch {
  readonly ids: string[];
  readonly lines: string[];
  /** Present only when an event was truncated: the lines to archive, with every event whole. */
  archiveLines?: string[];
  /** Uncompressed NDJSON bytes of `lines`. */
  bytes: number;
  /** Earliest event timestamp; dates the archive key. */
  firstTimestamp: number;
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
    const line = `{"id":${JSON.stringify(id)},"timestamp":${timestamp}${this.middle}${JSON.stringify(message)}}`;
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

/** Groups encoded events into batches whose NDJSON stays within `maxRequestBytes`. */
export class BatchBuilder {
  private current?: Batch;

  constructor(private readonly maxRequestBytes: number) {}

  /** Adds an event; returns the previous batch when this event starts a new one. */
  add(event: EncodedEvent): Batch | undefined {
    let full: Batch | undefined;
    if (this.current && this.current.bytes + event.bytes > this.maxRequestBytes) {
      full = this.current;
      this.current = undefined;
    }
    const batch = (this.current ??= { ids: [], lines: [], bytes: 0, firstTimestamp: event.timestamp });
    if (event.archiveLine !== undefined && batch.archiveLines === undefined) {
      batch.archiveLines = [...batch.lines];
    }
    batch.ids.push(event.id);
    batch.lines.push(event.line);
    batch.archiveLines?.push(event.archiveLine ?? event.line);
    batch.bytes += event.bytes;
    batch.firstTimestamp = Math.min(batch.firstTimestamp, event.timestamp);
    return full;
  }

  /** The last, partly filled batch. */
  finish(): Batch | undefined {
    const last = this.current;
    this.current = undefined;
    return last;
  }
}

/** The NDJSON body of some lines (each followed by a newline), written straight into one buffer. */
export function ndjson(lines: readonly string[], knownBytes?: number): Buffer {
  let size = knownBytes ?? 0;
  if (knownBytes === undefined) {
    for (const line of lines) {
      size += Buffer.byteLength(line, 'utf8') + 1;
    }
  }
  const body = Buffer.allocUnsafe(size);
  let offset = 0;
  for (const line of lines) {
    offset += body.write(line, offset, 'utf8');
    body[offset++] = 0x0a;
  }
  return body;
}
