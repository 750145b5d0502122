import { CfnResource, Duration, Size, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import {
  APPLIED_PREFIX,
  ENCLAVE_DIMENSION,
  EVIDENCE_BUCKET_VARIABLE,
  EVIDENCE_OWNER_VARIABLE,
  EVIDENCE_REGION_VARIABLE,
  evidenceKey,
  INVENTORY_PREFIX,
  MIGRATION_METRICS_NAMESPACE,
  MIGRATION_PLAN_VARIABLE,
  MISMATCHED_METRIC,
  MISSING_METRIC,
  MigrationPlan,
  TARGET_TABLE_VARIABLE,
  tableExportPrefix,
} from '../../../lambda/migration/contract';
import { SELF_PRINCIPAL } from '../../config/flow-declaration';
import { alarmTopicName, archiveBucketName } from '../../config/naming';
import { designDecision } from '../design-decision';
import type { DataVault } from '../data-vault/data-vault';
import { viaService } from '../data-vault/enclave-key';
import { dataTableName } from '../data-vault/naming';
import { allowIncomingReplication } from '../data-vault/replication';
import { declareFlows } from '../flows';
import { archiveKeyStatement, archivePrefix } from '../monitoring/evidence-archive';
import { MIGRATION_ALARM_SUFFIXES } from '../monitoring/security-events';
import { ServiceKey } from '../monitoring/service-key';
import { MigrationFunction, MigrationFunctionProps, migrationEntry } from './function';
import {
  migrationApplierRoleName,
  migrationVerifierRoleName,
  MigrationPeer,
  peerRoleArn,
  tableExporterRoleName,
} from './naming';
import { MigrationReports } from './reports';
import { TableExporter } from './table-exporter';

/** An interim enclave that migrates into this one. */
export interface MigrationSource extends MigrationPeer {
  /** `replicating` or `cutover`: in cutover a single missing object alarms at once. */
  readonly phase: 'replicating' | 'cutover';
  /** Its data classes: each bucket migrates into this enclave's bucket of the same class. */
  readonly dataClasses: readonly string[];
}

/** The monitoring plane's Object Lock archive, where the verifier writes each evidence file. */
export interface EvidenceArchiveLocation {
  readonly account: string;
  readonly region: string;
}

export interface MigrationTargetProps {
  /** This (European) enclave. */
  readonly enclave: string;
  readonly sources: readonly MigrationSource[];
  readonly vault: DataVault;
  readonly archive: EvidenceArchiveLocation;
  /** Handler entries. @default lambda/migration/{exporter,verifier,applier}.ts */
  readonly entries?: { readonly exporter?: string; readonly verifier?: string; readonly applier?: string };
}

/**
 * The target side of the migrations into one European enclave: the migration
 * bucket that receives the interim enclaves' inventories (by replication) and
 * table exports (written by their exporters), with this enclave's own
 * inventories and daily table export beside them; the applier that loads the
 * interim tables' exports into this enclave's table; and the verifier that
 * compares both sides every day, publishes `Missing` and `Mismatched`, alarms
 * to the monitor and writes each evidence file to the Object Lock archive. Every
 * read here is of this enclave's own buckets: nothing reaches into an interim one.
 */
export class MigrationTarget extends Construct {
  public readonly reports: MigrationReports;
  public readonly exporter: TableExporter;
  public readonly verifier: MigrationFunction;
  public readonly applier: MigrationFunction;
  public readonly plan: MigrationPlan;

  constructor(scope: Construct, id: string, props: MigrationTargetProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const { vault } = props;
    if (props.sources.length === 0) throw new Error(`${this.node.path}: no interim enclave migrates here`);
    this.reports = new MigrationReports(this, 'Reports', { enclave: props.enclave, vault });
    const receiving = [...new Set(props.sources.flatMap((source) => source.dataClasses))];
    this.reports.inventory(
      receiving.map((dataClass) => ({
        bucket: vault.buckets[dataClass],
        name: vault.bucketNames[dataClass],
      })),
    );
    for (const source of props.sources) this.admit(source);

    const logsKey = new ServiceKey(this, 'LogsKey', {
      alias: `clover-${props.enclave}-migration-logs`,
      description: `Clover ${props.enclave}: log groups of the migration functions`,
      services: ['logs'],
    });
    const alarmTopic = sns.Topic.fromTopicArn(
      this,
      'AlarmTopic',
      stack.formatArn({ service: 'sns', resource: alarmTopicName(props.enclave) }),
    );
    this.exporter = new TableExporter(this, 'TableExport', {
      enclave: props.enclave,
      table: vault.table,
      tableKey: vault.keys[vault.primaryDataClass],
      destination: {
        bucketName: this.reports.bucketName,
        account: stack.account,
        region: stack.region,
        keyArn: this.reports.key.keyArn,
      },
      incremental: false,
      logKey: logsKey.key,
      alarmTopic,
      entry: props.entries?.exporter,
    });

    const reportsBucket = { bucket: this.reports.bucketName, account: stack.account, region: stack.region };
    this.plan = {
      target: props.enclave,
      evidencePrefix: archivePrefix(props.enclave),
      migrations: props.sources.map((source) => ({
        enclave: source.enclave,
        // Source buckets are found by the prefix of their name: the full name carries the interim Region,
        // which a European template never names.
        stores: [
          ...source.dataClasses.map((dataClass) => ({
            kind: 'bucket' as const,
            source: `clover-${source.enclave}-${dataClass}-${source.account}-`,
            sourceReports: reportsBucket,
            destination: vault.bucketNames[dataClass],
            destinationReports: reportsBucket,
          })),
          {
            kind: 'table' as const,
            source: dataTableName(source.enclave),
            sourceReports: reportsBucket,
            destination: dataTableName(props.enclave),
            destinationReports: reportsBucket,
            keyAttributes: ['pk', 'sk'],
          },
        ],
      })),
    };
    const readReports = [
      new iam.PolicyStatement({
        sid: 'ListReports',
        actions: ['s3:ListBucket'],
        resources: [this.reports.bucket.bucketArn],
      }),
      new iam.PolicyStatement({
        sid: 'ReadReports',
        actions: ['s3:GetObject'],
        resources: [this.reports.bucket.arnForObjects('*')],
      }),
      new iam.PolicyStatement({
        sid: 'DecryptReports',
        actions: ['kms:Decrypt'],
        resources: [this.reports.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': viaService(stack, 's3') } },
      }),
    ];
    this.verifier = this.createVerifier(props, readReports, alarmTopic, logsKey);
    this.applier = this.createApplier(props, readReports, alarmTopic, logsKey);
    for (const source of props.sources) this.alarm(source, alarmTopic);
    designDecision(this, 'MIGRATION_TARGET_WILDCARDS');
  }

  /** Lets an interim enclave push into the migration bucket: its inventories (replication) and table exports. */
  private admit(source: MigrationSource): void {
    const stack = Stack.of(this);
    allowIncomingReplication(this.reports.bucket, this.reports.key, { source });
    const exporter = peerRoleArn(stack.partition, source, tableExporterRoleName(source.enclave));
    const fromExporter = { ArnEquals: { 'aws:PrincipalArn': exporter } };
    const table = dataTableName(source.enclave);
    const sid = `ExportsFrom${source.enclave.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase())}`;
    this.reports.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.AccountPrincipal(source.account)],
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'],
        resources: (['full', 'incremental'] as const).map((kind) =>
          this.reports.bucket.arnForObjects(`${tableExportPrefix(table, kind)}/*`),
        ),
        conditions: fromExporter,
      }),
    );
    this.reports.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.AccountPrincipal(source.account)],
        // kms:Decrypt completes multipart uploads of large export files; only through S3, where the
        // exporter may write but never read.
        actions: ['kms:GenerateDataKey', 'kms:Encrypt', 'kms:Decrypt'],
        resources: ['*'],
        conditions: { ...fromExporter, StringEquals: { 'kms:ViaService': viaService(stack, 's3') } },
      }),
    );
  }

  private createVerifier(
    props: MigrationTargetProps,
    readReports: iam.PolicyStatement[],
    alarmTopic: sns.ITopic,
    logsKey: ServiceKey,
  ): MigrationFunction {
    const stack = Stack.of(this);
    const { partition } = stack;
    const archiveBucket = archiveBucketName(props.archive.account, props.archive.region);
    const evidencePrefix = `${archivePrefix(props.enclave)}migration/`;
    const verifier = this.job('Verifier', readReports, alarmTopic, logsKey, {
      functionName: `clover-${props.enclave}-migration-verifier`,
      roleName: migrationVerifierRoleName(props.enclave),
      description: `Clover ${props.enclave}: verifies the migrations into this enclave every day and archives the evidence`,
      entry: props.entries?.verifier ?? migrationEntry('verifier'),
      environment: {
        [MIGRATION_PLAN_VARIABLE]: JSON.stringify(this.plan),
        [EVIDENCE_BUCKET_VARIABLE]: archiveBucket,
        [EVIDENCE_REGION_VARIABLE]: props.archive.region,
        [EVIDENCE_OWNER_VARIABLE]: props.archive.account,
        POWERTOOLS_METRICS_NAMESPACE: MIGRATION_METRICS_NAMESPACE,
        POWERTOOLS_SERVICE_NAME: 'migration-verifier',
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteEvidence',
          actions: ['s3:PutObject'],
          resources: [`arn:${partition}:s3:::${archiveBucket}/${evidencePrefix}*`],
        }),
        archiveKeyStatement(stack, 'EncryptEvidence', props.archive),
      ],
      schedules: [{ id: 'Daily', schedule: events.Schedule.rate(Duration.days(1)) }],
      memoryMb: 2048,
    });
    const source = props.sources[0];
    declareFlows(verifier.function.node.defaultChild as CfnResource, [
      {
        id: 'read-inventory',
        kind: 'required',
        description: `the migration verifier of ${props.enclave} reads an inventory report of ${source.enclave} in the migration bucket`,
        principal: SELF_PRINCIPAL,
        action: 's3:GetObject',
        resource: this.reports.bucket.arnForObjects(
          `${INVENTORY_PREFIX}/report/migration/data/report.csv.gz`,
        ),
      },
      {
        id: 'archive-evidence',
        kind: 'required',
        description: `the migration verifier of ${props.enclave} writes an evidence file to the Object Lock archive`,
        principal: SELF_PRINCIPAL,
        action: 's3:PutObject',
        resource: `arn:${partition}:s3:::${archiveBucket}/${evidenceKey(archivePrefix(props.enclave), source.enclave, 'store', '2026-11-23T00:00:00.000Z')}`,
        context: { 's3:if-none-match': '*' },
        endpointRegion: props.archive.region,
      },
    ]);
    return verifier;
  }

  private createApplier(
    props: MigrationTargetProps,
    readReports: iam.PolicyStatement[],
    alarmTopic: sns.ITopic,
    logsKey: ServiceKey,
  ): MigrationFunction {
    const stack = Stack.of(this);
    const { vault } = props;
    const applier = this.job('Applier', readReports, alarmTopic, logsKey, {
      functionName: `clover-${props.enclave}-migration-applier`,
      roleName: migrationApplierRoleName(props.enclave),
      description: `Clover ${props.enclave}: loads the interim tables' exports into this enclave's table`,
      entry: props.entries?.applier ?? migrationEntry('applier'),
      environment: {
        [MIGRATION_PLAN_VARIABLE]: JSON.stringify(this.plan),
        [TARGET_TABLE_VARIABLE]: dataTableName(props.enclave),
      },
      statements: [
        new iam.PolicyStatement({
          sid: 'MarkApplied',
          actions: ['s3:PutObject'],
          resources: [this.reports.bucket.arnForObjects(`${APPLIED_PREFIX}/*`)],
        }),
        new iam.PolicyStatement({
          sid: 'EncryptMarkers',
          actions: ['kms:GenerateDataKey'],
          resources: [this.reports.key.keyArn],
          conditions: { StringEquals: { 'kms:ViaService': viaService(stack, 's3') } },
        }),
        new iam.PolicyStatement({
          sid: 'WriteTable',
          actions: ['dynamodb:BatchWriteItem', 'dynamodb:DescribeTable'],
          resources: [vault.table.tableArn],
        }),
        new iam.PolicyStatement({
          sid: 'TableKey',
          actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
          resources: [vault.keys[vault.primaryDataClass].keyArn],
          conditions: { StringEquals: { 'kms:ViaService': viaService(stack, 'dynamodb') } },
        }),
      ],
      schedules: [{ id: 'Hourly', schedule: events.Schedule.rate(Duration.hours(1)) }],
      memoryMb: 1024,
    });
    const source = props.sources[0];
    declareFlows(applier.function.node.defaultChild as CfnResource, [
      {
        id: 'read-export',
        kind: 'required',
        description: `the migration applier of ${props.enclave} reads an incremental export of ${source.enclave}'s table`,
        principal: SELF_PRINCIPAL,
        action: 's3:GetObject',
        resource: this.reports.bucket.arnForObjects(
          `${tableExportPrefix(dataTableName(source.enclave), 'incremental')}/AWSDynamoDB/01234567890123-abcdef12/data/export.json.gz`,
        ),
      },
      {
        id: 'write-table',
        kind: 'required',
        description: `the migration applier of ${props.enclave} writes ${source.enclave}'s items into the records table`,
        principal: SELF_PRINCIPAL,
        action: 'dynamodb:BatchWriteItem',
        resource: vault.table.tableArn,
      },
      {
        id: 'mark-applied',
        kind: 'required',
        description: `the migration applier of ${props.enclave} records an applied export file`,
        principal: SELF_PRINCIPAL,
        action: 's3:PutObject',
        resource: this.reports.bucket.arnForObjects(`${APPLIED_PREFIX}/export/file`),
      },
    ]);
    return applier;
  }

  /** A migration job of this enclave: reads the migration bucket, runs up to 15 minutes over copies in a 10 GiB /tmp. */
  private job(
    id: string,
    readReports: readonly iam.PolicyStatement[],
    alarmTopic: sns.ITopic,
    logsKey: ServiceKey,
    props: Omit<MigrationFunctionProps, 'logKey' | 'alarmTopic' | 'timeout' | 'ephemeralStorage'>,
  ): MigrationFunction {
    return new MigrationFunction(this, id, {
      ...props,
      statements: [...readReports, ...props.statements],
      logKey: logsKey.key,
      alarmTopic,
      timeout: Duration.minutes(15),
      ephemeralStorage: Size.gibibytes(10),
    });
  }

  /**
   * `Missing` and `Mismatched` of one interim enclave (daily, from the verifier) alarm to the monitor. While
   * replicating, objects may still be in flight: the alarm waits three daily runs; in cutover, writes are
   * frozen and one missing object alarms at once. A verifier that publishes nothing alarms too.
   */
  private alarm(source: MigrationSource, topic: sns.ITopic): void {
    for (const metricName of [MISSING_METRIC, MISMATCHED_METRIC]) {
      const alarm = new cloudwatch.Alarm(this, `${metricName}${source.enclave}`, {
        alarmName: `clover-${source.enclave}-${metricName === MISSING_METRIC ? MIGRATION_ALARM_SUFFIXES[0] : MIGRATION_ALARM_SUFFIXES[1]}`,
        alarmDescription: `${metricName} records in the migration of interim enclave ${source.enclave} (phase ${source.phase}); the evidence in the archive names them`,
        metric: new cloudwatch.Metric({
          namespace: MIGRATION_METRICS_NAMESPACE,
          metricName,
          dimensionsMap: { [ENCLAVE_DIMENSION]: source.enclave },
          statistic: 'Maximum',
          period: Duration.days(1),
        }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        evaluationPeriods: source.phase === 'cutover' ? 1 : 3,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      alarm.addAlarmAction(new actions.SnsAction(topic));
    }
  }
}
