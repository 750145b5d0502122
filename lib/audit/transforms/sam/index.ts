/**
 * The AWS SAM transform (`AWS::Serverless-2016-10-31`), close enough to judge
 * what it deploys: Globals are merged into each resource as SAM merges them,
 * then Function, Api, HttpApi, SimpleTable, StateMachine and LayerVersion
 * become the CloudFormation resources SAM creates for them (roles with their
 * policy templates and managed policies, permissions, event sources, API
 * stages). `AWS::Serverless::Application` (a remote nested stack) and SAM
 * types this build does not expand stay as written and are noted: their
 * resources are not judged. Pure.
 */
import { isObject } from '../../values';
import type { IncompleteNote, TemplateJson, TransformContext } from '../types';
import { TemplateTransformError } from '../types';
import { ApiRegistry } from './api';
import { expandFunction } from './function';
import {
  Json,
  mainAttributes,
  s3Location,
  SamExpansion,
  SamResource,
  tagList,
  withoutUndefined,
} from './model';
import { expandStateMachine } from './state-machine';

const PREFIX = 'AWS::Serverless::';

/** Globals sections by the SAM type they apply to. */
const GLOBALS: Record<string, string> = {
  Function: 'AWS::Serverless::Function',
  Api: 'AWS::Serverless::Api',
  HttpApi: 'AWS::Serverless::HttpApi',
  SimpleTable: 'AWS::Serverless::SimpleTable',
  StateMachine: 'AWS::Serverless::StateMachine',
  LayerVersion: 'AWS::Serverless::LayerVersion',
  CapacityProvider: 'AWS::Serverless::CapacityProvider',
};

function isIntrinsic(value: unknown): boolean {
  if (!isObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0] === 'Condition' || keys[0].startsWith('Fn::'));
}

/** SAM's Globals merge: maps merge key by key, lists concatenate (global first), anything else the resource wins. */
export function mergeGlobal(global: unknown, local: unknown): unknown {
  const kind = (value: unknown) =>
    Array.isArray(value) ? 'list' : isObject(value) && !isIntrinsic(value) ? 'map' : 'value';
  if (kind(global) !== kind(local) || kind(local) === 'value') return local;
  if (kind(local) === 'list') return [...(global as unknown[]), ...(local as unknown[])];
  const merged: Json = { ...(global as Json) };
  for (const [key, value] of Object.entries(local as Json))
    merged[key] = key in merged ? mergeGlobal(merged[key], value) : value;
  return merged;
}

function samResources(template: TemplateJson): SamResource[] {
  const globals = isObject(template.Globals) ? template.Globals : {};
  const resources = isObject(template.Resources) ? template.Resources : {};
  const out: SamResource[] = [];
  for (const [logicalId, json] of Object.entries(resources)) {
    if (!isObject(json) || typeof json.Type !== 'string' || !json.Type.startsWith(PREFIX)) continue;
    if (json.Properties !== undefined && !isObject(json.Properties)) {
      throw new TemplateTransformError(`Resources.${logicalId}.Properties must be a map`);
    }
    const section = Object.keys(GLOBALS).find((name) => GLOBALS[name] === json.Type);
    const global = section && isObject(globals[section]) ? globals[section] : {};
    const properties = mergeGlobal(global, json.Properties ?? {}) as Json;
    out.push({ logicalId, type: json.Type, properties, json });
  }
  return out;
}

export function expandSam(
  template: TemplateJson,
  context: TransformContext,
  notes: IncompleteNote[],
): TemplateJson {
  const expansion = new SamExpansion(template, context, notes);
  const resources = isObject(template.Resources) ? template.Resources : {};
  const sam = samResources(template);
  const samIds = new Set(sam.map((resource) => resource.logicalId));
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (samIds.has(logicalId)) continue;
    expansion.resources[logicalId] = withoutEmbeddedConnectors(logicalId, resource, expansion);
  }
  const globals = isObject(template.Globals) ? template.Globals : {};
  const apis = new ApiRegistry(expansion, sam, {
    Api: isObject(globals.Api) ? globals.Api : undefined,
    HttpApi: isObject(globals.HttpApi) ? globals.HttpApi : undefined,
  });
  for (const resource of sam) {
    if (resource.json.Connectors !== undefined)
      withoutEmbeddedConnectors(resource.logicalId, resource.json, expansion);
    switch (resource.type) {
      case 'AWS::Serverless::Function':
        expandFunction(resource, expansion, apis);
        break;
      case 'AWS::Serverless::StateMachine':
        expandStateMachine(resource, expansion, apis);
        break;
      case 'AWS::Serverless::SimpleTable':
        expandSimpleTable(resource, expansion);
        break;
      case 'AWS::Serverless::LayerVersion':
        expandLayerVersion(resource, expansion);
        break;
      case 'AWS::Serverless::Api':
      case 'AWS::Serverless::HttpApi':
        break;
      case 'AWS::Serverless::Application':
        expansion.resources[resource.logicalId] = resource.json;
        expansion.note(
          resource,
          `${resource.logicalId} is an AWS::Serverless::Application: a nested stack from ${describeLocation(resource.properties.Location)}, whose template is not part of the audit, so its resources are not judged`,
        );
        break;
      default:
        expansion.resources[resource.logicalId] = resource.json;
        expansion.note(
          resource,
          `${resource.logicalId} is an ${resource.type}, which this build does not expand, so the resources SAM creates for it are not judged`,
        );
    }
  }
  apis.write();
  const out: TemplateJson = { ...template, Resources: expansion.resources };
  delete out.Globals;
  if (Object.keys(expansion.conditions).length)
    out.Conditions = {
      ...(isObject(template.Conditions) ? template.Conditions : {}),
      ...expansion.conditions,
    };
  return expansion.referable.size ? (replaceReferable(out, expansion.referable) as TemplateJson) : out;
}

