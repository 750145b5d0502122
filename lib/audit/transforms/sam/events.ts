/**
 * The event sources of a SAM function: each becomes the resources SAM
 * creates for it (permission, rule, subscription, subscription filter,
 * event source mapping, queue …) and, for pull sources, the policy the
 * execution role needs to poll. `Api` and `HttpApi` events add their route
 * to the API (api.ts). Pure.
 */
import { isObject } from '../../values';
import { TemplateTransformError } from '../types';
import type { ApiRegistry } from './api';
import type { FunctionTarget } from './target';
import {
  arnOf,
  destinationPolicy,
  inlinePolicy,
  Json,
  ref,
  SamEvent,
  SamExpansion,
  SamResource,
  serviceTrust,
  sub,
} from './model';

/** Pull sources: the property naming the source, and the managed policy SAM attaches for polling it. */
const PULL_SOURCES: Record<string, { readonly source?: string; readonly managedPolicy?: string }> = {
  SQS: { source: 'Queue', managedPolicy: 'AWSLambdaSQSQueueExecutionRole' },
  Kinesis: { source: 'Stream', managedPolicy: 'AWSLambdaKinesisExecutionRole' },
  DynamoDB: { source: 'Stream', managedPolicy: 'AWSLambdaDynamoDBExecutionRole' },
  MSK: { source: 'Stream', managedPolicy: 'AWSLambdaMSKExecutionRole' },
  MQ: { source: 'Broker' },
  DocumentDB: { source: 'Cluster' },
  SelfManagedKafka: {},
};

/** Event source mapping properties SAM passes through. */
const MAPPING_PROPERTIES = [
  'StartingPosition',
  'StartingPositionTimestamp',
  'BatchSize',
  'Enabled',
  'MaximumBatchingWindowInSeconds',
  'MaximumRetryAttempts',
  'BisectBatchOnFunctionError',
  'MaximumRecordAgeInSeconds',
  'ParallelizationFactor',
  'Topics',
  'Queues',
  'SourceAccessConfigurations',
  'TumblingWindowInSeconds',
  'FunctionResponseTypes',
  'FilterCriteria',
  'KmsKeyArn',
  'ScalingConfig',
  'ProvisionedPollerConfig',
  'MetricsConfig',
  'LoggingConfig',
];

export function expandFunctionEvent(
  event: SamEvent,
  target: FunctionTarget,
  expansion: SamExpansion,
  apis: ApiRegistry,
): void {
  const id = `${target.from.logicalId}${event.name}`;
  const p = event.properties;
  if (event.type in PULL_SOURCES) return expandPull(event, id, target, expansion);
  switch (event.type) {
    case 'S3':
      return expandS3(event, id, target, expansion);
    case 'SNS':
      return expandSns(event, id, target, expansion);
    case 'Schedule':
    case 'CloudWatchEvent':
    case 'EventBridgeRule':
      return expandRule(event, id, target, expansion);
    case 'ScheduleV2':
      return expandScheduleV2(id, target, expansion, p);
    case 'CloudWatchLogs': {
      const permission = addPermission(id, target, expansion, 'logs.amazonaws.com', {
        SourceArn: sub(
          'arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${__LogGroupName__}:*',
          {
            __LogGroupName__: p.LogGroupName,
          },
        ),
      });
      expansion.add(
        id,
        expansion.resource(
          'AWS::Logs::SubscriptionFilter',
          { LogGroupName: p.LogGroupName, FilterPattern: p.FilterPattern, DestinationArn: target.arn },
          target.from,
          { DependsOn: [permission] },
        ),
        target.from,
      );
      return;
    }
    case 'IoTRule':
      addPermission(id, target, expansion, 'iot.amazonaws.com', {
        SourceArn: sub('arn:${AWS::Partition}:iot:${AWS::Region}:${AWS::AccountId}:rule/${RuleName}', {
          RuleName: ref(id),
        }),
        SourceAccount: ref('AWS::AccountId'),
      });
      expansion.add(
        id,
        expansion.resource(
          'AWS::IoT::TopicRule',
          {
            TopicRulePayload: {
              Actions: [{ Lambda: { FunctionArn: target.arn } }],
              RuleDisabled: false,
              Sql: p.Sql,
              AwsIotSqlVersion: p.AwsIotSqlVersion,
            },
          },
          target.from,
        ),
        target.from,
      );
      return;
    case 'AlexaSkill':
      addPermission(id, target, expansion, 'alexa-appkit.amazon.com', { EventSourceToken: p.SkillId });
      return;
    case 'Cognito':
      return expandCognito(event, id, target, expansion);
    case 'Api':
    case 'HttpApi':
      apis.addFunctionRoute(event, id, target);
      return;
  }
  expansion.note(
    target.from,
    `${target.from.logicalId}: event ${event.name} of type ${event.type} is not expanded by this build, so what it creates (permissions, subscriptions) is not judged`,
  );
}

