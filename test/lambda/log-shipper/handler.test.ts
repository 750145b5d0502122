import { PutObjectCommand, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { gzipSync } from 'zlib';
import { createHandler, RetriesExhaustedError } from '../../../lambda/log-shipper/index';
import { flowLogMessages, makePayload } from '../../fixtures/shipper/flow-logs';
import { makeCertificates, type TestCertificates } from './support/certificates';
import {
  DEFAULT_SETTINGS,
  expectInvariant,
  MATRIX,
  readDeadLetters,
  type CaseInput,
  type RunSettings,
  type ShipperRun,
} from './support/matrix';
import { always, startMonitor, TEST_TOKEN, type TestMonitor } from './support/monitor';

const s3 = mockClient(S3Client);
const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
const TOKEN_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:clover/dublin-1/monitor-token';
const HMAC_ARN = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:clover/dublin-1/hmac-key';
const DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/111111111111/clover-dublin-1-shipper-dlq';

let certificates: TestCertificates;
/** A stand-in for the Object Lock bucket: keys are written once; a second write gets 412. */
let bucket: Map<string, Buffer>;

function preconditionFailed(): S3ServiceException {
  return new S3ServiceException({
    name: 'PreconditionFailed',
    $fault: 'client',
    $metadata: { httpStatusCode: 412 },
    message: 'At least one of the pre-conditions you specified did not hold',
  });
}

beforeAll(() => {
  certificates = makeCertificates();
});

beforeEach(() => {
  s3.reset();
  sqs.reset();
  secrets.reset();
  bucket = new Map();
  secrets.on(GetSecretValueCommand, { SecretId: TOKEN_ARN }).resolves({ SecretString: `${TEST_TOKEN}\n` });
  secrets.on(GetSecretValueCommand, { SecretId: HMAC_ARN }).resolves({ SecretString: 'k'.repeat(48) });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Body: Buffer; IfNoneMatch?: string }) => {
    if (input.IfNoneMatch === '*' && bucket.has(input.Key)) {
      throw preconditionFailed();
    }
    bucket.set(input.Key, input.Body);
    return { ETag: '"etag"' };
  });
});

jest.spyOn(console, 'log').mockImplementation(() => undefined);
/** EMF documents Powertools wrote to stdout during the current test. */
let emf: Array<Record<string, unknown>> = [];
jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
  const text = chunk.toString();
  if (text.includes('"_aws"')) {
    emf.push(JSON.parse(text) as Record<string, unknown>);
  }
  return true;
});
beforeEach(() => {
  emf = [];
});

function environment(url: string, settings: RunSettings): Record<string, string> {
  return {
    CLOVER_ENCLAVE: 'dublin-1',
    CLOVER_ACCOUNT: '111111111111',
    CLOVER_INGEST_URL: url,
    CLOVER_TOKEN_SECRET_ARN: TOKEN_ARN,
    CLOVER_HMAC_SECRET_ARN: HMAC_ARN,
    CLOVER_ARCHIVE_BUCKET: 'clover-archive-444444444444-eu-west-1',
    CLOVER_ARCHIVE_BUCKET_OWNER: '444444444444',
    CLOVER_DLQ_URL: DLQ_URL,
    CLOVER_MAX_REQUEST_BYTES: String(settings.maxRequestBytes),
    CLOVER_REQUEST_TIMEOUT_MS: String(settings.requestTimeoutMs),
  };
}

function handlerFor(url: string, settings: RunSettings) {
  const handler = createHandler({
    ca: certificates.caPem,
    env: environment(url, settings),
    safetyMarginMs: 0,
  });
  return async (input: CaseInput): Promise<ShipperRun & { invocationFailed: boolean }> => {
    const data = 'payload' in input ? input.payload.base64 : input.malformed;
    let counters: ShipperRun['counters'];
    let invocationFailed = false;
    try {
      counters = await handler(
        { awslogs: { data } },
        { getRemainingTimeInMillis: () => settings.deadlineMs },
      );
    } catch (error) {
      if (!(error instanceof RetriesExhaustedError)) throw error;
      counters = error.counters;
      invocationFailed = true;
    }
    return {
      counters,
      invocationFailed,
      deadLetterBodies: sqs
        .commandCalls(SendMessageCommand)
        .map((call) => call.args[0].input.MessageBody as string),
      archiveObjects: bucket.size,
    };
  };
}

