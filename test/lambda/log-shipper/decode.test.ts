import { gzipSync } from 'zlib';
import { dataEvents, isControlMessage } from '../../../lambda/log-shipper/control';
import {
  decodeBase64,
  decodePayload,
  PayloadError,
  validatePayload,
} from '../../../lambda/log-shipper/decode';
import { eventId, eventIdsFor } from '../../../lambda/log-shipper/ids';
import {
  expectedEventId,
  flowLogMessages,
  largeFlowLogPayload,
  makePayload,
} from '../../fixtures/shipper/flow-logs';

const reasonOf = (action: () => unknown): string => {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(PayloadError);
    return (error as PayloadError).reason;
  }
  throw new Error('expected a PayloadError');
};

describe('decodePayload', () => {
  test('decodes a base64 gzip subscription payload', () => {
    const generated = makePayload({ messages: ['one', 'two'] });
    const payload = decodePayload({ base64: generated.base64 });
    expect(payload).toMatchObject({
      messageType: 'DATA_MESSAGE',
      logGroup: generated.logGroup,
      logStream: generated.logStream,
    });
    expect(payload.logEvents.map((event) => event.message)).toEqual(['one', 'two']);
  });

  test('decodes the already decoded JSON text the same way', () => {
    const generated = makePayload({ messages: ['one'] });
    expect(decodePayload({ json: generated.json })).toEqual(decodePayload({ base64: generated.base64 }));
  });

  test('accepts base64 wrapped over several lines', () => {
    const generated = makePayload({ messages: ['wrapped'] });
    const wrapped = generated.base64.replace(/(.{76})/g, '$1\n');
    expect(decodePayload({ base64: wrapped }).logEvents[0].message).toBe('wrapped');
  });

  test('names bad base64 with the position of the first bad character', () => {
    expect(reasonOf(() => decodeBase64('QUJD!!=='))).toBe(
      'payload is not valid base64 (unexpected character at position 4)',
    );
    expect(reasonOf(() => decodeBase64('QUJDR'))).toMatch(/length 5 is not a multiple of 4/);
    expect(reasonOf(() => decodeBase64('QU=JD'))).toMatch(/misplaced padding/);
    expect(reasonOf(() => decodeBase64(''))).toBe('payload is empty');
  });

  test('names data that is not gzip, or gzip that is corrupt', () => {
    expect(reasonOf(() => decodePayload({ base64: Buffer.from('plain').toString('base64') }))).toMatch(
      /missing gzip header/,
    );
    const truncated = gzipSync('{"messageType":"DATA_MESSAGE"}').subarray(0, 12);
    expect(reasonOf(() => decodePayload({ base64: truncated.toString('base64') }))).toMatch(
      /not valid gzip data/,
    );
  });

  test('names invalid JSON by position without quoting the payload', () => {
    const secret = '{"logEvents":[{"message":"alice@example.com password=hunter2"} oops';
    const reason = reasonOf(() => decodePayload({ base64: gzipSync(secret).toString('base64') }));
    expect(reason).toMatch(/^payload is not valid JSON \(syntax error at byte \d+\)$/);
    expect(reason).not.toMatch(/alice|hunter2/);
  });

  test('stops a zip bomb at the decompression limit', () => {
    const bomb = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    expect(bomb.length).toBeLessThan(100_000);
    expect(
      reasonOf(() =>
        decodePayload({ base64: bomb.toString('base64') }, { maxDecompressedBytes: 1024 * 1024 }),
      ),
    ).toBe('payload decompresses to more than 1048576 bytes (limit against zip bombs)');
  });

  test('accepts a 1 MB payload that decompresses to about 9 MB under the default limit', () => {
    const large = largeFlowLogPayload();
    expect(large.base64.length).toBeLessThanOrEqual(1_000_000);
    expect(large.decompressedBytes).toBeGreaterThan(8_000_000);
    expect(decodePayload({ base64: large.base64 }).logEvents).toHaveLength(large.ids.length);
  });

  test('names the first field of the wrong shape', () => {
    const shape = (value: unknown) => reasonOf(() => validatePayload(value));
    expect(shape([])).toMatch(/expected a JSON object/);
    expect(shape({ messageType: 'OTHER' })).toMatch(/messageType must be DATA_MESSAGE or CONTROL_MESSAGE/);
    expect(shape({ messageType: 'DATA_MESSAGE', logGroup: 'g', logStream: 's' })).toMatch(
      /logEvents must be an array/,
    );
    expect(shape({ messageType: 'DATA_MESSAGE', logStream: 's', logEvents: [] })).toMatch(
      /logGroup must be a non-empty string/,
    );
    const events = (logEvents: unknown[]) =>
      shape({ messageType: 'DATA_MESSAGE', logGroup: 'g', logStream: 's', logEvents });
    expect(
      events([
        { id: '1', timestamp: 1, message: 'ok' },
        { id: '2', timestamp: '1', message: 'x' },
      ]),
    ).toMatch(/logEvents\[1\]\.timestamp must be a number/);
    expect(events([{ timestamp: 1, message: 'x' }])).toMatch(/logEvents\[0\]\.id must be a non-empty string/);
    expect(events([{ id: '1', timestamp: 1 }])).toMatch(/logEvents\[0\]\.message must be a string/);
    expect(events([null])).toMatch(/logEvents\[0\] must be an object/);
  });
});

