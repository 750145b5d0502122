import { Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { trailLogGroupName } from '../../config/naming';
import { EvidenceBucket } from '../monitoring/evidence-bucket';
import { cloverAlarmName, OUT_OF_REGION_ALARM_SUFFIX } from '../monitoring/security-events';

/** Namespace of the metric counting management events from regions outside the allowed set. */
export const TRAIL_REGION_METRICS_NAMESPACE = 'Clover/Trail';

/**
 * Services whose events CloudTrail records in us-east-1 whatever region the caller used (global
 * service events): they say nothing about where an enclave's resources are, so the out-of-region
 * alarm does not count them. Named by service; the filter matches any domain.
 */
export const GLOBAL_EVENT_SOURCES: readonly string[] = [
  'iam',
  'sts',
  'signin',
  'organizations',
  'cloudfront',
  'route53',
  'health',
  'support',
];

export interface EnclaveTrailProps {
  /** Enclave name: names the trail and its log group (`trailLogGroupName`). */
  readonly enclave: string;
  /** Key of the trail, its bucket and its log group; its policy must allow `cloudtrail` and `logs`. */
  readonly encryptionKey: kms.Key;
  /** ARN prefixes of the enclave's S3 buckets whose object-level (data) events are recorded. */
  readonly s3DataArnPrefixes: readonly string[];
  /** ARN prefixes of the enclave's DynamoDB tables whose data events are recorded. */
  readonly dynamoDbDataArnPrefixes: readonly string[];
  /** Regions where the enclave's account may act; a management event from any other region raises the alarm. */
  readonly allowedRegions: readonly string[];
  /** Topic that the out-of-region alarm notifies. */
  readonly alarmTopic: sns.ITopic;
  /** @default ONE_YEAR */
  readonly logRetention?: logs.RetentionDays;
}

/** One advanced event selector as CloudFormation takes it. */
export interface AdvancedEventSelector {
  readonly name: string;
  readonly fieldSelectors: ReadonlyArray<{
    readonly field: string;
    readonly equals?: string[];
    readonly startsWith?: string[];
  }>;
}

/**
 * The advanced event selectors of an enclave trail: all management events
 * (read and write — KMS cryptographic calls such as Decrypt are management
 * events), plus S3 object-level and DynamoDB item-level data events of the
 * enclave's own data stores, selected by ARN prefix.
 */
export function enclaveEventSelectors(props: {
  readonly s3DataArnPrefixes: readonly string[];
  readonly dynamoDbDataArnPrefixes: readonly string[];
}): AdvancedEventSelector[] {
  const selectors: AdvancedEventSelector[] = [
    { name: 'All management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
  ];
  const data = (name: string, type: string, prefixes: readonly string[]) => {
    if (prefixes.length === 0) return;
    selectors.push({
      name,
      fieldSelectors: [
        { field: 'eventCategory', equals: ['Data'] },
        { field: 'resources.type', equals: [type] },
        { field: 'resources.ARN', startsWith: [...prefixes] },
      ],
    });
  };
  data('S3 data events of the enclave buckets', 'AWS::S3::Object', props.s3DataArnPrefixes);
  data('DynamoDB data events of the enclave tables', 'AWS::DynamoDB::Table', props.dynamoDbDataArnPrefixes);
  return selectors;
}

/**
 * The metric filter pattern of management events from a region outside `allowedRegions`, global
 * service events excepted: `{ ($.eventCategory = "Management") && ($.awsRegion != "eu-west-1") … }`.
 */
export function outOfRegionPattern(allowedRegions: readonly string[]): string {
  const clauses = [
    '($.eventCategory = "Management")',
    ...[...new Set(allowedRegions)].sort().map((region) => `($.awsRegion != "${region}")`),
    // `iam.*`: the event source's domain is the partition's (`iam.amazonaws.com` in aws).
    ...GLOBAL_EVENT_SOURCES.map((service) => `($.eventSource != "${service}.*")`),
  ];
  return `{ ${clauses.join(' && ')} }`;
}

/**
 * The enclave's own CloudTrail trail: multi-region with global service events,
 * so activity anywhere is recorded, while its storage stays in the enclave's
 * region (the bucket and the log group `trailLogGroupName(enclave)` that the
 * shipper subscribes to). Log file validation on, KMS-encrypted. Every grant
 * to CloudTrail names this trail (`aws:SourceArn`): its bucket policy, the
 * trust of its CloudWatch Logs role, and the key statements, including the
 * DescribeKey that CloudTrail makes without an encryption context. A metric
 * filter and an alarm raise any management event from a region outside the
 * allowed set.
 */
export class EnclaveTrail extends Construct {
  public readonly trail: cloudtrail.CfnTrail;
  public readonly trailArn: string;
  public readonly logGroup: logs.LogGroup;
  public readonly logsRole: iam.Role;
  public readonly evidence: EvidenceBucket;
  public readonly bucket: s3.Bucket;
  public readonly outOfRegionAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: EnclaveTrailProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trailName = `clover-${props.enclave}`;
    // Built from the name, not a reference: the bucket policy must exist before the trail that it admits.
    this.trailArn = stack.formatArn({ service: 'cloudtrail', resource: 'trail', resourceName: trailName });
    const fromThisTrail = { StringEquals: { 'aws:SourceArn': this.trailArn } };
    const cloudTrail = new iam.ServicePrincipal('cloudtrail.amazonaws.com');

    this.evidence = new EvidenceBucket(this, 'Logs', { encryptionKey: props.encryptionKey });
    this.bucket = this.evidence.bucket;
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailAclCheck',
        principals: [cloudTrail],
        actions: ['s3:GetBucketAcl'],
        resources: [this.bucket.bucketArn],
        conditions: fromThisTrail,
      }),
    );
    this.bucket.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudTrailWrite',
        principals: [cloudTrail],
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`AWSLogs/${Aws.ACCOUNT_ID}/*`)],
        conditions: {
          StringEquals: { ...fromThisTrail.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' },
        },
      }),
    );
    props.encryptionKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `CloudTrailDescribesKey${trailName}`.replace(/[^A-Za-z0-9]/g, ''),
        principals: [cloudTrail],
        actions: ['kms:DescribeKey'],
        resources: ['*'],
        conditions: fromThisTrail,
      }),
    );

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: trailLogGroupName(props.enclave),
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.logsRole = new iam.Role(this, 'LogsRole', {
      assumedBy: cloudTrail.withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account, 'aws:SourceArn': this.trailArn },
      }),
      description: `Clover ${props.enclave}: CloudTrail delivers trail ${trailName} to its log group`,
    });
    this.logsRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );

    this.trail = new cloudtrail.CfnTrail(this, 'Trail', {
      trailName,
      isLogging: true,
      s3BucketName: this.bucket.bucketName,
      kmsKeyId: props.encryptionKey.keyArn,
      enableLogFileValidation: true,
      cloudWatchLogsLogGroupArn: this.logGroup.logGroupArn,
      cloudWatchLogsRoleArn: this.logsRole.roleArn,
      // Activity in every region is recorded (and stored here); only the enclave's region may hold data.
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      advancedEventSelectors: enclaveEventSelectors(props).map((selector) => ({
        name: selector.name,
        fieldSelectors: selector.fieldSelectors.map(({ field, equals, startsWith }) => ({
          field,
          equalTo: equals,
          startsWith,
        })),
      })),
    });
    this.trail.node.addDependency(this.bucket.policy!);
    this.trail.node.addDependency(this.logsRole);

    const filter = new logs.MetricFilter(this, 'OutOfRegionEvents', {
      logGroup: this.logGroup,
      filterName: 'clover-out-of-region-management-events',
      filterPattern: logs.FilterPattern.literal(outOfRegionPattern(props.allowedRegions)),
      metricNamespace: TRAIL_REGION_METRICS_NAMESPACE,
      metricName: 'OutOfRegionManagementEvents',
      metricValue: '1',
      defaultValue: 0,
    });
    this.outOfRegionAlarm = new cloudwatch.Alarm(this, 'OutOfRegionAlarm', {
      alarmName: cloverAlarmName(props.enclave, OUT_OF_REGION_ALARM_SUFFIX),
      alarmDescription: `A management event of enclave ${props.enclave}'s account came from a region outside ${[...props.allowedRegions].sort().join(', ')} (global service events excepted)`,
      metric: filter.metric({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.outOfRegionAlarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }
}
