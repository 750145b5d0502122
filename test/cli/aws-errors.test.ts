import { SQSServiceException } from '@aws-sdk/client-sqs';
import { explainAwsError, type AwsCall } from '../../cli/ship/aws-errors';

const CALL: AwsCall = {
  service: 'SQS',
  action: 'sqs:ReceiveMessage',
  resource: 'https://sqs.eu-west-1.amazonaws.com/111111111111/q',
};

/** A Node network error as the SDK's HTTP handler passes it on. */
const networkError = (code: string, message: string) => Object.assign(new Error(message), { code });

const serviceError = (name: string, message: string) =>
  new SQSServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: 400 }, message });

/** A credential provider's error: the SDK names it by `name` only. */
const providerError = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('explainAwsError', () => {
  test.each<[string, unknown, string, RegExp]>([
    [
      'no credentials',
      providerError('CredentialsProviderError', 'Could not load credentials from any providers'),
      'no-credentials',
      /^no AWS credentials were found \(CredentialsProviderError: Could not load credentials from any providers\)/,
    ],
    [
      'an expired SSO session',
      providerError(
        'CredentialsProviderError',
        'The SSO session associated with this profile has expired or is otherwise invalid.',
      ),
      'expired-credentials',
      /^the AWS credentials have expired .*aws sso login/,
    ],
    [
      'an expired session token',
      serviceError('ExpiredToken', 'The security token included in the request is expired'),
      'expired-credentials',
      /^the AWS credentials have expired \(ExpiredToken: /,
    ],
    [
      'a bad signature',
      serviceError('SignatureDoesNotMatch', 'The request signature we calculated does not match'),
      'rejected-credentials',
      /^SQS rejected the AWS credentials .*system clock/,
    ],
    [
      'access denied',
      serviceError('AccessDenied', 'not authorized to perform: sqs:receivemessage'),
      'access-denied',
      /^access denied: sqs:ReceiveMessage on https:\/\/sqs\.eu-west-1\.amazonaws\.com\/111111111111\/q \(AccessDenied: /,
    ],
    [
      'a DNS failure',
      networkError('EAI_AGAIN', 'getaddrinfo EAI_AGAIN sqs.eu-west-1.amazonaws.com'),
      'dns',
      /^cannot resolve sqs\.eu-west-1\.amazonaws\.com \(EAI_AGAIN: /,
    ],
    [
      'an expired certificate',
      networkError('CERT_HAS_EXPIRED', 'certificate has expired'),
      'tls',
      /^the TLS certificate of sqs\.eu-west-1\.amazonaws\.com is not trusted \(CERT_HAS_EXPIRED: /,
    ],
    [
      'a failed TLS handshake',
      networkError('EPROTO', 'write EPROTO ssl3_get_record:wrong version number'),
      'tls',
      /^the TLS handshake with sqs\.eu-west-1\.amazonaws\.com failed \(EPROTO: /,
    ],
    [
      'a refused connection',
      networkError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:443'),
      'network',
      /^cannot reach sqs\.eu-west-1\.amazonaws\.com \(ECONNREFUSED: /,
    ],
    [
      'a timeout',
      providerError('TimeoutError', 'Connection timed out after 1000 ms'),
      'network',
      /^cannot reach sqs\.eu-west-1\.amazonaws\.com \(TimeoutError: /,
    ],
  ])('names %s', (_name, error, failure, message) => {
    const explained = explainAwsError(error, CALL);
    expect(explained?.failure).toBe(failure);
    expect(explained?.message).toMatch(message);
  });

  test('leaves an error that came from neither AWS nor the network unexplained (a bug)', () => {
    expect(explainAwsError(new TypeError('x is undefined'), CALL)).toBeUndefined();
    expect(explainAwsError('a string', CALL)).toBeUndefined();
    expect(explainAwsError(undefined, CALL)).toBeUndefined();
  });

  test('quotes a long service message in one short line', () => {
    const explained = explainAwsError(serviceError('AccessDenied', `line one\n${'x'.repeat(500)}`), CALL);
    expect(explained?.message).not.toMatch(/\n/);
    expect(explained?.message).toMatch(/\(AccessDenied: line one x+…\)/);
    expect(explained!.message.length).toBeLessThan(400);
  });
});
