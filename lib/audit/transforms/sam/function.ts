/**
 * `AWS::Serverless::Function` → the Lambda function, its execution role (from
 * `Policies`), version and alias (`AutoPublishAlias`), function URL, event
 * invoke config with its destinations, CodeDeploy deployment, and the
 * resources of every event source. Pure.
 */
import { isObject } from '../../values';
import { expandFunctionEvent } from './events';
import type { FunctionTarget } from './target';
import {
  arnOf,
  destinationPolicy,
  eventsOf,
  inlinePolicy,
  Json,
  mainAttributes,
  ref,
  s3Location,
  SamExpansion,
  SamResource,
  serviceTrust,
  shortHash,
  tagList,
  withoutUndefined,
} from './model';
import { RoleBuilder } from './policies';
import type { ApiRegistry } from './api';

const SAM_TAG: [string, string] = ['lambda:createdBy', 'SAM'];

/** The properties SAM passes to AWS::Lambda::Function unchanged. */
const PASSED_THROUGH = [
  'FunctionName',
  'Handler',
  'Runtime',
  'Description',
  'MemorySize',
  'Timeout',
  'VpcConfig',
  'Environment',
  'KmsKeyArn',
  'ReservedConcurrentExecutions',
  'Layers',
  'FileSystemConfigs',
  'ImageConfig',
  'PackageType',
  'Architectures',
  'SnapStart',
  'EphemeralStorage',
  'CodeSigningConfigArn',
  'RuntimeManagementConfig',
  'LoggingConfig',
  'RecursiveLoop',
  'TenancyConfig',
  'DurableConfig',
  'FunctionScalingConfig',
  'PublishToLatestPublished',
];

function code(properties: Json): Json | undefined {
  if (properties.InlineCode !== undefined) return { ZipFile: properties.InlineCode };
  if (properties.ImageUri !== undefined) return { ImageUri: properties.ImageUri };
  return s3Location(properties.CodeUri, { bucket: 'S3Bucket', key: 'S3Key', version: 'S3ObjectVersion' });
}

export function expandFunction(from: SamResource, expansion: SamExpansion, apis: ApiRegistry): void {
  const p = from.properties;
  const id = from.logicalId;
  const tags = tagList(p.Tags, SAM_TAG);
  const tracing = expansion.literal(p.Tracing);
  const traced = p.Tracing !== undefined && tracing !== 'Disabled';
  const deadLetter = isObject(p.DeadLetterQueue) ? p.DeadLetterQueue : undefined;

  const properties: Json = {};
  for (const key of PASSED_THROUGH) properties[key] = p[key];
  properties.Code = code(p);
  properties.Tags = tags;
  if (traced) properties.TracingConfig = { Mode: p.Tracing };
  if (deadLetter) properties.DeadLetterConfig = { TargetArn: deadLetter.TargetArn };

  const generatesRole = p.Role === undefined || hasNoValueBranch(p.Role);
  const role = generatesRole ? new RoleBuilder(`${id}Role`, from, expansion) : undefined;
  properties.Role = roleValue(p.Role, `${id}Role`);
  expansion.add(
    id,
    { Type: 'AWS::Lambda::Function', Properties: withoutUndefined(properties), ...mainAttributes(from) },
    from,
  );

  const alias = expandAlias(from, expansion, properties);
  const target: FunctionTarget = {
    from,
    arn: alias ? ref(alias) : arnOf(id),
    name: alias ? ref(alias) : ref(id),
    role,
  };
  if (isObject(p.FunctionUrlConfig)) expandUrl(from, expansion, p.FunctionUrlConfig, target);
  if (isObject(p.EventInvokeConfig))
    expandEventInvokeConfig(from, expansion, p.EventInvokeConfig, alias, role);
  if (isObject(p.DeploymentPreference) && p.DeploymentPreference.Enabled !== false && alias)
    expandDeployment(from, expansion, alias);

  if (role) {
    role.addManaged(
      expansion.managedPolicyArn(
        p.DurableConfig ? 'AWSLambdaBasicDurableExecutionRolePolicy' : 'AWSLambdaBasicExecutionRole',
      ),
    );
    if (traced) role.addManaged(expansion.managedPolicyArn('AWSXRayDaemonWriteAccess'));
    if (p.VpcConfig !== undefined)
      role.addManaged(expansion.managedPolicyArn('AWSLambdaVPCAccessExecutionRole'));
    role.addPolicies(p.Policies);
    if (deadLetter) {
      const action = deadLetter.Type === 'SNS' ? 'sns:Publish' : 'sqs:SendMessage';
      role.addInline(inlinePolicy('DeadLetterQueuePolicy', action, deadLetter.TargetArn));
    }
  }
  for (const event of eventsOf(from)) expandFunctionEvent(event, target, expansion, apis);
  role?.write(
    {
      AssumeRolePolicyDocument: p.AssumeRolePolicyDocument ?? serviceTrust('lambda.amazonaws.com'),
      Path: p.RolePath,
      PermissionsBoundary: p.PermissionsBoundary,
      Tags: tags,
    },
    roleCondition(p.Role, expansion),
  );
}

