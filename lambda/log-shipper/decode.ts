import { gunzipSync } from 'zlib';
import type { LogEvent, SubscriptionPayload } from './types';

/**
 * Upper bound on a decompressed payload. A legitimate 1 MB delivery of flow logs
 * inflates to about 9 MB; 64 MiB leaves room for very repetitive logs while a
 * zip bomb (gzip reaches ~1000:1) stops long before it can exhaust memory.
 */
export const DEFAULT_MAX_DECOMPRESSED_BYTES = 64 * 1024 * 1024;

/** A subscription payload as received: the base64 body, or its already decoded JSON text. */
export type PayloadInput = { readonly base64: string } | { readonly json: string };

/**
 * A payload that cannot be shipped. `reason` never quotes the payload itself,
 * so it is safe to log and to put in the dead-letter queue.
 */
export class PayloadError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'PayloadError';
  }
}

export interface DecodeOptions {
  /** @default DEFAULT_MAX_DECOMPRESSED_BYTES */
  readonly maxDecompressedBytes?: number;
}

/** The decompressed JSON bytes of a payload, or a `PayloadError` naming the step that failed. */
export function payloadJson(input: PayloadInput, options: DecodeOptions = {}): Buffer {
  if ('json' in input) {
    return Buffer.from(input.json, 'utf8');
  }
  return gunzipCapped(
    decodeBase64(input.base64),
    options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES,
  );
}

/** Decodes a whole payload into objects (tests and small inputs; the pipeline uses `scanPayload`). */
export function decodePayload(input: PayloadInput, options: DecodeOptions = {}): SubscriptionPayload {
  const scan = scanPayload(payloadJson(input, options));
  const logEvents = Array.from({ length: scan.eventCount }, (_, index) => scan.event(index));
  return { ...scan.header, logEvents };
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Strict base64: Node's own decoder silently skips bad characters, which would
 * hide a corrupt payload. Line breaks and spaces (a wrapped file) are allowed.
 */
export function decodeBase64(encoded: string): Buffer {
  const text = /\s/.test(encoded) ? encoded.replace(/\s+/g, '') : encoded;
  if (text.length === 0) {
    throw new PayloadError('payload is empty');
  }
  if (!BASE64.test(text)) {
    const position = text.search(/[^A-Za-z0-9+/=]/);
    throw new PayloadError(
      position >= 0
        ? `payload is not valid base64 (unexpected character at position ${position})`
        : 'payload is not valid base64 (misplaced padding)',
    );
  }
  if (text.length % 4 !== 0) {
    throw new PayloadError(`payload is not valid base64 (length ${text.length} is not a multiple of 4)`);
  }
  return Buffer.from(text, 'base64');
}

export function gunzipCapped(compressed: Buffer, maxBytes: number): Buffer {
  if (compressed.length < 2 || compressed[0] !== 0x1f || compressed[1] !== 0x8b) {
    throw new PayloadError('payload is not valid gzip data (missing gzip header)');
  }
  if (compressed.length < 18) {
    throw new PayloadError(`payload is not valid gzip data (only ${compressed.length} bytes)`);
  }
  // gzip's trailer states the decompressed size: one output chunk of that size
  // spares zlib's final concatenation (a second full copy). A lying trailer only
  // costs that copy; deflate cannot exceed ~1032:1, which bounds the chunk too.
  const statedSize = compressed.readUInt32LE(compressed.length - 4);
  const chunkSize = Math.max(16 * 1024, Math.min(statedSize + 1, maxBytes + 1, compressed.length * 1032));
  try {
    return gunzipSync(compressed, { maxOutputLength: maxBytes, chunkSize });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new PayloadError(`payload decompresses to more than ${maxBytes} bytes (limit against zip bombs)`);
    }
    // zlib messages ("unexpected end of file", "invalid block type") never quote data.
    throw new PayloadError(
      `payload is not valid gzip data (${code ?? 'error'}: ${(error as Error).message})`,
    );
  }
}

/** A payload's fields other than its events. */
export type PayloadHeader = Omit<SubscriptionPayload, 'logEvents'>;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/**
 * A payload whose structure has been checked without materialising it: the
 * header is parsed, the events are located and parsed one at a time on
 * demand. Holding one event at a time instead of the whole parsed document
 * (about 3.5 × the JSON text in V8) keeps memory near the JSON bytes.
 */
export class PayloadScan {
  constructor(
    readonly header: PayloadHeader,
    private readonly json: Buffer,
    private readonly starts: Uint32Array,
    private readonly ends: Uint32Array,
    readonly eventCount: number,
  ) {}

  /** Event `index`, checked; a `PayloadError` names it when it is not a valid log event. */
  event(index: number): LogEvent {
    let value: unknown;
    try {
      value = JSON.parse(this.json.toString('utf8', this.starts[index], this.ends[index]));
    } catch {
      throw new PayloadError(`payload is not valid JSON (syntax error in logEvents[${index}])`);
    }
    checkEvent(value, index);
    return value as LogEvent;
  }

