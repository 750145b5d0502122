/**
 * Service limits on what a template deploys, measured on resolved values: every `Ref`, `Fn::GetAtt`,
 * `Fn::Sub` and `Fn::Join` replaced by the text AWS would see (physical names and ARNs as CloudFormation
 * makes them, the stack's account, region and partition), then counted the way the service counts:
 * IAM and Organizations count characters of the policy without whitespace; S3, KMS, SNS, SQS count bytes
 * of the document; EventBridge counts characters. Pure: the rules of the CLV-LIM family read it.
 */
import { AssemblyResolver } from './runtime/resolver';
import type { FlowStack } from './runtime/types';
import type { TemplateIndex } from './template';
import { asArray, isObject, jsonText } from './values';

/** A documented limit of one service. */
export interface ServiceLimit {
  /** `S3 bucket policy`, `IAM role trust policy`… */
  readonly what: string;
  readonly limit: number;
  readonly unit:
    | 'bytes'
    | 'characters'
    | 'statements'
    | 'resources'
    | 'outputs'
    | 'parameters'
    | 'mappings'
    | 'actions'
    | 'stages'
    | 'policies';
  /** How AWS measures it, in a few words, and the page that documents it. */
  readonly source: string;
}

export const LIMITS = {
  s3BucketPolicy: {
    what: 'S3 bucket policy',
    limit: 20_480,
    unit: 'bytes',
    source: 'S3 user guide, "Bucket policies": 20 KB',
  },
  kmsKeyPolicy: {
    what: 'KMS key policy',
    limit: 32_768,
    unit: 'bytes',
    source: 'KMS developer guide, "Quotas": key policy document 32 KB',
  },
  snsTopicPolicy: {
    what: 'SNS topic policy',
    limit: 30_720,
    unit: 'bytes',
    source: 'SNS developer guide, "Policy quotas": 30 KB',
  },
  snsTopicStatements: {
    what: 'SNS topic policy',
    limit: 100,
    unit: 'statements',
    source: 'SNS developer guide, "Policy quotas": 100 statements',
  },
  sqsQueuePolicy: {
    what: 'SQS queue policy',
    limit: 8_192,
    unit: 'bytes',
    source: 'SQS developer guide, "Amazon SQS policy quotas": 8,192 bytes',
  },
  sqsQueueStatements: {
    what: 'SQS queue policy',
    limit: 20,
    unit: 'statements',
    source: 'SQS developer guide, "Amazon SQS policy quotas": 20 statements',
  },
  eventBusPolicy: {
    what: 'EventBridge event bus policy',
    limit: 10_240,
    unit: 'characters',
    source: 'EventBridge quotas, "Event bus policy size": 10,240 characters (adjustable)',
  },
  eventPattern: {
    what: 'EventBridge event pattern',
    limit: 2_048,
    unit: 'characters',
    source: 'EventBridge quotas, "Event pattern size": 2,048 characters (adjustable)',
  },
  secretPolicy: {
    what: 'Secrets Manager resource policy',
    limit: 20_480,
    unit: 'characters',
    source: 'Secrets Manager API, PutResourcePolicy: ResourcePolicy up to 20,480 characters',
  },
  lambdaPolicy: {
    what: 'Lambda function policy (all its permissions)',
    limit: 20_480,
    unit: 'bytes',
    source: 'Lambda quotas, "Function resource-based policy": 20 KB',
  },
  roleTrust: {
    what: 'IAM role trust policy',
    limit: 2_048,
    unit: 'characters',
    source:
      'IAM quotas, "Role trust policy length": 2,048 characters without whitespace (adjustable to 4,096)',
  },
  roleInline: {
    what: 'IAM role inline policies (together)',
    limit: 10_240,
    unit: 'characters',
    source: 'IAM quotas, "Role policy": 10,240 characters without whitespace, all inline policies of a role',
  },
  userInline: {
    what: 'IAM user inline policies (together)',
    limit: 2_048,
    unit: 'characters',
    source: 'IAM quotas, "User policy": 2,048 characters without whitespace',
  },
  groupInline: {
    what: 'IAM group inline policies (together)',
    limit: 5_120,
    unit: 'characters',
    source: 'IAM quotas, "Group policy": 5,120 characters without whitespace',
  },
  managedPolicy: {
    what: 'IAM managed policy',
    limit: 6_144,
    unit: 'characters',
    source: 'IAM quotas, "Managed policy length": 6,144 characters without whitespace',
  },
  roleManagedPolicies: {
    what: 'IAM role',
    limit: 10,
    unit: 'policies',
    source: 'IAM quotas, "Managed policies attached to an IAM role": 10 (adjustable to 20)',
  },
  serviceControlPolicy: {
    what: 'service control policy',
    limit: 5_120,
    unit: 'characters',
    source: 'Organizations quotas, "Maximum size of a policy document": 5,120 characters for SCPs and RCPs',
  },
  stackSetTemplateBody: {
    what: 'StackSet TemplateBody',
    limit: 51_200,
    unit: 'bytes',
    source: 'CloudFormation API, CreateStackSet: TemplateBody up to 51,200 bytes',
  },
  templateBody: {
    what: 'CloudFormation template',
    limit: 1_000_000,
    unit: 'bytes',
    source:
      'CloudFormation quotas, "Template body size in an Amazon S3 object": 1 MB (CDK deploys through S3)',
  },
  templateResources: {
    what: 'CloudFormation stack',
    limit: 500,
    unit: 'resources',
    source: 'CloudFormation quotas, "Resources": 500 per stack',
  },
  templateOutputs: {
    what: 'CloudFormation stack',
    limit: 200,
    unit: 'outputs',
    source: 'CloudFormation quotas, "Outputs": 200 per template',
  },
  templateParameters: {
    what: 'CloudFormation stack',
    limit: 200,
    unit: 'parameters',
    source: 'CloudFormation quotas, "Parameters": 200 per template',
  },
  templateMappings: {
    what: 'CloudFormation stack',
    limit: 200,
    unit: 'mappings',
    source: 'CloudFormation quotas, "Mappings": 200 per template',
  },
  templateDescription: {
    what: 'CloudFormation template description',
    limit: 1_024,
    unit: 'bytes',
    source: 'CloudFormation quotas, "Template description": 1,024 bytes',
  },
  pipelineStageActions: {
    what: 'CodePipeline stage',
    limit: 50,
    unit: 'actions',
    source: 'CodePipeline quotas, "Actions per stage": 50',
  },
  pipelineStages: {
    what: 'CodePipeline pipeline',
    limit: 50,
    unit: 'stages',
    source: 'CodePipeline quotas, "Stages per pipeline": 50',
  },
  scpsPerTarget: {
    what: 'organisation root, OU or account',
    limit: 5,
    unit: 'policies',
    source: 'Organizations quotas, "SCPs attached to a root, OU or account": 5, FullAWSAccess included',
  },
} as const satisfies Record<string, ServiceLimit>;

