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

/** Decodes a subscription payload, or throws a `PayloadError` saying which step failed. */
export function decodePayload(input: PayloadInput, options: DecodeOptions = {}): SubscriptionPayload {
  if ('json' in input) {
    return validatePayload(parseJson(input.json));
  }
  const compressed = decodeBase64(input.base64);
  const text = gunzipCapped(compressed, options.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED_BYTES);
  return validatePayload(parseJson(text.toString('utf8')));
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
  try {
    return gunzipSync(compressed, { maxOutputLength: maxBytes });
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

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8's message quotes the input around the error; keep only the position.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new PayloadError(
      position === undefined
        ? 'payload is not valid JSON (unexpected end or token)'
        : `payload is not valid JSON (syntax error at position ${position})`,
    );
  }
}

/** Checks the shape of a decoded payload, naming the first field that is wrong. */
export function validatePayload(value: unknown): SubscriptionPayload {
  const wrong = (what: string): never => {
    throw new PayloadError(`payload is not a CloudWatch Logs subscription payload: ${what}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return wrong('expected a JSON object');
  }
  const payload = value as Record<string, unknown>;
  if (payload.messageType !== 'DATA_MESSAGE' && payload.messageType !== 'CONTROL_MESSAGE') {
    return wrong('messageType must be DATA_MESSAGE or CONTROL_MESSAGE');
  }
  if (payload.messageType === 'CONTROL_MESSAGE') {
    return { ...emptyPayload(), ...pickStrings(payload), messageType: 'CONTROL_MESSAGE', logEvents: [] };
  }
  for (const field of ['logGroup', 'logStream'] as const) {
    if (typeof payload[field] !== 'string' || payload[field] === '') {
      wrong(`${field} must be a non-empty string`);
    }
  }
  const events = payload.logEvents;
  if (!Array.isArray(events)) {
    return wrong('logEvents must be an array');
  }
  for (let index = 0; index < events.length; index++) {
    const event = events[index] as Partial<Record<keyof LogEvent, unknown>> | null;
    if (typeof event !== 'object' || event === null) {
      wrong(`logEvents[${index}] must be an object`);
    } else if (typeof event.id !== 'string' || event.id === '') {
      wrong(`logEvents[${index}].id must be a non-empty string`);
    } else if (typeof event.timestamp !== 'number' || !Number.isFinite(event.timestamp)) {
      wrong(`logEvents[${index}].timestamp must be a number (epoch milliseconds)`);
    } else if (typeof event.message !== 'string') {
      wrong(`logEvents[${index}].message must be a string`);
    }
  }
  return payload as unknown as SubscriptionPayload;
}

function emptyPayload(): SubscriptionPayload {
  return {
    messageType: 'CONTROL_MESSAGE',
    owner: '',
    logGroup: '',
    logStream: '',
    subscriptionFilters: [],
    logEvents: [],
  };
}

function pickStrings(payload: Record<string, unknown>): Partial<SubscriptionPayload> {
  const result: Record<string, string> = {};
  for (const field of ['owner', 'logGroup', 'logStream']) {
    if (typeof payload[field] === 'string') {
      result[field] = payload[field] as string;
    }
  }
  return result;
}