function hasNoValueBranch(role: unknown): boolean {
  const branches = isObject(role) && Array.isArray(role['Fn::If']) ? (role['Fn::If'] as unknown[]) : [];
  return branches.slice(1).some((side) => isObject(side) && side.Ref === 'AWS::NoValue');
}

/** `Role` as the function gets it: the generated role, or a `Fn::If` choosing between it and the given one. */
function roleValue(role: unknown, generated: string): unknown {
  if (role === undefined) return arnOf(generated);
  if (!hasNoValueBranch(role)) return role;
  const [condition, whenTrue, whenFalse] = (role as Json)['Fn::If'] as unknown[];
  const orGenerated = (side: unknown) =>
    isObject(side) && side.Ref === 'AWS::NoValue' ? arnOf(generated) : side;
  return { 'Fn::If': [condition, orGenerated(whenTrue), orGenerated(whenFalse)] };
}

/** The generated role exists only on the side of a `Fn::If` Role that gave no role. */
function roleCondition(role: unknown, expansion: SamExpansion): Json {
  if (!hasNoValueBranch(role)) return {};
  const [condition, whenTrue, whenFalse] = (role as Json)['Fn::If'] as [string, unknown, unknown];
  const noValue = (side: unknown) => isObject(side) && side.Ref === 'AWS::NoValue';
  if (noValue(whenTrue) && noValue(whenFalse)) return {};
  if (noValue(whenTrue)) return { Condition: condition };
  expansion.conditions[`NOT${condition}`] = { 'Fn::Not': [{ Condition: condition }] };
  return { Condition: `NOT${condition}` };
}

/** `AutoPublishAlias`: a version of the current code and an alias naming it; returns the alias's logical ID. */
function expandAlias(
  from: SamResource,
  expansion: SamExpansion,
  functionProperties: Json,
): string | undefined {
  const name = expansion.literal(from.properties.AutoPublishAlias);
  if (name === undefined) return undefined;
  const id = from.logicalId;
  const version = `${id}Version${shortHash(functionProperties.Code ?? functionProperties)}`;
  const alias = `${id}Alias${typeof name === 'string' ? name : 'Live'}`;
  expansion.add(
    version,
    expansion.resource(
      'AWS::Lambda::Version',
      { FunctionName: ref(id), Description: from.properties.VersionDescription },
      from,
      {
        DeletionPolicy: 'Retain',
      },
    ),
    from,
  );
  expansion.add(
    alias,
    expansion.resource(
      'AWS::Lambda::Alias',
      {
        Name: name,
        FunctionName: ref(id),
        FunctionVersion: { 'Fn::GetAtt': [version, 'Version'] },
        ProvisionedConcurrencyConfig: from.properties.ProvisionedConcurrencyConfig,
      },
      from,
    ),
    from,
  );
  expansion.referable.set(`${id}.Version`, version);
  expansion.referable.set(`${id}.Alias`, alias);
  return alias;
}

/** `FunctionUrlConfig`: the URL, and for AuthType NONE the public permissions SAM adds. */
function expandUrl(from: SamResource, expansion: SamExpansion, config: Json, target: FunctionTarget): void {
  const id = from.logicalId;
  expansion.add(
    `${id}Url`,
    expansion.resource(
      'AWS::Lambda::Url',
      {
        TargetFunctionArn: target.name,
        AuthType: config.AuthType,
        Cors: config.Cors,
        InvokeMode: config.InvokeMode,
      },
      from,
    ),
    from,
  );
  if (config.AuthType !== 'NONE') return;
  expansion.add(
    `${id}UrlPublicPermissions`,
    expansion.resource(
      'AWS::Lambda::Permission',
      {
        Action: 'lambda:InvokeFunctionUrl',
        FunctionName: target.name,
        Principal: '*',
        FunctionUrlAuthType: 'NONE',
      },
      from,
    ),
    from,
  );
  expansion.add(
    `${id}PublicInvokePermissions`,
    expansion.resource(
      'AWS::Lambda::Permission',
      {
        Action: 'lambda:InvokeFunction',
        FunctionName: target.name,
        Principal: '*',
        InvokedViaFunctionUrl: true,
      },
      from,
    ),
    from,
  );
}

