import { createHash } from 'crypto';
import { createServer, type Server } from 'https';
import { mkdtempSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { serialiseRecord } from '../../lambda/log-shipper/batch';
import { eventsMessage } from '../../lambda/log-shipper/deadletter';
import {
  makeCertificates,
  type ServerIdentity,
  type TestCertificates,
} from '../lambda/log-shipper/support/certificates';
import { cloverProcess } from '../helpers/clover-process';
import { listenOnLoopback } from '../helpers/loopback';
import { always, startMonitor, TEST_TOKEN, type TestMonitor } from '../lambda/log-shipper/support/monitor';

/**
 * `clover redrive` as a user runs it, a real process against real local
 * servers on 127.0.0.1: a fake SQS endpoint that speaks the SQS JSON protocol
 * (so the real SDK turns its answers into its own errors) and the test monitor.
 * Nothing leaves the machine: the one remote name is under `.invalid`.
 */

jest.setTimeout(60_000);

/** One SQS JSON-protocol answer: status, the `x-amzn-query-error` code, and the body. */
interface SqsAnswer {
  readonly status: number;
  readonly queryError?: string;
  readonly body: object;
}

const sqsError = (code: string, type: string, message: string): SqsAnswer => ({
  status: 400,
  queryError: `${code};Sender`,
  body: { __type: type, message },
});

/** A fake SQS endpoint: `answer` decides by the operation (X-Amz-Target without `AmazonSQS.`). */
async function startSqs(identity: ServerIdentity, answer: (operation: string) => SqsAnswer) {
  const operations: string[] = [];
  const server: Server = createServer({ key: identity.key, cert: identity.cert }, (request, response) => {
    request.resume();
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').replace('AmazonSQS.', '');
      operations.push(operation);
      const { status, queryError, body } = answer(operation);
      response.writeHead(status, {
        'content-type': 'application/x-amz-json-1.0',
        ...(queryError ? { 'x-amzn-query-error': queryError } : {}),
      });
      response.end(JSON.stringify(body));
    });
  });
  const { port, close } = await listenOnLoopback(server);
  return {
    queueUrl: `https://127.0.0.1:${port}/111111111111/clover-dublin-1-shipper-dlq`,
    operations,
    close,
  };
}

/** The environment of a user with (or without) credentials, and nothing else of AWS's. */
function userEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!name.startsWith('AWS_') && name !== 'NODE_EXTRA_CA_CERTS') env[name] = value;
  }
  return {
    ...env,
    // No shared config or credentials files, no instance metadata: only what the test gives.
    AWS_CONFIG_FILE: join(directory, 'no-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(directory, 'no-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/EXAMPLEKEY',
};

/** `clover redrive …` as a user runs it. */
const redrive = (args: readonly string[], env: NodeJS.ProcessEnv) => cloverProcess(['redrive', ...args], env);

const NOT_A_BUG = /internal error|Clover bug|\n\s+at /;

let certificates: TestCertificates;
let directory: string;
let closers: Array<() => Promise<void>> = [];
beforeAll(() => {
  certificates = makeCertificates();
  directory = mkdtempSync(join(tmpdir(), 'clover-redrive-errors-'));
  writeFileSync(join(directory, 'token'), TEST_TOKEN);
});
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});

async function sqsAnswering(identity: ServerIdentity, answer: (operation: string) => SqsAnswer) {
  const sqs = await startSqs(identity, answer);
  closers.push(sqs.close);
  return sqs;
}