/** One measured value against its limit. */
export interface Measurement {
  readonly limit: ServiceLimit;
  readonly size: number;
  /** Where it is: `PolicyDocument`, `Stages[2]`, `the inline policies Policies[0], ShipperRoleDefaultPolicy`. */
  readonly where: string;
}

/** A measurement over its limit, in words: what (a logical ID or stack name), size and limit. */
export function describeBreach(name: string, measurement: Measurement): string {
  const { limit, size, where } = measurement;
  return `${limit.what} ${name}${where ? ` (${where})` : ''} is ${size.toLocaleString('en')} ${limit.unit}, over the limit of ${limit.limit.toLocaleString('en')} ${limit.unit} (${limit.source})`;
}

/** Characters of a JSON document without whitespace, as IAM and Organizations count. */
export function compactCharacters(document: unknown): number {
  return (JSON.stringify(document) ?? '').length;
}

/** UTF-8 bytes of a JSON document as sent (compact), as S3, KMS, SNS and SQS count. */
export function compactBytes(document: unknown): number {
  return Buffer.byteLength(JSON.stringify(document) ?? '');
}

/** Measures `value` once resolved; the measurement is over the limit when `size > limit`. */
export type Measure = (value: unknown) => number;

interface AuditedSet {
  readonly resolver: AssemblyResolver;
  readonly stacks: Map<TemplateIndex, FlowStack>;
}

const sets = new WeakMap<object, AuditedSet>();

/** The resolver of the stacks audited together with `index` (one per audited set), and `index`'s stack in it. */
function resolving(index: TemplateIndex): { resolver: AssemblyResolver; stack: FlowStack } {
  const key = index.peers ?? index;
  let set = sets.get(key);
  if (!set) {
    const indexes = index.peers?.indexes ?? [index];
    const stacks = new Map(
      indexes.map((peer): [TemplateIndex, FlowStack] => [
        peer,
        { index: peer, pathOf: () => undefined, acknowledgments: [] },
      ]),
    );
    set = { resolver: new AssemblyResolver([...stacks.values()]), stacks };
    sets.set(key, set);
  }
  let stack = set.stacks.get(index);
  if (!stack) {
    // A branch view of a linked stack: resolve it as its own stack.
    stack = { index, pathOf: () => undefined, acknowledgments: [] };
    set.stacks.set(index, stack);
  }
  return { resolver: set.resolver, stack };
}

/** A property value with every intrinsic resolved; JSON written as a string is parsed. */
export function resolvedValue(index: TemplateIndex, value: unknown): unknown {
  const { resolver, stack } = resolving(index);
  const resolved = resolver.resolve(stack, value);
  return jsonText(resolved) ?? resolved;
}

/** The resolved physical name (`Ref`) of a resource of the stack. */
export function physicalName(index: TemplateIndex, logicalId: string): string {
  const { resolver, stack } = resolving(index);
  return resolver.refOf(stack, logicalId);
}

/** Statements of a resolved policy document. */
export function statementCount(document: unknown): number {
  return isObject(document) ? asArray(document.Statement).length : 0;
}