/** A permission for a service to invoke the function; returns its logical ID. */
function addPermission(
  id: string,
  target: FunctionTarget,
  expansion: SamExpansion,
  principal: string,
  extra: Json,
  logicalId = `${id}Permission`,
): string {
  expansion.addOnce(
    logicalId,
    expansion.resource(
      'AWS::Lambda::Permission',
      { Action: 'lambda:InvokeFunction', FunctionName: target.name, Principal: principal, ...extra },
      target.from,
    ),
  );
  return logicalId;
}

function expandPull(event: SamEvent, id: string, target: FunctionTarget, expansion: SamExpansion): void {
  const p = event.properties;
  const kind = PULL_SOURCES[event.type];
  const properties: Json = { FunctionName: target.name };
  if (kind.source) properties.EventSourceArn = p[kind.source];
  for (const key of MAPPING_PROPERTIES) properties[key] = p[key];
  if (p.KafkaBootstrapServers !== undefined)
    properties.SelfManagedEventSource = { Endpoints: { KafkaBootstrapServers: p.KafkaBootstrapServers } };
  if (p.ConsumerGroupId !== undefined) {
    const key =
      event.type === 'MSK' ? 'AmazonManagedKafkaEventSourceConfig' : 'SelfManagedKafkaEventSourceConfig';
    properties[key] = { ConsumerGroupId: p.ConsumerGroupId };
  }
  if (isObject(p.DestinationConfig)) {
    const onFailure = isObject(p.DestinationConfig.OnFailure)
      ? { ...p.DestinationConfig.OnFailure }
      : undefined;
    const type = onFailure?.Type;
    if (onFailure) delete onFailure.Type;
    properties.DestinationConfig = onFailure
      ? { ...p.DestinationConfig, OnFailure: onFailure }
      : p.DestinationConfig;
    const policy = destinationPolicy(type, onFailure?.Destination, id);
    if (policy) target.role?.addInline(policy);
  }
  if (event.type === 'DocumentDB') {
    properties.DocumentDBEventSourceConfig = withDefined({
      DatabaseName: p.DatabaseName,
      CollectionName: p.CollectionName,
      FullDocument: p.FullDocument,
    });
  }
  expansion.add(
    id,
    expansion.resource('AWS::Lambda::EventSourceMapping', properties, target.from),
    target.from,
  );
  if (kind.managedPolicy) target.role?.addManaged(expansion.managedPolicyArn(kind.managedPolicy));
  const secrets = secretsOf(p.SourceAccessConfigurations);
  if (
    target.role &&
    (event.type === 'MQ' ||
      event.type === 'SelfManagedKafka' ||
      event.type === 'DocumentDB' ||
      secrets.length)
  ) {
    const statements: Json[] = [];
    if (secrets.length)
      statements.push({ Action: ['secretsmanager:GetSecretValue'], Effect: 'Allow', Resource: secrets });
    if (p.SecretsManagerKmsKeyId !== undefined) {
      statements.push({
        Action: ['kms:Decrypt'],
        Effect: 'Allow',
        Resource: sub('arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/${KeyId}', {
          KeyId: p.SecretsManagerKmsKeyId,
        }),
      });
    }
    if (event.type === 'MQ') {
      statements.push(
        { Action: ['mq:DescribeBroker'], Effect: 'Allow', Resource: p.Broker },
        {
          Action: [
            'ec2:CreateNetworkInterface',
            'ec2:DeleteNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSecurityGroups',
            'ec2:DescribeSubnets',
            'ec2:DescribeVpcs',
          ],
          Effect: 'Allow',
          Resource: '*',
        },
      );
    }
    if (event.type === 'DocumentDB') {
      statements.push({
        Action: ['rds:DescribeDBClusters', 'rds:DescribeDBClusterParameters', 'rds:DescribeDBSubnetGroups'],
        Effect: 'Allow',
        Resource: p.Cluster,
      });
    }
    if (statements.length) {
      target.role.addInline({
        PolicyName: `SamAutoGenerated${event.type}Policy`,
        PolicyDocument: { Statement: statements },
      });
    }
  }
}

