import { createHash } from 'crypto';

/** Where a stack deploys, with every pseudo parameter a value can name. */
export interface StackEnvironment {
  readonly account: string;
  readonly region: string;
  readonly partition: string;
  readonly urlSuffix: string;
  readonly stackName: string;
}

/** How a resource type names itself: its physical name, what `Ref` returns and its ARN. */
interface TypeSpec {
  /** Property that holds the physical name, when the template may set it. */
  readonly nameProperty?: string;
  /** Physical name when the template sets none (CloudFormation generates one; ours is stable). */
  readonly generated?: (env: StackEnvironment, logicalId: string) => string;
  /** What `Ref` returns. @default the name */
  readonly ref?: (env: StackEnvironment, name: string, props: Record<string, unknown>) => string;
  readonly arn?: (env: StackEnvironment, name: string, props: Record<string, unknown>) => string;
  /** Other `Fn::GetAtt` attributes. */
  readonly attributes?: Readonly<
    Record<string, (env: StackEnvironment, name: string, props: Record<string, unknown>) => string>
  >;
}

/**
 * A run of hex digits that starts with a digit and a letter: generated identifiers of the same resource
 * in two enclaves then differ only in their characters, never in kind (all digits, all letters, mixed),
 * so the proof's simulations of the two share one shape (memo.ts).
 */
function mixedHex(hex: string): string {
  if (hex.length < 2) return hex;
  const first = parseInt(hex[0], 16);
  return `${first % 10}${'abcdef'[parseInt(hex[1], 16) % 6]}${hex.slice(2)}`;
}

/**
 * The SHA-256 of each resource's place, in hex, by place: a resource's name, ARN and references recur
 * in thousands of requests of a large assembly. Bounded, so a long-running process does not grow without end.
 */
const DIGEST_CACHE_LIMIT = 200_000;
const digests = new Map<string, string>();

function digest(env: StackEnvironment, logicalId: string, length: number): string {
  const place = `${env.account}/${env.region}/${env.stackName}/${logicalId}`;
  let hex = digests.get(place);
  if (hex === undefined) {
    if (digests.size >= DIGEST_CACHE_LIMIT) digests.clear();
    hex = createHash('sha256').update(place).digest('hex');
    digests.set(place, hex);
  }
  return mixedHex(hex.slice(0, length));
}

const generatedName = (env: StackEnvironment, logicalId: string) =>
  `${env.stackName}-${logicalId}-${digest(env, logicalId, 12).toUpperCase()}`;
const generatedId = (prefix: string) => (env: StackEnvironment, logicalId: string) =>
  `${prefix}-${digest(env, logicalId, 17)}`;

const regional =
  (service: string, resource: (name: string, props: Record<string, unknown>) => string) =>
  (env: StackEnvironment, name: string, props: Record<string, unknown>) =>
    `arn:${env.partition}:${service}:${env.region}:${env.account}:${resource(name, props)}`;
const global =
  (service: string, resource: (name: string, props: Record<string, unknown>) => string) =>
  (env: StackEnvironment, name: string, props: Record<string, unknown>) =>
    `arn:${env.partition}:${service}::${env.account}:${resource(name, props)}`;

function iamPath(props: Record<string, unknown>): string {
  return typeof props.Path === 'string' && props.Path.startsWith('/') ? props.Path : '/';
}

const arnFirst = (spec: TypeSpec): TypeSpec => ({
  ...spec,
  ref: (env, name, props) => spec.arn!(env, name, props),
});

/**
 * Physical identities of the resource types that runtime flows name. Types not
 * listed still resolve, to a stable token that matches only itself.
 */
