import { Aspects, CfnResource, IAspect, Stack } from 'aws-cdk-lib';
import * as autoscaling from 'aws-cdk-lib/aws-autoscaling';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { rules } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { withPartitionToken } from '../constructs/access/wildcard-justifications';
import { designDecisionsMarkedOn, MarkedDesignDecision } from '../constructs/design-decision';
import { NETWORK_INTERFACE_WILDCARDS } from '../constructs/enclave-network/service-endpoints';
import { recordDesignDecision } from '../nag/acknowledge';

/** One rule a design decision answers, and why. */
export interface RuleAnswer {
  /** Bare rule ID (`CLV-ENC-1`, `CT.S3.PR.9`, `AwsSolutions-SQS3`, `W3010`). */
  readonly rule: string;
  readonly reason: string;
}

/** One kind of IAM wildcard (an AwsSolutions-IAM5 finding) a design decision answers, and why. */
export interface WildcardAnswer {
  /** Matches the finding (`Resource::…` or `Action::…`), partition written `<AWS::Partition>`. */
  readonly finding: RegExp;
  readonly reason: string;
}

interface DecisionBase {
  /** Stable ID (`ACCESS_LOG_BUCKET`), recorded with every finding it answers. */
  readonly id: string;
  /** The decision, in one line. */
  readonly title: string;
  /** Where it applies, for people (docs/acknowledgments.md). */
  readonly appliesTo: string;
  /** The AWS documentation it rests on. */
  readonly documentation: readonly string[];
}

/** A decision that applies where a construct or stack marks it with `designDecision(scope, id)`. */
export interface MarkedDecision extends DecisionBase {
  readonly id: MarkedDesignDecision;
  /** Rules answered on the marked construct and everything below it. */
  readonly answers?: readonly RuleAnswer[];
  /**
   * AwsSolutions-IAM5 findings answered one by one on each resource below the marked construct: the
   * first matching entry answers a finding; a wildcard no entry matches still fails the gate.
   */
  readonly wildcards?: readonly WildcardAnswer[];
}

/** A decision that applies to every L1 resource of a Clover stack that `resources` selects. */
export interface ResourceDecision extends DecisionBase {
  readonly resources: (resource: CfnResource) => boolean;
  readonly answers: readonly RuleAnswer[];
}

export type DesignDecision = MarkedDecision | ResourceDecision;

const S3_ACCESS_LOGGING =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html';
const S3_OBJECT_LOCK = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html';
const S3_EVENTBRIDGE = 'https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventBridge.html';
const S3_REPLICATION_PERMISSIONS =
  'https://docs.aws.amazon.com/AmazonS3/latest/userguide/setting-repl-config-perm-overview.html';
const SQS_DEAD_LETTER_QUEUES =
  'https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-dead-letter-queues.html';
const EVENTBRIDGE_RULE_DLQ = 'https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html';
const LAMBDA_VPC = 'https://docs.aws.amazon.com/lambda/latest/dg/configuration-vpc.html';
const CONTROL_TOWER_LAMBDA =
  'https://docs.aws.amazon.com/controltower/latest/controlreference/lambda-rules.html';
const CONTROL_TOWER_S3 = 'https://docs.aws.amazon.com/controltower/latest/controlreference/s3-rules.html';
const IAM_RESOURCE_ELEMENT =
  'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html';
const EC2_ACTIONS = 'https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html';
const KMS_VIA_SERVICE =
  'https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service';
const KMS_OTHER_ACCOUNTS =
  'https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html';
const CODEPIPELINE_IAM = 'https://docs.aws.amazon.com/codepipeline/latest/userguide/security-iam.html';
const CDK_PIPELINES = 'https://docs.aws.amazon.com/cdk/v2/guide/cdk_pipeline.html';

const SSE_S3_ONLY =
  'S3 server access log destination buckets support default encryption only with SSE-S3 (S3 user guide); SSE-KMS there can drop logs silently. The bucket holds request metadata, never object contents, stays in the enclave region, and is TLS-only and private';

const ARCHIVE_KEY_REASON =
  'The archive key lives in the monitoring account and its ID is random; the statement is limited to that account and Region, to use via S3 and to the archive bucket’s encryption context, and the key policy names this role';