function withDefined(value: Json): Json {
  return Object.fromEntries(Object.entries(value).filter(([, child]) => child !== undefined));
}

/** The secrets a mapping authenticates with (`SourceAccessConfigurations[].URI`). */
function secretsOf(configurations: unknown): unknown[] {
  if (!Array.isArray(configurations)) return [];
  return configurations
    .filter(
      (entry): entry is Json =>
        isObject(entry) &&
        entry.Type !== 'VPC_SUBNET' &&
        entry.Type !== 'VPC_SECURITY_GROUP' &&
        entry.Type !== 'VIRTUAL_HOST',
    )
    .map((entry) => entry.URI)
    .filter((uri) => uri !== undefined);
}

/**
 * The resource of this template an event names with `!Ref` in `property` (SAM writes into it), as a
 * copy to change; SAM refuses an event naming anything else, and so does this.
 */
function namedResource(
  event: SamEvent,
  target: FunctionTarget,
  expansion: SamExpansion,
  property: string,
  what: string,
): { id: string; copy: Json } {
  const named = event.properties[property];
  const id = isObject(named) && typeof named.Ref === 'string' ? named.Ref : undefined;
  const resource = id ? expansion.resources[id] : undefined;
  if (!id || !isObject(resource)) {
    throw new TemplateTransformError(
      `Resources.${target.from.logicalId}.Properties.Events.${event.name}: a ${event.type} event must name ${what} of this template with !Ref in ${property} (SAM requires it)`,
    );
  }
  return { id, copy: structuredClone(resource) as Json };
}

/** An S3 event writes the notification into the bucket of this template it names, as SAM does. */
function expandS3(event: SamEvent, id: string, target: FunctionTarget, expansion: SamExpansion): void {
  const p = event.properties;
  const { id: bucketId, copy } = namedResource(event, target, expansion, 'Bucket', 'a bucket');
  const permission = addPermission(id, target, expansion, 's3.amazonaws.com', {
    SourceAccount: ref('AWS::AccountId'),
  });
  const properties = (isObject(copy.Properties) ? copy.Properties : (copy.Properties = {})) as Json;
  const notifications = (
    isObject(properties.NotificationConfiguration)
      ? properties.NotificationConfiguration
      : (properties.NotificationConfiguration = {})
  ) as Json;
  const lambdas = (
    Array.isArray(notifications.LambdaConfigurations)
      ? notifications.LambdaConfigurations
      : (notifications.LambdaConfigurations = [])
  ) as unknown[];
  for (const type of Array.isArray(p.Events) ? p.Events : [p.Events]) {
    lambdas.push(withDefined({ Event: type, Function: target.arn, Filter: p.Filter }));
  }
  const dependsOn =
    copy.DependsOn === undefined ? [] : Array.isArray(copy.DependsOn) ? copy.DependsOn : [copy.DependsOn];
  copy.DependsOn = [...new Set([...dependsOn, permission])];
  expansion.resources[bucketId] = copy;
}