/** `EventInvokeConfig`: retries and destinations of asynchronous calls; SQS/SNS destinations without ARN are created. */
function expandEventInvokeConfig(
  from: SamResource,
  expansion: SamExpansion,
  config: Json,
  alias: string | undefined,
  role: RoleBuilder | undefined,
): void {
  const id = from.logicalId;
  const destinations = isObject(config.DestinationConfig) ? config.DestinationConfig : undefined;
  const destinationConfig: Json = {};
  for (const outcome of ['OnSuccess', 'OnFailure']) {
    const destination = destinations && isObject(destinations[outcome]) ? destinations[outcome] : undefined;
    if (!destination) continue;
    let arn = destination.Destination;
    if (arn === undefined && (destination.Type === 'SQS' || destination.Type === 'SNS')) {
      const created = `${id}EventInvokeConfig${outcome}${destination.Type === 'SQS' ? 'Queue' : 'Topic'}`;
      expansion.add(
        created,
        expansion.resource(destination.Type === 'SQS' ? 'AWS::SQS::Queue' : 'AWS::SNS::Topic', {}, from),
        from,
      );
      expansion.referable.set(`${id}.Destination${destination.Type === 'SQS' ? 'Queue' : 'Topic'}`, created);
      arn = destination.Type === 'SQS' ? arnOf(created) : ref(created);
    }
    destinationConfig[outcome] = { Destination: arn };
    const policy = destinationPolicy(destination.Type, arn, `${id}EventInvokeConfig${outcome}`);
    if (policy && role) role.addInline(policy);
  }
  expansion.add(
    `${id}EventInvokeConfig`,
    expansion.resource(
      'AWS::Lambda::EventInvokeConfig',
      {
        FunctionName: ref(id),
        Qualifier: alias ? expansion.literal(from.properties.AutoPublishAlias) : '$LATEST',
        MaximumEventAgeInSeconds: config.MaximumEventAgeInSeconds,
        MaximumRetryAttempts: config.MaximumRetryAttempts,
        DestinationConfig: Object.keys(destinationConfig).length ? destinationConfig : undefined,
      },
      from,
    ),
    from,
  );
}

/** `DeploymentPreference`: one CodeDeploy application and service role per template, a deployment group per function. */
function expandDeployment(from: SamResource, expansion: SamExpansion, alias: string): void {
  const preference = from.properties.DeploymentPreference as Json;
  expansion.addOnce('ServerlessDeploymentApplication', {
    Type: 'AWS::CodeDeploy::Application',
    Properties: { ComputePlatform: 'Lambda' },
  });
  if (preference.Role === undefined) {
    expansion.addOnce('CodeDeployServiceRole', {
      Type: 'AWS::IAM::Role',
      Properties: {
        AssumeRolePolicyDocument: serviceTrust('codedeploy.amazonaws.com'),
        ManagedPolicyArns: [expansion.managedPolicyArn('AWSCodeDeployRoleForLambda')],
      },
    });
  }
  expansion.add(
    `${from.logicalId}DeploymentGroup`,
    expansion.resource(
      'AWS::CodeDeploy::DeploymentGroup',
      {
        ApplicationName: ref('ServerlessDeploymentApplication'),
        ServiceRoleArn: preference.Role ?? arnOf('CodeDeployServiceRole'),
        DeploymentConfigName: preference.Type,
        AlarmConfiguration: Array.isArray(preference.Alarms)
          ? { Enabled: true, Alarms: preference.Alarms.map((Name) => ({ Name })) }
          : undefined,
        DeploymentStyle: { DeploymentType: 'BLUE_GREEN', DeploymentOption: 'WITH_TRAFFIC_CONTROL' },
      },
      from,
    ),
    from,
  );
  const aliasResource = expansion.resources[alias] as Json;
  aliasResource.UpdatePolicy = {
    CodeDeployLambdaAliasUpdate: {
      ApplicationName: ref('ServerlessDeploymentApplication'),
      DeploymentGroupName: ref(`${from.logicalId}DeploymentGroup`),
    },
  };
}