/** Clover's design decisions that constructs and stacks mark where they apply. */
const MARKED_DECISIONS: readonly MarkedDecision[] = [
  {
    id: 'ACCESS_LOG_BUCKET',
    title: 'S3 server access log buckets are encrypted with SSE-S3, log nowhere and have no Object Lock',
    appliesTo:
      'The server access log bucket of each data vault (DataVault) and of each evidence bucket (EvidenceBucket)',
    documentation: [S3_ACCESS_LOGGING, S3_OBJECT_LOCK, CONTROL_TOWER_S3],
    answers: [
      { rule: 'CLV-ENC-1', reason: SSE_S3_ONLY },
      {
        rule: 'CT.S3.PR.10',
        reason:
          'S3 server access log destination buckets support default encryption only with SSE-S3 (S3 user guide); SSE-KMS there can drop logs silently. The bucket holds request metadata, never object contents (CLV-ENC-1 records the same decision)',
      },
      {
        rule: 'CT.S3.PR.2',
        reason:
          'The bucket is itself the server access log destination of the buckets beside it; logging it into itself would loop and into a third bucket would only move the question',
      },
      {
        rule: 'CT.S3.PR.9',
        reason:
          'S3 does not deliver server access logs to a bucket with Object Lock (S3 user guide, "Configuring S3 Object Lock"); the logs expire by lifecycle and the bucket is private and TLS-only',
      },
    ],
  },
  {
    id: 'EVIDENCE_ACCESS_LOG_BUCKET',
    title: 'The access log bucket of an evidence bucket has no access logs of its own',
    appliesTo: 'The server access log bucket of each evidence bucket (trail, archive, Config delivery)',
    documentation: [S3_ACCESS_LOGGING],
    answers: [
      {
        rule: 'AwsSolutions-S1',
        reason:
          'This bucket is the server access log target of an evidence bucket; logging it into itself or a third bucket would loop.',
      },
    ],
  },
  {
    id: 'PIPELINE_ACCESS_LOG_BUCKET',
    title:
      'The access log bucket of a pipeline artifact bucket: SSE-S3, no logs of its own, no events, no Object Lock',
    appliesTo:
      'The server access log bucket beside each CDK Pipelines artifact bucket (ArtifactStoreControls)',
    documentation: [S3_ACCESS_LOGGING, S3_OBJECT_LOCK],
    answers: [
      { rule: 'CLV-ENC-1', reason: SSE_S3_ONLY },
      {
        rule: 'AwsSolutions-S1',
        reason:
          'This bucket is the server access log target of a pipeline artifact bucket; logging it into itself or a third bucket would loop',
      },
      {
        rule: 'CT.S3.PR.2',
        reason:
          'This bucket is the server access log target of a pipeline artifact bucket; logging it into itself or a third bucket would loop',
      },
      { rule: 'CT.S3.PR.10', reason: SSE_S3_ONLY },
      { rule: 'CT.S3.PR.4', reason: 'Nothing consumes events of an access log bucket' },
      {
        rule: 'CT.S3.PR.9',
        reason: 'Access logs expire after their retention; Object Lock would keep them past it',
      },
    ],
  },
  {
    id: 'PIPELINE_ARTIFACT_BUCKET',
    title: 'Pipeline artifact buckets send no events and have no Object Lock',
    appliesTo:
      'Each artifact bucket CDK Pipelines creates (in the pipeline’s Region and in cross-region support stacks)',
    documentation: [S3_EVENTBRIDGE, S3_OBJECT_LOCK, CDK_PIPELINES, CONTROL_TOWER_S3],
    answers: [
      {
        rule: 'CT.S3.PR.4',
        reason:
          'Nothing consumes events of a pipeline artifact bucket; every request is in its server access logs',
      },
      {
        rule: 'CT.S3.PR.9',
        reason:
          'Pipeline artifacts are transient build outputs that expire; Object Lock would keep superseded templates and assets for its whole retention',
      },
    ],
  },
  {
    id: 'DATA_BUCKET_WITHOUT_OBJECT_LOCK',
    title: 'Data buckets have no default Object Lock, so personal data stays erasable',
    appliesTo: 'Each data bucket of a data vault unless `dataVault.objectLock` is set',
    documentation: [S3_OBJECT_LOCK],
    answers: [
      {
        rule: 'CT.S3.PR.9',
        reason:
          'Personal data must be erasable (GDPR Art. 17): a default Object Lock retention would keep erased objects for its whole period. Versioning, replication and access controls protect integrity; dataVault.objectLock turns Object Lock on for data that must be kept',
      },
    ],
  },
  {
    id: 'TRAIL_BUCKET_WITHOUT_OBJECT_LOCK',
    title: 'The enclave trail’s bucket has no Object Lock: the tamper-evident copy is the archive',
    appliesTo: 'Evidence buckets without compliance retention (the enclave trail bucket)',
    documentation: [
      S3_OBJECT_LOCK,
      'https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html',
    ],
    answers: [
      {
        rule: 'CT.S3.PR.9',
        reason:
          'The tamper-evident copy of every trail event is the monitoring plane’s Object Lock archive (the shipper ships the trail’s log group there); the trail’s own files carry CloudTrail log file validation (signed digests), and noncurrent versions (a deletion or overwrite) are kept a year as evidence',
      },
    ],
  },
  {
    id: 'MIGRATION_REPORTS_WITHOUT_OBJECT_LOCK',
    title: 'The migration reports bucket has no Object Lock: it holds copies of personal data',
    appliesTo: 'The migration reports bucket of an interim migration or migration target',
    documentation: [S3_OBJECT_LOCK],
    answers: [
      {
        rule: 'CT.S3.PR.9',
        reason:
          'The bucket holds inventories and table exports, which are copies of personal data: they must be erasable and expire after their retention. The verifier’s evidence, which must not change, is written to the monitoring plane’s Object Lock archive',
      },
    ],
  },
  {
    id: 'TERMINAL_QUEUE',
    title: 'A dead-letter or parking queue has no dead-letter queue of its own',
    appliesTo:
      'The data vault’s dead-letter queue, the shipper’s parking queue and the security event dead-letter queues',
    documentation: [SQS_DEAD_LETTER_QUEUES],
    answers: [
      {
        rule: 'CT.SQS.PR.1',
        reason:
          'The queue is itself a dead-letter or parking queue: the last stop of messages that failed elsewhere, kept 14 days for operators to read and replay. A dead-letter queue of its own would only move the same messages one queue further; its depth is the signal to watch',
      },
    ],
  },
  {
    id: 'EVENT_RULE_DEAD_LETTER_QUEUE',
    title: 'The dead-letter queue of EventBridge rules has no dead-letter queue of its own',
    appliesTo:
      'The dead-letter queues of the alert rules (SecurityEventBus) and the forwarding rules (SecurityEventForwarding)',
    documentation: [EVENTBRIDGE_RULE_DLQ, SQS_DEAD_LETTER_QUEUES],
    answers: [
      {
        rule: 'AwsSolutions-SQS3',
        reason:
          'This queue is itself the dead-letter queue of EventBridge rules (the alert rules, the security-event forwarding rules); an alarm fires on its first message, operators read and replay it, nothing consumes it automatically.',
      },
    ],
  },
  {
    id: 'SHIPPER_SECRETS',
    title: 'The shipper’s monitor token and pseudonymisation key are not rotated automatically',
    appliesTo: 'The monitor token and HMAC key secrets of each log shipper',
    documentation: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html'],
    answers: [
      {
        rule: 'AwsSolutions-SMG4',
        reason:
          'No automatic rotation: the monitor token is issued by the independent provider and rotated with them; rotating the HMAC key would break the correlation of pseudonyms that the monitor relies on.',
      },
    ],
  },
  {
    id: 'SHIPPER_WILDCARDS',
    title: 'The shipper writes archive objects named by content hash, with a key of another account',
    appliesTo: 'The log shipper’s inline policy',
    documentation: [IAM_RESOURCE_ELEMENT, KMS_VIA_SERVICE, KMS_OTHER_ACCOUNTS, LAMBDA_VPC, EC2_ACTIONS],
    wildcards: [
      {
        // The account is a literal in Clover's stacks, `<AWS::AccountId>` in an environment-agnostic one.
        finding:
          /^Resource::arn:<AWS::Partition>:s3:::clover-archive-[^/]+\/archive\/[^/]+\/(\d{12}|<AWS::AccountId>)\/\*$/,
        reason:
          'Archive object keys are content hashes of each batch, unknown at synth; the wildcard stays under this enclave’s and this account’s prefix of the archive bucket (archive/<enclave>/<account>/), whose policy allows PutObject there only.',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:\d{12}:key\/\*$/,
        reason:
          'The archive key lives in the monitoring account and its ID is random; the statement is limited to that account and Region, to use via S3 (kms:ViaService) and to the archive bucket’s encryption context, and the key policy names this role.',
      },
      ...NETWORK_INTERFACE_WILDCARDS,
    ],
  },
  {
    id: 'SHIPPER_IN_IMPORTED_VPC',
    title: 'The shipper is in the enclave VPC, through subnets the Control Tower rule cannot follow',
    appliesTo: 'The log shipper function of an enclave with a network',
    documentation: [CONTROL_TOWER_LAMBDA, LAMBDA_VPC],
    answers: [
      {
        rule: 'CT.LAMBDA.PR.3',
        reason:
          'The function is in the enclave VPC (VpcConfig: the workload subnets and its own security group); the subnets come from the Network stack by Fn::ImportValue, which the Control Tower guard rule cannot follow (it accepts literal IDs and Ref/GetAtt of the same template only)',
      },
    ],
  },
  {
    id: 'DECOMMISSIONED_SHIPPER_OUTSIDE_VPC',
    title: 'A decommissioned interim enclave’s shipper runs outside a VPC',
    appliesTo: 'The log shipper function of a decommissioned interim enclave (it has no network)',
    documentation: [CONTROL_TOWER_LAMBDA, LAMBDA_VPC],
    answers: [
      {
        rule: 'CT.LAMBDA.PR.3',
        reason:
          'A decommissioned interim enclave has no VPC left: its shipper forwards the trail of the account’s remaining activity to the monitor over TLS until the account is closed',
      },
    ],
  },
  {
    id: 'MIGRATION_FUNCTION_OUTSIDE_VPC',
    title: 'The migration functions run outside the enclave VPC',
    appliesTo: 'Each migration function (table exporter, verifier, applier)',
    documentation: [
      CONTROL_TOWER_LAMBDA,
      LAMBDA_VPC,
      'https://docs.aws.amazon.com/vpc/latest/privatelink/vpc-endpoints-access.html',
    ],
    answers: [
      {
        rule: 'CT.LAMBDA.PR.3',
        reason:
          'The migration functions call only AWS APIs (DynamoDB exports and writes, S3 reads and writes, SNS) of the interim and target enclaves, never the internet, and run only while a migration lasts; the enclave’s interface endpoints admit requests to its own account’s resources only, and these requests cross to the other enclave’s account, so in the VPC they would be refused',
      },
    ],
  },
  {
    id: 'PHASE_NOTICE_HANDLER_OUTSIDE_VPC',
    title: 'The deploy-time handler of the interim phase notice runs outside a VPC',
    appliesTo: 'The AwsCustomResource provider function of an interim enclave’s phase notice',
    documentation: [
      CONTROL_TOWER_LAMBDA,
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-custom-resources.html',
    ],
    answers: [
      {
        rule: 'CT.LAMBDA.PR.3',
        reason:
          'a deploy-time custom resource handler that puts one lifecycle event on the account’s default bus and never sees data; in a VPC it would need EventBridge and logs endpoints in the enclave',
      },
    ],
  },
  {
    id: 'GATEWAY_LOAD_BALANCER_LOGS',
    title: 'Gateway Load Balancers have no access logs; the appliances and flow logs log every flow',
    appliesTo: 'The Gateway Load Balancer of each security gateway',
    documentation: [
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/cloudwatch-metrics.html',
    ],
    answers: [
      {
        rule: 'AwsSolutions-ELB2',
        reason:
          'Gateway Load Balancers have no access logs (AWS offers them for ALB/NLB/CLB only); every inspected flow is logged by the appliances to the appliance log group, and both VPCs have flow logs',
      },
    ],
  },
  {
    id: 'APPLIANCE_MIXED_INSTANCES',
    title: 'cdk-nag EC26 cannot judge an Auto Scaling group with a MixedInstancesPolicy',
    appliesTo: 'The appliance Auto Scaling group when it falls back to a MixedInstancesPolicy',
    documentation: [
      'https://docs.aws.amazon.com/autoscaling/ec2/userguide/ec2-auto-scaling-mixed-instances-groups.html',
    ],
    answers: [
      {
        rule: 'AwsSolutions-EC26',
        reason:
          'cdk-nag 3.0.2 EC26 throws on an Auto Scaling group with a MixedInstancesPolicy (it reads LaunchTemplate, which such a group cannot have); the launch template encrypts its only volume with the volume CMK (tested; Control Tower CT.EC2.PR.14 passes)',
      },
    ],
  },
  {
    id: 'ENDPOINT_ACCEPTANCE_WILDCARDS',
    title: 'The endpoint acceptance handler uses EC2 actions without resource-level permissions',
    appliesTo: 'The role of the security gateway’s endpoint acceptance handler',
    documentation: [EC2_ACTIONS, LAMBDA_VPC],
    answers: [
      {
        rule: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'ec2:DescribeVpcEndpointConnections (to wait until the accepted endpoints are available), ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets (Lambda, for the handler in the VPC) support no resource-level permissions; all are read-only',
      },
    ],
    wildcards: [NETWORK_INTERFACE_WILDCARDS[0]],
  },
  {
    id: 'DEFAULT_GROUP_RESTRICTION_WILDCARDS',
    title:
      'The default security group restriction handler uses EC2 actions without resource-level permissions',
    appliesTo: 'The inline policy of the enclave network’s default security group restriction handler',
    documentation: [EC2_ACTIONS, LAMBDA_VPC],
    wildcards: [
      NETWORK_INTERFACE_WILDCARDS[0],
      {
        finding: /^Resource::\*$/,
        reason:
          'ec2:DescribeSecurityGroups, ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level permissions; all three are read-only',
      },
    ],
  },
  {
    id: 'REAL_AZ_NAMES',
    title: 'Stacks name their Availability Zones from the config instead of looking them up',
    appliesTo: 'The enclave network and security gateway of each Network stack',
    documentation: [
      'https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference-getavailabilityzones.html',
      'https://docs.aws.amazon.com/ram/latest/userguide/working-with-az-ids.html',
    ],
    answers: [
      {
        rule: 'W3010',
        reason:
          'real AZ names from the config are the design: every stack has its AZs without a lookup, and the route proof compares AZs; Fn::GetAZs would bring the lookup back',
      },
    ],
  },
  {
    id: 'ACCESS_ROLE_WILDCARDS',
    title: 'The access roles’ IAM wildcards: read-only listings and the enclave’s own named resources',
    appliesTo: 'Every resource of an enclave’s Access stack',
    documentation: [
      IAM_RESOURCE_ELEMENT,
      EC2_ACTIONS,
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudformation.html',
    ],
    wildcards: [
      {
        finding: /^Resource::\*$/,
        reason:
          'List/describe actions (CloudTrail, Config, EC2 Describe*, kms:ListKeys/ListAliases, logs:DescribeLogGroups/GetQueryResults, s3:ListAllMyBuckets) support no resource-level permissions; they show configuration, never user data',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:s3:::clover-[a-z0-9-]+\/\*$/,
        reason:
          'Objects of the enclave’s own data buckets (deterministic names from data-vault/naming.ts); object ARNs are always <bucket>/*',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:logs:[a-z0-9-]+:\d{12}:log-group:\/clover\/[a-z0-9-]+\/\*$/,
        reason:
          'The enclave’s Clover log groups (/clover/<enclave>/…: flow logs, gateway appliances, CloudTrail), read by the auditor as evidence',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:cloudformation:[a-z0-9-]+:\d{12}:stack\/[a-z0-9-]+-\*\/\*$/,
        reason:
          'Stack ARNs end in a generated stack ID; the name prefix pins the enclave’s own stacks (describe and get-template only)',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:iam::\d{12}:(role|policy)\/clover-[a-z0-9-]+-\*$/,
        reason:
          'Read-only Get/List on the enclave’s Clover roles and policies (clover-<enclave>-…), so the auditor can verify trust and boundaries',
      },
      {
        finding: /^Action::kms:GenerateDataKey\*$/,
        reason:
          'EventBridge publishes break-glass alarms to the KMS-encrypted alarm topic; CDK’s grantPublish grants kms:GenerateDataKey* on that one alarm key',
      },
    ],
  },
  {
    id: 'REPLICATION_WILDCARDS',
    title: 'The replication role reads and writes every object of the replicated buckets',
    appliesTo: 'Every resource of an enclave’s Data stack',
    documentation: [S3_REPLICATION_PERMISSIONS, KMS_OTHER_ACCOUNTS, KMS_VIA_SERVICE],
    wildcards: [
      {
        finding: /^Resource::<VaultBuckets[A-Za-z0-9]+\.Arn>\/\*$/,
        reason:
          'S3 replication reads every object version of the replicated source bucket; the resource is that one bucket’s objects',
      },
      {
        finding: /^Resource::<MigrationReportsBucket[A-Za-z0-9]+\.Arn>\/\*$/,
        reason:
          'S3 replication reads every object version of the interim enclave’s migration bucket (its rule replicates only inventory/); the resource is that one bucket’s objects',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:s3:::clover-[a-z0-9-]+\/(inventory\/)?\*$/,
        reason:
          'Replicas are written to every object key of the destination enclave’s data bucket (deterministic name from data-vault/naming.ts)',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:\d{12}:key\/\*$/,
        reason:
          'The destination key’s ID is unknown in the source account; the resource is limited to the destination account and region and to use via S3 there, and the destination key policy admits only this role',
      },
    ],
  },
  {
    id: 'BATCH_REPLICATION_WILDCARDS',
    title: 'S3 Batch Replication reaches every object of the interim data buckets',
    appliesTo: 'The batch replication policy of an interim enclave’s migration',
    documentation: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/s3-batch-replication-batch.html'],
    wildcards: [
      {
        finding: /^Resource::<[A-Za-z0-9]+\.Arn>\/(\*|batch-replication\/\*)$/,
        reason:
          'Batch Replication starts the replication of every object of the interim data buckets not yet replicated, and writes manifests and reports under batch-replication/ of the migration bucket',
      },
    ],
  },
  {
    id: 'TABLE_EXPORT_WILDCARDS',
    title: 'DynamoDB table exports write objects named by export ID, with a key of another account',
    appliesTo: 'The policy of each migration table exporter',
    documentation: [
      'https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/S3DataExport.Output.html',
      KMS_OTHER_ACCOUNTS,
      KMS_VIA_SERVICE,
    ],
    wildcards: [
      {
        finding:
          /^Resource::arn:<AWS::Partition>:s3:::clover-[a-z0-9-]+-migration\/(exports|incremental)\/[a-z0-9-]+\/\*$/,
        reason:
          'DynamoDB names export objects by export ID and data file; the resource is this table’s prefix of the migration bucket',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:\d{12}:key\/\*$/,
        reason:
          'The target’s migration key lives in another account and its ID is random; the statement is limited to that account and Region and to use via S3, and the key policy names this role',
      },
    ],
  },
  {
    id: 'MIGRATION_TARGET_WILDCARDS',
    title: 'The migration verifier and applier read every report and write evidence named at run time',
    appliesTo: 'Every resource of a migration target (verifier, applier)',
    documentation: [IAM_RESOURCE_ELEMENT, KMS_OTHER_ACCOUNTS, KMS_VIA_SERVICE],
    wildcards: [
      {
        finding: /^Resource::<[A-Za-z0-9]+\.Arn>\/(\*|applied\/\*)$/,
        reason:
          'The migration functions read every report of this enclave’s migration bucket (inventories and exports are named by date and export ID) and the applier writes its markers under applied/',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:s3:::clover-archive-[^/]+\/archive\/[^/]+\/migration\/\*$/,
        reason:
          'Evidence files are named by interim enclave, store and time; the resource is this enclave’s migration prefix of the archive, whose policy allows PutObject there only to this role',
      },
      {
        finding: /^Resource::arn:<AWS::Partition>:kms:[a-z0-9-]+:\d{12}:key\/\*$/,
        reason: ARCHIVE_KEY_REASON,
      },
    ],
  },
  {
    id: 'MONITORING_AUDITOR_WILDCARDS',
    title:
      'The monitoring auditor reads every archived batch and Config file and assumes named roles in any account',
    appliesTo: 'The monitoring auditor role and its permissions boundary',
    documentation: [
      IAM_RESOURCE_ELEMENT,
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html',
      'https://docs.aws.amazon.com/config/latest/developerguide/manage-delivery-channel.html',
    ],
    wildcards: [
      {
        finding: /^Resource::<Archive[A-Za-z0-9]*\.Arn>\/\*$/,
        reason:
          'The auditor reads every archived batch, and object keys are content hashes under archive/<enclave>/<account>/: the object resource is the archive bucket with /*. The boundary mirrors that policy.',
      },
      {
        finding:
          /^Resource::arn:<AWS::Partition>:iam::\*:role\/clover-(\*-independent-auditor|trail-check-\*)$/,
        reason:
          'With guardrails.organization the enclave accounts are not listed (a policy naming hundreds of accounts exceeds IAM’s size limits): the auditor may assume roles of these two Clover names in any account, and each such role trusts this auditor role alone (aws:PrincipalArn) — the trust policy decides.',
      },
      {
        finding: /^Resource::<ConfigDelivery[A-Za-z0-9]*\.Arn>\/\*$/,
        reason:
          'AWS Config writes each account’s history and snapshots under keys it chooses (AWSLogs/<account>/Config/<region>/…): the auditor reads them all.',
      },
    ],
  },
  {
    id: 'PIPELINE_WILDCARDS',
    title: 'The IAM wildcards CDK Pipelines writes into the roles it creates',
    appliesTo: 'Every resource of the Pipeline stack',
    documentation: [
      CDK_PIPELINES,
      CODEPIPELINE_IAM,
      'https://docs.aws.amazon.com/codebuild/latest/userguide/setting-up-service-role.html',
    ],
    wildcards: [
      {
        finding:
          /^Action::(s3:(Abort|DeleteObject|GetBucket|GetObject|List)|kms:(GenerateDataKey|ReEncrypt))\*$/,
        reason:
          'CDK grant helpers (grantReadWrite) on the pipeline’s own artifact buckets and their KMS keys: the actions are wildcarded, the resources are those buckets and keys',
      },
      {
        finding: /^Resource::<PipelineArtifactsBucket[A-Za-z0-9]+\.Arn>\/\*$/,
        reason: 'Pipeline artifacts are objects with generated keys in the pipeline’s own artifact bucket',
      },
      {
        finding:
          /^Resource::arn:<AWS::Partition>:(logs:[a-z0-9-]+:\d{12}:log-group:\/aws\/codebuild\/(<[A-Za-z0-9]+>:)?\*|codebuild:[a-z0-9-]+:\d{12}:report-group\/(<[A-Za-z0-9]+>-)?\*)$/,
        reason:
          'CodeBuild writes the log streams and test reports of the pipeline’s own build projects; their names are generated per build',
      },
      {
        finding: /^Resource::arn:\*:iam::\d{12}:role\/\*$/,
        reason:
          'Self-mutation assumes the CDK bootstrap roles of the tooling account; the statement is conditioned on the aws-cdk:bootstrap-role tag, so only those roles qualify',
      },
    ],
  },
  {
    id: 'PIPELINE_REPLICATION_BUCKET_WILDCARDS',
    title: 'The pipeline reads and writes every artifact of its cross-region replication buckets',
    appliesTo:
      'The Pipeline stack, when the pipeline deploys to other Regions (one replication bucket per Region)',
    documentation: [
      CDK_PIPELINES,
      'https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html',
    ],
    wildcards: [
      {
        // The bucket names are generated by CodePipeline's support stacks: any literal bucket's objects here.
        finding: /^Resource::arn:<AWS::Partition>:s3:::[a-z0-9][a-z0-9.-]+\/\*$/,
        reason:
          'Pipeline artifacts are objects with generated keys in the pipeline’s cross-region replication bucket of another Region',
      },
    ],
  },
  {
    id: 'PIPELINE_ROLE_ANY_RESOURCE',
    title: 'The pipeline role uses the replication keys of other Regions by alias',
    appliesTo: 'The CodePipeline role of the Pipeline stack',
    documentation: [
      CODEPIPELINE_IAM,
      'https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-create-cross-region.html',
    ],
    wildcards: [
      {
        finding: /^Resource::\*$/,
        reason:
          'The pipeline role uses the cross-region replication key of each other Region by alias from another stack, which CodePipeline cannot name as a resource; that key’s policy admits the tooling account, and the deployed account’s CDK deploy role to decrypt',
      },
    ],
  },
  {
    id: 'PIPELINE_SELF_MUTATION_ANY_RESOURCE',
    title: 'Self-mutation finds the CDK bootstrap resources with listing actions',
    appliesTo: 'The role of the pipeline’s self-mutation CodeBuild project',
    documentation: [CDK_PIPELINES, 'https://docs.aws.amazon.com/cdk/v2/guide/bootstrapping-env.html'],
    wildcards: [
      {
        finding: /^Resource::\*$/,
        reason:
          'Self-mutation reads stack status (cloudformation:DescribeStacks) and lists buckets (s3:ListBucket) to find the CDK bootstrap resources; neither reads or changes data',
      },
    ],
  },
  {
    id: 'PIPELINE_ASSETS_ANY_RESOURCE',
    title: 'Asset publishing starts and watches builds whose ARNs are known only later',
    appliesTo: 'The asset publishing steps of the pipeline',
    documentation: [
      CDK_PIPELINES,
      'https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscodebuild.html',
    ],
    wildcards: [
      {
        finding: /^Resource::\*$/,
        reason:
          'Asset publishing starts and watches its own CodeBuild builds (codebuild:StartBuild, BatchGetBuilds, StopBuild), whose project ARNs CDK Pipelines only knows after building the pipeline',
      },
    ],
  },
  {
    id: 'PIPELINE_ACTION_ROLE',
    title: 'CodePipeline action roles are assumable by the pipeline role only',
    appliesTo: 'Each role of the Pipeline stack that only the pipeline’s own role may assume',
    documentation: [CODEPIPELINE_IAM],
    answers: [
      {
        rule: 'CLV-ACC-3',
        reason:
          'A CodePipeline action role: only the pipeline’s own role, which only codepipeline.amazonaws.com can assume, may assume it; no person can. Its policies reach only the pipeline’s artifacts, builds and source connection',
      },
    ],
  },
];

