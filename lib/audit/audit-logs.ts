/**
 * Whether audit evidence is recorded and kept: trails that log in every
 * region, flow logs of all traffic, server access logs of data buckets, and
 * audit logs kept at least the configured minimum. Shared by CLV-LOG-6 to -9.
 * Pure; results are cached per index.
 */
import { nameText, sameValue } from './links';
import { analyseLogging } from './logging';
import { describeValue, renderContextOf, renderString } from './iam';
import type { IndexedResource, TemplateIndex } from './template';
import {
  asArray,
  isObject,
  isTrue,
  literalString,
  referencedLogicalId,
  valueAt,
  visitStrings,
} from './values';

/** Audit logs (flow logs, trails, gateway appliance logs) are kept at least this many days unless configured otherwise. */
export const DEFAULT_AUDIT_LOG_RETENTION_DAYS = 365;

/** The minimum audit-log retention that applies to a stack. */
export function auditLogRetentionDays(index: TemplateIndex): number {
  return index.context.auditLogRetentionDays ?? DEFAULT_AUDIT_LOG_RETENTION_DAYS;
}

// ------------------------------------------------------------------ trails

/** Why a trail does not record everything: not logging, or one region only. */
export function trailGaps(trail: IndexedResource): string[] {
  const p = trail.properties;
  const gaps: string[] = [];
  if (!isTrue(p.IsLogging)) {
    gaps.push(
      `IsLogging is ${p.IsLogging === undefined ? 'not set' : describeValue(p.IsLogging)}: the trail records nothing`,
    );
  }
  if (!isTrue(p.IsMultiRegionTrail)) {
    gaps.push(
      `IsMultiRegionTrail is ${p.IsMultiRegionTrail === undefined ? 'not set (default false)' : describeValue(p.IsMultiRegionTrail)}: activity in every other region of the account (where data could be copied) is not recorded`,
    );
  }
  return gaps;
}

// --------------------------------------------------------------- flow logs

/** Why a flow log skips traffic: it records only accepted or only rejected flows. */
export function flowLogGaps(flowLog: IndexedResource): string[] {
  const traffic = flowLog.properties.TrafficType;
  const value = typeof traffic === 'string' ? traffic.toUpperCase() : undefined;
  if (traffic === undefined || value === 'ALL') return [];
  if (value === 'REJECT')
    return [
      'TrafficType is REJECT: accepted traffic (every flow that actually carries data) is not recorded',
    ];
  if (value === 'ACCEPT')
    return ['TrafficType is ACCEPT: rejected traffic (scans, blocked attempts to leave) is not recorded'];
  return [`TrafficType is ${describeValue(traffic)}, which cannot be proven to be ALL`];
}

// ------------------------------------------------------- bucket access logs

const LOG_DELIVERY_SERVICES = [
  'logging.s3.amazonaws.com',
  'delivery.logs.amazonaws.com',
  'cloudtrail.amazonaws.com',
  'config.amazonaws.com',
  'logdelivery.elasticloadbalancing.amazonaws.com',
];

const LOG_DESTINATIONS = new WeakMap<TemplateIndex, Map<string, string>>();

/**
 * Buckets of the stack that receive logs, with what sends them: another
 * bucket's server access logs, a trail, a flow log, a load balancer, a
 * distribution, AWS Config, or a bucket policy that lets a log-delivery service write.
 */
