import { Duration } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { accessLogBucketProps, logServerAccess } from '../data-vault/bucket-controls';
import { designDecision } from '../design-decision';
import { grantsOnlyForAwsServices } from '../enclave-network/keys';

export interface ArtifactStoreControlsProps {
  /** An artifact bucket CodePipeline created (in the same stack as this construct), with its KMS key. */
  readonly bucket: s3.IBucket;
  /**
   * Days after which an artifact expires; the pipeline writes new ones on every run.
   * @default 90
   */
  readonly artifactDays?: number;
  /**
   * Days the server access logs are kept.
   * @default 365
   */
  readonly accessLogDays?: number;
}

function cfnBucket(bucket: s3.IBucket, where: string): s3.CfnBucket {
  const resource = bucket.node.defaultChild;
  if (!(resource instanceof s3.CfnBucket))
    throw new Error(`${where}: the bucket must be created in this app`);
  return resource;
}

/**
 * The controls CDK Pipelines leaves out of an artifact bucket it creates (in the pipeline's Region or a
 * cross-region support stack): versioning with expiry of old artifacts, server access logs to a log
 * bucket beside it (same Region, SSE-S3, the only default encryption S3 supports for log targets), and a
 * key policy that lets only AWS services create grants on its KMS key.
 */
export class ArtifactStoreControls extends Construct {
  public readonly accessLogBucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ArtifactStoreControlsProps) {
    super(scope, id);
    const artifacts = cfnBucket(props.bucket, this.node.path);
    artifacts.versioningConfiguration = { status: 'Enabled' };
    artifacts.lifecycleConfiguration = {
      rules: [
        {
          id: 'ExpireOldArtifacts',
          status: 'Enabled',
          expirationInDays: props.artifactDays ?? 90,
          noncurrentVersionExpiration: { noncurrentDays: 30 },
          abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
        },
      ],
    };
    props.bucket.encryptionKey?.addToResourcePolicy(grantsOnlyForAwsServices());
    designDecision(props.bucket, 'PIPELINE_ARTIFACT_BUCKET');

    this.accessLogBucket = new s3.Bucket(
      this,
      'AccessLogs',
      accessLogBucketProps(Duration.days(props.accessLogDays ?? 365)),
    );
    designDecision(this.accessLogBucket, 'PIPELINE_ACCESS_LOG_BUCKET');
    logServerAccess(artifacts, props.bucket.bucketArn, this.accessLogBucket);
  }
}