/**
 * cdk-nag's compliance packs that `clover audit --with` runs (nist-800-53-r5, hipaa-security,
 * pci-dss-321), by the prefix of their rule IDs.
 */
export const COMPLIANCE_PACKS = ['NIST.800.53.R5', 'HIPAA.Security', 'PCI.DSS.321'] as const;
type CompliancePack = (typeof COMPLIANCE_PACKS)[number];
const NIST_AND_HIPAA: readonly CompliancePack[] = ['NIST.800.53.R5', 'HIPAA.Security'];

/** The same reason for one check of several compliance packs. */
function compliance(check: string, packs: readonly CompliancePack[], reason: string): RuleAnswer[] {
  return packs.map((pack) => ({ rule: `${pack}-${check}`, reason }));
}

function sseAlgorithm(bucket: s3.CfnBucket): unknown {
  const encryption = Stack.of(bucket).resolve(bucket.bucketEncryption) as
    | {
        serverSideEncryptionConfiguration?: Array<{
          serverSideEncryptionByDefault?: { sseAlgorithm?: unknown };
        }>;
      }
    | undefined;
  return encryption?.serverSideEncryptionConfiguration?.[0]?.serverSideEncryptionByDefault?.sseAlgorithm;
}

/**
 * What Clover's design answers differently to cdk-nag's compliance packs, selected by resource type and
 * properties. Findings of those packs not answered here are open: docs/compliance.md says which and why.
 */
