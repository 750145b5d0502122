/**
 * Who can reach what, read from a stack's template: resource policies that
 * grant every principal, public buckets, and for every IAM role who may
 * assume it and under which conditions (the audit report's access matrix).
 * Pure; results are cached per index.
 */
import {
  appliesToEveryone,
  ConditionEntry,
  conditionEntries,
  describeStatement,
  describeValue,
  findConditions,
  isFalseValue,
  isTrueValue,
  parseArn,
  parseOperator,
  policyDocument,
  PolicyStatement,
  principalEntries,
  PrincipalKind,
  renderContextOf,
  renderString,
  statementCoversAction,
  statements,
  toStatement,
} from './iam';
import { RESOURCE_POLICY_PATHS } from './coverage/resource-policies';
import { linkedResource, sameValue } from './links';
import type { IndexedResource, TemplateIndex } from './template';
import { asArray, isObject, isTrue, literalString, referencedLogicalId, valuesAt } from './values';

// ------------------------------------------------------ wildcard principals

/**
 * Condition keys that pin a wildcard principal to known accounts, an
 * organisation or one source resource. With one of them (compared with an
 * equality or `Like` operator, no `IfExists`, no wildcard-only value) an
 * `Allow` to `*` is not public: it is how service integrations and
 * organisation-wide grants are written.
 */
export const PRINCIPAL_RESTRICTING_KEYS: readonly string[] = [
  'aws:PrincipalAccount',
  'aws:PrincipalOrgID',
  'aws:PrincipalOrgPaths',
  'aws:PrincipalArn',
  'aws:SourceAccount',
  'aws:SourceOrgID',
  'aws:SourceOrgPaths',
  'aws:SourceArn',
  'kms:CallerAccount',
];

const RESTRICTING_OPERATORS = [
  'stringequals',
  'stringequalsignorecase',
  'stringlike',
  'arnequals',
  'arnlike',
];

/** The condition that pins a wildcard principal to accounts/an organisation/a source, if any. */
export function principalRestriction(statement: PolicyStatement): ConditionEntry | undefined {
  const keys = PRINCIPAL_RESTRICTING_KEYS.map((key) => key.toLowerCase());
  return conditionEntries(statement).find((entry) => {
    const operator = parseOperator(entry.operator);
    return (
      keys.includes(entry.key.toLowerCase()) &&
      RESTRICTING_OPERATORS.includes(operator.base.toLowerCase()) &&
      !operator.ifExists &&
      operator.set !== 'ForAllValues' &&
      entry.values.length > 0 &&
      entry.values.every(isSpecificValue)
    );
  });
}

/** A condition value that names something: not empty, not only wildcards, no wildcard account in an ARN. */
function isSpecificValue(value: unknown): boolean {
  if (typeof value !== 'string') return value !== undefined && value !== null;
  if (value === '' || [...value].every((c) => c === '*' || c === '?')) return false;
  const arn = parseArn(value);
  return !arn || !(arn.account.includes('*') || arn.account.includes('?'));
}

/**
 * Where a resource type keeps a resource-based (or trust) policy document,
 * as path segments (`[]` steps into a list); from the reviewed registry table.
 */
export const RESOURCE_POLICY_PROPERTIES: Readonly<Record<string, readonly (readonly string[])[]>> =
  Object.fromEntries(
    Object.entries(RESOURCE_POLICY_PATHS).map(([type, paths]) => [
      type,
      paths.map((path) => path.split('.')),
    ]),
  );

/** Resource types whose principal is a property of the resource itself. */
const PERMISSION_TYPES = [
  'AWS::Lambda::Permission',
  'AWS::Lambda::LayerVersionPermission',
  'AWS::Events::EventBusPolicy',
];

/** Every type {@link resourcePolicyStatements} reads. */
export const RESOURCE_POLICY_TYPES: readonly string[] = [
  ...Object.keys(RESOURCE_POLICY_PROPERTIES),
  ...PERMISSION_TYPES,
];

/** The statements of a resource's own policy, with the property they come from. */
export interface LocatedStatement {
  /** Property path as a dotted string, e.g. `KeyPolicy`, or `(permission)` for a Lambda permission. */
  readonly property: string;
  readonly statement: PolicyStatement;
}

/**
 * The policy statements a resource carries: its policy documents, or for
 * Lambda/EventBridge permissions the statement the resource stands for
 * (its `SourceAccount`/`SourceArn`/`PrincipalOrgID` written as conditions).
 */
export function resourcePolicyStatements(
  resource: IndexedResource,
  index: TemplateIndex,
): LocatedStatement[] {
  const context = renderContextOf(index);
  const paths = RESOURCE_POLICY_PATHS[resource.type];
  if (paths) {
    return paths.flatMap((path) =>
      valuesAt(resource.properties, path).flatMap(({ value, path: at }) =>
        statements(policyDocument(value, context)).map((statement) => ({ property: at, statement })),
      ),
    );
  }
  const statement = permissionStatement(resource);
  return statement ? [{ property: '(permission)', statement }] : [];
}

