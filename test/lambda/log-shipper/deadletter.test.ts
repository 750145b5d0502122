import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { createHash } from 'crypto';
import { mkdtempSync, readdirSync, readFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { FolderArchiveStore } from '../../../cli/ship/folder-archive';
import { FolderDeadLetterSink } from '../../../cli/ship/folder-dead-letter';
import { S3ArchiveStore } from '../../../lambda/log-shipper/adapters/s3-archive';
import { secretsManagerFetcher } from '../../../lambda/log-shipper/adapters/secrets-manager';
import { SqsDeadLetterSink } from '../../../lambda/log-shipper/adapters/sqs-dead-letter';
import { serialiseRecord, type WireRecord } from '../../../lambda/log-shipper/batch';
import { readEnvironment } from '../../../lambda/log-shipper/config';
import {
  eventsMessage,
  eventsMessages,
  parseDeadLetterMessage,
  payloadMessages,
} from '../../../lambda/log-shipper/deadletter';
import { SecretCache } from '../../../lambda/log-shipper/secrets';

const record = (index: number, message = `event ${index}`): string =>
  serialiseRecord({
    id: `id-${index}`,
    timestamp: index,
    enclave: 'dublin-1',
    logGroup: 'g',
    logStream: 's',
    message,
  });

describe('dead-letter messages', () => {
  test('an events message carries the reason, the enclave and the records as written', () => {
    const message = JSON.parse(eventsMessage('dublin-1', 'HTTP 401', [record(1), record(2)]));
    expect(message).toEqual({
      version: 1,
      kind: 'events',
      enclave: 'dublin-1',
      reason: 'HTTP 401',
      eventCount: 2,
      events: [JSON.parse(record(1)), JSON.parse(record(2))],
    });
  });

  test('splits events under the SQS size limit without losing one', () => {
    const lines = Array.from({ length: 300 }, (_, index) => record(index, 'x'.repeat(2000)));
    const messages = eventsMessages('dublin-1', 'HTTP 503', lines, 50_000);
    expect(messages.length).toBeGreaterThan(10);
    for (const message of messages) {
      expect(Buffer.byteLength(message)).toBeLessThanOrEqual(50_000);
    }
    const ids = messages.flatMap((message) =>
      (JSON.parse(message).events as WireRecord[]).map((event) => event.id),
    );
    expect(ids).toEqual(lines.map((_, index) => `id-${index}`));
  });

  test('cuts a record larger than a message on its own, marking it truncated', () => {
    const [message] = eventsMessages('dublin-1', 'HTTP 400', [record(1, 'y'.repeat(400_000))]);
    expect(Buffer.byteLength(message)).toBeLessThanOrEqual(250_000);
    expect(JSON.parse(message).events[0]).toMatchObject({
      id: 'id-1',
      truncated: true,
      originalBytes: 400_000,
    });
  });

  test('a payload is kept byte for byte in parts that each fit, tied by its SHA-256', () => {
    const text = `not base64 ü ${'z'.repeat(600_000)}`;
    const messages = payloadMessages(
      'dublin-1',
      'payload is not valid base64',
      { format: 'subscription-base64', text },
      250_000,
    );
    expect(messages.length).toBe(4);
    const parts = messages.map((message) => JSON.parse(message));
    for (const message of messages) {
      expect(Buffer.byteLength(message)).toBeLessThanOrEqual(250_000);
    }
    expect(parts.map((part) => [part.part, part.parts])).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    const bytes = Buffer.from(parts.map((part) => part.data).join(''), 'base64');
    expect(bytes.toString('utf8')).toBe(text);
    expect(parts[0].sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  test('reads events messages, payload messages, Lambda OnFailure records and anything else', () => {
    expect(parseDeadLetterMessage(eventsMessage('dublin-1', 'HTTP 401', [record(1)]))).toMatchObject({
      kind: 'events',
      reason: 'HTTP 401',
      records: [{ id: 'id-1' }],
    });
    const [payload] = payloadMessages('hamar', 'bad', { format: 'lambda-event', text: '{}' });
    expect(parseDeadLetterMessage(payload)).toEqual({ kind: 'payload', enclave: 'hamar', reason: 'bad' });
    const onFailure = JSON.stringify({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { awslogs: { data: 'H4sI' } },
    });
    expect(parseDeadLetterMessage(onFailure)).toEqual({
      kind: 'invocation',
      base64: 'H4sI',
      reason: 'Lambda RetriesExhausted',
    });
    expect(parseDeadLetterMessage('nope').kind).toBe('unknown');
    expect(parseDeadLetterMessage('{"version":1,"kind":"events","events":[{"x":1}]}').kind).toBe('unknown');
  });
});

describe('SqsDeadLetterSink', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => {
    sqs.reset();
    sqs.on(SendMessageCommand).resolves({});
  });

  test('sends one message per part to the queue, each under 256 KiB', async () => {
    const sink = new SqsDeadLetterSink(
      new SQSClient({ region: 'eu-west-1' }),
      'https://sqs.eu-west-1.amazonaws.com/1/q',
      'dublin-1',
    );
    await sink.sendEvents(
      'HTTP 503',
      Array.from({ length: 200 }, (_, index) => record(index, 'm'.repeat(5000))),
    );
    const calls = sqs.commandCalls(SendMessageCommand);
    expect(calls.length).toBeGreaterThanOrEqual(4);
    for (const call of calls) {
      expect(call.args[0].input.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/1/q');
      expect(Buffer.byteLength(call.args[0].input.MessageBody!)).toBeLessThan(256 * 1024);
      expect(call.args[0].input.MessageAttributes).toEqual({
        kind: { DataType: 'String', StringValue: 'events' },
      });
    }
  });
});

describe('S3ArchiveStore', () => {
  const s3 = mockClient(S3Client);
  beforeEach(() => s3.reset());
  const store = () =>
    new S3ArchiveStore(new S3Client({ region: 'eu-west-1' }), {
      bucket: 'bucket',
      expectedOwner: '444444444444',
    });

  test('writes with If-None-Match: * and the expected bucket owner', async () => {
    s3.on(PutObjectCommand).resolves({});
    expect(await store().putIfAbsent('archive/k.ndjson.gz', Buffer.from('x'), 3)).toBe('created');
    expect(s3.commandCalls(PutObjectCommand)[0].args[0].input).toMatchObject({
      Bucket: 'bucket',
      Key: 'archive/k.ndjson.gz',
      IfNoneMatch: '*',
      ExpectedBucketOwner: '444444444444',
      ChecksumAlgorithm: 'CRC32',
      Metadata: { 'event-count': '3' },
    });
  });

  test('reads 412 Precondition Failed as already archived', async () => {
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({
        name: 'PreconditionFailed',
        $fault: 'client',
        $metadata: { httpStatusCode: 412 },
      }),
    );
    expect(await store().putIfAbsent('k', Buffer.from('x'), 1)).toBe('exists');
  });

  test('asks once more after a 409 conditional-write conflict, and passes other errors on', async () => {
    s3.on(PutObjectCommand)
      .rejectsOnce(
        new S3ServiceException({
          name: 'ConditionalRequestConflict',
          $fault: 'client',
          $metadata: { httpStatusCode: 409 },
        }),
      )
      .resolves({});
    expect(await store().putIfAbsent('k', Buffer.from('x'), 1)).toBe('created');
    s3.reset();
    s3.on(PutObjectCommand).rejects(
      new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 } }),
    );
    await expect(store().putIfAbsent('k', Buffer.from('x'), 1)).rejects.toThrow();
  });
});