describe('control messages', () => {
  test('a CONTROL_MESSAGE has no events to ship; a DATA_MESSAGE has all of its events', () => {
    const control = decodePayload({
      base64: makePayload({ messages: ['CWL CONTROL MESSAGE'], messageType: 'CONTROL_MESSAGE' }).base64,
    });
    expect(isControlMessage(control)).toBe(true);
    expect(dataEvents(control)).toEqual([]);
    const data = decodePayload({ base64: makePayload({ messages: ['a', 'b'] }).base64 });
    expect(isControlMessage(data)).toBe(false);
    expect(dataEvents(data)).toHaveLength(2);
  });
});

describe('event IDs', () => {
  test('are the documented hash of log group, log stream and CloudWatch event id', () => {
    const generated = makePayload({ messages: flowLogMessages(20) });
    const payload = decodePayload({ base64: generated.base64 });
    const idOf = eventIdsFor(payload.logGroup, payload.logStream);
    expect(payload.logEvents.map((event) => idOf(event.id))).toEqual(generated.ids);
    expect(eventId('g', 's', '1')).toBe(expectedEventId('g', 's', '1'));
  });

  test('differ when any of the three parts differs, and cannot be forged by moving a separator', () => {
    const ids = new Set([
      eventId('g', 's', '1'),
      eventId('g', 's', '2'),
      eventId('g', 't', '1'),
      eventId('h', 's', '1'),
      eventId('gs', '', '1'),
    ]);
    expect(ids.size).toBe(5);
    expect(eventId('g', 's', '1')).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('scanPayload on odd but valid JSON', () => {
  test('reads events whatever the key order, whitespace and escapes', () => {
    const text = `
      { "logEvents" : [ {"message":"a \\"quoted\\" } ] brace","timestamp":1,"id":"1"} ,
                        {"id":"2","message":"ü\\\\","timestamp":2.5e3} ],
        "logGroup":"g", "extra": {"nested":[1,{"x":"]"}]}, "logStream":"s", "messageType":"DATA_MESSAGE" }  `;
    const payload = decodePayload({ json: text });
    expect(payload.logEvents).toEqual([
      { message: 'a "quoted" } ] brace', timestamp: 1, id: '1' },
      { id: '2', message: 'ü\\', timestamp: 2500 },
    ]);
    expect(payload).toMatchObject({ logGroup: 'g', logStream: 's', messageType: 'DATA_MESSAGE' });
    expect(decodePayload({ json: JSON.stringify(JSON.parse(text)) })).toEqual(payload);
  });

  test.each([
    ['{"messageType":"DATA_MESSAGE","logEvents":[oops', /not valid JSON/],
    [
      '{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"1"}',
      /not valid JSON \(unexpected end\)/,
    ],
    [
      '{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[]} trailing',
      /not valid JSON \(syntax error at byte 77\)/,
    ],
    [
      '{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[{"id":"1","timestamp":1,"message":"x",}]}',
      /syntax error in logEvents\[0\]/,
    ],
    [
      '{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":[7]}',
      /logEvents\[0\] must be an object/,
    ],
    [
      '{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s","logEvents":{}}',
      /logEvents must be an array/,
    ],
    ['{"messageType":"DATA_MESSAGE","logGroup":"g","logStream":"s"}', /logEvents must be an array/],
    ['{"messageType":tru,"logEvents":[]}', /not valid JSON/],
    ['[1,2]', /expected a JSON object/],
    ['', /not valid JSON \(unexpected end\)/],
  ])('rejects %s', (text, reason) => {
    expect(reasonOf(() => decodePayload({ json: text }))).toMatch(reason);
  });
});
