import { Stack } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DataVault } from '../data-vault/data-vault';
import { viaService } from '../data-vault/enclave-key';

/** The enclave's data stores, whose ARNs human roles are granted or denied. */
export interface EnclaveDataResources {
  readonly keys: readonly kms.IKey[];
  /** Buckets that hold user data. */
  readonly buckets: readonly s3.IBucket[];
  /** Buckets whose configuration the auditor may read (data buckets and their log bucket). */
  readonly auditedBuckets: readonly s3.IBucket[];
  readonly table: dynamodb.ITable;
  readonly queues: readonly sqs.IQueue[];
  readonly topics: readonly sns.ITopic[];
}

/**
 * The data resources of a vault, as seen from another stack. Data buckets are imported by their
 * deterministic names, so object ARNs (`…/*`) are plain strings rather than cross-stack imports.
 */
export function dataResourcesOf(scope: Construct, vault: DataVault): EnclaveDataResources {
  const buckets = Object.entries(vault.bucketNames).map(([dataClass, name]) =>
    s3.Bucket.fromBucketName(scope, `DataBucket-${dataClass}`, name),
  );
  return {
    keys: Object.values(vault.keys),
    buckets,
    auditedBuckets: [...buckets, vault.accessLogsBucket],
    table: vault.table,
    queues: [vault.queue, vault.deadLetterQueue],
    topics: Object.values(vault.topics),
  };
}

const objectsOf = (buckets: readonly s3.IBucket[]) => buckets.map((bucket) => bucket.arnForObjects('*'));

/** Read, write and erase user data (erasure includes object versions), through the enclave's services. */
export function dataAccessStatements(stack: Stack, data: EnclaveDataResources): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DataBuckets',
      actions: ['s3:ListBucket', 's3:ListBucketVersions', 's3:GetBucketLocation'],
      resources: data.buckets.map((bucket) => bucket.bucketArn),
    }),
    new iam.PolicyStatement({
      sid: 'DataObjects',
      actions: [
        's3:GetObject',
        's3:GetObjectVersion',
        's3:PutObject',
        's3:DeleteObject',
        's3:DeleteObjectVersion',
      ],
      resources: objectsOf(data.buckets),
    }),
    new iam.PolicyStatement({
      sid: 'DataTable',
      actions: [
        'dynamodb:BatchGetItem',
        'dynamodb:BatchWriteItem',
        'dynamodb:ConditionCheckItem',
        'dynamodb:DeleteItem',
        'dynamodb:GetItem',
        'dynamodb:PutItem',
        'dynamodb:Query',
        'dynamodb:UpdateItem',
      ],
      resources: [data.table.tableArn],
    }),
    new iam.PolicyStatement({
      sid: 'DataQueues',
      actions: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'sqs:SendMessage',
      ],
      resources: data.queues.map((queue) => queue.queueArn),
    }),
    new iam.PolicyStatement({
      sid: 'DataTopics',
      actions: ['sns:Publish'],
      resources: data.topics.map((topic) => topic.topicArn),
    }),
    new iam.PolicyStatement({
      sid: 'DataKeysViaEnclaveServices',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: data.keys.map((key) => key.keyArn),
      conditions: {
        StringEquals: {
          'kms:ViaService': (['s3', 'dynamodb', 'sqs', 'sns'] as const).map((service) =>
            viaService(stack, service),
          ),
        },
      },
    }),
  ];
}

/** Recovery of the data keys; granted to the break-glass role only (the key policies deny it to others). */
export function keyRecoveryStatements(data: EnclaveDataResources): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'DataKeyRecovery',
      actions: ['kms:CancelKeyDeletion', 'kms:DisableKey', 'kms:EnableKey', 'kms:ScheduleKeyDeletion'],
      resources: data.keys.map((key) => key.keyArn),
    }),
  ];
}

/**
 * Read-only evidence for the independent auditor: configuration of trails, Config, network, keys,
 * buckets, table, queues, topics, Clover roles and stacks, and the Clover log groups of the enclave.
 * List/describe actions that IAM cannot scope to a resource use `*`.
 */
