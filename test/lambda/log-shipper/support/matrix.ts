import { gzipSync } from 'zlib';
import {
  flowLogMessages,
  largeFlowLogPayload,
  makePayload,
  type GeneratedPayload,
} from '../../../fixtures/shipper/flow-logs';
import { always, sequence, type MonitorBehaviour, type TestMonitor } from './monitor';

/** What the test learned from one run of the shipper (handler or `clover ship`). */
export interface ShipperRun {
  readonly counters: {
    eventsIn: number;
    delivered: number;
    archived: number;
    deadLettered: number;
    requests: number;
    retries: number;
  };
  /** Dead-letter messages (SQS bodies or DLQ folder files), as written. */
  readonly deadLetterBodies: string[];
  /** Archive objects stored after the run. */
  readonly archiveObjects: number;
}

/** Run settings; each runner maps them to handler options or `clover ship` flags. */
export interface RunSettings {
  readonly deadlineMs: number;
  readonly requestTimeoutMs: number;
  readonly maxRequestBytes: number;
}

export type CaseInput = { readonly payload: GeneratedPayload } | { readonly malformed: string };

/** One row of the fault-injection matrix. */
export interface MatrixCase {
  readonly name: string;
  readonly input: () => CaseInput;
  readonly behaviour: MonitorBehaviour;
  /** `untrusted`: the server's certificate comes from a CA the client does not trust. @default 'trusted' */
  readonly server?: 'trusted' | 'untrusted';
  /** Point the shipper at a `.invalid` host name (fails to resolve locally). */
  readonly unresolvable?: boolean;
  readonly settings?: Partial<RunSettings>;
  /** Which input IDs must end up dead-lettered; all others must be acknowledged. */
  readonly deadLettered: 'none' | 'all' | ((ids: readonly string[]) => readonly string[]);
  /** The reason in the dead-letter messages. */
  readonly reason?: RegExp;
  readonly serverRequests?: number;
  readonly minServerRequests?: number;
  readonly minRetries?: number;
}

export const DEFAULT_SETTINGS: RunSettings = {
  deadlineMs: 10_000,
  requestTimeoutMs: 2_000,
  maxRequestBytes: 5_000_000,
};

const smallPayload = () => ({ payload: makePayload({ messages: flowLogMessages(25, 7) }) });

/** 30 small events, then one whose line alone is larger than the monitor's 4000-byte limit. */
const payloadWithOneLargeEvent = () => ({
  payload: makePayload({ messages: [...flowLogMessages(30, 3), `large event ${'x'.repeat(6000)}`] }),
});

let large: GeneratedPayload | undefined;
/** 1 MB of base64 that decompresses to about 9 MB (generated once per test file). */
export const largePayload = (): GeneratedPayload => (large ??= largeFlowLogPayload());

export const MALFORMED = {
  'bad base64': '!!this is not base64!!',
  'bad gzip': Buffer.from('plain text, not gzip').toString('base64'),
  'bad JSON': gzipSync('{"messageType":"DATA_MESSAGE","logEvents":[oops').toString('base64'),
} as const;

