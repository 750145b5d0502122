import { isObject } from '../values';
import { literalText, StackEnvironment } from './literals';

/** Where a resource's bare name is unique, and so where a bare name can refer to it. */
export type NameScope = 'global' | 'account' | 'region';

/** Something a stack's template creates under a name it chooses: a bucket, a role, a log group, an export, … */
export interface OwnedIdentity {
  /** `S3 bucket`, `IAM role`, …: for messages. */
  readonly kind: string;
  /** The physical name (bucket name, role name, log group name, export name). */
  readonly name: string;
  /** Logical ID of the resource (or output) that creates it. */
  readonly logicalId: string;
  /** The ARN built from the name and the stack's account, region and partition; undefined when unknown. */
  readonly arn?: string;
  /** Other literal forms that name it (an SQS queue URL). */
  readonly aliases: readonly string[];
  readonly scope: NameScope;
  /** What may follow the ARN in a reference to something inside the resource (objects, log streams, versions). */
  readonly within?: RegExp;
  /** How `Fn::ImportValue`, SSM or Secrets Manager references name it, when they can. */
  readonly referencedAs?: 'import' | 'ssm' | 'secret';
}

type Arn = (name: string, env: StackEnvironment, properties: Record<string, unknown>) => string | undefined;

interface NamedType {
  readonly kind: string;
  readonly nameProperty: string;
  readonly scope: NameScope;
  readonly arn: Arn;
  readonly within?: RegExp;
  readonly aliases?: (name: string, env: StackEnvironment) => Array<string | undefined>;
  readonly referencedAs?: 'ssm' | 'secret';
}

/** An ARN of a regional service, or undefined when the stack's account or region is unknown. */
function regional(service: string, resource: (name: string) => string): Arn {
  return (name, env) =>
    env.account && env.region
      ? `arn:${env.partition}:${service}:${env.region}:${env.account}:${resource(name)}`
      : undefined;
}

function iam(resource: string): Arn {
  return (name, env, properties) => {
    if (!env.account) return undefined;
    const path = typeof properties.Path === 'string' ? properties.Path : '/';
    return `arn:${env.partition}:iam::${env.account}:${resource}${path}${name}`;
  };
}

/**
 * The CloudFormation resource types whose physical name the template sets, with the ARN that name
 * gives in the stack's account and region (the services' documented ARN formats). Only these can be
 * named by a literal in another stage's template; a resource without a chosen name cannot.
 */
const NAMED_TYPES: Readonly<Record<string, NamedType>> = {
  'AWS::S3::Bucket': {
    kind: 'S3 bucket',
    nameProperty: 'BucketName',
    scope: 'global',
    arn: (name, env) => `arn:${env.partition}:s3:::${name}`,
    within: /^\/.*$/,
  },
  'AWS::KMS::Alias': {
    kind: 'KMS alias',
    nameProperty: 'AliasName',
    scope: 'region',
    arn: regional('kms', (name) => name),
  },
  'AWS::Logs::LogGroup': {
    kind: 'log group',
    nameProperty: 'LogGroupName',
    scope: 'region',
    arn: regional('logs', (name) => `log-group:${name}`),
    within: /^:.*$/,
  },
  'AWS::Events::EventBus': {
    kind: 'event bus',
    nameProperty: 'Name',
    scope: 'region',
    arn: regional('events', (name) => `event-bus/${name}`),
  },
  'AWS::IAM::Role': { kind: 'IAM role', nameProperty: 'RoleName', scope: 'account', arn: iam('role') },
  'AWS::IAM::ManagedPolicy': {
    kind: 'IAM managed policy',
    nameProperty: 'ManagedPolicyName',
    scope: 'account',
    arn: iam('policy'),
  },
  'AWS::IAM::User': { kind: 'IAM user', nameProperty: 'UserName', scope: 'account', arn: iam('user') },
  'AWS::SecretsManager::Secret': {
    kind: 'secret',
    nameProperty: 'Name',
    scope: 'region',
    arn: regional('secretsmanager', (name) => `secret:${name}`),
    // Secrets Manager appends `-` and six random characters; policies match them with `-??????` or `*`.
    within: /^(-[A-Za-z0-9]{6}|-\?{6}|-?\*)$/,
    referencedAs: 'secret',
  },
  'AWS::SNS::Topic': {
    kind: 'SNS topic',
    nameProperty: 'TopicName',
    scope: 'region',
    arn: regional('sns', (name) => name),
  },
  'AWS::SQS::Queue': {
    kind: 'SQS queue',
    nameProperty: 'QueueName',
    scope: 'region',
    arn: regional('sqs', (name) => name),
    aliases: (name, env) => [
      env.account && env.region
        ? `https://sqs.${env.region}.${env.urlSuffix}/${env.account}/${name}`
        : undefined,
    ],
  },
  'AWS::Lambda::Function': {
    kind: 'Lambda function',
    nameProperty: 'FunctionName',
    scope: 'region',
    arn: regional('lambda', (name) => `function:${name}`),
    within: /^:[^:]+$/,
  },
  'AWS::DynamoDB::Table': {
    kind: 'DynamoDB table',
    nameProperty: 'TableName',
    scope: 'region',
    arn: regional('dynamodb', (name) => `table/${name}`),
    within: /^\/(index|stream)\/.+$/,
  },
  'AWS::SSM::Parameter': {
    kind: 'SSM parameter',
    nameProperty: 'Name',
    scope: 'region',
    arn: regional('ssm', (name) => `parameter/${name.replace(/^\//, '')}`),
    referencedAs: 'ssm',
  },
};

/** Every identity a stack's template defines: named resources of {@link NAMED_TYPES} and its exports. */
export function ownedIdentities(
  template: { readonly Resources?: Record<string, unknown>; readonly Outputs?: Record<string, unknown> },
  env: StackEnvironment,
): OwnedIdentity[] {
  const owned: OwnedIdentity[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (!isObject(resource) || typeof resource.Type !== 'string') continue;
    const type = NAMED_TYPES[resource.Type];
    if (!type) continue;
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    const name = literalText(properties[type.nameProperty], env);
    if (name === undefined || name === '') continue;
    owned.push({
      kind: type.kind,
      name,
      logicalId,
      arn: type.arn(name, env, properties),
      aliases: (type.aliases?.(name, env) ?? []).filter((alias): alias is string => alias !== undefined),
      scope: type.scope,
      within: type.within,
      referencedAs: type.referencedAs,
    });
  }
  for (const [logicalId, output] of Object.entries(template.Outputs ?? {})) {
    const exported =
      isObject(output) && isObject(output.Export) ? literalText(output.Export.Name, env) : undefined;
    if (exported === undefined) continue;
    owned.push({
      kind: 'CloudFormation export',
      name: exported,
      logicalId,
      aliases: [],
      scope: 'region',
      referencedAs: 'import',
    });
  }
  return owned;
}
