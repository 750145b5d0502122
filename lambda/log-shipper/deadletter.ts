import { createHash } from 'crypto';
import { truncateRecord, type WireRecord } from './batch';

/**
 * Where events the monitor did not acknowledge go, with the reason. The SQS
 * adapter splits under the queue's message limit; the folder adapter writes
 * one file per call.
 */
export interface DeadLetterSink {
  /** Events as NDJSON wire lines (already pseudonymised, so nothing personal leaves in clear). */
  sendEvents(reason: string, lines: readonly string[]): Promise<void>;
  /** A payload that could not be decoded, kept byte for byte. */
  sendPayload(reason: string, payload: RawPayload): Promise<void>;
}

/** An undecodable input: what it claimed to be, and its text. */
export interface RawPayload {
  readonly format: 'subscription-base64' | 'subscription-json' | 'lambda-event';
  readonly text: string;
}

export const DEAD_LETTER_VERSION = 1;

/** SQS's message limit is 256 KiB including attributes; stay below it. */
export const DEFAULT_MAX_MESSAGE_BYTES = 250_000;

/** One events message: `{version, kind: "events", enclave, reason, eventCount, events: [records]}`. */
export function eventsMessage(enclave: string, reason: string, lines: readonly string[]): string {
  return `${eventsHeader(enclave, reason, lines.length)}${lines.join(',')}]}`;
}

function eventsHeader(enclave: string, reason: string, count: number): string {
  return `{"version":${DEAD_LETTER_VERSION},"kind":"events","enclave":${JSON.stringify(enclave)},"reason":${JSON.stringify(reason)},"eventCount":${count},"events":[`;
}

/**
 * Events messages each within `maxBytes`. A record too large for a message on
 * its own has its message cut (`truncated`, `originalBytes`); the whole event
 * is in the archive.
 */
export function eventsMessages(
  enclave: string,
  reason: string,
  lines: readonly string[],
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
): string[] {
  // The header with a 7-digit count bounds every header of this call.
  const overhead = Buffer.byteLength(eventsHeader(enclave, reason, 9_999_999), 'utf8') + 2;
  const budget = maxBytes - overhead;
  const messages: string[] = [];
  let group: string[] = [];
  let groupBytes = 0;
  const flush = () => {
    if (group.length > 0) {
      messages.push(eventsMessage(enclave, reason, group));
      group = [];
      groupBytes = 0;
    }
  };
  for (const original of lines) {
    let line = original;
    let bytes = Buffer.byteLength(line, 'utf8');
    if (bytes + 1 > budget) {
      const record = JSON.parse(line) as WireRecord;
      line = truncateRecord(record, budget) ?? JSON.stringify({ id: record.id, truncated: true });
      bytes = Buffer.byteLength(line, 'utf8');
    }
    if (groupBytes + bytes + 1 > budget) {
      flush();
    }
    group.push(line);
    groupBytes += bytes + 1;
  }
  flush();
  return messages;
}

/**
 * Payload messages: the input's UTF-8 bytes in base64, in parts that each fit
 * `maxBytes`; `sha256` (of the whole input) ties the parts together.
 */
export function payloadMessages(
  enclave: string,
  reason: string,
  payload: RawPayload,
  maxBytes = DEFAULT_MAX_MESSAGE_BYTES,
): string[] {
  const bytes = Buffer.from(payload.text, 'utf8');
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const data = bytes.toString('base64');
  const header = (part: number, parts: number) =>
    `{"version":${DEAD_LETTER_VERSION},"kind":"payload","enclave":${JSON.stringify(enclave)},"reason":${JSON.stringify(reason)},"format":"${payload.format}","sha256":"${sha256}","part":${part},"parts":${parts},"data":"`;
  const chunk = Math.max(4, Math.floor((maxBytes - Buffer.byteLength(header(99_999, 99_999)) - 2) / 4) * 4);
  const parts = Math.max(1, Math.ceil(data.length / chunk));
  const messages: string[] = [];
  for (let part = 0; part < parts; part++) {
    messages.push(`${header(part + 1, parts)}${data.slice(part * chunk, (part + 1) * chunk)}"}`);
  }
  return messages;
}

/** A dead-letter or OnFailure message as `clover redrive` sees it. */
export type DeadLetterMessage =
  | {
      readonly kind: 'events';
      readonly enclave: string;
      readonly reason: string;
      readonly records: WireRecord[];
    }
  | { readonly kind: 'payload'; readonly enclave: string; readonly reason: string }
  | { readonly kind: 'invocation'; readonly base64: string; readonly reason: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Reads an event-level dead-letter message or a Lambda OnFailure destination record. */
export function parseDeadLetterMessage(body: string): DeadLetterMessage {
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(body) as Record<string, unknown>;
  } catch {
    return { kind: 'unknown', reason: 'message body is not JSON' };
  }
  if (typeof value !== 'object' || value === null) {
    return { kind: 'unknown', reason: 'message body is not a JSON object' };
  }
  if (value.version === DEAD_LETTER_VERSION && value.kind === 'events' && Array.isArray(value.events)) {
    const records = value.events as WireRecord[];
    if (records.every((record) => typeof record?.id === 'string' && typeof record.message === 'string')) {
      return { kind: 'events', enclave: String(value.enclave), reason: String(value.reason), records };
    }
    return { kind: 'unknown', reason: 'events message with records lacking id or message' };
  }
  if (value.version === DEAD_LETTER_VERSION && value.kind === 'payload') {
    return { kind: 'payload', enclave: String(value.enclave), reason: String(value.reason) };
  }
  const request = value.requestPayload as { awslogs?: { data?: unknown } } | undefined;
  if (typeof request?.awslogs?.data === 'string') {
    const context = value.requestContext as { condition?: unknown } | undefined;
    return {
      kind: 'invocation',
      base64: request.awslogs.data,
      reason: `Lambda ${String(context?.condition ?? 'failure')}`,
    };
  }
  return { kind: 'unknown', reason: 'neither a Clover dead-letter message nor a Lambda OnFailure record' };
}