export function auditorReadStatements(
  stack: Stack,
  enclave: string,
  data: EnclaveDataResources,
  options: { readonly rawLogs?: boolean } = {},
): iam.PolicyStatement[] {
  const arn = (service: string, resource: string, region = stack.region) =>
    `arn:${stack.partition}:${service}:${region}:${stack.account}:${resource}`;
  return [
    new iam.PolicyStatement({
      sid: 'AuditUnscopedDescribe',
      actions: [
        'cloudtrail:DescribeTrails',
        'cloudtrail:GetEventSelectors',
        'cloudtrail:GetTrailStatus',
        'cloudtrail:ListTrails',
        'cloudtrail:LookupEvents',
        'config:DescribeComplianceByConfigRule',
        'config:DescribeConfigRules',
        'config:DescribeConfigurationRecorderStatus',
        'config:DescribeConfigurationRecorders',
        'config:DescribeDeliveryChannels',
        'config:GetComplianceDetailsByConfigRule',
        'config:GetResourceConfigHistory',
        'config:ListDiscoveredResources',
        'config:SelectResourceConfig',
        'ec2:DescribeFlowLogs',
        'ec2:DescribeNetworkAcls',
        'ec2:DescribeRouteTables',
        'ec2:DescribeSecurityGroups',
        'ec2:DescribeSubnets',
        'ec2:DescribeTransitGatewayAttachments',
        'ec2:DescribeVpcEndpoints',
        'ec2:DescribeVpcPeeringConnections',
        'ec2:DescribeVpcs',
        'kms:ListAliases',
        'kms:ListKeys',
        'logs:DescribeLogGroups',
        ...(options.rawLogs ? ['logs:GetQueryResults'] : []),
        's3:ListAllMyBuckets',
      ],
      resources: ['*'],
    }),
    new iam.PolicyStatement({
      sid: 'AuditCloverLogGroups',
      // The configuration of the log groups; their raw events (personal data) only when the config says so.
      actions: [
        'logs:DescribeLogStreams',
        'logs:DescribeMetricFilters',
        'logs:DescribeSubscriptionFilters',
        ...(options.rawLogs ? RAW_LOG_READS : []),
      ],
      resources: [arn('logs', `log-group:/clover/${enclave}/*`)],
    }),
    new iam.PolicyStatement({
      sid: 'AuditDataKeys',
      actions: ['kms:DescribeKey', 'kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:ListResourceTags'],
      resources: data.keys.map((key) => key.keyArn),
    }),
    new iam.PolicyStatement({
      sid: 'AuditBucketConfiguration',
      actions: [
        's3:GetBucketLogging',
        's3:GetBucketObjectLockConfiguration',
        's3:GetBucketOwnershipControls',
        's3:GetBucketPolicy',
        's3:GetBucketPublicAccessBlock',
        's3:GetBucketVersioning',
        's3:GetEncryptionConfiguration',
        's3:GetReplicationConfiguration',
      ],
      resources: data.auditedBuckets.map((bucket) => bucket.bucketArn),
    }),
    new iam.PolicyStatement({
      sid: 'AuditDataStoreConfiguration',
      actions: [
        'dynamodb:DescribeContinuousBackups',
        'dynamodb:DescribeTable',
        'sns:GetTopicAttributes',
        'sqs:GetQueueAttributes',
      ],
      resources: [
        data.table.tableArn,
        ...data.topics.map((topic) => topic.topicArn),
        ...data.queues.map((queue) => queue.queueArn),
      ],
    }),
    new iam.PolicyStatement({
      sid: 'AuditCloverRolesAndStacks',
      actions: [
        'cloudformation:DescribeStacks',
        'cloudformation:GetTemplate',
        'iam:GetPolicy',
        'iam:GetPolicyVersion',
        'iam:GetRole',
        'iam:GetRolePolicy',
        'iam:ListAttachedRolePolicies',
        'iam:ListRolePolicies',
      ],
      resources: [
        arn('cloudformation', `stack/${enclave}-*/*`),
        `arn:${stack.partition}:iam::${stack.account}:role/clover-${enclave}-*`,
        `arn:${stack.partition}:iam::${stack.account}:policy/clover-${enclave}-*`,
      ],
    }),
  ];
}

/** Reads of raw log events: the trail's and flow logs' events carry the personal data the shipper pseudonymises. */
const RAW_LOG_READS = ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:StartQuery'];

/**
 * What the auditor must never do, whatever else grants it: read user data or decrypt with the data keys,
 * and (unless the config lets it) read the raw events of the enclave's log groups.
 */
export function auditorDenyStatements(
  stack: Stack,
  enclave: string,
  data: EnclaveDataResources,
  options: { readonly rawLogs?: boolean } = {},
): iam.PolicyStatement[] {
  const rawLogs = options.rawLogs
    ? []
    : [
        new iam.PolicyStatement({
          sid: 'DenyReadingRawLogEvents',
          effect: iam.Effect.DENY,
          actions: RAW_LOG_READS,
          resources: [
            `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:/clover/${enclave}/*`,
          ],
        }),
      ];
  return [
    ...rawLogs,
    new iam.PolicyStatement({
      sid: 'DenyDecryptingUserData',
      effect: iam.Effect.DENY,
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      resources: data.keys.map((key) => key.keyArn),
    }),
    new iam.PolicyStatement({
      sid: 'DenyReadingUserData',
      effect: iam.Effect.DENY,
      actions: ['s3:GetObject', 's3:GetObjectVersion'],
      resources: objectsOf(data.buckets),
    }),
    new iam.PolicyStatement({
      sid: 'DenyReadingUserRecords',
      effect: iam.Effect.DENY,
      actions: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
      resources: [data.table.tableArn],
    }),
    new iam.PolicyStatement({
      sid: 'DenyReadingUserMessages',
      effect: iam.Effect.DENY,
      actions: ['sqs:ReceiveMessage'],
      resources: data.queues.map((queue) => queue.queueArn),
    }),
  ];
}
