import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
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

    this.accessLogBucket = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          id: 'ExpireAccessLogs',
          expiration: Duration.days(props.accessLogDays ?? 365),
          noncurrentVersionExpiration: Duration.days(1),
        },
      ],
    });
    designDecision(this.accessLogBucket, 'PIPELINE_ACCESS_LOG_BUCKET');
    artifacts.loggingConfiguration = {
      destinationBucketName: this.accessLogBucket.bucketName,
      logFilePrefix: 'access-logs/',
    };
    this.accessLogBucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ServerAccessLogDelivery',
        principals: [new iam.ServicePrincipal('logging.s3.amazonaws.com')],
        actions: ['s3:PutObject'],
        resources: [this.accessLogBucket.arnForObjects('access-logs/*')],
        conditions: {
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
          ArnLike: { 'aws:SourceArn': props.bucket.bucketArn },
        },
      }),
    );
  }
}
