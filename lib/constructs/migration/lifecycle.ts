import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { DataVault } from '../data-vault/data-vault';

/** Object writes and erasures that a read-only store refuses. */
export const OBJECT_WRITE_ACTIONS = [
  's3:PutObject',
  's3:DeleteObject',
  's3:DeleteObjectVersion',
  's3:PutObjectTagging',
  's3:DeleteObjectTagging',
  's3:PutObjectRetention',
  's3:PutObjectLegalHold',
  's3:RestoreObject',
];

/** Item writes that a read-only table refuses. */
export const ITEM_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:PartiQLInsert',
  'dynamodb:PartiQLUpdate',
  'dynamodb:PartiQLDelete',
];

/**
 * Cut-over: the vault's data buckets and table refuse every write, whoever asks (break-glass included):
 * an explicit deny to every principal in their resource policies, which no identity policy can override.
 * Replication out of the buckets, exports and reads continue; writes go to the target enclave.
 */
export function makeReadOnly(vault: DataVault): void {
  for (const bucket of Object.values(vault.buckets)) {
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'ReadOnlyAfterCutover',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: OBJECT_WRITE_ACTIONS,
        resources: [bucket.arnForObjects('*')],
      }),
    );
  }
  vault.table.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'ReadOnlyAfterCutover',
      effect: iam.Effect.DENY,
      principals: [new iam.AnyPrincipal()],
      actions: ITEM_WRITE_ACTIONS,
      resources: ['*'],
    }),
  );
}

/** Days after which lifecycle expiry removes every object version of a decommissioned store. */
export const DECOMMISSION_EXPIRY_DAYS = 1;

/**
 * Decommissioned: every object version of the data buckets expires (lifecycle, which no bucket policy
 * stops), delete markers and incomplete uploads go too, and the buckets, table and queues are deleted with
 * the stack once empty (removing the enclave from the config). Nobody reads or writes them meanwhile.
 * The keys are retained: they protect nothing once the stores are gone, and only break-glass may delete them.
 */
export function decommission(vault: DataVault): void {
  makeReadOnly(vault);
  for (const bucket of Object.values(vault.buckets)) {
    bucket.addLifecycleRule({
      id: 'DecommissionExpireEverything',
      expiration: Duration.days(DECOMMISSION_EXPIRY_DAYS),
      noncurrentVersionExpiration: Duration.days(DECOMMISSION_EXPIRY_DAYS),
      abortIncompleteMultipartUploadAfter: Duration.days(DECOMMISSION_EXPIRY_DAYS),
    });
    bucket.addLifecycleRule({ id: 'DecommissionRemoveDeleteMarkers', expiredObjectDeleteMarker: true });
    bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'NoReadsWhileDecommissioned',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:GetObject', 's3:GetObjectVersion', 's3:GetObjectAttributes'],
        resources: [bucket.arnForObjects('*')],
      }),
    );
    bucket.applyRemovalPolicy(RemovalPolicy.DESTROY);
  }
  const table = vault.table.node.defaultChild as dynamodb.CfnTable;
  table.deletionProtectionEnabled = false;
  vault.table.applyRemovalPolicy(RemovalPolicy.DESTROY);
  for (const queue of [vault.queue, vault.deadLetterQueue]) queue.applyRemovalPolicy(RemovalPolicy.DESTROY);
}
