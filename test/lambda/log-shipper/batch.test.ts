import { archiveKey, sortIds } from '../../../lambda/log-shipper/archive';
import {
  BatchBuilder,
  ndjson,
  ndjsonLines,
  RecordEncoder,
  serialiseRecord,
  truncateRecord,
  wholeNdjson,
  type Batch,
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

  test.each(['plain flow log 10.0.0.1', 'tab\there', 'emoji 😀', 'lone \ud800 surrogate', 'back\\slash', ''])(
    'encodes %j exactly as JSON.stringify would',
    (message) => {
      const event = encoded(encoder().encode('abc', 1, message));
      expect(event.line).toBe(
        serialiseRecord({
          id: 'abc',
          timestamp: 1,
          enclave: 'dublin-1',
          logGroup: '/clover/dublin-1/flow-logs',
          logStream: 'eni-1',
          message,
        }),
      );
    },
  );

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

/** A builder whose chunks are collected per batch, to read each batch's NDJSON back. */
function collecting(maxRequestBytes: number, chunkBytes?: number) {
  const chunks = new Map<number, Buffer[]>();
  const builder = new BatchBuilder(maxRequestBytes, {
    chunkBytes,
    onChunk: (sequence, chunk) => chunks.set(sequence, [...(chunks.get(sequence) ?? []), Buffer.from(chunk)]),
  });
  const ndjsonOf = (batch: Batch) => Buffer.concat(chunks.get(batch.sequence) ?? []);
  return { builder, ndjsonOf, chunks };
}

describe('BatchBuilder', () => {
  test('keeps every batch within the byte limit, counting the newline of each line', () => {
    const { builder, ndjsonOf } = collecting(1000, 300);
    const enc = encoder(1000);
    const batches: Batch[] = [];
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
    expect(batches.map((batch) => batch.sequence)).toEqual(batches.map((_, index) => index));
    for (const batch of batches) {
      const body = ndjsonOf(batch);
      const lines = ndjsonLines(body);
      expect(lines.map((line) => (JSON.parse(line) as WireRecord).id)).toEqual(batch.ids);
      expect(ndjson(lines)).toEqual(body);
      expect(body.length).toBe(batch.bytes);
      expect(body.length).toBeLessThanOrEqual(1000);
      expect(batch.firstTimestamp).toBe(
        Math.min(...lines.map((line) => (JSON.parse(line) as WireRecord).timestamp)),
      );
    }
    expect(batches.length).toBeGreaterThan(3);
  });

  test('hands a line larger than a chunk over whole, in order', () => {
    const { builder, ndjsonOf, chunks } = collecting(100_000, 256);
    const enc = encoder();
    const messages = ['small one', 'z'.repeat(2000), 'small two', 'ü'.repeat(300)];
    messages.forEach((message, index) => builder.add(encoded(enc.encode(`id-${index}`, index, message))));
    const batch = builder.finish()!;
    expect(ndjsonLines(ndjsonOf(batch)).map((line) => (JSON.parse(line) as WireRecord).message)).toEqual(
      messages,
    );
    expect(chunks.get(0)!.length).toBeGreaterThanOrEqual(3);
  });

  test('remembers the whole lines of truncated events for the archive', () => {
    const { builder, ndjsonOf } = collecting(3000);
    const enc = encoder(2000);
    expect(builder.add(encoded(enc.encode('a', 1, 'short')))).toBeUndefined();
    expect(builder.add(encoded(enc.encode('b', 2, 'y'.repeat(5000))))).toBeUndefined();
    const batch = builder.finish()!;
    const sent = ndjsonOf(batch);
    expect(JSON.parse(ndjsonLines(sent)[1]).truncated).toBe(true);
    const archived = ndjsonLines(wholeNdjson(sent, batch.wholeLines!));
    expect(archived[0]).toBe(ndjsonLines(sent)[0]);
    expect(JSON.parse(archived[1]).message).toHaveLength(5000);
    builder.add(encoded(enc.encode('c', 3, 'plain')));
    expect(builder.finish()!.wholeLines).toBeUndefined();
  });
});

describe('archiveKey', () => {
  test('derives the key from the sorted event IDs and the earliest event date, whatever the order, under the enclave and account', () => {
    const account = '111111111111';
    const key = archiveKey('dublin-1', account, ['b', 'a', 'c'], Date.UTC(2026, 10, 18, 23, 59));
    expect(key).toBe(archiveKey('dublin-1', account, ['c', 'b', 'a'], Date.UTC(2026, 10, 18, 23, 59)));
    expect(key).toMatch(/^archive\/dublin-1\/111111111111\/2026\/11\/18\/[0-9a-f]{64}\.ndjson\.gz$/);
    expect(archiveKey('dublin-1', account, ['a', 'b'], 0)).not.toBe(
      archiveKey('dublin-1', account, ['a', 'b', 'c'], 0),
    );
    expect(archiveKey('hamar', '333333333333', ['a'], 0)).toMatch(
      /^archive\/hamar\/333333333333\/1970\/01\/01\//,
    );
  });
});

describe('sortIds', () => {
  test('orders like Array.prototype.sort, shared prefixes and non-hex IDs included', () => {
    const random = () => Math.floor(Math.random() * 16).toString(16);
    const ids = Array.from({ length: 3000 }, () => Array.from({ length: 32 }, random).join(''));
    // Force runs that share their first 32 bits.
    ids.push(...ids.slice(0, 50).map((id) => `${id.slice(0, 8)}${'0'.repeat(24)}`), ids[7]);
    expect(sortIds(ids)).toEqual([...ids].sort());
    expect(sortIds(['b', 'a', 'id-10', 'id-9'])).toEqual(['a', 'b', 'id-10', 'id-9']);
    expect(sortIds([])).toEqual([]);
  });
});