const RESOURCE_DECISIONS: readonly ResourceDecision[] = [
  {
    id: 'INLINE_ROLE_POLICIES',
    title: 'Each role’s permissions are an inline policy of that role',
    appliesTo: 'Every AWS::IAM::Policy, and every AWS::IAM::Role with inline Policies',
    documentation: [
      'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html',
    ],
    resources: (r) => r instanceof iam.CfnPolicy || (r instanceof iam.CfnRole && r.policies !== undefined),
    answers: compliance(
      'IAMNoInlinePolicy',
      COMPLIANCE_PACKS,
      'Each Clover role’s permissions are written for that one role and live and die with it (an inline policy); a managed policy could be attached to other principals. The shared limits (permissions boundaries, service control policies) are managed policies',
    ),
  },
  {
    id: 'REPLICATION_ONLY_BY_CONFIG',
    title: 'Buckets replicate only where the config pairs two enclaves',
    appliesTo: 'Every AWS::S3::Bucket without a ReplicationConfiguration',
    documentation: ['https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html'],
    resources: (r) => r instanceof s3.CfnBucket && r.replicationConfiguration === undefined,
    answers: compliance(
      'S3BucketReplicationEnabled',
      COMPLIANCE_PACKS,
      'Personal data replicates only where the config pairs two enclaves (replication, allowed Regions only): a copy elsewhere would be a residency decision. Trail logs reach the monitoring plane’s Object Lock archive through the shipper; access logs and the archive keep one copy by design',
    ),
  },
  {
    id: 'ACCESS_LOG_SSE_S3',
    title: 'S3 server access log buckets use SSE-S3',
    appliesTo: 'Every AWS::S3::Bucket whose default encryption is AES256 (only the access log buckets)',
    documentation: [S3_ACCESS_LOGGING],
    resources: (r) => r instanceof s3.CfnBucket && sseAlgorithm(r) === 'AES256',
    answers: compliance(
      'S3DefaultEncryptionKMS',
      COMPLIANCE_PACKS,
      'Only S3 server access log buckets use SSE-S3: the one default encryption S3 supports for log destinations (CLV-ENC-1 records the same decision)',
    ),
  },
  {
    id: 'UNRESERVED_LAMBDA_CONCURRENCY',
    title: 'Functions reserve no concurrency unless the config says so',
    appliesTo: 'Every AWS::Lambda::Function',
    documentation: ['https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html'],
    resources: (r) => r instanceof lambda.CfnFunction,
    answers: compliance(
      'LambdaConcurrency',
      NIST_AND_HIPAA,
      'A reservation fails to deploy in accounts on the new-account concurrency quota (Lambda keeps 100 unreserved); the shipper takes one from shipper.reservedConcurrency once the quota is raised, and the deploy-time handlers run a few times per deployment',
    ),
  },
  {
    id: 'LAMBDA_FAILURE_DESTINATIONS',
    title: 'Failed invocations go to on-failure destinations, not a Lambda DLQ',
    appliesTo: 'Every AWS::Lambda::Function',
    documentation: ['https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html'],
    resources: (r) => r instanceof lambda.CfnFunction,
    answers: compliance(
      'LambdaDLQ',
      NIST_AND_HIPAA,
      'The shipper keeps failed invocations in an OnFailure destination queue (with the invocation context a DLQ lacks) and undeliverable events in its own dead-letter queue, both alarmed; the deploy-time handlers answer CloudFormation, which fails and rolls back the deployment',
    ),
  },
  {
    id: 'SECRETS_ROTATED_BY_OWNER',
    title: 'Clover’s secrets are rotated by their owner, not by Secrets Manager',
    appliesTo: 'Every AWS::SecretsManager::Secret',
    documentation: ['https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html'],
    resources: (r) => r instanceof secretsmanager.CfnSecret,
    answers: compliance(
      'SecretsManagerRotationEnabled',
      NIST_AND_HIPAA,
      'The monitor token is issued by the independent provider and rotated with them; rotating the pseudonymisation key would break the correlation of pseudonyms the monitor relies on (AwsSolutions-SMG4 records the same decision)',
    ),
  },
  {
    id: 'INTERNET_ROUTES_AFTER_INSPECTION',
    title: 'Only NAT and GWLB endpoint subnets route to the internet gateway',
    appliesTo: 'Every AWS::EC2::Route with a GatewayId',
    documentation: ['https://docs.aws.amazon.com/vpc/latest/userguide/gwlb-route.html'],
    resources: (r) => r instanceof ec2.CfnRoute && r.gatewayId !== undefined,
    answers: compliance(
      'VPCNoUnrestrictedRouteToIGW',
      COMPLIANCE_PACKS,
      'Only the NAT gateways’ subnets (and, for IPv6, the GWLB endpoints’ subnets) route to the internet gateway, after inspection; every workload route goes to the same-AZ security gateway (CLV-NET proves it)',
    ),
  },
  {
    id: 'DEFAULT_SECURITY_GROUP_CLOSED_AT_DEPLOY',
    title: 'Default security groups are emptied at deploy time',
    appliesTo: 'Every AWS::EC2::VPC',
    documentation: ['https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html'],
    resources: (r) => r instanceof ec2.CfnVPC,
    answers: compliance(
      'VPCDefaultSecurityGroupClosed',
      COMPLIANCE_PACKS,
      'The default security groups of the enclave and inspection VPCs are left without rules at deploy time by Custom::DefaultSecurityGroupRestriction, which a template check cannot see',
    ),
  },
  {
    id: 'APPLIANCE_IMDSV2_IN_LAUNCH_TEMPLATE',
    title: 'The appliances’ launch template requires IMDSv2',
    appliesTo: 'Every AWS::AutoScaling::AutoScalingGroup with a MixedInstancesPolicy',
    documentation: [
      'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/configuring-IMDS-new-instances.html',
    ],
    resources: (r) => r instanceof autoscaling.CfnAutoScalingGroup && r.mixedInstancesPolicy !== undefined,
    answers: compliance(
      'EC2IMDSv2Enabled',
      NIST_AND_HIPAA,
      'The appliances’ launch template requires IMDSv2 (HttpTokens required, hop limit 1); the rule does not follow a MixedInstancesPolicy to its launch template',
    ),
  },
  {
    id: 'GATEWAY_LOAD_BALANCER_WITHOUT_ACCESS_LOGS',
    title: 'Gateway Load Balancers have no access logs',
    appliesTo: 'Every AWS::ElasticLoadBalancingV2::LoadBalancer of type gateway',
    documentation: [
      'https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/cloudwatch-metrics.html',
    ],
    resources: (r) => r instanceof elbv2.CfnLoadBalancer && r.type === 'gateway',
    answers: compliance(
      'ELBLoggingEnabled',
      COMPLIANCE_PACKS,
      'Gateway Load Balancers have no access logs; the appliances log every inspected flow to the appliance log group and both VPCs have flow logs (AwsSolutions-ELB2 records the same decision)',
    ),
  },
  {
    id: 'GENEVE_LISTENER_WITHOUT_CERTIFICATE',
    title: 'Gateway Load Balancer listeners forward GENEVE and terminate no TLS',
    appliesTo: 'Every AWS::ElasticLoadBalancingV2::Listener without a Protocol (the GWLB listeners)',
    documentation: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/gateway/gateway-listeners.html'],
    resources: (r) => r instanceof elbv2.CfnListener && r.protocol === undefined,
    answers: compliance(
      'ELBv2ACMCertificateRequired',
      COMPLIANCE_PACKS,
      'A Gateway Load Balancer listener forwards GENEVE and terminates no TLS, so it has no certificate; traffic stays end to end encrypted between the workloads and their peers',
    ),
  },
];

