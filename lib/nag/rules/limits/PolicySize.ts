import {
  compactBytes,
  compactCharacters,
  describeBreach,
  LIMITS,
  Measurement,
  physicalName,
  resolvedValue,
  ServiceLimit,
  statementCount,
} from '../../../audit/limits';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import type { IndexedResource, TemplateIndex } from '../../../audit/template';
import { asArray, isObject } from '../../../audit/values';

/** Types whose policy (or pattern, or body) the rule measures, with how each counts. */
const MEASURED: Readonly<Record<string, (resource: IndexedResource, index: TemplateIndex) => Measurement[]>> =
  {
    'AWS::S3::BucketPolicy': (r, i) => document(i, r, 'PolicyDocument', LIMITS.s3BucketPolicy, compactBytes),
    'AWS::KMS::Key': (r, i) => document(i, r, 'KeyPolicy', LIMITS.kmsKeyPolicy, compactBytes),
    'AWS::SNS::TopicPolicy': (r, i) => [
      ...document(i, r, 'PolicyDocument', LIMITS.snsTopicPolicy, compactBytes),
      ...document(i, r, 'PolicyDocument', LIMITS.snsTopicStatements, statementCount),
    ],
    'AWS::SNS::TopicInlinePolicy': (r, i) => [
      ...document(i, r, 'PolicyDocument', LIMITS.snsTopicPolicy, compactBytes),
      ...document(i, r, 'PolicyDocument', LIMITS.snsTopicStatements, statementCount),
    ],
    'AWS::SQS::QueuePolicy': (r, i) => [
      ...document(i, r, 'PolicyDocument', LIMITS.sqsQueuePolicy, compactBytes),
      ...document(i, r, 'PolicyDocument', LIMITS.sqsQueueStatements, statementCount),
    ],
    'AWS::SQS::QueueInlinePolicy': (r, i) => [
      ...document(i, r, 'PolicyDocument', LIMITS.sqsQueuePolicy, compactBytes),
      ...document(i, r, 'PolicyDocument', LIMITS.sqsQueueStatements, statementCount),
    ],
    'AWS::SecretsManager::ResourcePolicy': (r, i) =>
      document(i, r, 'ResourcePolicy', LIMITS.secretPolicy, compactCharacters),
    'AWS::Events::Rule': (r, i) => document(i, r, 'EventPattern', LIMITS.eventPattern, compactCharacters),
    'AWS::Events::EventBus': (r, i) => eventBusPolicy(r, i),
    'AWS::IAM::ManagedPolicy': (r, i) =>
      document(i, r, 'PolicyDocument', LIMITS.managedPolicy, compactCharacters),
    'AWS::IAM::Role': (r, i) => [
      ...document(i, r, 'AssumeRolePolicyDocument', LIMITS.roleTrust, compactCharacters),
      ...inlinePolicies(r, i, 'Roles', ['AWS::IAM::RolePolicy', 'RoleName'], LIMITS.roleInline),
      ...managedPolicies(r, i),
    ],
    'AWS::IAM::User': (r, i) =>
      inlinePolicies(r, i, 'Users', ['AWS::IAM::UserPolicy', 'UserName'], LIMITS.userInline),
    'AWS::IAM::Group': (r, i) =>
      inlinePolicies(r, i, 'Groups', ['AWS::IAM::GroupPolicy', 'GroupName'], LIMITS.groupInline),
    'AWS::Organizations::Policy': (r, i) =>
      ['SERVICE_CONTROL_POLICY', 'RESOURCE_CONTROL_POLICY'].includes(String(r.properties.Type))
        ? document(i, r, 'Content', LIMITS.serviceControlPolicy, compactCharacters)
        : [],
    'AWS::CloudFormation::StackSet': (r) =>
      typeof r.properties.TemplateBody === 'string'
        ? [
            {
              limit: LIMITS.stackSetTemplateBody,
              size: Buffer.byteLength(r.properties.TemplateBody),
              where: 'TemplateBody',
            },
          ]
        : [],
    'AWS::Lambda::Function': (r, i) => lambdaPolicy(r, i),
    'AWS::CodePipeline::Pipeline': (r) => pipelineShape(r),
  };

function document(
  index: TemplateIndex,
  resource: IndexedResource,
  property: string,
  limit: ServiceLimit,
  measure: (value: unknown) => number,
): Measurement[] {
  const value = resource.properties[property];
  if (value === undefined) return [];
  return [{ limit, size: measure(resolvedValue(index, value)), where: property }];
}

/** True when a `Roles`/`Users`/`Groups` entry (a `Ref` or a name) names the resource. */
function names(index: TemplateIndex, entry: unknown, resource: IndexedResource, name: string): boolean {
  if (isObject(entry) && entry.Ref === resource.logicalId) return true;
  const text = resolvedValue(index, entry);
  return typeof text === 'string' && (text === name || text.endsWith(`/${name}`));
}