const TYPES: Readonly<Record<string, TypeSpec>> = {
  'AWS::S3::Bucket': {
    nameProperty: 'BucketName',
    generated: (env, id) => generatedName(env, id).toLowerCase().slice(0, 63),
    arn: (env, name) => `arn:${env.partition}:s3:::${name}`,
    attributes: {
      DomainName: (env, name) => `${name}.s3.${env.urlSuffix}`,
      RegionalDomainName: (env, name) => `${name}.s3.${env.region}.${env.urlSuffix}`,
    },
  },
  'AWS::KMS::Key': {
    generated: (env, id) => {
      const hex = digest(env, id, 32);
      const part = (from: number, to: number) => mixedHex(hex.slice(from, to));
      return `${part(0, 8)}-${part(8, 12)}-4${part(13, 16)}-8${part(17, 20)}-${part(20, 32)}`;
    },
    arn: regional('kms', (name) => `key/${name}`),
    attributes: { KeyId: (_env, name) => name },
  },
  'AWS::KMS::Alias': { nameProperty: 'AliasName', arn: regional('kms', (name) => name) },
  'AWS::SNS::Topic': arnFirst({
    nameProperty: 'TopicName',
    arn: regional('sns', (name) => name),
    attributes: { TopicName: (_env, name) => name },
  }),
  'AWS::SQS::Queue': {
    nameProperty: 'QueueName',
    ref: (env, name) => `https://sqs.${env.region}.${env.urlSuffix}/${env.account}/${name}`,
    arn: regional('sqs', (name) => name),
    attributes: {
      QueueName: (_env, name) => name,
      QueueUrl: (env, name) => `https://sqs.${env.region}.${env.urlSuffix}/${env.account}/${name}`,
    },
  },
  'AWS::Lambda::Function': {
    nameProperty: 'FunctionName',
    arn: regional('lambda', (name) => `function:${name}`),
  },
  'AWS::IAM::Role': {
    nameProperty: 'RoleName',
    arn: global('iam', (name, props) => `role${iamPath(props)}${name}`),
    attributes: {
      RoleId: (_env, name) =>
        `AROA${createHash('sha256').update(name).digest('hex').slice(0, 17).toUpperCase()}`,
    },
  },
  'AWS::IAM::ManagedPolicy': arnFirst({
    nameProperty: 'ManagedPolicyName',
    arn: global('iam', (name, props) => `policy${iamPath(props)}${name}`),
    attributes: {
      PolicyArn: (env, name, props) =>
        `arn:${env.partition}:iam::${env.account}:policy${iamPath(props)}${name}`,
    },
  }),
  'AWS::IAM::InstanceProfile': {
    nameProperty: 'InstanceProfileName',
    arn: global('iam', (name, props) => `instance-profile${iamPath(props)}${name}`),
  },
  'AWS::IAM::User': {
    nameProperty: 'UserName',
    arn: global('iam', (name, props) => `user${iamPath(props)}${name}`),
  },
  'AWS::Logs::LogGroup': {
    nameProperty: 'LogGroupName',
    arn: regional('logs', (name) => `log-group:${name}:*`),
  },
  'AWS::Logs::Destination': {
    nameProperty: 'DestinationName',
    arn: regional('logs', (name) => `destination:${name}`),
  },
  'AWS::Events::EventBus': {
    nameProperty: 'Name',
    arn: regional('events', (name) => `event-bus/${name}`),
    attributes: { Name: (_env, name) => name },
  },
  'AWS::Events::Rule': {
    nameProperty: 'Name',
    ref: (_env, name, props) =>
      typeof props.EventBusName === 'string' && props.EventBusName !== 'default'
        ? `${props.EventBusName}|${name}`
        : name,
    arn: regional('events', (name, props) => {
      const bus = typeof props.EventBusName === 'string' ? busName(props.EventBusName) : 'default';
      return bus === 'default' ? `rule/${name}` : `rule/${bus}/${name}`;
    }),
  },
  'AWS::SecretsManager::Secret': arnFirst({
    nameProperty: 'Name',
    arn: regional('secretsmanager', (name) => `secret:${name}-AbCdEf`),
    attributes: {
      Id: (env, name) =>
        `arn:${env.partition}:secretsmanager:${env.region}:${env.account}:secret:${name}-AbCdEf`,
    },
  }),
  'AWS::CloudTrail::Trail': {
    nameProperty: 'TrailName',
    arn: regional('cloudtrail', (name) => `trail/${name}`),
  },
  'AWS::CloudWatch::Alarm': {
    nameProperty: 'AlarmName',
    arn: regional('cloudwatch', (name) => `alarm:${name}`),
  },
  'AWS::DynamoDB::Table': {
    nameProperty: 'TableName',
    arn: regional('dynamodb', (name) => `table/${name}`),
    attributes: { StreamArn: regional('dynamodb', (name) => `table/${name}/stream/2026-01-01T00:00:00.000`) },
  },
  'AWS::Kinesis::Stream': { nameProperty: 'Name', arn: regional('kinesis', (name) => `stream/${name}`) },
  'AWS::KinesisFirehose::DeliveryStream': {
    nameProperty: 'DeliveryStreamName',
    arn: regional('firehose', (name) => `deliverystream/${name}`),
  },
  'AWS::StepFunctions::StateMachine': arnFirst({
    nameProperty: 'StateMachineName',
    arn: regional('states', (name) => `stateMachine:${name}`),
    attributes: { Name: (_env, name) => name },
  }),
  'AWS::EC2::VPC': { generated: generatedId('vpc') },
  'AWS::EC2::Subnet': { generated: generatedId('subnet') },
  'AWS::EC2::SecurityGroup': { generated: generatedId('sg'), attributes: { GroupId: (_env, name) => name } },
  'AWS::EC2::VPCEndpoint': { generated: generatedId('vpce'), attributes: { Id: (_env, name) => name } },
  'AWS::EC2::VPCEndpointService': {
    generated: generatedId('vpce-svc'),
    attributes: { ServiceId: (_env, name) => name },
  },
  'AWS::EC2::FlowLog': {
    generated: generatedId('fl'),
    arn: regional('ec2', (name) => `vpc-flow-log/${name}`),
  },
};

