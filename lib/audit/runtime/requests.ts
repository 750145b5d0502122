import { parseArn } from '../iam';
import { asArray, isObject, isTrue } from '../values';
import type { AssemblyCatalog, Located } from './catalog';
import { sendsSourceToKms, serviceOf } from './services';
import type { FlowPrincipal, FlowRequest, RequestContext } from './types';

/** Where a request goes: an ARN, and what the inputs know of its owner. */
export interface RequestTarget {
  readonly arn: string;
  readonly account: string;
  readonly region?: string;
}

/** The target of a located resource (its ARN, account and region), or of a sub-resource ARN under it. */
export function targetOf(
  catalog: AssemblyCatalog,
  located: Located,
  arn: string = located.arn,
): RequestTarget {
  const place = catalog.placeOf(located);
  return { arn, account: place.account, region: place.region };
}

/** The target of an ARN that may name a resource outside the inputs: its owner comes from the ARN itself. */
export function targetOfArn(catalog: AssemblyCatalog, arn: string, fallbackAccount: string): RequestTarget {
  const located = catalog.find(arn);
  if (located) return targetOf(catalog, located, arn);
  const parsed = parseArn(arn);
  return { arn, account: parsed?.account || fallbackAccount, region: parsed?.region || undefined };
}

export function roleRequest(
  roleArn: string,
  action: string,
  target: RequestTarget,
  options: {
    context?: RequestContext;
    note?: string;
    endpointRegion?: string;
    vpcEndpoint?: FlowRequest['vpcEndpoint'];
  } = {},
): FlowRequest {
  const account = parseArn(roleArn)?.account ?? '';
  return {
    principal: { kind: 'role', arn: roleArn, account },
    action,
    resource: target.arn,
    resourceAccount: target.account,
    resourceRegion: target.region,
    context: options.context ?? {},
    endpointRegion: options.endpointRegion,
    vpcEndpoint: options.vpcEndpoint,
    identity: 'templates',
    note: options.note,
  };
}

/**
 * A request an AWS service makes for an account: `aws:SourceAccount` and
 * `aws:SourceArn` name the account and the resource it acts for.
 */
export function serviceRequest(
  service: string,
  source: { readonly account: string; readonly arn?: string },
  action: string,
  target: RequestTarget,
  options: { context?: RequestContext; note?: string } = {},
): FlowRequest {
  return {
    principal: { kind: 'service', service, sourceAccount: source.account },
    action,
    resource: target.arn,
    resourceAccount: target.account,
    resourceRegion: target.region,
    context: {
      'aws:SourceAccount': source.account,
      ...(source.arn ? { 'aws:SourceArn': source.arn } : {}),
      ...options.context,
    },
    identity: 'templates',
    note: options.note,
  };
}

/** A service assuming a role for an account. */
export function assumeRoleRequest(
  catalog: AssemblyCatalog,
  service: string,
  roleArn: string,
  source: { readonly account: string; readonly arn?: string },
): FlowRequest {
  return serviceRequest(service, source, 'sts:AssumeRole', targetOfArn(catalog, roleArn, source.account), {
    note: `${service} assumes the role`,
  });
}

const S3_WRITES = new Set(['s3:putobject', 's3:replicateobject']);
const S3_READS = new Set(['s3:getobject', 's3:getobjectversion', 's3:getobjectversionforreplication']);

/**
 * The KMS requests a call makes on the caller's behalf when its target is
 * encrypted with a KMS key: S3 asks for a data key (write) or a decryption
 * (read) with the bucket or object ARN as encryption context; SQS, SNS,
 * Secrets Manager and Kinesis likewise with their own context keys. A role's
 * request goes through the service (`kms:ViaService`); a service principal's
 * carries its source only where that service sends it to KMS.
 */