/**
 * The register of Clover's design decisions: every deviation of Clover's own resources from a rule,
 * with its reason and the AWS documentation it rests on. They never expire; docs/acknowledgments.md is
 * generated from this list (`npm run docs:acknowledgments`). Users' acknowledgments (`acknowledge`)
 * keep their expiry.
 */
export const DESIGN_DECISIONS: readonly DesignDecision[] = [...MARKED_DECISIONS, ...RESOURCE_DECISIONS];

const MARKED_BY_ID = new Map<MarkedDesignDecision, MarkedDecision>(
  MARKED_DECISIONS.map((decision) => [decision.id, decision]),
);

/** The register's entry of a marked decision; throws when the register lacks it. */
export function markedDecision(id: MarkedDesignDecision): MarkedDecision {
  const decision = MARKED_BY_ID.get(id);
  if (decision === undefined) throw new Error(`design decision ${id} is marked but not in the register`);
  return decision;
}

/** The cdk-nag rule whose granular findings (`AwsSolutions-IAM5[<finding>]`) wildcard answers answer. */
const WILDCARD_RULE = 'AwsSolutions-IAM5';

/**
 * Applies the register to a stack: each marked decision on the construct that carries the mark, each
 * resource decision on the resources it selects. Every finding it answers is recorded as a design
 * decision (no expiry), which the audit lists with its ID.
 */