/** The bus name of an `EventBusName` value (a name or an ARN). */
export function busName(value: string): string {
  return value.startsWith('arn:') ? value.slice(value.indexOf('event-bus/') + 'event-bus/'.length) : value;
}

/** True when the type's physical identity is modelled (its ARN can be built). */
export function hasArn(type: string): boolean {
  return TYPES[type]?.arn !== undefined;
}

/** The physical name of a resource: its name property when literal, else a stable generated one. */
export function physicalName(
  env: StackEnvironment,
  type: string,
  logicalId: string,
  props: Record<string, unknown>,
): string {
  const spec = TYPES[type];
  const named = spec?.nameProperty ? props[spec.nameProperty] : undefined;
  if (typeof named === 'string' && named !== '') {
    // CloudFormation appends `.fifo` to FIFO queue and topic names it generates; a given name already has it.
    return named;
  }
  return (spec?.generated ?? generatedName)(env, logicalId);
}

/** `Ref` of a resource, with literal properties (`props`) already resolved. */
export function refOf(
  env: StackEnvironment,
  type: string,
  logicalId: string,
  props: Record<string, unknown>,
): string {
  const name = physicalName(env, type, logicalId, props);
  return TYPES[type]?.ref?.(env, name, props) ?? name;
}

/**
 * `Fn::GetAtt` of a resource; undefined for an attribute the model does not know
 * (the caller then uses a token that matches only itself).
 */
export function attributeOf(
  env: StackEnvironment,
  type: string,
  logicalId: string,
  props: Record<string, unknown>,
  attribute: string,
): string | undefined {
  const spec = TYPES[type];
  const name = physicalName(env, type, logicalId, props);
  if (attribute === 'Arn' && spec?.arn) return spec.arn(env, name, props);
  return spec?.attributes?.[attribute]?.(env, name, props);
}

/** The ARN of a resource, when its type is modelled. */
export function arnOf(
  env: StackEnvironment,
  type: string,
  logicalId: string,
  props: Record<string, unknown>,
): string | undefined {
  const spec = TYPES[type];
  return spec?.arn?.(env, physicalName(env, type, logicalId, props), props);
}
