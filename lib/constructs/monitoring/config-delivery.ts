import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CONFIG_KEY_ALIAS, CONFIG_RECORDER_ROLE_PREFIX, configBucketName } from '../../config/naming';
import { EvidenceBucket } from './evidence-bucket';
import { OrganizationPrincipals, organizationRoleStatement } from './organization-grants';
import { ServiceKey } from './service-key';

export interface ConfigDeliveryProps {
  /** The organisation whose enclave accounts' Config recorders deliver here. */
  readonly organization: OrganizationPrincipals;
  /** Days a delivered Config history or snapshot is kept. */
  readonly retentionDays: number;
}

/**
 * The monitoring plane's bucket for the AWS Config deliveries of every enclave account (the organisation
 * baseline's recorders): SSE-KMS under its own key, versioned, TLS only. The recorders deliver with their
 * own role, which Config uses before falling back to its service principal (AWS Config developer guide,
 * "Permissions for the Amazon S3 Bucket"): a role of an enclave account is admitted by organisation, OU
 * and name, and writes only under its own account's `AWSLogs/<account>/Config/` prefix.
 */
export class ConfigDelivery extends Construct {
  public readonly key: ServiceKey;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: ConfigDeliveryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { partition, region, account } = stack;
    const bucketName = configBucketName(account, region);
    this.key = new ServiceKey(this, 'Key', {
      alias: CONFIG_KEY_ALIAS,
      description: 'Clover monitoring plane: AWS Config deliveries of the enclave accounts',
    });
    this.bucket = new EvidenceBucket(this, 'Deliveries', {
      encryptionKey: this.key.key,
      bucketName,
    }).bucket;
    this.bucket.addLifecycleRule({
      id: 'ExpireAfterRetention',
      expiration: Duration.days(props.retentionDays),
      noncurrentVersionExpiration: Duration.days(1),
    });
    const recorders = `arn:${partition}:iam::*:role/${CONFIG_RECORDER_ROLE_PREFIX}*`;
    this.bucket.addToResourcePolicy(
      organizationRoleStatement(props.organization, {
        sid: 'RecordersCheckTheBucket',
        rolePattern: recorders,
        actions: ['s3:GetBucketAcl', 's3:ListBucket'],
        resources: [this.bucket.bucketArn],
      }),
    );
    this.bucket.addToResourcePolicy(
      organizationRoleStatement(props.organization, {
        sid: 'RecordersDeliverTheirAccount',
        rolePattern: recorders,
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects('AWSLogs/${aws:PrincipalAccount}/Config/*')],
      }),
    );
    this.key.key.addToResourcePolicy(
      organizationRoleStatement(props.organization, {
        sid: 'RecordersEncryptViaS3',
        rolePattern: recorders,
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: {
            'kms:ViaService': `s3.${region}.${stack.urlSuffix}`,
            'kms:EncryptionContext:aws:s3:arn': `arn:${partition}:s3:::${bucketName}`,
          },
        },
      }),
    );
  }

  /** What the monitoring auditor may do here: list and read the deliveries, decrypting through S3. */
  public readStatements(): iam.PolicyStatement[] {
    const stack = Stack.of(this);
    return [
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
      new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [this.bucket.arnForObjects('*')] }),
      new iam.PolicyStatement({
        actions: ['kms:Decrypt'],
        resources: [this.key.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${stack.region}.${stack.urlSuffix}` } },
      }),
    ];
  }
}
