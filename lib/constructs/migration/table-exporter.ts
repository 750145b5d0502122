import { CfnResource, Duration, Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  EXPORT_BUCKET_OWNER_VARIABLE,
  EXPORT_BUCKET_VARIABLE,
  EXPORT_KEY_VARIABLE,
  EXPORT_TABLE_VARIABLE,
  tableExportPrefix,
} from '../../../lambda/migration/contract';
import { SELF_PRINCIPAL } from '../../config/flow-declaration';
import { designDecision } from '../design-decision';
import { viaService } from '../data-vault/enclave-key';
import { dataTableName } from '../data-vault/naming';
import { declareFlows } from '../flows';
import { MigrationFunction, migrationEntry } from './function';
import { tableExporterRoleName } from './naming';

/** Where a table's exports go: a migration bucket (possibly another account's and Region's) and its key. */
export interface ExportDestination {
  readonly bucketName: string;
  readonly account: string;
  readonly region: string;
  /** Key ARN, or an alias ARN when the key is in another account (its ID is unknown here). */
  readonly keyArn: string;
}

export interface TableExporterProps {
  readonly enclave: string;
  readonly table: dynamodb.ITable;
  /** Key that encrypts the table. */
  readonly tableKey: kms.IKey;
  readonly destination: ExportDestination;
  /** Also export the changes every hour (an interim table, whose changes the target applies). */
  readonly incremental: boolean;
  readonly logKey: kms.IKey;
  readonly alarmTopic: sns.ITopic;
  /** @default lambda/migration/exporter.ts */
  readonly entry?: string;
}

/**
 * Exports a table to S3 on a schedule, in DynamoDB JSON: a full export every
 * day (what the verifier compares), and for an interim table also an
 * incremental export every hour of the last whole hour (what the target's
 * applier replays; an hour's export is idempotent, so a retried run repeats it). The export writes with the function's
 * own credentials, encrypted with the destination's key.
 */
export class TableExporter extends Construct {
  public readonly function: MigrationFunction;

  constructor(scope: Construct, id: string, props: TableExporterProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { partition } = stack;
    const { destination } = props;
    const tableName = dataTableName(props.enclave);
    const kinds: Array<'full' | 'incremental'> = props.incremental ? ['full', 'incremental'] : ['full'];
    const objects = kinds.map(
      (kind) => `arn:${partition}:s3:::${destination.bucketName}/${tableExportPrefix(tableName, kind)}/*`,
    );
    const sameAccount = destination.account === stack.account && destination.region === stack.region;
    this.function = new MigrationFunction(this, 'Exporter', {
      functionName: `clover-${props.enclave}-table-exporter`,
      roleName: tableExporterRoleName(props.enclave),
      description: `Clover ${props.enclave}: exports the records table to ${destination.bucketName} (${kinds.join(' and ')})`,
      entry: props.entry ?? migrationEntry('exporter'),
      logKey: props.logKey,
      environment: {
        [EXPORT_TABLE_VARIABLE]: props.table.tableArn,
        [EXPORT_BUCKET_VARIABLE]: destination.bucketName,
        [EXPORT_BUCKET_OWNER_VARIABLE]: destination.account,
        [EXPORT_KEY_VARIABLE]: destination.keyArn,
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'ExportTable',
          actions: ['dynamodb:ExportTableToPointInTime'],
          resources: [props.table.tableArn],
        }),
        new iam.PolicyStatement({
          sid: 'ReadTableKey',
          actions: ['kms:Decrypt', 'kms:DescribeKey'],
          resources: [props.tableKey.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': viaService(stack, 'dynamodb') } },
        }),
        new iam.PolicyStatement({
          sid: 'WriteExports',
          actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'],
          resources: objects,
        }),
        new iam.PolicyStatement({
          sid: 'EncryptExports',
          // Large export files go up in parts: completing a multipart upload with SSE-KMS needs kms:Decrypt.
          actions: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
          resources: [
            sameAccount
              ? destination.keyArn
              : `arn:${partition}:kms:${destination.region}:${destination.account}:key/*`,
          ],
          conditions: { StringEquals: { 'kms:ViaService': viaService(stack, 's3', destination.region) } },
        }),
      ],
      schedules: kinds.map((kind) => ({
        id: kind === 'full' ? 'DailyFullExport' : 'HourlyIncrementalExport',
        schedule: events.Schedule.rate(kind === 'full' ? Duration.days(1) : Duration.hours(1)),
        input: { kind },
      })),
      alarmTopic: props.alarmTopic,
      timeout: Duration.minutes(1),
      memoryMb: 256,
    });
    designDecision(this.function.policy, 'TABLE_EXPORT_WILDCARDS');
    const exportObject = (kind: 'full' | 'incremental') =>
      `arn:${partition}:s3:::${destination.bucketName}/${tableExportPrefix(tableName, kind)}/AWSDynamoDB/01234567890123-abcdef12/data/export.json.gz`;
    declareFlows(this.function.function.node.defaultChild as CfnResource, [
      {
        id: 'export-table',
        kind: 'required',
        description: `the table exporter of ${props.enclave} exports the records table`,
        principal: SELF_PRINCIPAL,
        action: 'dynamodb:ExportTableToPointInTime',
        resource: props.table.tableArn,
      },
      ...kinds.map((kind) => ({
        id: `write-${kind}-export`,
        kind: 'required' as const,
        description: `DynamoDB writes ${kind === 'full' ? 'a full' : 'an incremental'} export of ${props.enclave}'s table to ${destination.bucketName} with the exporter's credentials, encrypted with the destination's key`,
        principal: SELF_PRINCIPAL,
        action: 's3:PutObject',
        resource: exportObject(kind),
        context: {
          's3:x-amz-server-side-encryption': 'aws:kms',
          's3:x-amz-server-side-encryption-aws-kms-key-id': destination.keyArn,
        },
        endpointRegion: destination.region,
      })),
    ]);
  }
}
