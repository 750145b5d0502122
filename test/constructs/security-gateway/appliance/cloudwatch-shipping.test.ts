import { execFileSync } from 'child_process';
import * as net from 'net';
import * as path from 'path';
import { APPLIANCE_FILES } from '../../../../lib/constructs/security-gateway/appliance';
import { eventually, FakeLoadBalancer, PYTHON, RunningAppliance, startAppliance } from './appliance-process';
import {
  expectedAuthorization,
  FAKE_CREDENTIALS,
  FAKE_INSTANCE_ID,
  FakeServer,
  imdsResponder,
  logsResponder,
  RecordedRequest,
  startFakeServer,
} from './fake-aws';
import { ETHERTYPE_IPV4, geneve, ipv4, tcp } from './geneve-packets';

const LOG_GROUP = '/clover/dublin-1/gateway-appliance';

interface PutLogEvents {
  logGroupName: string;
  logStreamName: string;
  logEvents: Array<{ timestamp: number; message: string }>;
}

const loadBalancer = new FakeLoadBalancer();
let replyPort: number;
let imds: FakeServer;
const appliances: RunningAppliance[] = [];
const logsServers: FakeServer[] = [];

beforeAll(async () => {
  replyPort = await loadBalancer.bind();
  imds = await startFakeServer(imdsResponder);
});

afterAll(async () => {
  for (const appliance of appliances) await appliance.stop();
  for (const logs of logsServers) await logs.close();
  await imds?.close();
  await loadBalancer.close();
});

async function applianceShippingTo(
  failures: number,
): Promise<{ appliance: RunningAppliance; logs: FakeServer }> {
  const logs = await startFakeServer(logsResponder({ remaining: failures }));
  logsServers.push(logs);
  const appliance = await startAppliance([
    ...['--reply-port', String(replyPort), '--flush-interval', '0.1'],
    ...['--log-group', LOG_GROUP, '--region', 'eu-west-1', '--url-suffix', 'amazonaws.example'],
    ...['--logs-endpoint', logs.url, '--imds-endpoint', imds.url],
  ]);
  appliances.push(appliance);
  return { appliance, logs };
}

const packet = (sourcePort: number): Buffer =>
  geneve({ protocolType: ETHERTYPE_IPV4, inner: ipv4('10.10.4.4', '198.51.100.7', 6, tcp(sourcePort, 443)) });

const target = (request: RecordedRequest): string => String(request.headers['x-amz-target']);
const putBody = (request: RecordedRequest): PutLogEvents =>
  JSON.parse(request.body.toString()) as PutLogEvents;

function shippedMessages(logs: FakeServer): Array<Record<string, unknown>> {
  return logs.requests
    .filter((request) => target(request) === 'Logs_20140328.PutLogEvents' && request.status === 200)
    .flatMap((request) =>
      putBody(request).logEvents.map((event) => JSON.parse(event.message) as Record<string, unknown>),
    );
}

