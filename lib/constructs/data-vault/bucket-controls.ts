import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
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

/**
 * What every Clover bucket is: TLS 1.2+ only, versioned, public access blocked, objects owned by the
 * bucket owner, retained when its stack is deleted.
 */
export const PRIVATE_BUCKET_PROPS: s3.BucketProps = {
  enforceSSL: true,
  minimumTLSVersion: 1.2,
  versioned: true,
  blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
  objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
  removalPolicy: RemovalPolicy.RETAIN,
};

/**
 * A private access log bucket: SSE-S3 (the one default encryption S3 supports for a log destination), TLS
 * 1.2+, versioned, public access blocked, owned by the bucket owner, retained; logs expire after
 * `expiration`.
 */
export function accessLogBucketProps(expiration: Duration): s3.BucketProps {
  return {
    ...PRIVATE_BUCKET_PROPS,
    encryption: s3.BucketEncryption.S3_MANAGED,
    lifecycleRules: [{ id: 'ExpireAccessLogs', expiration, noncurrentVersionExpiration: Duration.days(1) }],
  };
}

/**
 * Server access logging of one bucket (`source`, its L1 and ARN) into `destination` under `access-logs/`.
 * Set on the L1, and delivery granted by the destination's bucket policy to the S3 logging service for this
 * account and that source only, whatever the S3 feature flags say.
 */
export function logServerAccess(source: s3.CfnBucket, sourceArn: string, destination: s3.Bucket): void {
  source.loggingConfiguration = {
    destinationBucketName: destination.bucketName,
    logFilePrefix: 'access-logs/',
  };
  destination.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'ServerAccessLogDelivery',
      principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
      actions: ['s3:PutObject'],
      resources: [destination.arnForObjects('access-logs/*')],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Stack.of(destination).account },
        ArnLike: { 'aws:SourceArn': sourceArn },
      },
    }),
  );
}
