import * as crypto from 'crypto';
import * as http from 'http';

/** Fake local stand-ins for IMDSv2 and CloudWatch Logs, on 127.0.0.1 with ephemeral ports. */

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
  /** Status the fake answered with. */
  readonly status?: number;
}

export interface FakeResponse {
  readonly status: number;
  readonly body: string;
}

export interface FakeServer {
  readonly url: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startFakeServer(
  respond: (request: RecordedRequest) => FakeResponse,
): Promise<FakeServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const request = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      };
      const response = respond(request);
      requests.push({ ...request, status: response.status });
      outgoing.writeHead(response.status, { 'Content-Type': 'application/json', Connection: 'close' });
      outgoing.end(response.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export const FAKE_INSTANCE_ID = 'i-0c10bef00d5eaf00d';
export const FAKE_ROLE = 'clover-gateway-appliance';
export const FAKE_CREDENTIALS = {
  AccessKeyId: 'ASIACLOVERTESTKEY',
  SecretAccessKey: 'clover/test+secret/key',
  Token: 'clover-session-token-from-imds',
};
const IMDS_TOKEN = 'imds-v2-session-token';

/** IMDSv2: a session token from PUT /latest/api/token is required on every GET (401 without it). */
export function imdsResponder(request: RecordedRequest): FakeResponse {
  if (request.method === 'PUT' && request.path === '/latest/api/token') {
    return request.headers['x-aws-ec2-metadata-token-ttl-seconds']
      ? { status: 200, body: IMDS_TOKEN }
      : { status: 400, body: '' };
  }
  if (request.method !== 'GET' || request.headers['x-aws-ec2-metadata-token'] !== IMDS_TOKEN) {
    return { status: 401, body: '' };
  }
  const credentialsPath = '/latest/meta-data/iam/security-credentials/';
  const expiration = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const documents: Record<string, string> = {
    '/latest/meta-data/instance-id': FAKE_INSTANCE_ID,
    [credentialsPath]: FAKE_ROLE,
    [credentialsPath + FAKE_ROLE]: JSON.stringify({
      Code: 'Success',
      Type: 'AWS-HMAC',
      ...FAKE_CREDENTIALS,
      Expiration: expiration,
    }),
  };
  return request.path in documents
    ? { status: 200, body: documents[request.path] }
    : { status: 404, body: '' };
}

/** CloudWatch Logs (JSON 1.1 protocol); `failures` PutLogEvents calls fail with 503 first. */
export function logsResponder(failures: { remaining: number }): (request: RecordedRequest) => FakeResponse {
  return (request) => {
    const target = String(request.headers['x-amz-target'] ?? '');
    if (target === 'Logs_20140328.CreateLogStream') return { status: 200, body: '{}' };
    if (target !== 'Logs_20140328.PutLogEvents') {
      return { status: 400, body: JSON.stringify({ __type: 'UnknownOperationException' }) };
    }
    if (failures.remaining > 0) {
      failures.remaining--;
      return {
        status: 503,
        body: JSON.stringify({ __type: 'ServiceUnavailableException', message: 'try later' }),
      };
    }
    return { status: 200, body: JSON.stringify({ nextSequenceToken: '1' }) };
  };
}

/**
 * The SigV4 Authorization header a request should carry, computed independently of the appliance from
 * what the server received (method, path, the headers it names as signed, body).
 */
export function expectedAuthorization(request: RecordedRequest, secretAccessKey: string): string {
  const authorization = String(request.headers.authorization ?? '');
  const [, accessKeyId, date, region, service] =
    /Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization) ?? [];
  const signedHeaders = (/SignedHeaders=([^,]+)/.exec(authorization)?.[1] ?? '').split(';');
  const [path, query = ''] = request.path.split('?');
  const sha256 = (data: string | Buffer): string => crypto.createHash('sha256').update(data).digest('hex');
  const canonicalRequest = [
    request.method,
    path,
    query,
    signedHeaders
      .map((name) => `${name}:${String(request.headers[name]).trim().replace(/\s+/g, ' ')}\n`)
      .join(''),
    signedHeaders.join(';'),
    sha256(request.body),
  ].join('\n');
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    request.headers['x-amz-date'],
    scope,
    sha256(canonicalRequest),
  ].join('\n');
  const signingKey = [date, region, service, 'aws4_request'].reduce<Buffer>(
    (key, part) => crypto.createHmac('sha256', key).update(part).digest(),
    Buffer.from(`AWS4${secretAccessKey}`),
  );
  const signature = crypto.createHmac('sha256', signingKey).update(stringToSign).digest('hex');
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${scope}, SignedHeaders=${signedHeaders.join(';')}, Signature=${signature}`;
}