describe('fault-injection matrix on the Lambda handler (mocked S3, SQS, Secrets Manager)', () => {
  let monitor: TestMonitor | undefined;
  afterEach(async () => {
    await monitor?.close();
    monitor = undefined;
  });

  test.each(MATRIX.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    monitor = await startMonitor(
      testCase.server === 'untrusted' ? certificates.untrusted : certificates.trusted,
      testCase.behaviour,
    );
    const settings = { ...DEFAULT_SETTINGS, ...testCase.settings };
    const url = testCase.unresolvable ? monitor.url.replace('127.0.0.1', 'monitor.invalid') : monitor.url;
    const input = testCase.input();
    const run = await handlerFor(url, settings)(input);
    expectInvariant(testCase, input, monitor, run);
    // Retries that ran out are dead-lettered and fail the invocation (Lambda retries, then OnFailure);
    // every other outcome completes the invocation.
    const exhausted = run.deadLetterBodies.some((body) => /retries exhausted|deadline reached/.test(body));
    expect({ exhausted, invocationFailed: run.invocationFailed }).toEqual({
      exhausted,
      invocationFailed: exhausted,
    });
    for (const call of sqs.commandCalls(SendMessageCommand)) {
      expect(call.args[0].input.QueueUrl).toBe(DLQ_URL);
      expect(Buffer.byteLength(call.args[0].input.MessageBody as string)).toBeLessThanOrEqual(256 * 1024);
    }
  });

  test('a duplicate replay archives nothing new: the second write gets 412 and counts as archived', async () => {
    monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    const run = handlerFor(monitor.url, DEFAULT_SETTINGS);
    const payload = makePayload({ messages: flowLogMessages(40, 11) });
    const first = await run({ payload });
    const second = await run({ payload });
    expect(bucket.size).toBe(1);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(2);
    const [key] = [...bucket.keys()];
    expect(key).toMatch(/^archive\/dublin-1\/111111111111\/2026\/11\/18\/[0-9a-f]{64}\.ndjson\.gz$/);
    for (const call of s3.commandCalls(PutObjectCommand)) {
      expect(call.args[0].input).toMatchObject({
        Bucket: 'clover-archive-444444444444-eu-west-1',
        Key: key,
        IfNoneMatch: '*',
        ExpectedBucketOwner: '444444444444',
      });
    }
    expect(first.counters).toMatchObject({ eventsIn: 40, delivered: 40, archived: 40, deadLettered: 0 });
    expect(second.counters).toMatchObject({ eventsIn: 40, delivered: 40, archived: 40, deadLettered: 0 });
    // The monitor saw every ID twice and can deduplicate on `id`.
    expect(monitor.acknowledged.filter((id) => id === payload.ids[0])).toHaveLength(2);
  });

  test('fails the invocation when the dead-letter queue cannot be written, so Lambda keeps the payload', async () => {
    monitor = await startMonitor(certificates.trusted, always({ status: 401 }));
    sqs.on(SendMessageCommand).rejects(new Error('AccessDenied'));
    const payload = makePayload({ messages: flowLogMessages(5, 2) });
    await expect(handlerFor(monitor.url, DEFAULT_SETTINGS)({ payload })).rejects.toThrow(
      /could not secure every event.*could not dead-letter 5 events \(the monitor rejected the request with HTTP 401\)/,
    );
  });

  test('fails the invocation when the archive write fails with anything but 412', async () => {
    monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    s3.on(PutObjectCommand).rejects(new Error('SlowDown'));
    const payload = makePayload({ messages: flowLogMessages(5, 2) });
    await expect(handlerFor(monitor.url, DEFAULT_SETTINGS)({ payload })).rejects.toThrow(
      /archive write of 5 events failed/,
    );
    expect(monitor.acknowledged).toHaveLength(5);
  });

  test('writes the archive with an S3 client in the archive’s region that follows S3’s redirects (defect 2: Hamar)', async () => {
    monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    const seen: Array<{ region: string; followRegionRedirects: unknown }> = [];
    s3.on(PutObjectCommand).callsFake(async (input: { Key: string; Body: Buffer }, getClient) => {
      const config = getClient().config as unknown as {
        region: () => Promise<string>;
        followRegionRedirects?: boolean;
      };
      seen.push({ region: await config.region(), followRegionRedirects: config.followRegionRedirects });
      bucket.set(input.Key, input.Body);
      return { ETag: '"etag"' };
    });
    const previous = process.env.AWS_REGION;
    process.env.AWS_REGION = 'eu-north-1'; // the shipper's own region, as Lambda sets it
    try {
      const handler = createHandler({
        ca: certificates.caPem,
        env: { ...environment(monitor.url, DEFAULT_SETTINGS), CLOVER_ARCHIVE_REGION: 'eu-west-1' },
        safetyMarginMs: 0,
      });
      await handler(
        { awslogs: { data: makePayload({ messages: flowLogMessages(3, 1) }).base64 } },
        { getRemainingTimeInMillis: () => 10_000 },
      );
    } finally {
      if (previous === undefined) delete process.env.AWS_REGION;
      else process.env.AWS_REGION = previous;
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen.map((write) => JSON.stringify(write)))).toEqual(
      new Set([JSON.stringify({ region: 'eu-west-1', followRegionRedirects: true })]),
    );
  });

  test('dead-letters an event that is not a subscription event at all', async () => {
    monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    const handler = createHandler({
      ca: certificates.caPem,
      env: environment(monitor.url, DEFAULT_SETTINGS),
    });
    const counters = await handler({ Records: [] }, { getRemainingTimeInMillis: () => 5000 });
    expect(counters.eventsIn).toBe(0);
    const bodies = sqs
      .commandCalls(SendMessageCommand)
      .map((call) => call.args[0].input.MessageBody as string);
    expect(readDeadLetters(bodies)).toMatchObject({
      payloads: 1,
      reasons: [expect.stringMatching(/awslogs.data is missing/)],
    });
  });

  test('drops a CONTROL_MESSAGE without sending anything', async () => {
    monitor = await startMonitor(certificates.trusted, always({ status: 200 }));
    const payload = makePayload({
      messages: ['CWL CONTROL MESSAGE: Checking health of destination'],
      messageType: 'CONTROL_MESSAGE',
    });
    const run = await handlerFor(monitor.url, DEFAULT_SETTINGS)({ payload });
    expect(run.counters).toEqual({
      eventsIn: 0,
      delivered: 0,
      archived: 0,
      deadLettered: 0,
      requests: 0,
      retries: 0,
    });
    expect(monitor.requests).toBe(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  test('publishes EMF metrics in Clover/LogShipper with the enclave as the only dimension', async () => {
    monitor = await startMonitor(certificates.trusted, always({ status: 401 }));
    await handlerFor(
      monitor.url,
      DEFAULT_SETTINGS,
    )({ payload: makePayload({ messages: flowLogMessages(7, 2) }) });
    await handlerFor(monitor.url, DEFAULT_SETTINGS)({ malformed: 'not base64!' });
    const poisoned = JSON.parse(makePayload({ messages: ['a', 'b', 'c'] }).json);
    poisoned.logEvents[1].timestamp = 'yesterday';
    await handlerFor(
      monitor.url,
      DEFAULT_SETTINGS,
    )({
      malformed: gzipSync(JSON.stringify(poisoned)).toString('base64'),
    });
    expect(emf).toHaveLength(3);
    const [events, payload, poisonedPayload] = emf;
    expect(events._aws).toMatchObject({
      CloudWatchMetrics: [{ Namespace: 'Clover/LogShipper', Dimensions: [['enclave']] }],
    });
    expect(events).toMatchObject({
      enclave: 'dublin-1',
      EventsIn: 7,
      Delivered: 0,
      Archived: 7,
      Retried: 0,
      DeadLettered: 7,
    });
    // An undecodable payload counts as one dead-lettered item so the alarm fires.
    expect(payload).toMatchObject({ EventsIn: 0, DeadLettered: 1 });
    // A poisoned payload (one bad event) counts the events dead-lettered with it.
    expect(poisonedPayload).toMatchObject({ EventsIn: 3, Delivered: 0, DeadLettered: 3 });
  });

  test('rejects a configuration with a plain-http ingest URL, naming the variable', async () => {
    const handler = createHandler({ env: environment('http://127.0.0.1:1/ingest', DEFAULT_SETTINGS) });
    await expect(
      handler({ awslogs: { data: 'x' } }, { getRemainingTimeInMillis: () => 5000 }),
    ).rejects.toThrow(/CLOVER_INGEST_URL "http:\/\/127.0.0.1:1\/ingest" is not https/);
  });
});
