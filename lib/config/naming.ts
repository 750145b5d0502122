/**
 * Physical names shared between stacks of one enclave. Log groups have fixed
 * names so that the logging stack can subscribe to them without cross-stack
 * exports, and auditors can find them.
 */

/** An AWS account ID: twelve digits (config accounts, the shipper's `CLOVER_ACCOUNT`, `--account`). */
export const ACCOUNT_ID_PATTERN = /^\d{12}$/;

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

// The data vault's physical names. Replication crosses accounts and CDK stages, so the source enclave
// names the destination's bucket, key alias and replication role without a cross-stack reference.

/** S3 bucket names are 3 to 63 characters. */
export const MAX_BUCKET_NAME_LENGTH = 63;

/** IAM role names are at most 64 characters. */
export const MAX_ROLE_NAME_LENGTH = 64;

/** Pattern of a data class name: it becomes part of bucket names, aliases and construct IDs. */
export const DATA_CLASS_PATTERN = /^[a-z][a-z0-9-]{0,18}[a-z0-9]$/;

/** KMS alias name of an enclave's key for one data class: `alias/clover/<enclave>/<class>`. */
export function dataKeyAliasName(enclave: string, dataClass: string): string {
  return `alias/clover/${enclave}/${dataClass}`;
}

/** S3 bucket of one data class: `clover-<enclave>-<class>-<account>-<region>` (globally unique). */
export function dataBucketName(enclave: string, dataClass: string, account: string, region: string): string {
  return `clover-${enclave}-${dataClass}-${account}-${region}`;
}

/** IAM role that S3 assumes to replicate an enclave's buckets to other enclaves. */
export function replicationRoleName(enclave: string): string {
  return `clover-${enclave}-s3-replication`;
}

/**
 * Why a data bucket name would be invalid, or undefined when it is valid. Names
 * are built from validated parts (lower-case enclave, class, digits, region), so
 * only the length can go wrong.
 */
export function dataBucketNameProblem(
  enclave: string,
  dataClass: string,
  account: string,
  region: string,
): string | undefined {
  const name = dataBucketName(enclave, dataClass, account, region);
  if (name.length <= MAX_BUCKET_NAME_LENGTH) return undefined;
  return `gives the bucket name "${name}" of ${name.length} characters; S3 allows at most ${MAX_BUCKET_NAME_LENGTH}`;
}

/**
 * DynamoDB table of an enclave's records: `clover-<enclave>-records`. A fixed name, so that migration
 * evidence (which names the table) can be matched to the store at synth.
 */
export function dataTableName(enclave: string): string {
  return `clover-${enclave}-records`;
}

/** `dublin-1` → `Dublin1`, for statement IDs (alphanumeric only). */
export function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
