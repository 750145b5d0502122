/**
 * What every part of the SAM expansion shares: the resources written so far,
 * the notes of what is left unexpanded, and small builders (tags, ARNs,
 * hashed logical IDs) that the AWS SAM translator applies the same way to
 * every resource type. Pure.
 */
import { createHash } from 'crypto';
import { defaultVariables } from '../../branches';
import { findRegion } from '../../../config/regions';
import { isObject } from '../../values';
import {
  IncompleteNote,
  SAM_TRANSFORM,
  TemplateJson,
  TemplateTransformError,
  TransformContext,
} from '../types';

export type Json = Record<string, unknown>;

/** One `AWS::Serverless::*` resource of the template, with Globals merged into its properties. */
export interface SamResource {
  readonly logicalId: string;
  readonly type: string;
  readonly properties: Json;
  /** The resource as written (Condition, DependsOn, DeletionPolicy, Metadata …). */
  readonly json: Json;
}

/** Managed policies AWS keeps under a path (the SAM translator's bundled map has the same). */
const MANAGED_POLICY_PATHS: Record<string, string> = {
  AWSLambdaBasicExecutionRole: 'service-role/',
  AWSLambdaBasicDurableExecutionRolePolicy: 'service-role/',
  AWSLambdaVPCAccessExecutionRole: 'service-role/',
  AWSLambdaKinesisExecutionRole: 'service-role/',
  AWSLambdaDynamoDBExecutionRole: 'service-role/',
  AWSLambdaSQSQueueExecutionRole: 'service-role/',
  AWSLambdaMSKExecutionRole: 'service-role/',
  AWSLambdaRole: 'service-role/',
  AWSLambdaENIManagementAccess: 'service-role/',
  AWSConfigRulesExecutionRole: 'service-role/',
  AWSCodeDeployRoleForLambda: 'service-role/',
  AWSCodeDeployRoleForLambdaLimited: 'service-role/',
  AWSIoTRuleActions: 'service-role/',
  AWSIoTLogging: 'service-role/',
  AmazonAPIGatewayPushToCloudWatchLogs: 'service-role/',
  AWSGlueServiceRole: 'service-role/',
  AWSLambdaReplicator: 'aws-service-role/',
};

/** The expansion of one template: what it reads and what it writes. */
export class SamExpansion {
  /** The Resources section being written: the template's own resources, SAM ones replaced. */
  public readonly resources: Json = {};
  /** Conditions the expansion adds (`NOT<Condition>` for conditional roles). */
  public readonly conditions: Json = {};
  /** `MyFunction.Alias` → the logical ID it stands for (SAM's referable properties). */
  public readonly referable = new Map<string, string>();
  public readonly variables: ReadonlyMap<string, unknown>;
  public readonly partition: string;

  constructor(
    public readonly template: TemplateJson,
    context: TransformContext,
    public readonly notes: IncompleteNote[],
  ) {
    this.variables = defaultVariables(
      { Parameters: (isObject(template.Parameters) ? template.Parameters : {}) as never },
      context,
    );
    this.partition = (context.region ? findRegion(context.region)?.partition : undefined) ?? 'aws';
  }

  /** Adds a generated resource; a logical ID the template already uses is an error, as in SAM. */
  public add(logicalId: string, resource: Json, from: SamResource): void {
    if (logicalId in this.resources && logicalId !== from.logicalId) {
      throw new TemplateTransformError(
        `Resources.${from.logicalId}: the SAM transform creates ${logicalId}, which the template already defines; rename one of them`,
      );
    }
    this.resources[logicalId] = resource;
  }

  /** Adds a resource several SAM resources share (a custom domain, one permission per function); the first one wins. */
  public addOnce(logicalId: string, resource: Json): void {
    if (!(logicalId in this.resources)) this.resources[logicalId] = resource;
  }

  /** A resource the expansion creates for `from`, inheriting its Condition (as SAM passes it through). */
  public resource(type: string, properties: Json, from: SamResource, attributes: Json = {}): Json {
    const out: Json = { Type: type, Properties: withoutUndefined(properties), ...attributes };
    if (from.json.Condition !== undefined && out.Condition === undefined) out.Condition = from.json.Condition;
    return out;
  }

  public note(from: SamResource | string, reason: string): void {
    this.notes.push({
      resource: typeof from === 'string' ? from : from.logicalId,
      transform: SAM_TRANSFORM,
      reason,
    });
  }

  /** `arn:<partition>:iam::aws:policy/<path><name>` for an AWS managed policy name; ARNs and intrinsics as given. */
  public managedPolicyArn(name: unknown): unknown {
    if (typeof name !== 'string' || name.startsWith('arn:')) return name;
    return `arn:${this.partition}:iam::aws:policy/${MANAGED_POLICY_PATHS[name] ?? ''}${name}`;
  }

  /** A parameter reference replaced by its default (SAM resolves some properties this way); other values as given. */
  public literal(value: unknown): unknown {
    if (isObject(value) && typeof value.Ref === 'string' && this.variables.has(value.Ref))
      return this.variables.get(value.Ref);
    return value;
  }
}

