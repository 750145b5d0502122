import {
  ChangeMessageVisibilityBatchCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SQSClient,
  SQSServiceException,
  type Message,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { mkdtempSync, readdirSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run as runClover } from '../../cli/main';
import { regionOfQueue } from '../../cli/ship/redrive';
import { serialiseRecord } from '../../lambda/log-shipper/batch';
import { eventsMessage, payloadMessages } from '../../lambda/log-shipper/deadletter';
import { flowLogMessages, makePayload } from '../fixtures/shipper/flow-logs';
import { makeCertificates, type TestCertificates } from '../lambda/log-shipper/support/certificates';
import {
  always,
  sequence,
  startMonitor,
  TEST_TOKEN,
  type MonitorBehaviour,
  type TestMonitor,
} from '../lambda/log-shipper/support/monitor';
import { captureOutput } from '../helpers/output';

const QUEUE = 'https://sqs.eu-west-1.amazonaws.com/111111111111/clover-dublin-1-shipper-dlq';
const sqs = mockClient(SQSClient);

let certificates: TestCertificates;
let directory: string;
let monitor: TestMonitor | undefined;

beforeAll(() => {
  certificates = makeCertificates();
  directory = mkdtempSync(join(tmpdir(), 'clover-redrive-'));
  writeFileSync(join(directory, 'token'), TEST_TOKEN);
  writeFileSync(join(directory, 'hmac.key'), 'k'.repeat(48));
});

afterEach(async () => {
  await monitor?.close();
  monitor = undefined;
});

/** Queue messages handed out once, then an empty queue. */
function queueHolds(messages: Message[]): void {
  sqs.reset();
  sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: messages }).resolves({ Messages: [] });
  sqs.on(DeleteMessageCommand).resolves({});
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
}

const message = (id: string, body: string): Message => ({
  MessageId: id,
  ReceiptHandle: `receipt-${id}`,
  Body: body,
});

const records = (count: number, prefix: string) =>
  Array.from({ length: count }, (_, index) =>
    serialiseRecord({
      id: `${prefix}-${index}`,
      timestamp: 1795000000000 + index,
      enclave: 'dublin-1',
      logGroup: 'g',
      logStream: 's',
      message: `m ${index}`,
    }),
  );

async function redrive(args: string[], behaviour: MonitorBehaviour = always({ status: 200 })) {
  await monitor?.close();
  monitor = await startMonitor(certificates.trusted, behaviour);
  const {
    result: code,
    stdout,
    stderr,
  } = await captureOutput(() =>
    runClover([
      'node',
      'clover',
      'redrive',
      '--queue-url',
      QUEUE,
      ...args.map((arg) => arg.replace('$MONITOR', monitor!.url)),
    ]),
  );
  return { code, stdout, stderr, summary: stdout ? JSON.parse(stdout) : undefined };
}

const replayArgs = () => [
  '--ingest-url',
  '$MONITOR',
  '--token-file',
  join(directory, 'token'),
  '--ca',
  certificates.caFile,
];
/** An error as the SQS client throws it for an answer of the service. */
const sqsError = (name: string, message: string, status: number) =>
  new SQSServiceException({
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
    message,
  });

const deleted = () => sqs.commandCalls(DeleteMessageCommand).map((call) => call.args[0].input.ReceiptHandle);