/** Every inline policy of a role, user or group: its `Policies` and the policy resources that attach to it. */
function inlinePolicies(
  resource: IndexedResource,
  index: TemplateIndex,
  listProperty: 'Roles' | 'Users' | 'Groups',
  [singleType, singleProperty]: [string, string],
  limit: ServiceLimit,
): Measurement[] {
  const name = physicalName(index, resource.logicalId);
  const parts: Array<{ where: string; size: number }> = [];
  asArray(resource.properties.Policies).forEach((policy, position) => {
    if (isObject(policy) && policy.PolicyDocument !== undefined)
      parts.push({
        where: `Policies[${position}]`,
        size: compactCharacters(resolvedValue(index, policy.PolicyDocument)),
      });
  });
  for (const policy of index.ofType('AWS::IAM::Policy', singleType)) {
    const targets =
      policy.type === 'AWS::IAM::Policy'
        ? asArray(policy.properties[listProperty])
        : [policy.properties[singleProperty]];
    if (!targets.some((entry) => names(index, entry, resource, name))) continue;
    parts.push({
      where: policy.logicalId,
      size: compactCharacters(resolvedValue(index, policy.properties.PolicyDocument)),
    });
  }
  if (parts.length === 0) return [];
  return [
    {
      limit,
      size: parts.reduce((sum, part) => sum + part.size, 0),
      where: `inline policies ${parts.map((part) => part.where).join(', ')}`,
    },
  ];
}

/** Managed policies attached to a role: by its ManagedPolicyArns and by managed policies naming it. */
function managedPolicies(resource: IndexedResource, index: TemplateIndex): Measurement[] {
  const name = physicalName(index, resource.logicalId);
  const attached = asArray(resource.properties.ManagedPolicyArns).length;
  const naming = index
    .ofType('AWS::IAM::ManagedPolicy')
    .filter((policy) => asArray(policy.properties.Roles).some((entry) => names(index, entry, resource, name)))
    // A managed policy that the role also lists by ARN counts once.
    .filter((policy) =>
      asArray(resource.properties.ManagedPolicyArns).every(
        (arn) => !(isObject(arn) && arn.Ref === policy.logicalId),
      ),
    ).length;
  return [{ limit: LIMITS.roleManagedPolicies, size: attached + naming, where: 'managed policies attached' }];
}

/** A bus's policy: its own `Policy` and the statements of the bus policies that name it, as one document. */
function eventBusPolicy(resource: IndexedResource, index: TemplateIndex): Measurement[] {
  const name = physicalName(index, resource.logicalId);
  const statements: unknown[] = [];
  const own = resource.properties.Policy;
  if (own !== undefined) {
    const document = resolvedValue(index, own);
    statements.push(...(isObject(document) ? asArray(document.Statement) : []));
  }
  for (const policy of index.ofType('AWS::Events::EventBusPolicy')) {
    const bus = resolvedValue(index, policy.properties.EventBusName ?? 'default');
    if (
      bus !== name &&
      !(isObject(policy.properties.EventBusName) && policy.properties.EventBusName.Ref === resource.logicalId)
    )
      continue;
    const statement = policy.properties.Statement;
    statements.push(
      statement !== undefined
        ? resolvedValue(index, statement)
        : {
            Sid: policy.properties.StatementId,
            Effect: 'Allow',
            Principal: { AWS: resolvedValue(index, policy.properties.Principal) },
            Action: resolvedValue(index, policy.properties.Action),
            Resource: `arn:aws:events:::event-bus/${name}`,
            Condition: resolvedValue(index, policy.properties.Condition),
          },
    );
  }
  if (statements.length === 0) return [];
  return [
    {
      limit: LIMITS.eventBusPolicy,
      size: compactCharacters({ Version: '2012-10-17', Statement: statements }),
      where: 'Policy and its AWS::Events::EventBusPolicy statements',
    },
  ];
}

/**
 * A function's policy: one statement per `AWS::Lambda::Permission` that names it, written as Lambda writes
 * them (principal, action, the function's ARN, source conditions).
 */
function lambdaPolicy(resource: IndexedResource, index: TemplateIndex): Measurement[] {
  const name = physicalName(index, resource.logicalId);
  const statements: unknown[] = [];
  for (const permission of index.ofType('AWS::Lambda::Permission')) {
    const target = permission.properties.FunctionName;
    const text = resolvedValue(index, target);
    const mine =
      (isObject(target) &&
        (target.Ref === resource.logicalId || referencesArn(target, resource.logicalId))) ||
      (typeof text === 'string' && (text === name || text.endsWith(`:function:${name}`)));
    if (!mine) continue;
    const props = permission.properties;
    statements.push({
      Sid: permission.logicalId,
      Effect: 'Allow',
      Principal: resolvedValue(index, props.Principal),
      Action: resolvedValue(index, props.Action),
      Resource: typeof text === 'string' ? text : name,
      Condition: {
        ArnLike: { 'AWS:SourceArn': resolvedValue(index, props.SourceArn) },
        StringEquals: { 'AWS:SourceAccount': resolvedValue(index, props.SourceAccount) },
      },
    });
  }
  if (statements.length === 0) return [];
  return [
    {
      limit: LIMITS.lambdaPolicy,
      size: compactBytes({ Version: '2012-10-17', Id: 'default', Statement: statements }),
      where: `${statements.length} AWS::Lambda::Permission statement(s)`,
    },
  ];
}

