import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { grantsOnlyForAwsServices } from '../enclave-network/keys';

/**
 * AWS services that encrypt with a {@link ServiceKey} on their own behalf, for any resource of theirs
 * in this account (the encryption context names it). Services that deliver to one encrypted topic or
 * queue get a grant scoped to it instead (service-grants.ts).
 */
export type KeyService =
  /** CloudWatch Logs log groups of this account and region. */
  | 'logs'
  /** CloudTrail trails of this account (log files and the trail's encryption). */
  | 'cloudtrail';

export interface ServiceKeyProps {
  /** Alias without the `alias/` prefix, e.g. `clover-dublin-1-logging`. */
  readonly alias: string;
  readonly description: string;
  /**
   * Services that use the key on their own behalf; each gets one statement scoped to this account.
   * @default none
   */
  readonly services?: readonly KeyService[];
}

/**
 * A customer-managed, single-Region key with rotation, retained on delete,
 * whose key policy lets exactly the named AWS services of this account use it.
 * Principals of this account get access through their IAM policies; only
 * other accounts' principals are named in the key policy (by the caller).
 */
export class ServiceKey extends Construct {
  public readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: ServiceKeyProps) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      alias: props.alias,
      description: props.description,
      enableKeyRotation: true,
      multiRegion: false,
      pendingWindow: Duration.days(30),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.key.addToResourcePolicy(grantsOnlyForAwsServices());
    for (const service of new Set(props.services ?? []))
      this.key.addToResourcePolicy(serviceStatement(this, service));
  }
}

function serviceStatement(scope: Construct, service: KeyService): iam.PolicyStatement {
  const stack = Stack.of(scope);
  const { account, region, partition } = stack;
  const sourceAccount = { StringEquals: { 'aws:SourceAccount': account } };
  switch (service) {
    case 'logs':
      return new iam.PolicyStatement({
        sid: 'CloudWatchLogsOfThisAccount',
        principals: [new iam.ServicePrincipal(`logs.${region}.${stack.urlSuffix}`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${partition}:logs:${region}:${account}:log-group:*`,
          },
        },
      });
    case 'cloudtrail':
      return new iam.PolicyStatement({
        sid: 'CloudTrailOfThisAccount',
        principals: [new iam.ServicePrincipal('cloudtrail.amazonaws.com')],
        actions: ['kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: {
          ...sourceAccount,
          StringLike: {
            'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${partition}:cloudtrail:*:${account}:trail/*`,
          },
        },
      });
  }
}