  /**
   * Events `from` to `to` (exclusive), checked, parsed with one `JSON.parse`
   * of their stretch of the payload (the commas between them included), which
   * is much cheaper than one call per event.
   */
  events(from: number, to: number): LogEvent[] {
    const end = Math.min(to, this.eventCount);
    if (from >= end) {
      return [];
    }
    let values: unknown;
    try {
      values = JSON.parse(`[${this.json.toString('utf8', this.starts[from], this.ends[end - 1])}]`);
    } catch {
      values = undefined;
    }
    if (!Array.isArray(values) || values.length !== end - from) {
      // Find and name the culprit.
      return Array.from({ length: end - from }, (_, offset) => this.event(from + offset));
    }
    values.forEach((value, offset) => checkEvent(value, from + offset));
    return values as LogEvent[];
  }
}

/**
 * Checks the JSON structure of a subscription payload in one pass over its
 * bytes, parses the header fields and records where each log event is.
 * Throws a `PayloadError` (never quoting the payload) on bad JSON or shape.
 */
export function scanPayload(json: Buffer): PayloadScan {
  const scanner = new Scanner(json);
  const fields: Record<string, unknown> = {};
  let starts: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  let ends: Uint32Array<ArrayBuffer> = new Uint32Array(1024);
  let count = 0;
  let sawEvents = false;
  let eventsAreArray = false;

  scanner.skipWhitespace();
  if (scanner.peek() !== OPEN_BRACE) {
    const start = scanner.position;
    scanner.skipValue();
    scanner.expectEnd();
    scanner.parse(start, scanner.position);
    return wrong('expected a JSON object');
  }
  scanner.position++;
  scanner.skipWhitespace();
  if (scanner.peek() === CLOSE_BRACE) {
    scanner.position++;
  } else {
    for (;;) {
      scanner.skipWhitespace();
      const key = scanner.readKey();
      scanner.skipWhitespace();
      scanner.expect(COLON);
      scanner.skipWhitespace();
      if (key === 'logEvents' && scanner.peek() === OPEN_BRACKET) {
        sawEvents = eventsAreArray = true;
        count = 0;
        scanner.position++;
        scanner.skipWhitespace();
        if (scanner.peek() === CLOSE_BRACKET) {
          scanner.position++;
        } else {
          for (;;) {
            scanner.skipWhitespace();
            const start = scanner.position;
            scanner.skipValue();
            if (scanner.json[start] !== OPEN_BRACE) {
              scanner.parse(start, scanner.position);
              wrong(`logEvents[${count}] must be an object`);
            }
            if (count === starts.length) {
              starts = grow(starts);
              ends = grow(ends);
            }
            starts[count] = start;
            ends[count] = scanner.position;
            count++;
            scanner.skipWhitespace();
            if (scanner.peek() === COMMA) {
              scanner.position++;
            } else {
              scanner.expect(CLOSE_BRACKET);
              break;
            }
          }
        }
      } else {
        const start = scanner.position;
        scanner.skipValue();
        if (key === 'logEvents') {
          sawEvents = true;
          eventsAreArray = false;
          scanner.parse(start, scanner.position);
        } else if (HEADER_FIELDS.has(key)) {
          fields[key] = scanner.parse(start, scanner.position);
        }
      }
      scanner.skipWhitespace();
      if (scanner.peek() === COMMA) {
        scanner.position++;
      } else {
        scanner.expect(CLOSE_BRACE);
        break;
      }
    }
  }
  scanner.expectEnd();

  const header = checkHeader(fields);
  if (header.messageType === 'CONTROL_MESSAGE') {
    return new PayloadScan(header, json, starts, ends, 0);
  }
  if (!sawEvents || !eventsAreArray) {
    wrong('logEvents must be an array');
  }
  return new PayloadScan(header, json, starts, ends, count);
}

const HEADER_FIELDS = new Set(['messageType', 'owner', 'logGroup', 'logStream', 'subscriptionFilters']);

function grow(array: Uint32Array<ArrayBuffer>): Uint32Array<ArrayBuffer> {
  const larger = new Uint32Array(array.length * 2);
  larger.set(array);
  return larger;
}

/** A byte cursor over JSON that checks structure; values are parsed only where needed. */
class Scanner {
  position = 0;

  constructor(readonly json: Buffer) {}

  peek(): number {
    return this.json[this.position];
  }

  skipWhitespace(): void {
    const json = this.json;
    let position = this.position;
    let byte = json[position];
    while (byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09) {
      byte = json[++position];
    }
    this.position = position;
  }

  expect(byte: number): void {
    if (this.json[this.position] !== byte) {
      this.syntaxError();
    }
    this.position++;
  }

