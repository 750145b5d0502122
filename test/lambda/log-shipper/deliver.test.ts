import {
  backoffDelay,
  classifyResult,
  Deliverer,
  parseRetryAfter,
  type DeliveryOptions,
  type PostResult,
} from '../../../lambda/log-shipper/deliver';

/** A clock that only moves when the code under test sleeps (or a request "takes" time). */
function fakeClock(start = 1_000_000) {
  const clock = {
    time: start,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: async (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
    },
  };
  return clock;
}

/** A transport that answers from a script and records what it was asked. */
function scriptedTransport(
  answer: (body: string, index: number) => PostResult,
  takesMs = 0,
  clock?: { time: number },
) {
  const transport = {
    calls: [] as Array<{ lines: number; timeoutMs: number }>,
    post: async (body: Buffer, timeoutMs: number) => {
      const text = body.toString('utf8');
      transport.calls.push({ lines: text.split('\n').length - 1, timeoutMs });
      if (clock) {
        clock.time += takesMs;
      }
      return answer(text, transport.calls.length - 1);
    },
    close: () => undefined,
  };
  return transport;
}

function deliverer(
  overrides: Partial<DeliveryOptions> & Pick<DeliveryOptions, 'transport' | 'clock' | 'deadline'>,
) {
  return new Deliverer({
    requestTimeoutMs: 10_000,
    random: () => 0.5,
    gzip: async (body) => body,
    ...overrides,
  });
}

const unit = (count: number) => {
  const ids = Array.from({ length: count }, (_, index) => `id-${index}`);
  return { ids, lines: ids.map((id) => JSON.stringify({ id })) };
};