describe('clover redrive names what stops it from reading the queue, and exits 2', () => {
  test('no credentials at all', async () => {
    const sqs = await sqsAnswering(certificates.trusted, () => ({ status: 200, body: {} }));
    const result = await redrive(
      ['--queue-url', sqs.queueUrl, '--region', 'eu-west-1', '--dry-run'],
      userEnvironment({ NODE_EXTRA_CA_CERTS: certificates.caFile }),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /clover redrive: no AWS credentials were found \(CredentialsProviderError: .*\); set AWS_PROFILE/,
    );
    expect(result.stderr).not.toMatch(NOT_A_BUG);
    expect(sqs.operations).toEqual([]);
  });

  test.each<[string, SqsAnswer, RegExp]>([
    [
      'expired credentials',
      sqsError(
        'ExpiredToken',
        'com.amazon.coral.service#ExpiredTokenException',
        'The security token included in the request is expired',
      ),
      /the AWS credentials have expired \(ExpiredToken: The security token included in the request is expired\); refresh them/,
    ],
    [
      'credentials AWS does not know',
      sqsError(
        'InvalidClientTokenId',
        'com.amazon.coral.service#UnrecognizedClientException',
        'The security token included in the request is invalid.',
      ),
      /SQS rejected the AWS credentials \(InvalidClientTokenId: The security token included in the request is invalid\.\)/,
    ],
    [
      'access denied',
      sqsError(
        'AccessDenied',
        'com.amazon.coral.service#AccessDeniedException',
        'User: arn:aws:sts::111111111111:assumed-role/Operator/me is not authorized to perform: sqs:receivemessage',
      ),
      /access denied: sqs:ReceiveMessage on https:\/\/127\.0\.0\.1:\d+\/111111111111\/clover-dublin-1-shipper-dlq \(AccessDenied: User: .* is not authorized/,
    ],
    [
      "access denied to the queue's KMS key",
      sqsError(
        'KmsAccessDenied',
        'com.amazonaws.sqs#KmsAccessDenied',
        'The ciphertext refers to a key you cannot use',
      ),
      /access denied to the KMS key of https:\/\/127\.0\.0\.1:\d+\/\S+ \(KmsAccessDenied: .*\); the caller needs kms:Decrypt/,
    ],
    [
      'a queue that does not exist',
      sqsError(
        'AWS.SimpleQueueService.NonExistentQueue',
        'com.amazonaws.sqs#QueueDoesNotExist',
        'The specified queue does not exist.',
      ),
      /https:\/\/127\.0\.0\.1:\d+\/\S+ does not exist, or these credentials cannot see it \(QueueDoesNotExist: The specified queue does not exist\.\); check the URL, --region/,
    ],
  ])('%s', async (_name, answer, message) => {
    const sqs = await sqsAnswering(certificates.trusted, () => answer);
    const result = await redrive(
      ['--queue-url', sqs.queueUrl, '--region', 'eu-west-1', '--dry-run'],
      userEnvironment({ ...CREDENTIALS, NODE_EXTRA_CA_CERTS: certificates.caFile }),
    );
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toMatch(NOT_A_BUG);
    expect(sqs.operations[0]).toBe('ReceiveMessage');
  });

  test('an SQS host name that does not resolve', async () => {
    const result = await redrive(
      ['--queue-url', 'https://sqs.eu-west-1.clover-test.invalid/111111111111/q', '--dry-run'],
      userEnvironment(CREDENTIALS),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /clover redrive: cannot resolve sqs\.eu-west-1\.clover-test\.invalid \((ENOTFOUND|EAI_AGAIN): .*\); check the URL and --region/,
    );
    expect(result.stderr).not.toMatch(NOT_A_BUG);
  });

  test('an SQS endpoint whose certificate is not trusted (a TLS-inspecting proxy)', async () => {
    const sqs = await sqsAnswering(certificates.untrusted, () => ({ status: 200, body: {} }));
    const result = await redrive(
      ['--queue-url', sqs.queueUrl, '--region', 'eu-west-1', '--dry-run'],
      userEnvironment({ ...CREDENTIALS, NODE_EXTRA_CA_CERTS: certificates.caFile }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /the TLS certificate of 127\.0\.0\.1:\d+ is not trusted \((UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN): .*\); behind a TLS-inspecting proxy, trust its CA with NODE_EXTRA_CA_CERTS/,
    );
    expect(result.stderr).not.toMatch(NOT_A_BUG);
    expect(sqs.operations).toEqual([]);
  });
});

describe('clover redrive names what stops it from reaching the monitor, and exits 3 (the messages stay)', () => {
  const body = eventsMessage('dublin-1', 'HTTP 503; retries exhausted', [
    serialiseRecord({
      id: 'e-1',
      timestamp: 1795000000000,
      enclave: 'dublin-1',
      logGroup: 'g',
      logStream: 's',
      message: 'm',
    }),
  ]);
  /** A queue holding one dead-letter message, then empty; deleting is allowed. */
  const oneMessage = () => {
    let received = false;
    return (operation: string): SqsAnswer => {
      if (operation === 'ReceiveMessage' && !received) {
        received = true;
        const md5 = createHash('md5').update(body).digest('hex');
        return {
          status: 200,
          body: { Messages: [{ MessageId: 'm1', ReceiptHandle: 'r1', Body: body, MD5OfBody: md5 }] },
        };
      }
      return { status: 200, body: {} };
    };
  };

  async function replayTo(ingestUrl: string) {
    const sqs = await sqsAnswering(certificates.trusted, oneMessage());
    const result = await redrive(
      [
        '--queue-url',
        sqs.queueUrl,
        '--region',
        'eu-west-1',
        '--ingest-url',
        ingestUrl,
        '--token-file',
        join(directory, 'token'),
        '--ca',
        certificates.caFile,
        '--deadline-ms',
        '5000',
      ],
      userEnvironment({ ...CREDENTIALS, NODE_EXTRA_CA_CERTS: certificates.caFile }),
    );
    return { result, sqs };
  }

  test('a monitor host name that does not resolve', async () => {
    const { result, sqs } = await replayTo('https://monitor.clover-test.invalid/ingest');
    expect(result.code).toBe(3);
    expect(JSON.parse(result.stdout)).toMatchObject({ received: 1, replayed: 0, deleted: 0, left: 1 });
    expect(result.stderr).toMatch(
      /m1: left in the queue: the monitor host name (does not resolve \(ENOTFOUND\)|could not be resolved for now \(EAI_AGAIN)/,
    );
    expect(result.stderr).not.toMatch(NOT_A_BUG);
    expect(sqs.operations).not.toContain('DeleteMessage');
  });

  test('a monitor whose certificate is not trusted', async () => {
    const monitor: TestMonitor = await startMonitor(certificates.untrusted, always({ status: 200 }));
    closers.push(monitor.close);
    const { result, sqs } = await replayTo(monitor.url);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(
      /m1: left in the queue: untrusted certificate \([A-Z_]+\); nothing was sent/,
    );
    expect(result.stderr).not.toMatch(NOT_A_BUG);
    expect(monitor.requests).toBe(0);
    expect(sqs.operations).not.toContain('DeleteMessage');
  });
});