/** The attributes SAM copies from a SAM resource onto the resource it becomes. */
export function mainAttributes(from: SamResource): Json {
  const out: Json = {};
  for (const key of ['Condition', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata']) {
    if (from.json[key] !== undefined) out[key] = from.json[key];
  }
  return out;
}

export function withoutUndefined(properties: Json): Json {
  return Object.fromEntries(Object.entries(properties).filter(([, value]) => value !== undefined));
}

/** A SAM tag map as CloudFormation's tag list, SAM's own tag first. */
export function tagList(tags: unknown, samTag?: [string, string]): Json[] {
  const list: Json[] = samTag ? [{ Key: samTag[0], Value: samTag[1] }] : [];
  if (isObject(tags)) for (const [Key, Value] of Object.entries(tags)) list.push({ Key, Value });
  return list;
}

/** Ten hex digits of a digest of the value: the suffix SAM gives versions, deployments and layers. */
export function shortHash(value: unknown): string {
  return createHash('sha1').update(JSON.stringify(value)).digest('hex').slice(0, 10);
}

export const ref = (logicalId: string): Json => ({ Ref: logicalId });
export const arnOf = (logicalId: string): Json => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });
export const sub = (text: string, variables?: Json): Json => ({
  'Fn::Sub': variables ? [text, variables] : text,
});

/** A trust policy letting one service assume the role. */
export function serviceTrust(service: string): Json {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: [service] } }],
  };
}

/** An inline policy of one statement. */
export function inlinePolicy(name: string, action: string | string[], resource: unknown): Json {
  return {
    PolicyName: name,
    PolicyDocument: { Statement: [{ Action: action, Effect: 'Allow', Resource: resource }] },
  };
}

/** The S3 location of a SAM `CodeUri`/`ContentUri`/`DefinitionUri`: `s3://bucket/key` or `{ Bucket, Key, Version }`. */
export function s3Location(
  uri: unknown,
  names: { bucket: string; key: string; version: string },
): Json | undefined {
  if (typeof uri === 'string') {
    const match = /^s3:\/\/([^/]+)\/(.+?)(?:\?versionId=(.+))?$/.exec(uri);
    if (!match) return undefined;
    return withoutUndefined({ [names.bucket]: match[1], [names.key]: match[2], [names.version]: match[3] });
  }
  if (isObject(uri) && (uri.Bucket !== undefined || uri.Key !== undefined)) {
    return withoutUndefined({
      [names.bucket]: uri.Bucket,
      [names.key]: uri.Key,
      [names.version]: uri.Version,
    });
  }
  return undefined;
}

/** The properties of one event of a SAM resource's `Events`, with its type. */
export interface SamEvent {
  readonly name: string;
  readonly type: string;
  readonly properties: Json;
}

export function eventsOf(from: SamResource): SamEvent[] {
  const events = from.properties.Events;
  if (events === undefined || events === null) return [];
  if (!isObject(events)) {
    throw new TemplateTransformError(`Resources.${from.logicalId}.Properties.Events must be a map of events`);
  }
  // SAM expands events in the order of their paths (`$default` first), then of their names.
  const order = ([name, event]: [string, unknown]) =>
    isObject(event) && isObject(event.Properties) && typeof event.Properties.Path === 'string'
      ? event.Properties.Path
      : name;
  const sorted = Object.entries(events).sort((a, b) =>
    order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0,
  );
  return sorted.map(([name, event]) => {
    if (!isObject(event) || typeof event.Type !== 'string') {
      throw new TemplateTransformError(
        `Resources.${from.logicalId}.Properties.Events.${name} needs a Type (Api, S3, SQS, Schedule …)`,
      );
    }
    return { name, type: event.Type, properties: isObject(event.Properties) ? event.Properties : {} };
  });
}

/** The inline policy SAM gives the role for a destination of a known type. */
export function destinationPolicy(type: unknown, arn: unknown, name: string): Json | undefined {
  switch (type) {
    case 'SQS':
      return inlinePolicy(`${name}SQSPolicy`, 'sqs:SendMessage', arn);
    case 'SNS':
      return inlinePolicy(`${name}SNSPolicy`, 'sns:publish', arn);
    case 'EventBridge':
      return inlinePolicy(`${name}EventBridgePolicy`, 'events:PutEvents', arn);
    case 'Lambda':
      return inlinePolicy(`${name}LambdaPolicy`, 'lambda:InvokeFunction', arn);
    case 'S3Bucket':
    case 'S3':
      return {
        PolicyName: `${name}S3Policy`,
        PolicyDocument: {
          Statement: [
            { Action: 's3:PutObject', Effect: 'Allow', Resource: { 'Fn::Join': ['/', [arn, '*']] } },
            { Action: 's3:ListBucket', Effect: 'Allow', Resource: arn },
          ],
        },
      };
  }
  return undefined;
}