function expandSns(event: SamEvent, id: string, target: FunctionTarget, expansion: SamExpansion): void {
  const p = event.properties;
  const subscription = (protocol: string, endpoint: unknown) =>
    expansion.add(
      id,
      expansion.resource(
        'AWS::SNS::Subscription',
        {
          Protocol: protocol,
          Endpoint: endpoint,
          TopicArn: p.Topic,
          Region: p.Region,
          FilterPolicy: p.FilterPolicy,
          FilterPolicyScope: p.FilterPolicyScope,
          RedrivePolicy: p.RedrivePolicy,
        },
        target.from,
      ),
      target.from,
    );
  if (!p.SqsSubscription) {
    addPermission(id, target, expansion, 'sns.amazonaws.com', { SourceArn: p.Topic });
    subscription('lambda', target.arn);
    return;
  }
  const given = isObject(p.SqsSubscription) ? p.SqsSubscription : undefined;
  let queueArn = given?.QueueArn;
  let queueUrl = given?.QueueUrl;
  if (!given) {
    expansion.add(`${id}Queue`, expansion.resource('AWS::SQS::Queue', {}, target.from), target.from);
    queueArn = arnOf(`${id}Queue`);
    queueUrl = ref(`${id}Queue`);
  }
  const policyId =
    typeof given?.QueuePolicyLogicalId === 'string' ? given.QueuePolicyLogicalId : `${id}QueuePolicy`;
  expansion.add(
    policyId,
    expansion.resource(
      'AWS::SQS::QueuePolicy',
      {
        Queues: [queueUrl],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'sqs:SendMessage',
              Effect: 'Allow',
              Principal: '*',
              Resource: queueArn,
              Condition: { ArnEquals: { 'aws:SourceArn': p.Topic } },
            },
          ],
        },
      },
      target.from,
    ),
    target.from,
  );
  subscription('sqs', queueArn);
  expandPull(
    {
      name: `${event.name}EventSourceMapping`,
      type: 'SQS',
      properties: { Queue: queueArn, BatchSize: given?.BatchSize ?? 10, Enabled: given?.Enabled ?? true },
    },
    `${id}EventSourceMapping`,
    target,
    expansion,
  );
}

/** Schedule, CloudWatchEvent and EventBridgeRule: an EventBridge rule targeting the function. */
function expandRule(event: SamEvent, id: string, target: FunctionTarget, expansion: SamExpansion): void {
  addEventRule(event, id, target.from, expansion, { Arn: target.arn }, 'LambdaTarget');
  addPermission(id, target, expansion, 'events.amazonaws.com', { SourceArn: arnOf(id) });
}

/**
 * The EventBridge rule of a Schedule, CloudWatchEvent or EventBridgeRule event (of a function or a
 * state machine), with its one target: `target` (Arn, RoleArn) and what the event says of its id,
 * input, retries and dead-letter queue.
 */
export function addEventRule(
  event: SamEvent,
  id: string,
  from: SamResource,
  expansion: SamExpansion,
  target: Json,
  idSuffix: string,
): void {
  const p = event.properties;
  const rule: Json =
    event.type === 'Schedule'
      ? { ScheduleExpression: p.Schedule, Name: p.Name, Description: p.Description }
      : { EventBusName: p.EventBusName, EventPattern: p.Pattern, Name: p.RuleName };
  const state =
    p.State ?? (p.Enabled === undefined ? undefined : p.Enabled === false ? 'DISABLED' : 'ENABLED');
  const entry: Json = withDefined({
    ...target,
    Id: isObject(p.Target) && p.Target.Id !== undefined ? p.Target.Id : `${id}${idSuffix}`.slice(0, 64),
    Input: p.Input,
    InputPath: p.InputPath,
    InputTransformer: p.InputTransformer,
    RetryPolicy: p.RetryPolicy,
  });
  if (isObject(p.DeadLetterConfig))
    entry.DeadLetterConfig = { Arn: ruleDeadLetterQueue(id, { from }, expansion, p.DeadLetterConfig) };
  expansion.add(
    id,
    expansion.resource('AWS::Events::Rule', { ...rule, State: state, Targets: [entry] }, from),
    from,
  );
}