export class DesignDecisions implements IAspect {
  /** @param markedOnly apply only the marked decisions, not those selected by resource type */
  constructor(private readonly markedOnly = false) {}

  public visit(node: IConstruct): void {
    for (const id of designDecisionsMarkedOn(node)) {
      const decision = markedDecision(id);
      for (const answer of decision.answers ?? []) recordDesignDecision(node, { ...answer, decision: id });
    }
    if (!CfnResource.isCfnResource(node)) return;
    for (const decision of this.markedOnly ? [] : RESOURCE_DECISIONS) {
      if (!decision.resources(node)) continue;
      for (const answer of decision.answers) recordDesignDecision(node, { ...answer, decision: decision.id });
    }
    this.answerWildcards(node);
  }

  /** Each marking scope above (or on) the resource answers the resource's IAM5 findings on its own. */
  private answerWildcards(resource: CfnResource): void {
    const marks = resource.node.scopes.flatMap((scope) =>
      designDecisionsMarkedOn(scope)
        .map(markedDecision)
        .filter((decision) => (decision.wildcards ?? []).length > 0),
    );
    if (marks.length === 0) return;
    const findings = rules.iam.IAMNoWildcardPermissions(resource);
    if (!Array.isArray(findings)) return;
    for (const finding of findings as string[]) {
      const normalised = withPartitionToken(finding);
      for (const decision of marks) {
        const answer = decision.wildcards!.find((candidate) => candidate.finding.test(normalised));
        if (answer === undefined) continue;
        recordDesignDecision(resource, {
          rule: `${WILDCARD_RULE}[${finding}]`,
          reason: answer.reason,
          decision: decision.id,
        });
      }
    }
  }
}

/**
 * Applies the register to `stack`: every Clover stack does. CodePipeline's support stacks, which are not
 * Clover stacks, take only the decisions marked on the constructs Clover adds to them (`markedOnly`).
 */
export function applyDesignDecisions(stack: Stack, options: { readonly markedOnly?: boolean } = {}): void {
  Aspects.of(stack).add(new DesignDecisions(options.markedOnly ?? false));
}