function permissionStatement(resource: IndexedResource): PolicyStatement | undefined {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::Lambda::Permission':
      return permission(p.Principal, p.Action, {
        'aws:SourceAccount': p.SourceAccount,
        'aws:SourceArn': p.SourceArn,
        'aws:PrincipalOrgID': p.PrincipalOrgID,
      });
    case 'AWS::Lambda::LayerVersionPermission':
      return permission(p.Principal, p.Action, { 'aws:PrincipalOrgID': p.OrganizationId });
    case 'AWS::Events::EventBusPolicy': {
      if (isObject(p.Statement)) return toStatement(p.Statement);
      const condition = isObject(p.Condition) ? p.Condition : {};
      const key = literalString(condition.Key);
      return permission(p.Principal, p.Action, key ? { [key]: condition.Value } : {});
    }
  }
  return undefined;
}

function permission(
  principal: unknown,
  action: unknown,
  restrictions: Record<string, unknown>,
): PolicyStatement {
  const present = Object.entries(restrictions).filter(([, value]) => value !== undefined);
  return {
    position: 0,
    effect: 'Allow',
    principal:
      principal === '*'
        ? '*'
        : typeof principal === 'string' && principal.includes('.')
          ? { Service: principal }
          : { AWS: principal },
    action,
    condition: present.length
      ? { StringEquals: Object.fromEntries(present.map(([key, value]) => [key, value])) }
      : undefined,
  };
}

/** An `Allow` to every principal with no condition pinning who that is. */
export interface OpenGrant {
  readonly property: string;
  readonly statement: PolicyStatement;
  /** `KeyPolicy statement 1 ("Public") allows kms:Decrypt to every principal (Principal "*")`. */
  readonly description: string;
}

/** Every `Allow` statement of the resource's own policy that grants every principal without restriction. */
export function openGrants(resource: IndexedResource, index: TemplateIndex): OpenGrant[] {
  return resourcePolicyStatements(resource, index)
    .filter(({ statement }) => isOpenGrant(statement))
    .map(({ property, statement }) => ({
      property,
      statement,
      description: describeOpenGrant(property, statement),
    }));
}

/** True for an `Allow` whose principal is everyone and which no restricting condition pins down. */
export function isOpenGrant(statement: PolicyStatement): boolean {
  return (
    statement.effect === 'Allow' &&
    appliesToEveryone(statement) &&
    principalRestriction(statement) === undefined
  );
}

function describeOpenGrant(property: string, statement: PolicyStatement): string {
  const actions =
    statement.action !== undefined
      ? describeActions(statement.action)
      : `every action except ${describeActions(statement.notAction)}`;
  const who =
    statement.notPrincipal !== undefined ? 'everyone outside NotPrincipal' : 'every principal ("*")';
  const where =
    property === '(permission)' ? 'the permission' : `${property} ${describeStatement(statement)}`;
  return `${where} allows ${actions} to ${who} with no aws:PrincipalAccount/aws:PrincipalOrgID/aws:SourceAccount/aws:SourceArn condition`;
}

function describeActions(actions: unknown): string {
  const list = asArray(actions).map((action) => describeValue(action));
  return list.length ? list.join(', ') : '(no action)';
}

// ------------------------------------------------------------- S3 buckets

/** A bucket policy statement attached to a bucket. */
export interface BucketPolicyStatement {
  readonly policy: IndexedResource;
  readonly statement: PolicyStatement;
}

/**
 * Statements of every `AWS::S3::BucketPolicy` whose `Bucket` is this bucket:
 * by Ref, by the same value as the bucket's `BucketName` (the same `Fn::Sub`
 * expression or parameter), or by name text.
 */
export function bucketPolicyStatements(index: TemplateIndex, bucketId: string): BucketPolicyStatement[] {
  const bucket = index.get(bucketId);
  if (!bucket) return [];
  const context = renderContextOf(index);
  return index
    .ofType('AWS::S3::BucketPolicy')
    .filter((policy) => {
      const target = policy.properties.Bucket;
      if (referencedLogicalId(target) === bucketId) return true;
      if (sameValue(index, target, bucket.properties.BucketName)) return true;
      return linkedResource(index, target, 'AWS::S3::Bucket')?.resource === bucket;
    })
    .flatMap((policy) =>
      statements(policyDocument(policy.properties.PolicyDocument, context)).map((statement) => ({
        policy,
        statement,
      })),
    );
}