/** A rule's dead-letter queue: the ARN given, or (Type SQS) a queue SAM creates with a policy for the rule. */
function ruleDeadLetterQueue(
  id: string,
  from: { from: SamResource },
  expansion: SamExpansion,
  config: Json,
): unknown {
  if (config.Arn !== undefined) return config.Arn;
  const queue = typeof config.QueueLogicalId === 'string' ? config.QueueLogicalId : `${id}Queue`;
  expansion.add(queue, expansion.resource('AWS::SQS::Queue', {}, from.from), from.from);
  expansion.add(
    `${id}QueuePolicy`,
    expansion.resource(
      'AWS::SQS::QueuePolicy',
      {
        Queues: [ref(queue)],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [
            {
              Action: 'sqs:SendMessage',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Resource: arnOf(queue),
              Condition: { ArnEquals: { 'aws:SourceArn': arnOf(id) } },
            },
          ],
        },
      },
      from.from,
    ),
    from.from,
  );
  return arnOf(queue);
}

/** ScheduleV2: an EventBridge Scheduler schedule, with the role it assumes to invoke the target. */
export function expandScheduleV2(
  id: string,
  target: { from: SamResource; arn: unknown },
  expansion: SamExpansion,
  p: Json,
  action = 'lambda:InvokeFunction',
): void {
  let roleArn = p.RoleArn;
  if (roleArn === undefined) {
    expansion.add(
      `${id}Role`,
      expansion.resource(
        'AWS::IAM::Role',
        {
          AssumeRolePolicyDocument: serviceTrust('scheduler.amazonaws.com'),
          Policies: [
            inlinePolicy(
              `${id}${action === 'lambda:InvokeFunction' ? 'Lambda' : 'StartExecution'}Policy`,
              action,
              target.arn,
            ),
          ],
          PermissionsBoundary: p.PermissionsBoundary,
        },
        target.from,
      ),
      target.from,
    );
    roleArn = arnOf(`${id}Role`);
  }
  expansion.add(
    id,
    expansion.resource(
      'AWS::Scheduler::Schedule',
      {
        Name: p.Name ?? id,
        Description: p.Description,
        ScheduleExpression: p.ScheduleExpression,
        ScheduleExpressionTimezone: p.ScheduleExpressionTimezone,
        StartDate: p.StartDate,
        EndDate: p.EndDate,
        GroupName: p.GroupName,
        KmsKeyArn: p.KmsKeyArn,
        State: p.State,
        FlexibleTimeWindow: p.FlexibleTimeWindow ?? { Mode: 'OFF' },
        Target: withDefined({
          Arn: target.arn,
          RoleArn: roleArn,
          Input: p.Input,
          RetryPolicy: p.RetryPolicy,
          DeadLetterConfig:
            isObject(p.DeadLetterConfig) && p.DeadLetterConfig.Arn !== undefined
              ? { Arn: p.DeadLetterConfig.Arn }
              : undefined,
        }),
      },
      target.from,
    ),
    target.from,
  );
}

/** A Cognito trigger: the permission, and the trigger written into the user pool of this template. */
function expandCognito(event: SamEvent, id: string, target: FunctionTarget, expansion: SamExpansion): void {
  const p = event.properties;
  const { id: poolId, copy } = namedResource(event, target, expansion, 'UserPool', 'a user pool');
  addPermission(
    id,
    target,
    expansion,
    'cognito-idp.amazonaws.com',
    { SourceArn: arnOf(poolId) },
    `${target.from.logicalId}CognitoPermission`,
  );
  const properties = (isObject(copy.Properties) ? copy.Properties : (copy.Properties = {})) as Json;
  const config = (
    isObject(properties.LambdaConfig) ? properties.LambdaConfig : (properties.LambdaConfig = {})
  ) as Json;
  for (const trigger of Array.isArray(p.Trigger) ? p.Trigger : [p.Trigger]) {
    if (typeof trigger === 'string') config[trigger] = target.arn;
  }
  expansion.resources[poolId] = copy;
}
