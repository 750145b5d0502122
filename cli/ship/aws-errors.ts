import { UNTRUSTED_CERTIFICATE } from '../../lambda/log-shipper/deliver';

/** What was being done when an AWS call failed: named in the explanation. */
export interface AwsCall {
  /** The service, as people say it: `SQS`. */
  readonly service: string;
  /** The IAM action: `sqs:ReceiveMessage`. */
  readonly action: string;
  /** What it was done to: a queue URL. */
  readonly resource: string;
}

/** The kinds of failure a user can fix, each with its own wording. */
export type AwsFailure =
  | 'no-credentials'
  | 'expired-credentials'
  | 'rejected-credentials'
  | 'access-denied'
  | 'not-found'
  | 'dns'
  | 'tls'
  | 'network'
  | 'service';

/** An AWS SDK error explained: what it is and what to do, in one line. */
export interface AwsErrorExplanation {
  readonly failure: AwsFailure;
  readonly message: string;
}

const EXPIRED = new Set(['ExpiredToken', 'ExpiredTokenException', 'TokenRefreshRequired']);
const REJECTED = new Set([
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'AuthFailure',
]);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'KmsAccessDenied']);
const NOT_FOUND = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NonExistentQueue',
]);
const DNS = new Set(['ENOTFOUND', 'EAI_AGAIN']);
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

interface SdkErrorShape {
  readonly name?: unknown;
  readonly code?: unknown;
  readonly Code?: unknown;
  readonly message?: unknown;
  readonly $fault?: unknown;
  readonly $metadata?: { readonly httpStatusCode?: number };
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/** `Name: message`, one line and at most 200 characters: enough to search for, never a stack. */
function quoted(error: SdkErrorShape): string {
  const name = text(error.code) ?? text(error.name) ?? 'Error';
  const message = (text(error.message) ?? '').replace(/\s+/g, ' ').trim();
  const line = message ? `${name}: ${message}` : name;
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

function hostOf(resource: string): string {
  try {
    return new URL(resource).host;
  } catch {
    return resource;
  }
}

/**
 * Explains an error thrown by an AWS SDK call as what it is: missing, expired
 * or rejected credentials, access denied, a resource that does not exist, or a
 * DNS, TLS or network failure on the way to the service, naming the fix. Any
 * other error a service answered with is named as the service's answer.
 * Undefined when the error came from neither the SDK nor the network (a bug).
 */
export function explainAwsError(error: unknown, call: AwsCall): AwsErrorExplanation | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const shape = error as SdkErrorShape;
  const name = text(shape.name) ?? '';
  const code = text(shape.code) ?? text(shape.Code) ?? name;
  const what = quoted(shape);
  const host = hostOf(call.resource);
  if (name === 'CredentialsProviderError' || name === 'TokenProviderError') {
    if (/expired/i.test(text(shape.message) ?? '')) {
      return {
        failure: 'expired-credentials',
        message: `the AWS credentials have expired (${what}); refresh them (aws sso login, or new session credentials) and rerun`,
      };
    }
    return {
      failure: 'no-credentials',
      message: `no AWS credentials were found (${what}); set AWS_PROFILE (then aws sso login if it uses SSO), or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and rerun`,
    };
  }
  if (EXPIRED.has(name) || EXPIRED.has(code)) {
    return {
      failure: 'expired-credentials',
      message: `the AWS credentials have expired (${what}); refresh them (aws sso login, or new session credentials) and rerun`,
    };
  }
  if (REJECTED.has(name) || REJECTED.has(code)) {
    return {
      failure: 'rejected-credentials',
      message: `${call.service} rejected the AWS credentials (${what}); check the access key, secret and session token of the profile in use (and the system clock, for a signature error)`,
    };
  }
  if (DENIED.has(name) || DENIED.has(code)) {
    const kms = name === 'KmsAccessDenied' || code === 'KmsAccessDenied';
    return {
      failure: 'access-denied',
      message: kms
        ? `access denied to the KMS key of ${call.resource} (${what}); the caller needs kms:Decrypt on the queue's key, in the key policy and in its IAM policy`
        : `access denied: ${call.action} on ${call.resource} (${what}); grant it to the caller (docs/monitor-api.md lists what the command needs)`,
    };
  }
  if (NOT_FOUND.has(name) || NOT_FOUND.has(code)) {
    return {
      failure: 'not-found',
      message: `${call.resource} does not exist, or these credentials cannot see it (${what}); check the URL, --region and the account of the credentials`,
    };
  }
  if (DNS.has(code)) {
    return {
      failure: 'dns',
      message: `cannot resolve ${host} (${what}); check the URL and --region, and that this machine has network and DNS`,
    };
  }
  if (UNTRUSTED_CERTIFICATE.has(code)) {
    return {
      failure: 'tls',
      message: `the TLS certificate of ${host} is not trusted (${what}); behind a TLS-inspecting proxy, trust its CA with NODE_EXTRA_CA_CERTS=<ca.pem>`,
    };
  }
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return {
      failure: 'tls',
      message: `the TLS handshake with ${host} failed (${what}); check the URL and any proxy between here and ${call.service}`,
    };
  }
  if (NETWORK.has(code) || name === 'TimeoutError') {
    return {
      failure: 'network',
      message: `cannot reach ${host} (${what}); check the network, any proxy, and the URL`,
    };
  }
  if (shape.$fault !== undefined || shape.$metadata?.httpStatusCode !== undefined) {
    const status = shape.$metadata?.httpStatusCode;
    return {
      failure: 'service',
      message: `${call.service} refused ${call.action} on ${call.resource}${status ? ` with HTTP ${status}` : ''} (${what})`,
    };
  }
  return undefined;
}
