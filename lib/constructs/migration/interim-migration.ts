import { CfnOutput, CfnResource, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { BATCH_REPLICATION_PREFIX, INVENTORY_PREFIX } from '../../../lambda/migration/contract';
import { alarmTopicName } from '../../config/naming';
import { SELF_PRINCIPAL } from '../../config/flow-declaration';
import { designDecision } from '../design-decision';
import type { DataVault } from '../data-vault/data-vault';
import { viaService } from '../data-vault/enclave-key';
import { declareFlows } from '../flows';
import { ServiceKey } from '../monitoring/service-key';
import {
  batchReplicationRoleName,
  migrationBucketName,
  migrationKeyAliasName,
  MigrationPeer,
} from './naming';
import { MigrationReports } from './reports';
import { TableExporter } from './table-exporter';

export interface InterimMigrationProps {
  /** The interim enclave (this stack's). */
  readonly enclave: string;
  /** The European enclave its data migrates into. */
  readonly target: MigrationPeer;
  /** The interim enclave's vault; it must already replicate each data bucket into the target. */
  readonly vault: DataVault;
  /**
   * Handler entry of the table exporter.
   * @default lambda/migration/exporter.ts
   */
  readonly exporterEntry?: string;
}

/** The target's migration bucket and the alias ARN of its key, which the interim side names (another stage). */
export function targetReports(partition: string, target: MigrationPeer) {
  return {
    bucketName: migrationBucketName(target.enclave, target.account, target.region),
    bucketArn: `arn:${partition}:s3:::${migrationBucketName(target.enclave, target.account, target.region)}`,
    keyAliasArn: `arn:${partition}:kms:${target.region}:${target.account}:${migrationKeyAliasName(target.enclave)}`,
  };
}

/**
 * The interim side of a migration (phases `replicating` and `cutover`): every
 * path is one-way, out of the interim enclave into its target. The data buckets
 * replicate into the target's buckets (set up by the vault); their existing
 * objects are replicated by an S3 Batch Replication job (scripts/migration/
 * batch-replicate.sh, run with the role made here); daily inventories of the
 * buckets replicate into the target's migration bucket; and the table is
 * exported there directly, in full daily and incrementally every hour, encrypted
 * with the target's key. No principal of the target ever reads the interim enclave.
 */
export class InterimMigration extends Construct {
  public readonly reports: MigrationReports;
  public readonly batchReplicationRole: iam.Role;
  public readonly exporter: TableExporter;

  constructor(scope: Construct, id: string, props: InterimMigrationProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { partition } = stack;
    const { vault, target } = props;
    if (!vault.replication) {
      throw new Error(
        `${this.node.path}: the vault of interim enclave ${props.enclave} does not replicate into ${target.enclave}; give it the migration replications`,
      );
    }
    const destination = targetReports(partition, target);

    this.reports = new MigrationReports(this, 'Reports', { enclave: props.enclave, vault });
    this.reports.inventory(
      Object.entries(vault.buckets).map(([dataClass, bucket]) => ({
        bucket,
        name: vault.bucketNames[dataClass],
      })),
    );
    vault.replication.replicate(this.reports.bucket, this.reports.key, [
      {
        id: `inventory-to-${target.enclave}`,
        bucketArn: destination.bucketArn,
        account: target.account,
        region: target.region,
        replicaKeyArn: destination.keyAliasArn,
        prefix: `${INVENTORY_PREFIX}/`,
      },
    ]);

    this.batchReplicationRole = this.createBatchReplicationRole(props.enclave, vault);

    const logsKey = new ServiceKey(this, 'LogsKey', {
      alias: `clover-${props.enclave}-migration-logs`,
      description: `Clover ${props.enclave}: log groups of the migration functions`,
      services: ['logs'],
    });
    this.exporter = new TableExporter(this, 'TableExport', {
      enclave: props.enclave,
      table: vault.table,
      tableKey: vault.keys[vault.primaryDataClass],
      destination: {
        bucketName: destination.bucketName,
        account: target.account,
        region: target.region,
        keyArn: destination.keyAliasArn,
      },
      incremental: true,
      logKey: logsKey.key,
      alarmTopic: sns.Topic.fromTopicArn(
        this,
        'AlarmTopic',
        stack.formatArn({ service: 'sns', resource: alarmTopicName(props.enclave) }),
      ),
      entry: props.exporterEntry,
    });

    for (const [dataClass, bucket] of Object.entries(vault.buckets)) {
      new CfnOutput(
        this,
        `BatchReplicate${dataClass.replace(/(^|-)([a-z0-9])/g, (_, __, c) => c.toUpperCase())}`,
        {
          description: `Replicates the objects of ${vault.bucketNames[dataClass]} that existed before replication (S3 Batch Replication)`,
          value: [
            'scripts/migration/batch-replicate.sh',
            stack.account,
            stack.region,
            bucket.bucketName,
            this.batchReplicationRole.roleArn,
            this.reports.bucketName,
          ].join(' '),
        },
      );
    }
  }

  /**
   * The role S3 Batch Operations assumes for a Batch Replication job: it generates the manifest of the
   * objects not yet replicated, starts their replication (the bucket's replication role does the copy)
   * and writes the manifest and the completion report to the migration bucket.
   */
  private createBatchReplicationRole(enclave: string, vault: DataVault): iam.Role {
    const stack = Stack.of(this);
    const reports = this.reports.bucket;
    const prefix = `${BATCH_REPLICATION_PREFIX}/`;
    const buckets = Object.values(vault.buckets);
    const role = new iam.Role(this, 'BatchReplicationRole', {
      roleName: batchReplicationRoleName(enclave),
      description: `Clover ${enclave}: S3 Batch Replication of the objects that existed before replication`,
      assumedBy: new iam.ServicePrincipal('batchoperations.s3.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
    });
    const policy = new iam.Policy(this, 'BatchReplicationPolicy', {
      statements: [
        new iam.PolicyStatement({
          sid: 'InitiateReplication',
          actions: ['s3:InitiateReplication'],
          resources: buckets.map((bucket) => bucket.arnForObjects('*')),
        }),
        new iam.PolicyStatement({
          sid: 'GenerateManifest',
          actions: ['s3:GetReplicationConfiguration', 's3:PutInventoryConfiguration'],
          resources: buckets.map((bucket) => bucket.bucketArn),
        }),
        new iam.PolicyStatement({
          sid: 'ManifestsAndReports',
          actions: ['s3:PutObject', 's3:GetObject', 's3:GetObjectVersion'],
          resources: [reports.arnForObjects(`${prefix}*`)],
        }),
        new iam.PolicyStatement({
          sid: 'ReportsKey',
          actions: ['kms:GenerateDataKey', 'kms:Decrypt'],
          resources: [this.reports.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': viaService(stack, 's3') } },
        }),
      ],
    });
    role.attachInlinePolicy(policy);
    designDecision(policy, 'BATCH_REPLICATION_WILDCARDS');
    declareFlows(role.node.defaultChild as CfnResource, [
      ...buckets.flatMap((bucket, index) => [
        {
          id: `initiate-replication-${index}`,
          kind: 'required' as const,
          description: `S3 Batch Operations replicates an existing object of ${enclave}'s bucket ${Object.keys(vault.buckets)[index]}`,
          principal: SELF_PRINCIPAL,
          action: 's3:InitiateReplication',
          resource: bucket.arnForObjects('existing-object'),
        },
        {
          id: `generate-manifest-${index}`,
          kind: 'required' as const,
          description: `S3 Batch Operations reads the replication configuration of ${enclave}'s bucket ${Object.keys(vault.buckets)[index]} to list the objects to replicate`,
          principal: SELF_PRINCIPAL,
          action: 's3:GetReplicationConfiguration',
          resource: bucket.bucketArn,
        },
      ]),
      {
        id: 'write-report',
        kind: 'required',
        description: `S3 Batch Operations writes the manifest and completion report of a Batch Replication job of ${enclave}`,
        principal: SELF_PRINCIPAL,
        action: 's3:PutObject',
        resource: reports.arnForObjects(`${prefix}job/report.csv`),
      },
    ]);
    return role;
  }
}