describe('local folders of `clover ship`', () => {
  test('the archive folder writes a key once; a second write of the key reports it exists and changes nothing', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'clover-archive-'));
    const store = new FolderArchiveStore(directory);
    const key = 'archive/dublin-1/2026/11/18/abc.ndjson.gz';
    expect(await store.putIfAbsent(key, Buffer.from('first'))).toBe('created');
    expect(await store.putIfAbsent(key, Buffer.from('second'))).toBe('exists');
    expect(readFileSync(join(directory, key), 'utf8')).toBe('first');
    expect(readdirSync(join(directory, 'archive/dublin-1/2026/11/18'))).toEqual(['abc.ndjson.gz']);
  });

  test('the DLQ folder gets one JSON file per dead-lettered batch', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'clover-dlq-'));
    const sink = new FolderDeadLetterSink(directory, 'dublin-1');
    await sink.sendEvents('HTTP 401', [record(1), record(2)]);
    await sink.sendPayload('payload is not valid gzip data', { format: 'subscription-base64', text: 'QUJD' });
    const files = readdirSync(directory).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z-events-[0-9a-f]{12}\.json$/);
    const messages = files.map((file) => JSON.parse(readFileSync(join(directory, file), 'utf8')));
    expect(messages.map((message) => message.kind).sort()).toEqual(['events', 'payload']);
  });
});

describe('secrets', () => {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => secrets.reset());

  test('are fetched once per container until the cache expires, and a failed fetch is retried', async () => {
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: 'token' });
    let now = 0;
    const cache = new SecretCache(
      secretsManagerFetcher(new SecretsManagerClient({ region: 'eu-west-1' })),
      1000,
      () => now,
    );
    await expect(cache.get('arn:token')).rejects.toThrow('throttled');
    expect(await cache.get('arn:token')).toBe('token');
    expect(await cache.get('arn:token')).toBe('token');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    now = 1001;
    await cache.get('arn:token');
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });

  test('a binary secret is refused with a clear message', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    await expect(
      secretsManagerFetcher(new SecretsManagerClient({ region: 'eu-west-1' }))('arn:key'),
    ).rejects.toThrow(/secret arn:key has no SecretString/);
  });
});

describe('readEnvironment', () => {
  test('lists every missing or bad variable at once', () => {
    expect(() =>
      readEnvironment({
        CLOVER_ACCOUNT: '12345',
        CLOVER_INGEST_URL: 'http://monitor',
        CLOVER_MAX_REQUEST_BYTES: '-5',
        CLOVER_PSEUDONYMISATION: '[{"kind":"x"}]',
      }),
    ).toThrow(
      /CLOVER_ENCLAVE is not set[\s\S]*CLOVER_ACCOUNT "12345" is not an AWS account ID; set the shipper's own 12-digit account[\s\S]*CLOVER_INGEST_URL "http:\/\/monitor" is not https[\s\S]*kind "x"[\s\S]*CLOVER_TOKEN_SECRET_ARN is not set[\s\S]*CLOVER_DLQ_URL is not set[\s\S]*CLOVER_MAX_REQUEST_BYTES "-5" is not a positive integer/,
    );
  });

  test('applies the documented defaults', () => {
    const env = readEnvironment({
      CLOVER_ENCLAVE: 'hamar',
      CLOVER_ACCOUNT: '333333333333',
      CLOVER_INGEST_URL: 'https://ingest.example.eu/v1',
      CLOVER_TOKEN_SECRET_ARN: 't',
      CLOVER_HMAC_SECRET_ARN: 'h',
      CLOVER_ARCHIVE_BUCKET: 'b',
      CLOVER_DLQ_URL: 'q',
    });
    expect(env).toMatchObject({
      maxRequestBytes: 5_000_000,
      requestTimeoutMs: 10_000,
      archiveBucketOwner: undefined,
    });
    expect(env.rules.map((rule) => rule.match)).toEqual(['ipv4', 'ipv6', 'email']);
  });
});
