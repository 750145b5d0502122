import { ArnFormat, Aws, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/** Retention of every Clover network log group: the Control Tower floor (CT.CLOUDWATCH.PR.2) and the audit year. */
/** What a service needs to encrypt and decrypt with a key it does not administer. */
export const KEY_USE_ACTIONS = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:DescribeKey',
] as const;

export const NETWORK_LOG_RETENTION = logs.RetentionDays.ONE_YEAR;

export interface CloverKeyProps {
  /** What the key protects; shown in the KMS console. */
  readonly description: string;
}

/**
 * A customer-managed, single-Region KMS key with yearly rotation, kept when
 * the stack goes (the data it protects is retained too), whose policy lets
 * only AWS services create grants on it (Control Tower CT.KMS.PR.3).
 */
export function createCloverKey(scope: Construct, id: string, props: CloverKeyProps): kms.Key {
  const key = new kms.Key(scope, id, {
    description: props.description,
    enableKeyRotation: true,
    multiRegion: false,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  key.addToResourcePolicy(grantsOnlyForAwsServices());
  return key;
}

/** The key policy statement that lets only AWS services create grants on a key (Control Tower CT.KMS.PR.3). */
export function grantsOnlyForAwsServices(): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'GrantsOnlyForAwsServices',
    effect: iam.Effect.DENY,
    principals: [new iam.AnyPrincipal()],
    actions: ['kms:CreateGrant'],
    resources: ['*'],
    conditions: {
      BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
    },
  });
}

/** ARN of a log group as CloudWatch Logs puts it into the KMS encryption context (no trailing `:*`). */
export function logGroupArn(scope: Construct, logGroupName: string): string {
  return Stack.of(scope).formatArn({
    service: 'logs',
    resource: 'log-group',
    resourceName: logGroupName,
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/**
 * Lets CloudWatch Logs of this Region use the key, only for the named log
 * groups (the `kms:EncryptionContext:aws:logs:arn` condition).
 */
export function allowLogGroups(key: kms.Key, logGroupNames: readonly string[]): void {
  const stack = Stack.of(key);
  const region = Token.isUnresolved(stack.region) ? Aws.REGION : stack.region;
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchLogsOfNamedLogGroups',
      principals: [new iam.ServicePrincipal(`logs.${region}.amazonaws.com`)],
      actions: [...KEY_USE_ACTIONS],
      resources: ['*'],
      conditions: {
        ArnEquals: {
          'kms:EncryptionContext:aws:logs:arn': logGroupNames.map((name) => logGroupArn(key, name)),
        },
      },
    }),
  );
}

export interface EncryptedLogGroupProps {
  readonly logGroupName: string;
  /** Key whose policy allows this log group (see {@link allowLogGroups}). */
  readonly encryptionKey: kms.IKey;
  /** @default NETWORK_LOG_RETENTION (one year) */
  readonly retention?: logs.RetentionDays;
}

/** A named, KMS-encrypted log group with finite retention, retained when the stack goes (it is evidence). */
export function createEncryptedLogGroup(
  scope: Construct,
  id: string,
  props: EncryptedLogGroupProps,
): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: props.logGroupName,
    encryptionKey: props.encryptionKey,
    retention: props.retention ?? NETWORK_LOG_RETENTION,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
