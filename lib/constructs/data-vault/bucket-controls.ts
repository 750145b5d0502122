import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';

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