  expectEnd(): void {
    this.skipWhitespace();
    if (this.position !== this.json.length) {
      this.syntaxError();
    }
  }

  readKey(): string {
    const start = this.position;
    if (this.peek() !== QUOTE) {
      this.syntaxError();
    }
    this.skipString();
    return this.parse(start, this.position) as string;
  }

  /** Skips one value: a string, an object or array (brackets balanced), or a number or literal. */
  skipValue(): void {
    const json = this.json;
    const first = json[this.position];
    if (first === QUOTE) {
      this.skipString();
      return;
    }
    if (first !== OPEN_BRACE && first !== OPEN_BRACKET) {
      const start = this.position;
      let position = start;
      let byte = json[position];
      while (
        position < json.length &&
        byte !== COMMA &&
        byte !== CLOSE_BRACE &&
        byte !== CLOSE_BRACKET &&
        byte !== 0x20 &&
        byte !== 0x0a &&
        byte !== 0x0d &&
        byte !== 0x09
      ) {
        byte = json[++position];
      }
      if (position === start) {
        this.syntaxError();
      }
      this.position = position;
      return;
    }
    // The hot loop: most bytes of a payload are inside event objects.
    let depth = 0;
    const length = json.length;
    for (let position = this.position; position < length; position++) {
      const byte = json[position];
      if (byte === QUOTE) {
        for (position++; position < length; position++) {
          const inner = json[position];
          if (inner === BACKSLASH) {
            position++;
          } else if (inner === QUOTE) {
            break;
          }
        }
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (--depth === 0) {
          this.position = position + 1;
          return;
        }
      }
    }
    this.position = length;
    this.syntaxError();
  }

  private skipString(): void {
    const json = this.json;
    const length = json.length;
    for (let position = this.position + 1; position < length; position++) {
      const byte = json[position];
      if (byte === BACKSLASH) {
        position++;
      } else if (byte === QUOTE) {
        this.position = position + 1;
        return;
      }
    }
    this.position = length;
    this.syntaxError();
  }

  /** Parses a slice already delimited by the scanner; this is where primitives are validated. */
  parse(start: number, end: number): unknown {
    try {
      return JSON.parse(this.json.toString('utf8', start, end));
    } catch {
      this.position = start;
      return this.syntaxError();
    }
  }

  syntaxError(): never {
    throw new PayloadError(
      this.position >= this.json.length
        ? 'payload is not valid JSON (unexpected end)'
        : `payload is not valid JSON (syntax error at byte ${this.position})`,
    );
  }
}

function wrong(what: string): never {
  throw new PayloadError(`payload is not a CloudWatch Logs subscription payload: ${what}`);
}

function checkHeader(fields: Record<string, unknown>): PayloadHeader {
  if (fields.messageType !== 'DATA_MESSAGE' && fields.messageType !== 'CONTROL_MESSAGE') {
    return wrong('messageType must be DATA_MESSAGE or CONTROL_MESSAGE');
  }
  const text = (field: string) => (typeof fields[field] === 'string' ? (fields[field] as string) : '');
  if (fields.messageType === 'DATA_MESSAGE') {
    for (const field of ['logGroup', 'logStream']) {
      if (text(field) === '') {
        wrong(`${field} must be a non-empty string`);
      }
    }
  }
  const filters = fields.subscriptionFilters;
  return {
    messageType: fields.messageType,
    owner: text('owner'),
    logGroup: text('logGroup'),
    logStream: text('logStream'),
    subscriptionFilters: Array.isArray(filters) ? filters.filter((name) => typeof name === 'string') : [],
  };
}

function checkEvent(value: unknown, index: number): asserts value is LogEvent {
  const event = value as Partial<Record<keyof LogEvent, unknown>> | null;
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    wrong(`logEvents[${index}] must be an object`);
  } else if (typeof event.id !== 'string' || event.id === '') {
    wrong(`logEvents[${index}].id must be a non-empty string`);
  } else if (typeof event.timestamp !== 'number' || !Number.isFinite(event.timestamp)) {
    wrong(`logEvents[${index}].timestamp must be a number (epoch milliseconds)`);
  } else if (typeof event.message !== 'string') {
    wrong(`logEvents[${index}].message must be a string`);
  }
}

/** Checks an already parsed payload object, naming the first field that is wrong. */
export function validatePayload(value: unknown): SubscriptionPayload {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return wrong('expected a JSON object');
  }
  const payload = value as Record<string, unknown>;
  const header = checkHeader(payload);
  if (header.messageType === 'CONTROL_MESSAGE') {
    return { ...header, logEvents: [] };
  }
  if (!Array.isArray(payload.logEvents)) {
    return wrong('logEvents must be an array');
  }
  payload.logEvents.forEach((event, index) => checkEvent(event, index));
  return { ...header, logEvents: payload.logEvents as LogEvent[] };
}
