import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { grantsOnlyForAwsServices } from '../enclave-network/keys';
import { breakGlassRoleName } from '../../config/naming';

/** AWS services through which principals of the enclave account may use an enclave key. */
export type EnclaveKeyService = 's3' | 'dynamodb' | 'sqs' | 'sns';

/** Every service an enclave key serves by default. */
export const ENCLAVE_KEY_SERVICES: readonly EnclaveKeyService[] = ['s3', 'dynamodb', 'sqs', 'sns'];

/**
 * Key-administration actions for the account root (so KMS's lockout safety check
 * passes). `kms:CreateGrant` is deliberately absent: a grant is a way around
 * `kms:ViaService`, so grants are only allowed for AWS resources (below).
 */
export const KEY_ADMINISTRATION_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:CreateAlias',
  'kms:DeleteAlias',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListResourceTags',
  'kms:PutKeyPolicy',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateKeyDescription',
];

/** Cryptographic use, allowed only through the enclave's services. */
export const KEY_USE_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:GenerateDataKey*',
  'kms:ReEncrypt*',
];

/** Actions that would make the data unreadable for good; only break-glass may call them. */
export const KEY_DESTRUCTION_ACTIONS = ['kms:ScheduleKeyDeletion', 'kms:DisableKey'];

export interface EnclaveKeyProps {
  /** Enclave name; names the alias and the break-glass role that alone may disable or delete the key. */
  readonly enclave: string;
  /** Alias name, including the `alias/` prefix. */
  readonly aliasName: string;
  /** Key description shown in the KMS console. */
  readonly description: string;
  /**
   * Services through which principals of the enclave account may use the key (`kms:ViaService`, pinned to
   * the stack's region).
   * @default every service in ENCLAVE_KEY_SERVICES
   */
  readonly services?: readonly EnclaveKeyService[];
}

/**
 * A customer-managed KMS key of one enclave: single-Region, rotating, retained,
 * used only by principals of the enclave account through the enclave's own
 * services in the enclave's region, and never disabled or deleted except by the
 * break-glass role.
 */
export class EnclaveKey extends Construct {
  public readonly key: kms.Key;
  public readonly alias: kms.Alias;
  /** `kms:ViaService` values the key accepts, e.g. `s3.eu-west-1.amazonaws.com` (URL suffix as a token). */
  public readonly viaServices: readonly string[];

  constructor(scope: Construct, id: string, props: EnclaveKeyProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const services = props.services ?? ENCLAVE_KEY_SERVICES;
    this.viaServices = services.map((service) => viaService(stack, service));
    this.key = new kms.Key(this, 'Key', {
      description: props.description,
      enableKeyRotation: true,
      multiRegion: false,
      removalPolicy: RemovalPolicy.RETAIN,
      policy: enclaveKeyPolicy(stack, props.enclave, this.viaServices),
    });
    this.key.addToResourcePolicy(grantsOnlyForAwsServices());
    this.alias = this.key.addAlias(props.aliasName);
  }
}

/** `<service>.<region>.<url suffix>`, as KMS reports the calling service in `kms:ViaService`. */
export function viaService(stack: Stack, service: string, region: string = stack.region): string {
  return `${service}.${region}.${stack.urlSuffix}`;
}

/** ARN of an enclave's break-glass role, which may not exist (policies match it with `aws:PrincipalArn`). */
export function breakGlassRoleArn(stack: Stack, enclave: string, account: string = stack.account): string {
  return `arn:${stack.partition}:iam::${account}:role/${breakGlassRoleName(enclave)}`;
}

/** The key policy of an enclave key (see {@link EnclaveKey}). */
export function enclaveKeyPolicy(
  stack: Stack,
  enclave: string,
  viaServices: readonly string[],
): iam.PolicyDocument {
  const account = stack.account;
  const root = new iam.AccountRootPrincipal();
  return new iam.PolicyDocument({
    statements: [
      new iam.PolicyStatement({
        sid: 'KeyAdministration',
        principals: [root],
        actions: KEY_ADMINISTRATION_ACTIONS,
        resources: ['*'],
      }),
      new iam.PolicyStatement({
        sid: 'UseOnlyViaEnclaveServices',
        principals: [root],
        actions: KEY_USE_ACTIONS,
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': [...viaServices] },
        },
      }),
      new iam.PolicyStatement({
        sid: 'GrantsOnlyForEnclaveResources',
        principals: [root],
        actions: ['kms:CreateGrant'],
        resources: ['*'],
        conditions: {
          StringEquals: { 'kms:CallerAccount': account, 'kms:ViaService': [...viaServices] },
          Bool: { 'kms:GrantIsForAWSResource': 'true' },
        },
      }),
      ...serviceDeliveryStatements(stack),
      new iam.PolicyStatement({
        sid: 'OnlyBreakGlassDisablesOrDeletes',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: KEY_DESTRUCTION_ACTIONS,
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': breakGlassRoleArn(stack, enclave, account) } },
      }),
    ],
  });
}

/**
 * AWS services that deliver to the enclave's encrypted topics and queues call KMS as themselves, not
 * through `kms:ViaService`: CloudWatch alarms and S3 notifications publishing to a topic, EventBridge
 * rules sending to a topic or queue, SNS delivering to a subscribed queue. Each statement is scoped to
 * the enclave's own topics or queues (the encryption context) and, where the service sends it, to the
 * enclave's account as source; EventBridge sends no source keys to KMS, so its scope is the context.
 */
export function serviceDeliveryStatements(stack: Stack): iam.PolicyStatement[] {
  const { account, region, partition } = stack;
  const topics = { 'kms:EncryptionContext:aws:sns:topicArn': `arn:${partition}:sns:${region}:${account}:*` };
  const queues = { 'kms:EncryptionContext:aws:sqs:arn': `arn:${partition}:sqs:${region}:${account}:*` };
  const fromThisAccount = { 'aws:SourceAccount': account };
  const statement = (sid: string, service: string, conditions: Record<string, Record<string, unknown>>) =>
    new iam.PolicyStatement({
      sid,
      principals: [new iam.ServicePrincipal(`${service}.amazonaws.com`)],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions,
    });
  return [
    statement('AlarmsToEnclaveTopics', 'cloudwatch', { StringEquals: fromThisAccount, ArnLike: topics }),
    statement('NotificationsToEnclaveTopics', 's3', { StringEquals: fromThisAccount, ArnLike: topics }),
    statement('NotificationsToEnclaveQueues', 's3', { StringEquals: fromThisAccount, ArnLike: queues }),
    statement('RulesToEnclaveTopics', 'events', { ArnLike: topics }),
    statement('RulesToEnclaveQueues', 'events', { ArnLike: queues }),
    statement('TopicsToEnclaveQueues', 'sns', { StringEquals: fromThisAccount, ArnLike: queues }),
  ];
}
