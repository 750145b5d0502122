import { gunzipSync } from 'zlib';
import { ndjson, ndjsonLines } from './batch';
import type { Clock } from './types';

/** What one POST to the monitor came back with: an HTTP status, or a network/TLS error code. */
export type PostResult =
  | { readonly status: number; readonly retryAfter?: string }
  | { readonly error: string; readonly detail?: string };

/** Sends one gzip NDJSON body. Implemented over Node `https` in adapters/https-transport.ts. */
export interface Transport {
  post(body: Buffer, timeoutMs: number): Promise<PostResult>;
  close(): void;
}

/** How to proceed after one attempt. */
export type Verdict =
  | { readonly kind: 'ack' }
  | { readonly kind: 'retry'; readonly reason: string; readonly retryAfterMs?: number }
  | { readonly kind: 'split'; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string };

/** Error codes of a certificate the client does not trust: never send, never retry. */
export const UNTRUSTED_CERTIFICATE: ReadonlySet<string> = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Errors that will not go away by retrying within one invocation. */
const PERMANENT_ERRORS: Record<string, string> = {
  ENOTFOUND: 'the monitor host name does not resolve (ENOTFOUND)',
  ERR_SSL_UNSUPPORTED_PROTOCOL: 'the monitor does not offer TLS 1.2 or newer',
  ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION: 'the monitor does not offer TLS 1.2 or newer',
  ERR_SSL_WRONG_VERSION_NUMBER: 'the monitor did not answer with TLS (is the URL plain http?)',
};

/** Network errors worth retrying, named for the people who read dead-letter reasons and progress lines. */
const TRANSIENT_ERRORS: Record<string, string> = {
  REQUEST_TIMEOUT: 'request timed out',
  ECONNREFUSED: 'the monitor refused the connection (ECONNREFUSED)',
  ECONNRESET: 'the connection to the monitor was reset (ECONNRESET)',
  ETIMEDOUT: 'the connection to the monitor timed out (ETIMEDOUT)',
  EAI_AGAIN: 'the monitor host name could not be resolved for now (EAI_AGAIN, DNS failing)',
  EHOSTUNREACH: 'no route to the monitor host (EHOSTUNREACH)',
  ENETUNREACH: 'no route to the monitor network (ENETUNREACH)',
};

export function classifyResult(result: PostResult, now: number): Verdict {
  if ('error' in result) {
    if (UNTRUSTED_CERTIFICATE.has(result.error)) {
      return { kind: 'reject', reason: `untrusted certificate (${result.error}); nothing was sent` };
    }
    const permanent = PERMANENT_ERRORS[result.error];
    if (permanent) {
      return { kind: 'reject', reason: permanent };
    }
    return { kind: 'retry', reason: TRANSIENT_ERRORS[result.error] ?? result.error };
  }
  const { status } = result;
  if (status >= 200 && status < 300) {
    return { kind: 'ack' };
  }
  if (status === 413) {
    return { kind: 'split', reason: 'HTTP 413' };
  }
  if (status === 408 || status === 429 || status >= 500) {
    return { kind: 'retry', reason: `HTTP ${status}`, retryAfterMs: parseRetryAfter(result.retryAfter, now) };
  }
  if (status >= 400) {
    return { kind: 'reject', reason: `the monitor rejected the request with HTTP ${status}` };
  }
  return {
    kind: 'reject',
    reason: `unexpected HTTP ${status} from the monitor (redirects are not followed)`,
  };
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or invalid. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  // An HTTP date names its weekday and month; anything else (e.g. "-1") is invalid.
  const date = /[a-z]/i.test(text) ? Date.parse(text) : Number.NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter: uniform in [0, min(max, base × 2^attempt)). */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number, random: () => number): number {
  return Math.floor(random() * Math.min(maxMs, baseMs * 2 ** attempt));
}

export interface DeliveryOptions {
  readonly transport: Transport;
  readonly clock: Clock;
  /** Epoch ms after which no request is started; undelivered events are then dead-lettered. */
  readonly deadline: number;
  readonly requestTimeoutMs: number;
  /** @default 100 */
  readonly baseDelayMs?: number;
  /** @default 20000 */
  readonly maxDelayMs?: number;
  /** @default Math.random */
  readonly random?: () => number;
  /** Compresses a body; the pipeline passes async zlib so compression runs off the main thread. */
  readonly gzip: (body: Buffer) => Promise<Buffer>;
  /** Told before each wait for a retry (the CLI reports progress with it). @default nothing */
  readonly onRetry?: (notice: RetryNotice) => void;
}

/** A retry about to happen: why, after which attempt, how long until it, and how many events wait for it. */
export interface RetryNotice {
  readonly reason: string;
  /** The attempt that failed, from 1. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly events: number;
  /** Epoch ms after which no request is started. */
  readonly deadline: number;
}

