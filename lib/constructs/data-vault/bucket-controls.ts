import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { acknowledge } from '../../nag/acknowledge';

type Acknowledgment = Parameters<typeof acknowledge>[1];

/** Last day of the storage design decisions below: reviewed yearly. */
const EXPIRES = '2027-11-30';

/**
 * Sends the bucket's object events (created, deleted, restored, …) to the account's default
 * EventBridge bus, where the monitoring plane's rules can see them (Control Tower CT.S3.PR.4). Set on
 * the L1: CDK's `eventBridgeEnabled` would add a notifications custom resource (a Lambda outside any VPC).
 */
export function sendEventsToEventBridge(bucket: s3.Bucket): void {
  (bucket.node.defaultChild as s3.CfnBucket).notificationConfiguration = {
    eventBridgeConfiguration: { eventBridgeEnabled: true },
  };
}

/**
 * Housekeeping of a versioned bucket (CT.S3.PR.3 and CT.S3.PR.6): abandoned multipart uploads go after
 * 7 days, noncurrent versions after `noncurrentDays`, and delete markers left with no version behind
 * them after that. (`ExpiredObjectDeleteMarker` may not share a rule with `ExpirationInDays`; here no
 * rule expires current versions.)
 */
export function versionHousekeeping(noncurrentDays: number): s3.LifecycleRule {
  return {
    id: 'VersionHousekeeping',
    abortIncompleteMultipartUploadAfter: Duration.days(7),
    noncurrentVersionExpiration: Duration.days(noncurrentDays),
    expiredObjectDeleteMarker: true,
  };
}

/**
 * Days a data bucket keeps the previous versions of an overwritten or deleted object: erasure (GDPR
 * Art. 17) is complete when they go, within a month.
 */
export const DATA_NONCURRENT_VERSION_DAYS = 30;

/** Control Tower findings on S3 server access log buckets that their purpose rules out. */
export const ACCESS_LOG_BUCKET_DECISIONS: readonly Acknowledgment[] = [
  {
    rule: 'CT.S3.PR.10',
    reason:
      'S3 server access log destination buckets support default encryption only with SSE-S3 (S3 user guide); SSE-KMS there can drop logs silently. The bucket holds request metadata, never object contents (CLV-ENC-1 records the same decision)',
    expires: EXPIRES,
  },
  {
    rule: 'CT.S3.PR.2',
    reason:
      'The bucket is itself the server access log destination of the buckets beside it; logging it into itself would loop and into a third bucket would only move the question',
    expires: EXPIRES,
  },
  {
    rule: 'CT.S3.PR.9',
    reason:
      'S3 does not deliver server access logs to a bucket with Object Lock (S3 user guide, "Configuring S3 Object Lock"); the logs expire by lifecycle and the bucket is private and TLS-only',
    expires: EXPIRES,
  },
];

/** Why a data bucket has no Object Lock by default (CT.S3.PR.9). */
export const DATA_BUCKET_OBJECT_LOCK_DECISION: Acknowledgment = {
  rule: 'CT.S3.PR.9',
  reason:
    'Personal data must be erasable (GDPR Art. 17): a default Object Lock retention would keep erased objects for its whole period. Versioning, replication and access controls protect integrity; dataVault.objectLock turns Object Lock on for data that must be kept',
  expires: EXPIRES,
};

/** Why a migration reports bucket has no Object Lock (CT.S3.PR.9). */
export const MIGRATION_REPORTS_OBJECT_LOCK_DECISION: Acknowledgment = {
  rule: 'CT.S3.PR.9',
  reason:
    'The bucket holds inventories and table exports, which are copies of personal data: they must be erasable and expire after their retention. The verifier’s evidence, which must not change, is written to the monitoring plane’s Object Lock archive',
  expires: EXPIRES,
};

/** Why the enclave trail's bucket has no Object Lock (CT.S3.PR.9). */
export const TRAIL_BUCKET_OBJECT_LOCK_DECISION: Acknowledgment = {
  rule: 'CT.S3.PR.9',
  reason:
    'The tamper-evident copy of every trail event is the monitoring plane’s Object Lock archive (the shipper ships the trail’s log group there); the trail’s own files carry CloudTrail log file validation (signed digests), and noncurrent versions (a deletion or overwrite) are kept a year as evidence',
  expires: EXPIRES,
};