export function logDestinationBuckets(index: TemplateIndex): ReadonlyMap<string, string> {
  let found = LOG_DESTINATIONS.get(index);
  if (found) return found;
  found = new Map();
  const add = (value: unknown, why: string) => {
    const bucket = bucketNamed(index, value);
    if (bucket && !found!.has(bucket.logicalId)) found!.set(bucket.logicalId, why);
  };
  for (const bucket of index.ofType('AWS::S3::Bucket')) {
    add(
      valueAt(bucket.properties, 'LoggingConfiguration.DestinationBucketName'),
      `server access logs of ${bucket.logicalId}`,
    );
    if (literalString(bucket.properties.AccessControl) === 'LogDeliveryWrite')
      add({ Ref: bucket.logicalId }, 'the LogDeliveryWrite ACL');
  }
  for (const trail of index.ofType('AWS::CloudTrail::Trail'))
    add(trail.properties.S3BucketName, `trail ${trail.logicalId}`);
  for (const flowLog of index.ofType('AWS::EC2::FlowLog')) {
    if (literalString(flowLog.properties.LogDestinationType) === 's3')
      add(flowLog.properties.LogDestination, `flow log ${flowLog.logicalId}`);
  }
  for (const channel of index.ofType('AWS::Config::DeliveryChannel'))
    add(channel.properties.S3BucketName, `AWS Config ${channel.logicalId}`);
  for (const balancer of index.ofType('AWS::ElasticLoadBalancingV2::LoadBalancer')) {
    for (const attribute of asArray(balancer.properties.LoadBalancerAttributes)) {
      if (isObject(attribute) && attribute.Key === 'access_logs.s3.bucket')
        add(attribute.Value, `load balancer ${balancer.logicalId}`);
    }
  }
  for (const balancer of index.ofType('AWS::ElasticLoadBalancing::LoadBalancer')) {
    add(
      valueAt(balancer.properties, 'AccessLoggingPolicy.S3BucketName'),
      `load balancer ${balancer.logicalId}`,
    );
  }
  for (const distribution of index.ofType('AWS::CloudFront::Distribution')) {
    add(
      valueAt(distribution.properties, 'DistributionConfig.Logging.Bucket'),
      `distribution ${distribution.logicalId}`,
    );
  }
  for (const policy of index.ofType('AWS::S3::BucketPolicy')) {
    let delivery: string | undefined;
    visitStrings(policy.properties.PolicyDocument, (text) => {
      delivery ??= LOG_DELIVERY_SERVICES.find((service) => text === service);
    });
    if (delivery) add(policy.properties.Bucket, `${delivery} (bucket policy ${policy.logicalId})`);
  }
  LOG_DESTINATIONS.set(index, found);
  return found;
}

/** The bucket of this stack a value names: by Ref/GetAtt, by name, ARN or S3 domain name. */
function bucketNamed(index: TemplateIndex, value: unknown): IndexedResource | undefined {
  if (value === undefined) return undefined;
  const target = index.get(referencedLogicalId(value));
  if (target?.type === 'AWS::S3::Bucket') return target;
  const text = renderString(value, renderContextOf(index));
  // A bucket name, its ARN (with or without a key prefix) or its S3 domain name.
  const name = text
    ?.replace(/^arn:[^:]+:s3:::/, '')
    .replace(/\.s3[.-].*$/, '')
    .replace(/\/.*$/, '');
  return index
    .ofType('AWS::S3::Bucket')
    .find(
      (bucket) =>
        sameValue(index, value, bucket.properties.BucketName) ||
        (name !== undefined && nameText(index, bucket) === name),
    );
}

/** Why a data bucket has no server access logs; empty when it has them or is itself a log destination. */
export function bucketAccessLogGaps(index: TemplateIndex, bucket: IndexedResource): string[] {
  if (logDestinationBuckets(index).has(bucket.logicalId)) return [];
  const destination = valueAt(bucket.properties, 'LoggingConfiguration.DestinationBucketName');
  if (destination !== undefined && destination !== '') return [];
  return [
    'LoggingConfiguration is not set: requests to the bucket’s objects leave no server access log (who read which object, from where)',
  ];
}

// ------------------------------------------------------------- retention

/** Why an audit log is kept shorter than the configured minimum. */
export function auditRetentionGaps(index: TemplateIndex, resource: IndexedResource): string[] {
  const minimum = auditLogRetentionDays(index);
  if (resource.type === 'AWS::Logs::LogGroup') {
    const group = analyseLogging(index).logGroup(resource.logicalId);
    if (!group || group.enclaveReasons.length === 0) return [];
    const days = retentionDays(resource.properties.RetentionInDays);
    if (days === undefined || days >= minimum) return [];
    return [
      `audit log group ${group.name ?? resource.logicalId} (${group.enclaveReasons.join(', ')}) keeps events ${days} days, less than the minimum of ${minimum} days for audit logs`,
    ];
  }
  if (resource.type === 'AWS::S3::Bucket') {
    const why = logDestinationBuckets(index).get(resource.logicalId);
    if (!why || !/^(trail|flow log)/.test(why)) return [];
    return asArray(valueAt(resource.properties, 'LifecycleConfiguration.Rules')).flatMap((rule, i) => {
      if (!isObject(rule) || rule.Status === 'Disabled') return [];
      const days = retentionDays(rule.ExpirationInDays);
      if (days === undefined || days >= minimum) return [];
      return [
        `LifecycleConfiguration.Rules[${i}] expires the audit logs of ${why} after ${days} days, less than the minimum of ${minimum} days`,
      ];
    });
  }
  return [];
}

function retentionDays(value: unknown): number | undefined {
  const days = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : NaN;
  return Number.isFinite(days) ? days : undefined;
}