/** SAM's embedded connectors (`Connectors` beside `Properties`) grant access this build does not expand. */
function withoutEmbeddedConnectors(logicalId: string, resource: unknown, expansion: SamExpansion): unknown {
  if (!isObject(resource) || resource.Connectors === undefined) return resource;
  expansion.note(
    logicalId,
    `${logicalId} declares Connectors, which this build does not expand, so the policies and permissions they create are not judged`,
  );
  return Object.fromEntries(Object.entries(resource).filter(([key]) => key !== 'Connectors'));
}

function describeLocation(location: unknown): string {
  if (typeof location === 'string') return location;
  if (isObject(location) && location.ApplicationId !== undefined) {
    const id =
      typeof location.ApplicationId === 'string'
        ? location.ApplicationId
        : JSON.stringify(location.ApplicationId);
    return `the Serverless Application Repository (${id})`;
  }
  return 'elsewhere';
}

/** `Ref: MyFunction.Alias` and the like (SAM's referable properties) → the generated resource. */
function replaceReferable(value: unknown, referable: ReadonlyMap<string, string>): unknown {
  if (Array.isArray(value)) return value.map((item) => replaceReferable(item, referable));
  if (!isObject(value)) return value;
  if (typeof value.Ref === 'string' && referable.has(value.Ref)) return { Ref: referable.get(value.Ref) };
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && referable.has(getAtt[0]))
    return { 'Fn::GetAtt': [referable.get(getAtt[0]), ...getAtt.slice(1)] };
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, replaceReferable(child, referable)]),
  );
}

const ATTRIBUTE_TYPES: Record<string, string> = { String: 'S', Number: 'N', Binary: 'B' };

/** A DynamoDB table with one hash key (`id`, a string, unless PrimaryKey says), on demand unless throughput is given. */
function expandSimpleTable(from: SamResource, expansion: SamExpansion): void {
  const p = from.properties;
  const key = isObject(p.PrimaryKey) ? p.PrimaryKey : { Name: 'id', Type: 'String' };
  const type = typeof key.Type === 'string' ? ATTRIBUTE_TYPES[key.Type] : undefined;
  if (key.Name === undefined || (typeof key.Type === 'string' && !type)) {
    throw new TemplateTransformError(
      `Resources.${from.logicalId}.Properties.PrimaryKey needs a Name and a Type of String, Number or Binary`,
    );
  }
  expansion.add(
    from.logicalId,
    {
      Type: 'AWS::DynamoDB::Table',
      Properties: withoutUndefined({
        TableName: p.TableName,
        AttributeDefinitions: [{ AttributeName: key.Name, AttributeType: type ?? key.Type }],
        KeySchema: [{ AttributeName: key.Name, KeyType: 'HASH' }],
        ProvisionedThroughput: p.ProvisionedThroughput,
        BillingMode: p.ProvisionedThroughput === undefined ? 'PAY_PER_REQUEST' : undefined,
        PointInTimeRecoverySpecification: p.PointInTimeRecoverySpecification,
        SSESpecification: p.SSESpecification,
        Tags: isObject(p.Tags) ? tagList(p.Tags) : undefined,
      }),
      ...mainAttributes(from),
    },
    from,
  );
}

/** A Lambda layer version, retained on delete unless RetentionPolicy says Delete. */
function expandLayerVersion(from: SamResource, expansion: SamExpansion): void {
  const p = from.properties;
  const retention = typeof p.RetentionPolicy === 'string' ? p.RetentionPolicy.toLowerCase() : undefined;
  const attributes = mainAttributes(from);
  attributes.DeletionPolicy =
    retention === 'delete'
      ? 'Delete'
      : retention === 'retain'
        ? 'Retain'
        : (attributes.DeletionPolicy ?? 'Retain');
  expansion.add(
    from.logicalId,
    {
      Type: 'AWS::Lambda::LayerVersion',
      Properties: withoutUndefined({
        LayerName: p.LayerName ?? from.logicalId,
        Description: p.Description,
        Content: s3Location(p.ContentUri, { bucket: 'S3Bucket', key: 'S3Key', version: 'S3ObjectVersion' }),
        CompatibleRuntimes: p.CompatibleRuntimes,
        CompatibleArchitectures: p.CompatibleArchitectures,
        LicenseInfo: p.LicenseInfo,
      }),
      ...attributes,
    },
    from,
  );
  expansion.referable.set(`${from.logicalId}.Version`, from.logicalId);
}
