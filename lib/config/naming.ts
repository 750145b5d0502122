/**
 * Physical names shared between stacks of one enclave. Log groups have fixed
 * names so that the logging stack can subscribe to them without cross-stack
 * exports, and auditors can find them.
 */

/** VPC flow logs of the enclave VPC. */
export function flowLogGroupName(enclave: string): string {
  return `/clover/${enclave}/vpc-flow-logs`;
}

/** Flow log of the security-gateway appliances (one line per inner flow). */
export function applianceLogGroupName(enclave: string): string {
  return `/clover/${enclave}/gateway-appliance`;
}

/** The enclave's CloudTrail log group. */
export function trailLogGroupName(enclave: string): string {
  return `/clover/${enclave}/cloudtrail`;
}

/** Stack name within an enclave stage, e.g. `dublin-1-Network`. */
export function enclaveStackName(enclave: string, stack: string): string {
  return `${enclave}-${stack}`;
}

/** IAM role of the enclave's log shipper; the monitoring archive's bucket and key policies name it. */
export function shipperRoleName(enclave: string): string {
  return `clover-${enclave}-log-shipper`;
}

/** Approved-employee role of an enclave. */
export function approvedEmployeeRoleName(enclave: string): string {
  return `clover-${enclave}-approved-employee`;
}

/** Read-only role of the independent auditor in an enclave account. */
export function auditorRoleName(enclave: string): string {
  return `clover-${enclave}-independent-auditor`;
}

/** Break-glass role of an enclave (exists only while access.breakGlass.expires is in the future). */
export function breakGlassRoleName(enclave: string): string {
  return `clover-${enclave}-break-glass`;
}

/** Evidence archive bucket in the monitoring account (S3 names are global: account and region make it unique). */
export function archiveBucketName(monitoringAccount: string, monitoringRegion: string): string {
  return `clover-archive-${monitoringAccount}-${monitoringRegion}`;
}

/** Role through which an enclave's rules forward security events to the monitoring plane's bus (the bus admits only these). */
export function securityEventForwarderRoleName(enclave: string): string {
  return `clover-${enclave}-security-event-forwarder`;
}

/** Cross-account EventBridge bus in the monitoring account that receives enclave security events. */
export const SECURITY_EVENT_BUS_NAME = 'clover-security-events';

/** SNS topic of an enclave's alarms (Logging stack), which the monitor's alert endpoint subscribes to. */
export function alarmTopicName(enclave: string): string {
  return `clover-${enclave}-logging-alarms`;
}

/** Bucket of the monitoring plane that receives the AWS Config deliveries of every enclave account (organisation baseline). */
export function configBucketName(monitoringAccount: string, monitoringRegion: string): string {
  return `clover-config-${monitoringAccount}-${monitoringRegion}`;
}

/**
 * Prefix of the roles the organisation baseline creates in every enclave account, one per region (IAM names
 * are global to an account, and the StackSet deploys the baseline in each of the enclaves' regions).
 */
export const CONFIG_RECORDER_ROLE_PREFIX = 'clover-config-recorder-';
export const TRAIL_CHECK_ROLE_PREFIX = 'clover-trail-check-';

/** Alias (without `alias/`) of the key of the monitoring plane's Config bucket. */
export const CONFIG_KEY_ALIAS = 'clover-monitoring-config';