describe('CloudWatch Logs shipping', () => {
  test('ships flow lines with SigV4-signed PutLogEvents, using role credentials fetched the IMDSv2 way', async () => {
    const { appliance, logs } = await applianceShippingTo(0);
    await loadBalancer.exchange(appliance.genevePort, packet(41001));
    await loadBalancer.exchange(appliance.genevePort, packet(41002));
    await eventually(async () => {
      const ports = shippedMessages(logs).map((message) => message.srcPort);
      return ports.includes(41001) && ports.includes(41002) ? true : undefined;
    }, 'both flows in PutLogEvents');

    const [create, ...puts] = logs.requests;
    expect(target(create)).toBe('Logs_20140328.CreateLogStream');
    expect(JSON.parse(create.body.toString())).toEqual({
      logGroupName: LOG_GROUP,
      logStreamName: FAKE_INSTANCE_ID,
    });
    for (const request of [create, ...puts]) {
      expect(request.method).toBe('POST');
      expect(request.path).toBe('/');
      expect(request.headers['content-type']).toBe('application/x-amz-json-1.1');
      expect(request.headers['x-amz-security-token']).toBe(FAKE_CREDENTIALS.Token);
      expect(request.headers.authorization).toMatch(
        new RegExp(
          `^AWS4-HMAC-SHA256 Credential=${FAKE_CREDENTIALS.AccessKeyId}/\\d{8}/eu-west-1/logs/aws4_request, ` +
            'SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$',
        ),
      );
      expect(request.headers.authorization).toBe(
        expectedAuthorization(request, FAKE_CREDENTIALS.SecretAccessKey),
      );
    }
    const body = putBody(puts[0]);
    expect(body).toMatchObject({ logGroupName: LOG_GROUP, logStreamName: FAKE_INSTANCE_ID });
    expect(body.logEvents[0].timestamp).toEqual(expect.any(Number));
    expect(JSON.parse(body.logEvents[0].message)).toMatchObject({
      event: 'flow',
      srcAddr: '10.10.4.4',
      dstAddr: '198.51.100.7',
      dstPort: 443,
      protocol: 'tcp',
    });
    // Shipping worked, so nothing was echoed to stdout.
    expect(appliance.stdout.lines).toEqual([]);

    // Credentials the IMDSv2 way: a token PUT first, the token on every GET.
    const [first, ...rest] = imds.requests;
    expect(first).toMatchObject({ method: 'PUT', path: '/latest/api/token' });
    expect(first.headers['x-aws-ec2-metadata-token-ttl-seconds']).toBe('21600');
    expect(rest.map((request) => request.path)).toEqual(
      expect.arrayContaining([
        '/latest/meta-data/instance-id',
        '/latest/meta-data/iam/security-credentials/',
        '/latest/meta-data/iam/security-credentials/clover-gateway-appliance',
      ]),
    );
    for (const request of rest) expect(request.headers['x-aws-ec2-metadata-token']).toBeTruthy();
  });

  test('while CloudWatch fails, keeps the lines, writes them to stdout, and ships them after', async () => {
    const { appliance, logs } = await applianceShippingTo(1);
    const reply = await loadBalancer.exchange(appliance.genevePort, packet(42001));
    expect(reply.message.equals(packet(42001))).toBe(true);

    const echoed = await appliance.stdout.waitFor(
      (line) => line.srcPort === 42001,
      'flow line echoed to stdout',
    );
    await appliance.stderr.waitFor((line) => line.event === 'ship-failed', 'ship-failed diagnostic');
    const shipped = await eventually(
      async () => shippedMessages(logs).find((message) => message.srcPort === 42001),
      'the buffered line shipped after the failure',
    );
    expect(shipped).toEqual(echoed);
    const statuses = logs.requests.filter((request) => target(request) === 'Logs_20140328.PutLogEvents');
    expect(statuses.map((request) => request.status)).toEqual([503, 200]);
    expect(appliance.stdout.lines.filter((line) => line.srcPort === 42001)).toHaveLength(1);
  });
  test('keeps forwarding while the CloudWatch endpoint hangs', async () => {
    // Accepts connections and never answers: the shipper is stuck in its HTTP timeout.
    const connections: net.Socket[] = [];
    const silent = net.createServer((connection) => connections.push(connection));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const appliance = await startAppliance([
      ...['--reply-port', String(replyPort), '--flush-interval', '0.05'],
      ...['--log-group', LOG_GROUP, '--region', 'eu-west-1', '--url-suffix', 'amazonaws.example'],
      ...[
        '--logs-endpoint',
        `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`,
        '--imds-endpoint',
        imds.url,
      ],
    ]);
    try {
      await loadBalancer.exchange(appliance.genevePort, packet(43000));
      await eventually(async () => (connections.length > 0 ? true : undefined), 'the shipper to connect');
      for (let sourcePort = 43001; sourcePort <= 43005; sourcePort++) {
        const reply = await loadBalancer.exchange(appliance.genevePort, packet(sourcePort));
        expect(reply.message.equals(packet(sourcePort))).toBe(true);
      }
    } finally {
      appliance.child.kill('SIGKILL');
      connections.forEach((connection) => connection.destroy());
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe('SigV4 signing', () => {
  test("matches AWS's published example signature (IAM ListUsers, 2015-08-30)", () => {
    const script = [
      'import json, sys',
      'sys.path.insert(0, sys.argv[1])',
      'from geneve_passthrough import sign_request',
      "headers = sign_request('GET', 'iam.amazonaws.com', '/', 'Action=ListUsers&Version=2010-05-08',",
      "    {'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8'}, b'',",
      "    {'AccessKeyId': 'AKIDEXAMPLE', 'SecretAccessKey': 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'},",
      "    'us-east-1', 'iam', '20150830T123600Z')",
      "print(headers['authorization'])",
    ].join('\n');
    const output = execFileSync(PYTHON, ['-B', '-c', script, path.dirname(APPLIANCE_FILES.program)], {
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(output.trim()).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, ' +
        'SignedHeaders=content-type;host;x-amz-date, ' +
        'Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });
});