const PUBLIC_ACCESS_BLOCK_KEYS = [
  'BlockPublicAcls',
  'BlockPublicPolicy',
  'IgnorePublicAcls',
  'RestrictPublicBuckets',
];
const PUBLIC_CANNED_ACLS = ['publicread', 'publicreadwrite', 'authenticatedread'];

/** Why a bucket may be public: Block Public Access not fully on, a public canned ACL, an open policy grant. */
export function bucketPublicAccessProblems(index: TemplateIndex, bucketId: string): string[] {
  const bucket = index.get(bucketId);
  if (!bucket || bucket.type !== 'AWS::S3::Bucket') return [];
  const problems: string[] = [];
  const block = bucket.properties.PublicAccessBlockConfiguration;
  if (!isObject(block)) {
    problems.push('PublicAccessBlockConfiguration is not declared (declare all four settings true)');
  } else {
    const off = PUBLIC_ACCESS_BLOCK_KEYS.filter((key) => !isTrue(block[key]));
    if (off.length) problems.push(`PublicAccessBlockConfiguration leaves ${off.join(', ')} off`);
  }
  const acl = literalString(bucket.properties.AccessControl);
  if (acl && PUBLIC_CANNED_ACLS.includes(acl.toLowerCase().replace(/-/g, ''))) {
    problems.push(`AccessControl is ${acl}, a canned ACL that grants access beyond the owner`);
  }
  for (const { policy, statement } of bucketPolicyStatements(index, bucketId)) {
    if (isOpenGrant(statement)) {
      problems.push(`bucket policy ${policy.logicalId}: ${describeOpenGrant('PolicyDocument', statement)}`);
    }
  }
  return problems;
}

// ------------------------------------------------------------------ roles

/** One principal a trust policy names, rendered for reports. */
export interface TrustPrincipal {
  readonly kind: PrincipalKind;
  /** `arn:aws:iam::444444444444:root`, `lambda.amazonaws.com`, `${AuditorRole.Arn}`. */
  readonly text: string;
  /** Account ID when the principal is an account, or an ARN naming one. */
  readonly account?: string;
  /** Logical ID of a role or user in this template that the principal refers to. */
  readonly ref?: string;
}

/** What a trust statement requires of the caller. */
export interface TrustRequirements {
  /**
   * An `Allow` requires `aws:MultiFactorAuthPresent` true or a bounded
   * `aws:MultiFactorAuthAge`; a `Deny` refuses every session without MFA.
   */
  readonly mfa: boolean;
  /** `sts:ExternalId` condition. */
  readonly externalId: boolean;
  /** Session tag keys the statement tests (`aws:RequestTag/<key>`, `aws:PrincipalTag/<key>`). */
  readonly sessionTags: readonly string[];
  /** `aws:SourceAccount`, `aws:SourceArn`, `aws:PrincipalAccount`, `aws:PrincipalOrgID`… */
  readonly sourceRestriction: boolean;
}

/** One `Allow` or `Deny` statement of a trust policy about assuming the role. */
export interface TrustStatement {
  readonly effect: 'Allow' | 'Deny';
  readonly sid?: string;
  readonly position: number;
  readonly principals: readonly TrustPrincipal[];
  /** `sts:AssumeRole`, `sts:TagSession`, … as written. */
  readonly actions: readonly string[];
  readonly conditions: readonly ConditionEntry[];
  readonly requires: TrustRequirements;
}

/** Access-matrix row: who may assume a role and under what conditions. */
export interface RoleAccess {
  readonly logicalId: string;
  readonly roleName?: string;
  readonly grants: readonly TrustStatement[];
  readonly denials: readonly TrustStatement[];
  /** A trust principal is an account, role, user, federated identity or `*` — not only services. */
  readonly humanAssumable: boolean;
  /** The boundary as written (ARN or `${Policy}`), when the role has one. */
  readonly permissionsBoundary?: string;
  /** Every human grant requires MFA, or a `Deny` refuses sessions without MFA. */
  readonly mfaRequired: boolean;
  /** Every human grant requires an external ID. */
  readonly externalIdRequired: boolean;
  /** Session tag keys tested by any grant or denial, sorted. */
  readonly sessionTags: readonly string[];
}

const ASSUME_ACTIONS = [
  'sts:AssumeRole',
  'sts:AssumeRoleWithSAML',
  'sts:AssumeRoleWithWebIdentity',
  'sts:TagSession',
  'sts:SetSourceIdentity',
];
const HUMAN_KINDS: readonly PrincipalKind[] = ['aws', 'federated', 'wildcard', 'canonical-user', 'unknown'];

const ROLE_CACHE = new WeakMap<TemplateIndex, Map<string, RoleAccess>>();

/** The access-matrix rows of every `AWS::IAM::Role` in the stack, keyed by logical ID (cached). */
export function roleAccessOf(index: TemplateIndex): ReadonlyMap<string, RoleAccess> {
  let roles = ROLE_CACHE.get(index);
  if (!roles) {
    roles = new Map(index.ofType('AWS::IAM::Role').map((role) => [role.logicalId, analyseRole(role, index)]));
    ROLE_CACHE.set(index, roles);
  }
  return roles;
}