describe('classifyResult', () => {
  test.each([
    [{ status: 200 }, 'ack'],
    [{ status: 204 }, 'ack'],
    [{ status: 413 }, 'split'],
    [{ status: 408 }, 'retry'],
    [{ status: 429 }, 'retry'],
    [{ status: 500 }, 'retry'],
    [{ status: 503 }, 'retry'],
    [{ status: 400 }, 'reject'],
    [{ status: 401 }, 'reject'],
    [{ status: 403 }, 'reject'],
    [{ status: 404 }, 'reject'],
    [{ status: 301 }, 'reject'],
    [{ error: 'ECONNRESET' }, 'retry'],
    [{ error: 'ECONNREFUSED' }, 'retry'],
    [{ error: 'REQUEST_TIMEOUT' }, 'retry'],
    [{ error: 'EAI_AGAIN' }, 'retry'],
    [{ error: 'ENOTFOUND' }, 'reject'],
    [{ error: 'SELF_SIGNED_CERT_IN_CHAIN' }, 'reject'],
    [{ error: 'DEPTH_ZERO_SELF_SIGNED_CERT' }, 'reject'],
    [{ error: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }, 'reject'],
    [{ error: 'ERR_TLS_CERT_ALTNAME_INVALID' }, 'reject'],
    [{ error: 'CERT_HAS_EXPIRED' }, 'reject'],
  ] as Array<[PostResult, string]>)('%j → %s', (result, kind) => {
    expect(classifyResult(result, 0).kind).toBe(kind);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  test('reads delta-seconds and HTTP dates, and ignores anything else', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Mon, 23 Nov 2026 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  test('is full jitter: uniform below min(max, base × 2^attempt)', () => {
    expect(backoffDelay(0, 100, 20_000, () => 0.999)).toBe(99);
    expect(backoffDelay(3, 100, 20_000, () => 0.5)).toBe(400);
    expect(backoffDelay(20, 100, 20_000, () => 0.5)).toBe(10_000);
    expect(backoffDelay(5, 100, 20_000, () => 0)).toBe(0);
  });
});

describe('Deliverer', () => {
  test('retries 5xx with exponential backoff and full jitter until acknowledged', async () => {
    const clock = fakeClock();
    const transport = scriptedTransport((_body, index) => (index < 3 ? { status: 503 } : { status: 200 }));
    const subject = deliverer({ transport, clock, deadline: clock.time + 60_000 });
    const result = await subject.deliver(unit(3));
    expect(result).toEqual({ acknowledged: ['id-0', 'id-1', 'id-2'], deadLetters: [] });
    expect(clock.sleeps).toEqual([50, 100, 200]);
    expect([subject.requests, subject.retries]).toEqual([4, 3]);
  });

  test('honours Retry-After instead of its own backoff', async () => {
    const clock = fakeClock();
    const transport = scriptedTransport((_body, index) =>
      index === 0 ? { status: 429, retryAfter: '7' } : { status: 200 },
    );
    const result = await deliverer({ transport, clock, deadline: clock.time + 60_000 }).deliver(unit(1));
    expect(result.acknowledged).toEqual(['id-0']);
    expect(clock.sleeps).toEqual([7000]);
  });

  test('dead-letters at once when Retry-After would pass the deadline', async () => {
    const clock = fakeClock();
    const transport = scriptedTransport(() => ({ status: 429, retryAfter: '120' }));
    const result = await deliverer({ transport, clock, deadline: clock.time + 10_000 }).deliver(unit(2));
    expect(clock.sleeps).toEqual([]);
    expect(result.acknowledged).toEqual([]);
    expect(result.deadLetters).toEqual([
      expect.objectContaining({
        ids: ['id-0', 'id-1'],
        reason: expect.stringMatching(
          /HTTP 429; retries exhausted after 1 attempt\(s\) \(Retry-After 120000 ms/,
        ),
      }),
    ]);
  });

  test('bounds every request by the time left before the deadline', async () => {
    const clock = fakeClock();
    const transport = scriptedTransport(() => ({ error: 'REQUEST_TIMEOUT' }), 4000, clock);
    const result = await deliverer({
      transport,
      clock,
      deadline: clock.time + 9000,
      requestTimeoutMs: 4000,
      random: () => 0,
    }).deliver(unit(1));
    expect(transport.calls.map((call) => call.timeoutMs)).toEqual([4000, 4000, 1000]);
    expect(result.deadLetters[0].reason).toMatch(
      /^request timed out; retries exhausted after 3 attempt\(s\)/,
    );
  });

  test('splits on 413 down to single events and dead-letters only the one the monitor cannot take', async () => {
    const clock = fakeClock();
    const transport = scriptedTransport((body) =>
      body.split('\n').length - 1 > 2 || body.includes('id-5') ? { status: 413 } : { status: 200 },
    );
    const result = await deliverer({ transport, clock, deadline: clock.time + 60_000 }).deliver(unit(8));
    expect(result.acknowledged.sort()).toEqual(['id-0', 'id-1', 'id-2', 'id-3', 'id-4', 'id-6', 'id-7']);
    expect(result.deadLetters).toEqual([
      expect.objectContaining({ ids: ['id-5'], reason: expect.stringMatching(/413 for a single event/) }),
    ]);
    expect(clock.sleeps).toEqual([]);
  });

  test('does not retry a rejection, and says why', async () => {
    const clock = fakeClock();
    const transport = scriptedTransport(() => ({ status: 403 }));
    const subject = deliverer({ transport, clock, deadline: clock.time + 60_000 });
    const result = await subject.deliver(unit(2));
    expect(subject.requests).toBe(1);
    expect(result.deadLetters[0].reason).toBe('the monitor rejected the request with HTTP 403');
  });

  test('dead-letters without a request when the deadline has already passed', async () => {
    const clock = fakeClock();
    const transport = scriptedTransport(() => ({ status: 200 }));
    const result = await deliverer({ transport, clock, deadline: clock.time }).deliver(unit(1));
    expect(transport.calls).toHaveLength(0);
    expect(result.deadLetters[0].reason).toBe('deadline reached after 0 attempt(s) (no attempt made)');
  });
});
