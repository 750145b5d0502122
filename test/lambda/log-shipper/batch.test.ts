import { archiveKey } from '../../../lambda/log-shipper/archive';
import {
  BatchBuilder,
  ndjson,
  RecordEncoder,
  serialiseRecord,
  truncateRecord,
  type EncodedEvent,
  type WireRecord,
} from '../../../lambda/log-shipper/batch';

const encoder = (max = 5_000_000) =>
  new RecordEncoder('dublin-1', '/clover/dublin-1/flow-logs', 'eni-1', max);
const encoded = (result: ReturnType<RecordEncoder['encode']>): EncodedEvent => {
  if ('error' in result) {
    throw new Error(result.error);
  }
  return result;
};

describe('RecordEncoder', () => {
  test('writes the wire format fields in order, byte for byte what serialiseRecord gives', () => {
    const event = encoded(encoder().encode('0123abcd', 1795000000123, 'msg "quoted" ünïcode\n'));
    const record: WireRecord = {
      id: '0123abcd',
      timestamp: 1795000000123,
      enclave: 'dublin-1',
      logGroup: '/clover/dublin-1/flow-logs',
      logStream: 'eni-1',
      message: 'msg "quoted" ünïcode\n',
    };
    expect(event.line).toBe(serialiseRecord(record));
    expect(JSON.parse(event.line)).toEqual(record);
    expect(event.bytes).toBe(Buffer.byteLength(event.line) + 1);
    expect(event.archiveLine).toBeUndefined();
  });

  test('cuts an event over the limit to fit, marks it truncated with its original size, and keeps it whole for the archive', () => {
    const message = 'é'.repeat(3000);
    const event = encoded(encoder(2000).encode('id-1', 1, message));
    expect(event.bytes).toBeLessThanOrEqual(2000);
    const sent = JSON.parse(event.line) as WireRecord;
    expect(sent.truncated).toBe(true);
    expect(sent.originalBytes).toBe(6000);
    expect(message.startsWith(sent.message)).toBe(true);
    expect(sent.message.length).toBeGreaterThan(800);
    expect(JSON.parse(event.archiveLine as string).message).toBe(message);
  });

  test('never splits a surrogate pair when cutting', () => {
    const line = truncateRecord(
      { id: 'x', timestamp: 1, enclave: 'e', logGroup: 'g', logStream: 's', message: '😀'.repeat(500) },
      300,
    ) as string;
    const message = (JSON.parse(line) as WireRecord).message;
    expect(message).toBe('😀'.repeat(message.length / 2));
    expect(Buffer.byteLength(line) + 1).toBeLessThanOrEqual(300);
  });

  test('reports an event that cannot fit even with an empty message', () => {
    const tiny = new RecordEncoder('dublin-1', `/clover/${'g'.repeat(300)}`, 's', 200);
    expect(tiny.encode('id', 1, 'x')).toEqual({
      error: expect.stringMatching(/exceed maxRequestBytes \(200\)/),
    });
  });
});

describe('BatchBuilder', () => {
  test('keeps every batch within the byte limit, counting the newline of each line', () => {
    const builder = new BatchBuilder(1000);
    const enc = encoder(1000);
    const batches = [];
    for (let index = 0; index < 50; index++) {
      const full = builder.add(
        encoded(enc.encode(`id-${index}`, 1000 + index, `message ${index} ${'x'.repeat(index * 3)}`)),
      );
      if (full) {
        batches.push(full);
      }
    }
    batches.push(builder.finish()!);
    expect(builder.finish()).toBeUndefined();
    expect(batches.flatMap((batch) => batch.ids)).toEqual(
      Array.from({ length: 50 }, (_, index) => `id-${index}`),
    );
    for (const batch of batches) {
      const body = ndjson(batch.lines);
      expect(body.length).toBe(batch.bytes);
      expect(body.length).toBeLessThanOrEqual(1000);
      expect(batch.firstTimestamp).toBe(
        Math.min(...batch.lines.map((line) => (JSON.parse(line) as WireRecord).timestamp)),
      );
    }
    expect(batches.length).toBeGreaterThan(3);
  });

  test('keeps archive lines only for a batch with a truncated event', () => {
    const builder = new BatchBuilder(3000);
    const enc = encoder(2000);
    expect(builder.add(encoded(enc.encode('a', 1, 'short')))).toBeUndefined();
    expect(builder.add(encoded(enc.encode('b', 2, 'y'.repeat(5000))))).toBeUndefined();
    const batch = builder.finish()!;
    expect(batch.lines).toHaveLength(2);
    expect(batch.archiveLines).toHaveLength(2);
    expect(batch.archiveLines![0]).toBe(batch.lines[0]);
    expect(JSON.parse(batch.archiveLines![1]).message).toHaveLength(5000);
  });

  test('writes NDJSON with a newline after every line', () => {
    expect(ndjson(['{"a":1}', '{"b":"ü"}']).toString('utf8')).toBe('{"a":1}\n{"b":"ü"}\n');
  });
});

describe('archiveKey', () => {
  test('derives the key from the sorted event IDs and the earliest event date, whatever the order', () => {
    const key = archiveKey('dublin-1', ['b', 'a', 'c'], Date.UTC(2026, 10, 18, 23, 59));
    expect(key).toBe(archiveKey('dublin-1', ['c', 'b', 'a'], Date.UTC(2026, 10, 18, 23, 59)));
    expect(key).toMatch(/^archive\/dublin-1\/2026\/11\/18\/[0-9a-f]{64}\.ndjson\.gz$/);
    expect(archiveKey('dublin-1', ['a', 'b'], 0)).not.toBe(archiveKey('dublin-1', ['a', 'b', 'c'], 0));
    expect(archiveKey('hamar', ['a'], 0)).toMatch(/^archive\/hamar\/1970\/01\/01\//);
  });
});