/**
 * Events to deliver together: their IDs and the gzip body, or their NDJSON
 * lines. Lines are recovered from the body only when needed (a 413 split or a
 * dead letter), so a batch in flight costs its compressed size.
 */
export type DeliveryUnit =
  | { readonly ids: readonly string[]; readonly body: Buffer; readonly lines?: readonly string[] }
  | { readonly ids: readonly string[]; readonly lines: readonly string[]; readonly body?: Buffer };

export interface DeadLetterGroup {
  readonly reason: string;
  readonly ids: readonly string[];
  readonly lines: readonly string[];
  /** The monitor never answered in time (retries or deadline exhausted), as opposed to rejecting the events. */
  readonly exhausted?: boolean;
}

export interface DeliveryResult {
  readonly acknowledged: string[];
  readonly deadLetters: DeadLetterGroup[];
}

/**
 * Delivers units to the monitor: retries 408/429/5xx, timeouts and connection
 * errors with backoff until the deadline, splits on 413 down to single events,
 * and dead-letters what the monitor rejects or what is left at the deadline.
 * Every ID of a unit ends up in exactly one of `acknowledged` and `deadLetters`.
 */
export class Deliverer {
  requests = 0;
  retries = 0;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly random: () => number;

  constructor(private readonly options: DeliveryOptions) {
    this.baseDelayMs = options.baseDelayMs ?? 100;
    this.maxDelayMs = options.maxDelayMs ?? 20_000;
    this.random = options.random ?? Math.random;
  }

  async deliver(unit: DeliveryUnit): Promise<DeliveryResult> {
    const result: DeliveryResult = { acknowledged: [], deadLetters: [] };
    await this.deliverInto(unit, result);
    return result;
  }

  private async deliverInto(unit: DeliveryUnit, result: DeliveryResult): Promise<void> {
    const { clock, deadline, transport } = this.options;
    const body = unit.body ?? (await this.options.gzip(ndjson(unit.lines as readonly string[])));
    let lastReason: string | undefined;
    for (let attempt = 0; ; attempt++) {
      const remaining = deadline - clock.now();
      if (remaining <= 0) {
        const last = lastReason ? `last: ${lastReason}` : 'no attempt made';
        result.deadLetters.push({
          ...unitOf(unit),
          reason: `deadline reached after ${attempt} attempt(s) (${last})`,
          exhausted: true,
        });
        return;
      }
      this.requests++;
      const outcome = await transport.post(body, Math.min(this.options.requestTimeoutMs, remaining));
      const verdict = classifyResult(outcome, clock.now());
      switch (verdict.kind) {
        case 'ack':
          result.acknowledged.push(...unit.ids);
          return;
        case 'reject':
          result.deadLetters.push({ ...unitOf(unit), reason: verdict.reason });
          return;
        case 'split':
          if (unit.ids.length === 1) {
            result.deadLetters.push({
              ...unitOf(unit),
              reason: 'HTTP 413 for a single event: the monitor limit is below maxRequestBytes',
            });
            return;
          }
          for (const half of halves(unit)) {
            await this.deliverInto(half, result);
          }
          return;
        case 'retry': {
          lastReason = verdict.reason;
          const delay =
            verdict.retryAfterMs ?? backoffDelay(attempt, this.baseDelayMs, this.maxDelayMs, this.random);
          if (clock.now() + delay >= deadline) {
            const wait =
              verdict.retryAfterMs !== undefined ? `Retry-After ${delay} ms` : `next retry in ${delay} ms`;
            result.deadLetters.push({
              ...unitOf(unit),
              reason: `${verdict.reason}; retries exhausted after ${attempt + 1} attempt(s) (${wait} would pass the deadline)`,
              exhausted: true,
            });
            return;
          }
          this.retries++;
          this.options.onRetry?.({
            reason: verdict.reason,
            attempt: attempt + 1,
            delayMs: delay,
            events: unit.ids.length,
            deadline,
          });
          await clock.sleep(delay);
        }
      }
    }
  }
}

function linesOf(unit: DeliveryUnit): readonly string[] {
  return unit.lines ?? ndjsonLines(gunzipSync(unit.body as Buffer));
}

function unitOf(unit: DeliveryUnit): Omit<DeadLetterGroup, 'reason'> {
  return { ids: unit.ids, lines: linesOf(unit) };
}

function halves(unit: DeliveryUnit): DeliveryUnit[] {
  const lines = linesOf(unit);
  const middle = Math.ceil(unit.ids.length / 2);
  return [
    { ids: unit.ids.slice(0, middle), lines: lines.slice(0, middle) },
    { ids: unit.ids.slice(middle), lines: lines.slice(middle) },
  ];
}
