import { gunzipSync } from 'zlib';
import type { ArchiveStore } from '../../../lambda/log-shipper/archive';
import type { WireRecord } from '../../../lambda/log-shipper/batch';
import type { DeadLetterSink } from '../../../lambda/log-shipper/deadletter';
import type { Transport } from '../../../lambda/log-shipper/deliver';
import { runPipeline, type PipelineOptions } from '../../../lambda/log-shipper/pipeline';
import { Pseudonymiser } from '../../../lambda/log-shipper/pseudonymise';
import { flowLogMessages, makePayload } from '../../fixtures/shipper/flow-logs';

/** In-memory stand-ins that record everything. */
function harness(answer: () => number = () => 200) {
  const objects = new Map<string, Buffer>();
  const bodies: Buffer[] = [];
  const deadLetters: Array<{ reason: string; records: WireRecord[] }> = [];
  const archive: ArchiveStore = {
    putIfAbsent: async (key, body) => {
      if (objects.has(key)) {
        return 'exists';
      }
      objects.set(key, body);
      return 'created';
    },
  };
  const deadLetter: DeadLetterSink = {
    sendEvents: async (reason, lines) =>
      void deadLetters.push({ reason, records: lines.map((line) => JSON.parse(line)) }),
    sendPayload: async () => undefined,
  };
  const transport: Transport = {
    post: async (body) => {
      bodies.push(body);
      return { status: answer() };
    },
    close: () => undefined,
  };
  const options = (overrides: Partial<PipelineOptions> = {}): PipelineOptions => ({
    enclave: 'dublin-1',
    account: '111111111111',
    pseudonymiser: new Pseudonymiser('k'.repeat(32)),
    archive,
    deadLetter,
    transport,
    deadline: Date.now() + 10_000,
    maxRequestBytes: 5_000_000,
    requestTimeoutMs: 1000,
    ...overrides,
  });
  return { objects, bodies, deadLetters, options };
}

const lines = (body: Buffer): WireRecord[] =>
  gunzipSync(body)
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe('runPipeline', () => {
  test('sends pseudonymised wire records in gzip NDJSON batches under the limit, and archives each batch', async () => {
    const payload = makePayload({ messages: flowLogMessages(200, 9) });
    const { bodies, objects, options } = harness();
    const result = await runPipeline({ base64: payload.base64 }, options({ maxRequestBytes: 8000 }));
    expect(result.counters).toMatchObject({ eventsIn: 200, delivered: 200, archived: 200, deadLettered: 0 });
    expect(result.failures).toEqual([]);
    expect(bodies.length).toBeGreaterThan(3);
    expect(objects.size).toBe(bodies.length);
    const sent = bodies.flatMap(lines);
    // Two batches are in flight at once, so arrival order is not fixed.
    expect(sent.map((record) => record.id).sort()).toEqual([...payload.ids].sort());
    for (const body of bodies) {
      expect(gunzipSync(body).length).toBeLessThanOrEqual(8000);
    }
    // The payload's first event, wherever its batch arrived.
    expect(sent.find((record) => record.id === payload.ids[0])).toMatchObject({
      enclave: 'dublin-1',
      logGroup: payload.logGroup,
      logStream: payload.logStream,
      timestamp: 1795000000000,
    });
    // Public peers are tokens; the enclave's private addresses stay readable.
    expect(sent.every((record) => !/\b(203|198|85|91|34)\.\d+\.\d+\.\d+/.test(record.message))).toBe(true);
    expect(sent.some((record) => / 10\.10\.\d+\.\d+ /.test(record.message))).toBe(true);
  });

  test('sends an oversized event truncated and archives it whole', async () => {
    const big = `big ${'q'.repeat(20_000)}`;
    const payload = makePayload({ messages: ['small', big] });
    const { bodies, objects, options } = harness();
    const result = await runPipeline({ base64: payload.base64 }, options({ maxRequestBytes: 5000 }));
    expect(result.counters).toMatchObject({ eventsIn: 2, delivered: 2, archived: 2 });
    const sentBig = bodies.flatMap(lines).find((record) => record.truncated);
    expect(sentBig).toMatchObject({ truncated: true, originalBytes: Buffer.byteLength(big) });
    const archived = [...objects.values()].flatMap(lines).find((record) => record.id === sentBig?.id);
    expect(archived?.message).toBe(big);
    expect(archived?.truncated).toBeUndefined();
  });

  test('dead-letters an event whose fields alone exceed the limit, and ships the rest', async () => {
    const payload = makePayload({ messages: ['a', 'b'], logStream: `stream-${'s'.repeat(1200)}` });
    const { deadLetters, options } = harness();
    const result = await runPipeline({ base64: payload.base64 }, options({ maxRequestBytes: 1024 }));
    expect(result.counters).toMatchObject({ eventsIn: 2, delivered: 0, deadLettered: 2 });
    expect(deadLetters[0].reason).toMatch(/fields other than its message exceed maxRequestBytes \(1024\)/);
  });

  test('reports a failure, and never claims success, when the dead-letter sink fails', async () => {
    const payload = makePayload({ messages: ['a'] });
    const { options } = harness(() => 401);
    const result = await runPipeline(
      { base64: payload.base64 },
      options({
        deadLetter: {
          sendEvents: () => Promise.reject(new Error('queue gone')),
          sendPayload: async () => undefined,
        },
      }),
    );
    expect(result.counters).toMatchObject({ eventsIn: 1, delivered: 0, deadLettered: 0 });
    expect(result.failures).toEqual([
      expect.stringMatching(/could not dead-letter 1 events .*Error: queue gone/),
    ]);
  });

  test('counts the events of a poisoned payload (structure fine, one event not) as dead-lettered with it', async () => {
    const payload = JSON.parse(makePayload({ messages: ['a', 'b', 'c', 'd', 'e'] }).json);
    payload.logEvents[3].message = 42;
    const { bodies, options } = harness();
    const sent: string[] = [];
    const result = await runPipeline(
      { json: JSON.stringify(payload) },
      options({
        deadLetter: {
          sendEvents: async () => undefined,
          sendPayload: async (reason) => void sent.push(reason),
        },
      }),
    );
    expect(sent).toEqual([
      'payload is not a CloudWatch Logs subscription payload: logEvents[3].message must be a string',
    ]);
    expect(result.payloadDeadLettered).toBe(true);
    expect(result.counters).toMatchObject({ eventsIn: 5, delivered: 0, deadLettered: 5, archived: 0 });
    expect(result.reasons).toEqual({ [sent[0]]: 5 });
    expect(bodies).toHaveLength(0);
  });

  test('counts no event for a payload whose structure cannot be read', async () => {
    const { options } = harness();
    const result = await runPipeline({ json: '{"logEvents": [' }, options());
    expect(result.payloadDeadLettered).toBe(true);
    expect(result.counters).toMatchObject({ eventsIn: 0, deadLettered: 0 });
  });

  test('ships nothing for a control message', async () => {
    const payload = makePayload({ messages: ['health check'], messageType: 'CONTROL_MESSAGE' });
    const { bodies, options } = harness();
    const result = await runPipeline({ base64: payload.base64 }, options());
    expect(result.counters.eventsIn).toBe(0);
    expect(bodies).toHaveLength(0);
  });
});
