/**
 * What AWS services send when they act for an account, as their documentation
 * states it. One table, so that every flow and probe builds a service's
 * request the same way.
 */

/** A service principal name in the stack's partition: `events.amazonaws.com`, `events.amazonaws.eu`. */
export function servicePrincipal(service: string, urlSuffix: string): string {
  return `${service}.${urlSuffix}`;
}

/** The service part of a service principal (`logs.eu-west-1.amazonaws.com` → `logs`). */
export function serviceOf(principal: string): string {
  return principal.replace(/\.amazonaws\.(com|eu|com\.cn)$/, '').replace(/\.[a-z]{2}(-[a-z]+)+-\d+$/, '');
}

/**
 * Services that put `aws:SourceAccount` and `aws:SourceArn` on the requests
 * they make to KMS for an account's resources. EventBridge does not, when it
 * publishes to an encrypted SNS topic or sends to an encrypted queue: AWS
 * documents that those keys are unsupported in the key policy there (SNS
 * developer guide, "Key management"), so such keys are scoped by encryption
 * context instead.
 */
const KMS_CALLS_WITHOUT_SOURCE = new Set(['events']);

/** True when the service's KMS requests carry `aws:SourceAccount`/`aws:SourceArn`. */
export function sendsSourceToKms(service: string): boolean {
  return !KMS_CALLS_WITHOUT_SOURCE.has(serviceOf(service));
}

/**
 * Services that assume roles for an account and say for which one
 * (`aws:SourceAccount`, `aws:SourceArn` on `sts:AssumeRole`), so that a role
 * trust naming them without those conditions lets them act for any account:
 * each documents the keys in its "cross-service confused deputy prevention"
 * section. Roles that a service can only use through `iam:PassRole` in the
 * role's own account (Lambda execution roles, EC2 instance profiles) are not
 * listed: no other account can hand them to the service.
 */
const ASSUMES_WITH_SOURCE = new Set([
  'cloudtrail',
  'events',
  'vpc-flow-logs',
  'delivery.logs',
  'logs',
  's3',
  'config',
  'firehose',
  'states',
  'scheduler',
  'sns',
  'backup',
]);

/** True when a role trust that names this service must pin the source account or resource. */
export function assumesWithSource(service: string): boolean {
  return ASSUMES_WITH_SOURCE.has(serviceOf(service));
}

/** The region-scoped principal CloudWatch Logs uses with KMS (`logs.<region>.<suffix>`). */
export function logsKeyPrincipal(region: string, urlSuffix: string): string {
  return `logs.${region}.${urlSuffix}`;
}
