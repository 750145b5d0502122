import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { INVENTORY_CONFIGURATION_ID, INVENTORY_PREFIX } from '../../../lambda/migration/contract';
import { sendEventsToEventBridge } from '../data-vault/bucket-controls';
import { designDecision } from '../design-decision';
import { vaultBucketProps, type DataVault } from '../data-vault/data-vault';
import { EnclaveKey } from '../data-vault/enclave-key';
import { migrationBucketName, migrationKeyAliasName } from './naming';

/** Days that migration reports (inventories, exports, batch reports) are kept. */
export const REPORT_RETENTION_DAYS = 30;

export interface MigrationReportsProps {
  readonly enclave: string;
  /** The enclave's vault: its access log bucket receives the reports bucket's access logs. */
  readonly vault: DataVault;
}

/**
 * The bucket of an enclave's migration reports, with a key of its own: S3
 * Inventory reports of the enclave's buckets, table exports, S3 Batch
 * Replication manifests and completion reports. SSE-KMS with a bucket key,
 * versioned, private, TLS only, access-logged, and emptied after
 * {@link REPORT_RETENTION_DAYS} days: reports are inputs of the verifier, not records.
 */
export class MigrationReports extends Construct {
  public readonly key: kms.Key;
  public readonly bucket: s3.Bucket;
  public readonly bucketName: string;
  private inventoried = false;

  constructor(scope: Construct, id: string, props: MigrationReportsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new EnclaveKey(this, 'Key', {
      enclave: props.enclave,
      aliasName: migrationKeyAliasName(props.enclave),
      description: `Clover ${props.enclave}: key of the migration reports (inventories, table exports)`,
      services: ['s3'],
    }).key;
    this.bucketName = migrationBucketName(props.enclave, stack.account, stack.region);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      ...vaultBucketProps(this.bucketName, this.key),
      lifecycleRules: [
        {
          id: 'ExpireReports',
          expiration: Duration.days(REPORT_RETENTION_DAYS),
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    sendEventsToEventBridge(this.bucket);
    designDecision(this.bucket, 'MIGRATION_REPORTS_WITHOUT_OBJECT_LOCK');
    props.vault.logAccess(this.bucket, 'migration/');
    props.vault.allowAccessLogDelivery('MigrationReportsAccessLogDelivery', [this.bucket]);
  }

  /**
   * A daily CSV inventory of each bucket (current versions, with the fields the verifier compares),
   * delivered here under `inventory/`. S3 writes the reports as the service, for the source bucket's
   * account (`aws:SourceArn`, `aws:SourceAccount`), and encrypts them with this bucket's key.
   */
  public inventory(buckets: ReadonlyArray<{ readonly bucket: s3.Bucket; readonly name: string }>): void {
    if (this.inventoried) throw new Error(`${this.node.path}: inventory() is called once, with every bucket`);
    this.inventoried = true;
    const stack = Stack.of(this);
    for (const { bucket } of buckets) {
      bucket.addInventory({
        inventoryId: INVENTORY_CONFIGURATION_ID,
        destination: { bucket: this.bucket, prefix: INVENTORY_PREFIX, bucketOwner: stack.account },
        format: s3.InventoryFormat.CSV,
        frequency: s3.InventoryFrequency.DAILY,
        includeObjectVersions: s3.InventoryObjectVersion.CURRENT,
        optionalFields: ['Size', 'ETag', 'IsMultipartUploaded', 'EncryptionStatus'],
      });
    }
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'InventoryDelivery',
        principals: [new iam.ServicePrincipal('s3.amazonaws.com')],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          // By name: the buckets refer to this bucket, whose key this is, so a reference back would be a cycle.
          ArnLike: { 'aws:SourceArn': buckets.map(({ name }) => `arn:${stack.partition}:s3:::${name}`) },
        },
      }),
    );
  }
}