export function impliedKeyRequests(catalog: AssemblyCatalog, request: FlowRequest): FlowRequest[] {
  const target = catalog.find(request.resource);
  if (!target) return [];
  const props = catalog.resolver.properties(target.stack, target.resource);
  const place = catalog.placeOf(target);
  const env = catalog.resolver.environment(target.stack);
  const action = request.action.toLowerCase();
  const via = (service: string) => `${service}.${place.region}.${env.urlSuffix}`;
  let keyValue: unknown;
  let context: Record<string, string> = {};
  let actions: string[] = [];
  let service = '';
  switch (target.resource.type) {
    case 'AWS::S3::Bucket': {
      if (!S3_WRITES.has(action) && !S3_READS.has(action)) return [];
      const byDefault = asArray(
        isObject(props.BucketEncryption)
          ? props.BucketEncryption.ServerSideEncryptionConfiguration
          : undefined,
      )[0];
      const sse =
        isObject(byDefault) && isObject(byDefault.ServerSideEncryptionByDefault)
          ? byDefault.ServerSideEncryptionByDefault
          : {};
      const headerKey = request.context['s3:x-amz-server-side-encryption-aws-kms-key-id'];
      const algorithm = request.context['s3:x-amz-server-side-encryption'] ?? sse.SSEAlgorithm;
      if (typeof algorithm !== 'string' || !algorithm.startsWith('aws:kms')) return [];
      keyValue = typeof headerKey === 'string' ? headerKey : sse.KMSMasterKeyID;
      const bucketKey = isObject(byDefault) && isTrue(byDefault.BucketKeyEnabled);
      // With an S3 Bucket Key the encryption context is the bucket ARN, otherwise the object ARN.
      context = { 'kms:EncryptionContext:aws:s3:arn': bucketKey ? target.arn : request.resource };
      actions = S3_WRITES.has(action) ? ['kms:GenerateDataKey'] : ['kms:Decrypt'];
      service = 's3';
      break;
    }
    case 'AWS::SQS::Queue':
      if (props.KmsMasterKeyId === undefined) return [];
      keyValue = props.KmsMasterKeyId;
      context = { 'kms:EncryptionContext:aws:sqs:arn': target.arn };
      actions =
        action === 'sqs:sendmessage'
          ? ['kms:GenerateDataKey', 'kms:Decrypt']
          : action === 'sqs:receivemessage'
            ? ['kms:Decrypt']
            : [];
      service = 'sqs';
      break;
    case 'AWS::SNS::Topic':
      if (props.KmsMasterKeyId === undefined || action !== 'sns:publish') return [];
      keyValue = props.KmsMasterKeyId;
      context = { 'kms:EncryptionContext:aws:sns:topicArn': target.arn };
      actions = ['kms:GenerateDataKey', 'kms:Decrypt'];
      service = 'sns';
      break;
    case 'AWS::SecretsManager::Secret':
      if (props.KmsKeyId === undefined || action !== 'secretsmanager:getsecretvalue') return [];
      keyValue = props.KmsKeyId;
      context = { 'kms:EncryptionContext:SecretARN': target.arn };
      actions = ['kms:Decrypt'];
      service = 'secretsmanager';
      break;
    case 'AWS::Kinesis::Stream': {
      const encryption = isObject(props.StreamEncryption) ? props.StreamEncryption : undefined;
      if (!encryption || !action.startsWith('kinesis:putrecord')) return [];
      keyValue = encryption.KeyId;
      context = { 'kms:EncryptionContext:aws:kinesis:arn': target.arn };
      actions = ['kms:GenerateDataKey'];
      service = 'kinesis';
      break;
    }
    default:
      return [];
  }
  if (typeof keyValue !== 'string' || keyValue.startsWith('alias/aws/')) return [];
  const key = catalog.key(target.stack, keyValue);
  const keyTarget: { arn: string; account: string; region?: string } = key
    ? { arn: key.arn, account: catalog.placeOf(key).account, region: catalog.placeOf(key).region }
    : {
        arn: keyValue.startsWith('arn:')
          ? keyValue
          : `arn:${env.partition}:kms:${place.region}:${place.account}:${keyValue.startsWith('alias/') ? keyValue : `key/${keyValue}`}`,
        account: parseArn(keyValue)?.account || place.account,
        region: place.region,
      };
  const principal = request.principal;
  const extra: Record<string, string> =
    principal.kind === 'role'
      ? { 'kms:ViaService': via(service), 'kms:CallerAccount': principal.account }
      : principal.kind === 'service' && sendsSourceToKms(principal.service)
        ? pick(request.context, ['aws:SourceAccount', 'aws:SourceArn'])
        : {};
  return actions.map((kmsAction) => ({
    principal,
    action: kmsAction,
    resource: keyTarget.arn,
    resourceAccount: keyTarget.account,
    resourceRegion: keyTarget.region,
    context: { ...context, ...extra },
    identity: request.identity,
    note: `${service} calls ${kmsAction} on ${describePrincipal(principal)}'s behalf (the ${target.resource.type.split('::')[2]} is encrypted with this key)`,
  }));
}

function pick(context: RequestContext, keys: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of keys) {
    const value = context[key];
    if (typeof value === 'string') out[key] = value;
  }
  return out;
}

/** `role clover-dublin-1-log-shipper`, `service events.amazonaws.com`, `an anonymous caller`. */
export function describePrincipal(principal: FlowPrincipal): string {
  switch (principal.kind) {
    case 'role':
      return `role ${principal.arn.slice(principal.arn.indexOf(':role/') + 6)}`;
    case 'service':
      return `${serviceOf(principal.service)} (${principal.service})`;
    case 'anonymous':
      return 'an anonymous caller';
  }
}
