import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { trailLogGroupName } from '../../config/naming';
import { acknowledge } from '../../nag/acknowledge';
import { EvidenceBucket } from '../monitoring/evidence-bucket';

export interface EnclaveTrailProps {
  /** Enclave name: names the trail and its log group (`trailLogGroupName`). */
  readonly enclave: string;
  /** Key of the trail, its bucket and its log group; its policy must allow `cloudtrail` and `logs`. */
  readonly encryptionKey: kms.IKey;
  /** ARN prefixes of the enclave's S3 buckets whose object-level (data) events are recorded. */
  readonly s3DataArnPrefixes: readonly string[];
  /** ARN prefixes of the enclave's DynamoDB tables whose data events are recorded. */
  readonly dynamoDbDataArnPrefixes: readonly string[];
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
 * The enclave's own CloudTrail trail (single-Region: the enclave's Region):
 * log file validation on, KMS-encrypted, to an evidence bucket and to the
 * CloudWatch log group `trailLogGroupName(enclave)` that the shipper
 * subscribes to. Organisation-wide IAM and Organizations events are not here:
 * they are read from the organisation trail's European home log group.
 */
export class EnclaveTrail extends Construct {
  public readonly trail: cloudtrail.Trail;
  public readonly logGroup: logs.LogGroup;
  public readonly evidence: EvidenceBucket;
  public readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: EnclaveTrailProps) {
    super(scope, id);
    this.evidence = new EvidenceBucket(this, 'Logs', { encryptionKey: props.encryptionKey });
    this.bucket = this.evidence.bucket;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      logGroupName: trailLogGroupName(props.enclave),
      encryptionKey: props.encryptionKey,
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.trail = new cloudtrail.Trail(this, 'Trail', {
      trailName: `clover-${props.enclave}`,
      bucket: this.bucket,
      encryptionKey: props.encryptionKey,
      enableFileValidation: true,
      sendToCloudWatchLogs: true,
      cloudWatchLogGroup: this.logGroup,
      isMultiRegionTrail: false,
      includeGlobalServiceEvents: false,
    });
    // CLV-LOG-6 (issue 14) asks for multi-region trails; this one is single-Region by design, to be decided.
    acknowledge(this.trail, {
      rule: 'CLV-LOG-6',
      reason:
        'Single-Region by design: the enclave trail records its own Region (and the enclave data events); activity in other Regions and IAM events are to come from the organisation trail (monitoring.organizationTrailLogGroup) and other Regions are denied by the guardrails SCP. The default config has neither, so until this is decided other Regions of the enclave accounts are not recorded',
      expires: '2027-02-28',
    });
    const cfnTrail = this.trail.node.defaultChild as cloudtrail.CfnTrail;
    cfnTrail.eventSelectors = undefined;
    cfnTrail.advancedEventSelectors = enclaveEventSelectors(props).map((selector) => ({
      name: selector.name,
      fieldSelectors: selector.fieldSelectors.map(({ field, equals, startsWith }) => ({
        field,
        equalTo: equals,
        startsWith,
      })),
    }));
  }
}