function referencesArn(value: Record<string, unknown>, logicalId: string): boolean {
  const getAtt = value['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[0] === logicalId;
}

function pipelineShape(resource: IndexedResource): Measurement[] {
  const stages = asArray(resource.properties.Stages);
  return [
    { limit: LIMITS.pipelineStages, size: stages.length, where: 'Stages' },
    ...stages.map((stage, position) => ({
      limit: LIMITS.pipelineStageActions,
      size: isObject(stage) ? asArray(stage.Actions).length : 0,
      where: `Stages[${position}]${isObject(stage) && typeof stage.Name === 'string' ? ` ${stage.Name}` : ''}`,
    })),
  ];
}

/** Every generated policy, event pattern, StackSet body and pipeline within the limit its service documents. */
export const PolicySize: CloverRule = {
  id: 'CLV-LIM-1',
  family: 'LIM',
  severity: 'error',
  resourceTypes: Object.keys(MEASURED),
  coverage: {
    'AWS::S3::BucketPolicy': 'PolicyDocument: 20,480 bytes',
    'AWS::KMS::Key': 'KeyPolicy: 32,768 bytes',
    'AWS::SNS::TopicPolicy': 'PolicyDocument: 30,720 bytes, 100 statements',
    'AWS::SNS::TopicInlinePolicy': 'PolicyDocument: 30,720 bytes, 100 statements',
    'AWS::SQS::QueuePolicy': 'PolicyDocument: 8,192 bytes, 20 statements',
    'AWS::SQS::QueueInlinePolicy': 'PolicyDocument: 8,192 bytes, 20 statements',
    'AWS::SecretsManager::ResourcePolicy': 'ResourcePolicy: 20,480 characters',
    'AWS::Events::Rule': 'EventPattern: 2,048 characters',
    'AWS::Events::EventBus': 'Policy with its AWS::Events::EventBusPolicy statements: 10,240 characters',
    'AWS::IAM::ManagedPolicy': 'PolicyDocument: 6,144 characters',
    'AWS::IAM::Role':
      'AssumeRolePolicyDocument: 2,048 characters; inline policies together: 10,240 characters; 10 managed policies',
    'AWS::IAM::User': 'inline policies together: 2,048 characters',
    'AWS::IAM::Group': 'inline policies together: 5,120 characters',
    'AWS::Organizations::Policy': 'Content of an SCP or RCP: 5,120 characters',
    'AWS::CloudFormation::StackSet': 'TemplateBody: 51,200 bytes',
    'AWS::Lambda::Function': 'its AWS::Lambda::Permission statements together: 20,480 bytes',
    'AWS::CodePipeline::Pipeline': 'Stages: 50; actions per stage: 50',
  },
  reads: [
    'AWS::Events::EventBusPolicy',
    'AWS::IAM::Policy',
    'AWS::IAM::RolePolicy',
    'AWS::IAM::UserPolicy',
    'AWS::IAM::GroupPolicy',
    'AWS::Lambda::Permission',
  ],
  info: 'A policy, event pattern, StackSet template body or pipeline is larger than the service that receives it accepts: the deploy fails, however correct the policy is.',
  explanation:
    'Every service caps the documents it stores, and counts them its own way: IAM (trust, inline and managed policies) and Organizations (SCPs, RCPs) count characters without whitespace; S3 (20 KB), KMS (32 KB), SNS (30 KB, 100 statements), SQS (8,192 bytes, 20 statements) and Lambda (20 KB for all permissions of a function) count bytes; EventBridge counts characters of a bus policy (10,240) and of an event pattern (2,048). Sizes are measured on resolved values — every Ref, GetAtt, Sub and Join replaced by the name or ARN AWS would see — because a policy that lists one ARN per enclave account grows with the organisation and stops deploying long after synth looked fine.',
  fix: 'Grant by organisation or OU (aws:PrincipalOrgID, aws:PrincipalOrgPaths) and a role-name pattern instead of listing accounts or ARNs (Clover does so with guardrails.organization), split the grant across resources, or raise the quota where AWS lets you (IAM trust policy, EventBridge).',
  evaluate({ resource, index }: RuleTarget) {
    const measure = MEASURED[resource.type];
    const measurements = measure ? measure(resource, index) : [];
    return violations(
      measurements.filter((m) => m.size > m.limit.limit).map((m) => describeBreach(resource.logicalId, m)),
    );
  },
};