describe('clover redrive', () => {
  test('replays dead-lettered events to the monitor and deletes each message once acknowledged', async () => {
    queueHolds([
      message('m1', eventsMessage('dublin-1', 'HTTP 503; retries exhausted', records(3, 'a'))),
      message('m2', eventsMessage('dublin-1', 'HTTP 401', records(2, 'b'))),
    ]);
    const result = await redrive(replayArgs());
    expect(result.code).toBe(0);
    expect(result.summary).toEqual({ received: 2, replayed: 2, deleted: 2, left: 0, skipped: 0, events: 5 });
    expect(monitor!.acknowledged.sort()).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1']);
    expect(deleted()).toEqual(['receipt-m1', 'receipt-m2']);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input).toMatchObject({
      QueueUrl: QUEUE,
      MaxNumberOfMessages: 10,
    });
  });

  test('leaves a message in the queue when the monitor still does not acknowledge it', async () => {
    queueHolds([message('m1', eventsMessage('dublin-1', 'HTTP 503', records(2, 'a')))]);
    const result = await redrive([...replayArgs(), '--deadline-ms', '600'], always({ status: 503 }));
    expect(result.code).toBe(3);
    expect(result.summary).toMatchObject({ received: 1, replayed: 0, deleted: 0, left: 1 });
    expect(deleted()).toEqual([]);
    // On a loaded machine the 600 ms deadline can fall before the next retry is due (the last answer is
    // still the 503), or cut the last attempt short, which then ends as a timeout.
    expect(result.stderr).toMatch(
      /m1: left in the queue: (HTTP 503; retries exhausted|deadline reached after \d+ attempt\(s\) \(last: HTTP 503\)|request timed out; retries exhausted)/,
    );
  });

  test('--dry-run sends and deletes nothing', async () => {
    queueHolds([message('m1', eventsMessage('dublin-1', 'HTTP 401', records(4, 'a')))]);
    const result = await redrive(['--dry-run']);
    expect(result.code).toBe(0);
    expect(result.summary).toMatchObject({ received: 1, replayed: 0, deleted: 0 });
    expect(monitor!.requests).toBe(0);
    expect(deleted()).toEqual([]);
    expect(result.stderr).toMatch(/m1: would replay 4 event\(s\) from events \(HTTP 401\)/);
  });

  test('--dry-run hands every message it read back to the queue at once, so a real run right after finds them', async () => {
    const messages = Array.from({ length: 12 }, (_, index) =>
      message(`m${index}`, eventsMessage('dublin-1', 'HTTP 503', records(1, `x${index}`))),
    );
    sqs.reset();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: messages.slice(0, 10) })
      .resolvesOnce({ Messages: messages.slice(10) })
      .resolves({ Messages: [] });
    sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
    const result = await redrive(['--dry-run']);
    expect(result.code).toBe(0);
    expect(sqs.commandCalls(ReceiveMessageCommand)[0].args[0].input.VisibilityTimeout).toBe(30);
    const handedBack = sqs
      .commandCalls(ChangeMessageVisibilityBatchCommand)
      .flatMap((call) => call.args[0].input.Entries ?? []);
    expect(handedBack.map((entry) => entry.ReceiptHandle)).toEqual(messages.map((m) => m.ReceiptHandle));
    expect(handedBack.every((entry) => entry.VisibilityTimeout === 0)).toBe(true);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(2);
  });

  test('--dry-run says when it could not hand messages back, and how long they stay hidden', async () => {
    queueHolds([message('m1', eventsMessage('dublin-1', 'HTTP 401', records(1, 'a')))]);
    sqs
      .on(ChangeMessageVisibilityBatchCommand)
      .rejects(sqsError('AccessDenied', 'not authorized to perform: sqs:changemessagevisibility', 400));
    const result = await redrive(['--dry-run']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /1 message\(s\) read by this dry run stay hidden for up to 30 s \(access denied: sqs:ChangeMessageVisibility on /,
    );
  });

  test('a real run does not hand back what it replays', async () => {
    queueHolds([message('m1', eventsMessage('dublin-1', 'HTTP 503', records(1, 'a')))]);
    const result = await redrive(replayArgs());
    expect(result.code).toBe(0);
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand)).toHaveLength(0);
  });

  test('--dry-run checks the options a real run would use', async () => {
    queueHolds([message('m1', eventsMessage('dublin-1', 'HTTP 401', records(1, 'a')))]);
    const plainHttp = await redrive(['--dry-run', '--ingest-url', 'http://127.0.0.1:9/ingest']);
    expect(plainHttp.code).toBe(2);
    expect(plainHttp.stderr).toMatch(/--ingest-url "http:\/\/127.0.0.1:9\/ingest" is not https/);
    const missingToken = await redrive(['--dry-run', '--token-file', join(directory, 'absent')]);
    expect(missingToken.code).toBe(2);
    expect(missingToken.stderr).toMatch(/--token-file .*absent cannot be read \(ENOENT\)/);
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  test('--dry-run says what a real run would do with a Lambda OnFailure record', async () => {
    const payload = makePayload({ messages: flowLogMessages(10, 3) });
    const record = JSON.stringify({
      requestContext: { condition: 'RetriesExhausted' },
      requestPayload: { awslogs: { data: payload.base64 } },
    });
    queueHolds([message('m1', record)]);
    const without = await redrive(['--dry-run']);
    expect(without.code).toBe(3);
    expect(without.summary).toMatchObject({ received: 1, skipped: 1 });
    expect(without.stderr).toMatch(
      /m1: skipped in the queue: a Lambda OnFailure record needs --hmac-key-file/,
    );

    queueHolds([message('m1', record)]);
    const archive = mkdtempSync(join(tmpdir(), 'clover-redrive-archive-'));
    const settings = ['--hmac-key-file', join(directory, 'hmac.key'), '--enclave', 'dublin-1'];
    // The replayed batches go under the shipper's account in the archive: without one, bad usage naming it.
    const noAccount = await redrive(['--dry-run', ...settings, '--archive-dir', archive]);
    expect({ code: noAccount.code, stderr: noAccount.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(
        /--account is missing: .*pass --account <the shipper's 12-digit account> or set CLOVER_ACCOUNT/,
      ),
    });
    const badAccount = await redrive([
      '--dry-run',
      ...settings,
      '--account',
      'dublin',
      '--archive-dir',
      archive,
    ]);
    expect(badAccount.stderr).toMatch(/--account "dublin" is not an AWS account ID/);
    settings.push('--account', '111111111111');
    queueHolds([message('m1', record)]);
    const withSettings = await redrive(['--dry-run', ...settings, '--archive-dir', archive]);
    expect(withSettings.code).toBe(0);
    expect(withSettings.stderr).toMatch(/m1: would replay 10 event\(s\) from a Lambda OnFailure record/);
    expect(readdirSync(archive)).toEqual([]);
    expect(monitor!.requests).toBe(0);
  });

  test('reports progress while the monitor asks it to retry', async () => {
    queueHolds([message('m1', eventsMessage('dublin-1', 'HTTP 503', records(2, 'a')))]);
    const result = await redrive(replayArgs(), sequence({ status: 503 }));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /clover redrive: m1: HTTP 503 \(attempt 1, 2 event\(s\)\); retrying in \d+\.\d s, deadline in \d+\.\d s/,
    );
    expect(monitor!.acknowledged.sort()).toEqual(['a-0', 'a-1']);
  });

  test('stops when SQS refuses to delete a replayed message: names it, prints the summary, exits 3', async () => {
    sqs.reset();
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          message('m1', eventsMessage('dublin-1', 'HTTP 503', records(1, 'a'))),
          message('m2', eventsMessage('dublin-1', 'HTTP 503', records(1, 'b'))),
        ],
      })
      .resolves({ Messages: [] });
    sqs
      .on(DeleteMessageCommand)
      .rejects(
        sqsError(
          'AccessDenied',
          'User: arn:aws:sts::111111111111:assumed-role/Operator/me is not authorized to perform: sqs:deletemessage',
          400,
        ),
      );
    const result = await redrive(replayArgs());
    expect(result.code).toBe(3);
    expect(result.summary).toEqual({ received: 1, replayed: 1, deleted: 0, left: 1, skipped: 0, events: 1 });
    expect(result.stderr).toMatch(
      /clover redrive: access denied: sqs:DeleteMessage on https:\/\/sqs\.eu-west-1\.amazonaws\.com\/111111111111\/clover-dublin-1-shipper-dlq \(AccessDenied: User: .* is not authorized to perform: sqs:deletemessage\)/,
    );
    expect(result.stderr).not.toMatch(/internal error/);
  });

  test("an SQS error it does not know is named as SQS's answer, not as a Clover bug", async () => {
    sqs.reset();
    sqs
      .on(ReceiveMessageCommand)
      .rejects(sqsError('InternalFailure', 'We encountered an internal error. Please try again.', 500));
    const result = await redrive(['--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /clover redrive: SQS refused sqs:ReceiveMessage on \S+ with HTTP 500 \(InternalFailure: We encountered an internal error/,
    );
  });

  test('an error that is neither AWS nor the network is still reported as a Clover bug', async () => {
    sqs.reset();
    sqs.on(ReceiveMessageCommand).rejects(new TypeError('cannot read properties of undefined'));
    const result = await redrive(['--dry-run']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /clover: internal error: cannot read properties of undefined; this is a Clover bug/,
    );
  });

  test('skips an undecodable payload and keeps it in the queue', async () => {
    const [payload] = payloadMessages('dublin-1', 'payload is not valid gzip data', {
      format: 'subscription-base64',
      text: 'QUJD',
    });
    queueHolds([message('m1', payload)]);
    const result = await redrive(replayArgs());
    expect(result.code).toBe(3);
    expect(result.summary).toMatchObject({ received: 1, skipped: 1, deleted: 0 });
    expect(result.stderr).toMatch(/undecodable payload \(payload is not valid gzip data\)/);
  });

  test('replays a Lambda OnFailure record through the whole pipeline, archive included', async () => {
    const payload = makePayload({ messages: flowLogMessages(10, 3) });
    const archive = mkdtempSync(join(tmpdir(), 'clover-redrive-archive-'));
    const record = JSON.stringify({
      version: '1.0',
      requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 3 },
      requestPayload: { awslogs: { data: payload.base64 } },
    });
    queueHolds([message('m1', record)]);
    const result = await redrive([
      ...replayArgs(),
      '--hmac-key-file',
      join(directory, 'hmac.key'),
      '--enclave',
      'dublin-1',
      '--account',
      '111111111111',
      '--archive-dir',
      archive,
    ]);
    expect(result.code).toBe(0);
    expect(result.summary).toMatchObject({ received: 1, replayed: 1, deleted: 1, events: 10 });
    expect(monitor!.acknowledged.sort()).toEqual([...payload.ids].sort());
    expect(
      readdirSync(join(archive, 'archive', 'dublin-1', '111111111111', '2026', '11', '18')),
    ).toHaveLength(1);
  });

  test('skips an OnFailure record when the pipeline settings are missing', async () => {
    queueHolds([message('m1', JSON.stringify({ requestPayload: { awslogs: { data: 'H4sI' } } }))]);
    const result = await redrive(replayArgs());
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /needs --hmac-key-file, --enclave, --account \(or CLOVER_ACCOUNT\) and --archive-dir or --archive-bucket/,
    );
  });

  test('stops after --max-messages', async () => {
    sqs.reset();
    sqs.on(ReceiveMessageCommand).callsFake((input: { MaxNumberOfMessages: number }) => ({
      Messages: Array.from({ length: input.MaxNumberOfMessages }, (_, index) =>
        message(`m${Math.random()}-${index}`, eventsMessage('dublin-1', 'HTTP 503', records(1, `x${index}`))),
      ),
    }));
    sqs.on(DeleteMessageCommand).resolves({});
    const result = await redrive([...replayArgs(), '--max-messages', '3']);
    expect(result.summary).toMatchObject({ received: 3, deleted: 3 });
    expect(
      sqs.commandCalls(ReceiveMessageCommand).map((call) => call.args[0].input.MaxNumberOfMessages),
    ).toEqual([3]);
  });

  test('is a usage error (exit 2) without --ingest-url outside --dry-run, or with a queue URL of unknown region', async () => {
    queueHolds([]);
    expect((await redrive([])).code).toBe(2);
    const unknown = await runClover([
      'node',
      'clover',
      'redrive',
      '--queue-url',
      'https://example.com/q',
      '--dry-run',
    ]);
    expect(unknown).toBe(2);
  });
});

describe('regionOfQueue', () => {
  test('reads the region from SQS queue URLs of every partition', () => {
    expect(regionOfQueue('https://sqs.eu-west-1.amazonaws.com/1/q')).toBe('eu-west-1');
    expect(regionOfQueue('https://sqs.eusc-de-east-1.amazonaws.eu/1/q')).toBe('eusc-de-east-1');
    expect(regionOfQueue('https://eu-north-1.queue.amazonaws.com/1/q')).toBe('eu-north-1');
  });
});