export const MATRIX: readonly MatrixCase[] = [
  {
    name: '200 acknowledges everything',
    input: smallPayload,
    behaviour: always({ status: 200 }),
    deadLettered: 'none',
  },
  {
    name: '400 dead-letters the batch without retrying',
    input: smallPayload,
    behaviour: always({ status: 400 }),
    deadLettered: 'all',
    reason: /HTTP 400/,
    serverRequests: 1,
  },
  {
    name: '401 dead-letters the batch',
    input: smallPayload,
    behaviour: always({ status: 401 }),
    deadLettered: 'all',
    reason: /HTTP 401/,
    serverRequests: 1,
  },
  {
    name: '403 dead-letters the batch',
    input: smallPayload,
    behaviour: always({ status: 403 }),
    deadLettered: 'all',
    reason: /HTTP 403/,
    serverRequests: 1,
  },
  {
    name: '413 splits down to single events and dead-letters the one that is too large',
    input: payloadWithOneLargeEvent,
    behaviour: ({ bytes }) => (bytes > 4000 ? { status: 413 } : { status: 200 }),
    deadLettered: (ids) => ids.slice(-1),
    reason: /413 for a single event/,
  },
  {
    name: '429 with Retry-After is retried after the wait',
    input: smallPayload,
    behaviour: sequence({ status: 429, headers: { 'Retry-After': '1' } }),
    deadLettered: 'none',
    serverRequests: 2,
    minRetries: 1,
  },
  {
    name: '500 is retried until the monitor recovers',
    input: smallPayload,
    behaviour: sequence({ status: 500 }, { status: 500 }),
    deadLettered: 'none',
    serverRequests: 3,
    minRetries: 2,
  },
  {
    name: '503 until the deadline dead-letters with retries exhausted',
    input: smallPayload,
    behaviour: always({ status: 503 }),
    settings: { deadlineMs: 1200 },
    deadLettered: 'all',
    // On a loaded machine the last attempt can hit its (shortened) request timeout before the 503 arrives.
    reason:
      /(HTTP 503|request timed out); retries exhausted|deadline reached after \d+ attempt\(s\) \(last: HTTP 503/,
    minRetries: 1,
  },
  {
    name: 'a connection reset is retried',
    input: smallPayload,
    behaviour: sequence('reset'),
    deadLettered: 'none',
    minRetries: 1,
  },
  {
    name: 'a monitor that never answers times out and dead-letters at the deadline',
    input: smallPayload,
    behaviour: always('hang'),
    settings: { deadlineMs: 1000, requestTimeoutMs: 250 },
    deadLettered: 'all',
    reason: /request timed out/,
  },
  {
    name: 'an unresolvable host dead-letters without retrying',
    input: smallPayload,
    behaviour: always({ status: 200 }),
    unresolvable: true,
    deadLettered: 'all',
    reason: /does not resolve \(ENOTFOUND\)/,
    serverRequests: 0,
  },
  {
    name: 'an untrusted certificate refuses to send and dead-letters',
    input: smallPayload,
    behaviour: always({ status: 200 }),
    server: 'untrusted',
    deadLettered: 'all',
    reason: /untrusted certificate/,
    serverRequests: 0,
  },
  ...Object.entries(MALFORMED).map(([what, data]): MatrixCase => ({
    name: `a payload with ${what} is dead-lettered whole with its reason`,
    input: () => ({ malformed: data }),
    behaviour: always({ status: 200 }),
    deadLettered: 'none',
    reason: new RegExp(`not valid ${what.replace('bad ', '')}`, 'i'),
    serverRequests: 0,
  })),
  {
    name: 'a 1 MB payload that decompresses to about 9 MB is delivered in batches under the limit',
    input: () => ({ payload: largePayload() }),
    behaviour: always({ status: 200 }),
    settings: { deadlineMs: 30_000, requestTimeoutMs: 20_000 },
    deadLettered: 'none',
    minServerRequests: 2,
  },
];

/** Event IDs and payload reasons found in dead-letter messages. */
export function readDeadLetters(bodies: readonly string[]): {
  eventIds: string[];
  reasons: string[];
  payloads: number;
} {
  const eventIds: string[] = [];
  const reasons: string[] = [];
  let payloads = 0;
  for (const body of bodies) {
    const message = JSON.parse(body) as { kind: string; reason: string; events?: Array<{ id: string }> };
    reasons.push(message.reason);
    if (message.kind === 'events') {
      eventIds.push(...(message.events ?? []).map((event) => event.id));
    } else {
      payloads++;
    }
  }
  return { eventIds, reasons, payloads };
}

/**
 * The promise, checked by counting IDs at the monitor and in the dead-letter
 * queue: every input ID acknowledged or dead-lettered (never neither), the
 * expected ones dead-lettered, and the counters adding up.
 */
export function expectInvariant(
  testCase: MatrixCase,
  input: CaseInput,
  monitor: TestMonitor,
  run: ShipperRun,
): void {
  const dead = readDeadLetters(run.deadLetterBodies);
  expect(monitor.headerProblems).toEqual([]);
  if ('malformed' in input) {
    expect(run.counters.eventsIn).toBe(0);
    expect(dead.payloads).toBe(1);
    expect(dead.reasons.join('\n')).toMatch(testCase.reason as RegExp);
    expect(monitor.requests).toBe(0);
    return;
  }
  const ids = input.payload.ids;
  const expectedDead =
    testCase.deadLettered === 'none'
      ? []
      : testCase.deadLettered === 'all'
        ? ids
        : testCase.deadLettered(ids);
  const acknowledged = new Set(monitor.acknowledged);
  const deadLettered = new Set(dead.eventIds);
  const neither = ids.filter((id) => !acknowledged.has(id) && !deadLettered.has(id));
  expect(neither).toEqual([]);
  expect([...deadLettered].sort()).toEqual([...expectedDead].sort());
  expect(run.counters.eventsIn).toBe(ids.length);
  expect(run.counters.deadLettered).toBe(expectedDead.length);
  expect(run.counters.delivered).toBe(ids.length - expectedDead.length);
  expect(run.counters.delivered + run.counters.deadLettered).toBe(run.counters.eventsIn);
  // The shipper never claims an acknowledgment the monitor did not give.
  const claimed = ids.filter((id) => !deadLettered.has(id));
  expect(claimed.filter((id) => !acknowledged.has(id))).toEqual([]);
  expect(run.counters.archived).toBe(ids.length);
  if (testCase.reason) {
    expect(dead.reasons.join('\n')).toMatch(testCase.reason);
  }
  if (testCase.serverRequests !== undefined) {
    expect(monitor.requests).toBe(testCase.serverRequests);
  }
  if (testCase.minServerRequests !== undefined) {
    expect(monitor.requests).toBeGreaterThanOrEqual(testCase.minServerRequests);
  }
  if (testCase.minRetries !== undefined) {
    expect(run.counters.retries).toBeGreaterThanOrEqual(testCase.minRetries);
  }
  const limit = { ...DEFAULT_SETTINGS, ...testCase.settings }.maxRequestBytes;
  expect(monitor.bodySizes.every((size) => size <= limit)).toBe(true);
}