/** The access-matrix row of one role, or undefined when it is not a role of this stack. */
export function roleAccess(index: TemplateIndex, logicalId: string): RoleAccess | undefined {
  return roleAccessOf(index).get(logicalId);
}

function analyseRole(role: IndexedResource, index: TemplateIndex): RoleAccess {
  const context = renderContextOf(index);
  const trust = statements(policyDocument(role.properties.AssumeRolePolicyDocument, context))
    .filter((statement) => ASSUME_ACTIONS.some((action) => statementCoversAction(statement, action)))
    .flatMap((statement) => {
      const summary = summariseTrust(statement, index);
      return summary ? [summary] : [];
    });
  const grants = trust.filter((statement) => statement.effect === 'Allow');
  const denials = trust.filter((statement) => statement.effect === 'Deny');
  const humanGrants = grants.filter((grant) => grant.principals.some((p) => HUMAN_KINDS.includes(p.kind)));
  const deniesWithoutMfa = denials.some((denial) => denial.requires.mfa);
  const boundary = role.properties.PermissionsBoundary;
  return {
    logicalId: role.logicalId,
    roleName: renderString(role.properties.RoleName, context),
    grants,
    denials,
    humanAssumable: humanGrants.length > 0,
    permissionsBoundary:
      boundary === undefined || boundary === '' ? undefined : describeValue(boundary, context),
    mfaRequired:
      humanGrants.length > 0 && (deniesWithoutMfa || humanGrants.every((grant) => grant.requires.mfa)),
    externalIdRequired: humanGrants.length > 0 && humanGrants.every((grant) => grant.requires.externalId),
    sessionTags: [...new Set(trust.flatMap((statement) => statement.requires.sessionTags))].sort(),
  };
}

function summariseTrust(statement: PolicyStatement, index: TemplateIndex): TrustStatement | undefined {
  if (!statement.effect) return undefined;
  const context = renderContextOf(index);
  const principals = principalEntries(statement.principal ?? statement.notPrincipal).map(
    (entry): TrustPrincipal => {
      const text = describeValue(entry.value, context);
      const ref = referencedLogicalId(entry.value);
      const arn = parseArn(text);
      const account = /^\d{12}$/.test(text) ? text : arn?.account || undefined;
      return { kind: entry.kind, text, account, ref: ref && index.get(ref) ? ref : undefined };
    },
  );
  const conditions = conditionEntries(statement);
  return {
    effect: statement.effect,
    sid: statement.sid,
    position: statement.position,
    principals,
    actions: [statement.action ?? statement.notAction ?? []]
      .flat()
      .map((action) => describeValue(action, context)),
    conditions,
    requires: {
      mfa: statement.effect === 'Allow' ? grantRequiresMfa(statement) : denialRefusesWithoutMfa(statement),
      externalId: findConditions(statement, ['StringEquals', 'StringLike'], 'sts:ExternalId').length > 0,
      sessionTags: sessionTagKeys(conditions),
      sourceRestriction: principalRestriction(statement) !== undefined,
    },
  };
}

function grantRequiresMfa(statement: PolicyStatement): boolean {
  const present = findConditions(statement, ['Bool', 'BoolIfExists'], 'aws:MultiFactorAuthPresent');
  if (present.some((entry) => entry.values.length > 0 && entry.values.every(isTrueValue))) return true;
  return (
    findConditions(statement, ['NumericLessThan', 'NumericLessThanEquals'], 'aws:MultiFactorAuthAge').length >
    0
  );
}

/** A `Deny` whose only condition is "no MFA": it refuses every session without MFA. */
function denialRefusesWithoutMfa(statement: PolicyStatement): boolean {
  if (conditionEntries(statement).length !== 1) return false;
  const falseMfa = findConditions(statement, ['Bool', 'BoolIfExists'], 'aws:MultiFactorAuthPresent').some(
    (entry) => entry.values.length > 0 && entry.values.every(isFalseValue),
  );
  const missingMfa = findConditions(statement, 'Null', 'aws:MultiFactorAuthPresent').some(
    (entry) => entry.values.length > 0 && entry.values.every(isTrueValue),
  );
  return falseMfa || missingMfa;
}

function sessionTagKeys(conditions: readonly ConditionEntry[]): string[] {
  const keys: string[] = [];
  for (const entry of conditions) {
    const lower = entry.key.toLowerCase();
    for (const prefix of ['aws:requesttag/', 'aws:principaltag/']) {
      if (lower.startsWith(prefix)) keys.push(entry.key.slice(prefix.length));
    }
  }
  return keys;
}
