/**
 * Finds code in a stack that can rewrite routes at run time: custom resources
 * whose properties call a route-writing EC2 API, and Lambda functions (behind a
 * custom resource or not) whose execution role is allowed to. Such code can
 * swap routes around the security gateway, which a synth-time route proof
 * cannot see.
 */
import { wildcardMatch } from './iam';
import type { IndexedResource, TemplateIndex } from './template';
import { asArray, isObject, literalString, visitStrings } from './values';
import { describeValue } from './network-values';

/** EC2 actions that change where a subnet's traffic goes. */
export const ROUTE_WRITE_ACTIONS = [
  'ec2:CreateRoute',
  'ec2:ReplaceRoute',
  'ec2:DeleteRoute',
  'ec2:ReplaceRouteTableAssociation',
  'ec2:AssociateRouteTable',
  'ec2:DisassociateRouteTable',
] as const;

/** AWS-managed policies that include route writes. */
const BROAD_MANAGED_POLICIES = [
  'AdministratorAccess',
  'PowerUserAccess',
  'AmazonEC2FullAccess',
  'AmazonVPCFullAccess',
  'NetworkAdministrator',
];

const ACTION_NAMES = ROUTE_WRITE_ACTIONS.map((action) => action.slice('ec2:'.length));
// Longest first, so ReplaceRouteTableAssociation wins over ReplaceRoute; SDK v3 names end in `Command`.
const CALL_PATTERN = new RegExp(
  `(?<![A-Za-z])(?:ec2:)?(${[...ACTION_NAMES].sort((a, b) => b.length - a.length).join('|')})(?:Command)?(?![A-Za-z])`,
  'gi',
);

export function isCustomResource(resource: IndexedResource): boolean {
  return resource.type === 'AWS::CloudFormation::CustomResource' || resource.type.startsWith('Custom::');
}

/** One way a principal is allowed a route-writing action. */
export interface RouteWriteGrant {
  readonly action: (typeof ROUTE_WRITE_ACTIONS)[number];
  /** `policy RoutePolicy`, `inline policy Admin of role FnRole`, `managed policy …/AdministratorAccess`. */
  readonly source: string;
  /** The statement's action pattern that matched (`ec2:*`, `*`, `NotAction …`). */
  readonly pattern: string;
}

/** Route-writing API calls named in a custom resource's properties (`Create`, `Update`, …). */
export function routeWritingCalls(resource: IndexedResource): string[] {
  const found = new Set<string>();
  visitStrings(resource.properties, (text, path) => {
    if (path[0] === 'ServiceToken') return;
    for (const match of text.matchAll(CALL_PATTERN)) {
      const action = ACTION_NAMES.find((name) => name.toLowerCase() === match[1].toLowerCase())!;
      found.add(`ec2:${action} (in ${path.join('.') || 'properties'})`);
    }
  });
  return [...found];
}

/** The Lambda functions behind a custom resource: its service token, and functions named in their environment (provider frameworks). */
export function backingFunctions(index: TemplateIndex, customResource: IndexedResource): IndexedResource[] {
  const found = new Map<string, IndexedResource>();
  const queue = [index.resolve(customResource.properties.ServiceToken, 'AWS::Lambda::Function')];
  while (queue.length > 0) {
    const fn = queue.shift();
    if (!fn || found.has(fn.logicalId)) continue;
    found.set(fn.logicalId, fn);
    const variables = isObject(fn.properties.Environment) ? fn.properties.Environment.Variables : undefined;
    for (const value of isObject(variables) ? Object.values(variables) : []) {
      queue.push(index.resolve(value, 'AWS::Lambda::Function'));
    }
  }
  return [...found.values()];
}

/** Every grant of a route-writing action to the execution role of a Lambda function. */
export function routeWriteGrantsOfFunction(index: TemplateIndex, fn: IndexedResource): RouteWriteGrant[] {
  const role = index.resolve(fn.properties.Role, 'AWS::IAM::Role');
  return role ? routeWriteGrantsOfRole(index, role) : [];
}

/** Every grant of a route-writing action to a role: inline policies, attached policies, managed policies. */
export function routeWriteGrantsOfRole(index: TemplateIndex, role: IndexedResource): RouteWriteGrant[] {
  const grants: RouteWriteGrant[] = [];
  asArray(role.properties.Policies).forEach((policy, i) => {
    if (!isObject(policy)) return;
    const name = literalString(policy.PolicyName) ?? `#${i}`;
    grants.push(
      ...grantsOfDocument(policy.PolicyDocument, `inline policy ${name} of role ${role.logicalId}`),
    );
  });
  const attached = [
    ...index.referrers(role.logicalId, 'AWS::IAM::Policy', 'Roles'),
    ...index.referrers(role.logicalId, 'AWS::IAM::ManagedPolicy', 'Roles'),
  ];
  for (const arn of asArray(role.properties.ManagedPolicyArns)) {
    const policy = index.resolve(arn, 'AWS::IAM::ManagedPolicy');
    if (policy) {
      if (!attached.includes(policy)) attached.push(policy);
      continue;
    }
    visitStrings(arn, (text) => {
      const name = BROAD_MANAGED_POLICIES.find(
        (broad) => text.endsWith(`policy/${broad}`) || text.endsWith(`/${broad}`),
      );
      if (name) {
        for (const action of ROUTE_WRITE_ACTIONS) {
          grants.push({
            action,
            source: `managed policy ${describeValue(arn)} of role ${role.logicalId}`,
            pattern: name,
          });
        }
      }
    });
  }
  for (const policy of attached) {
    grants.push(...grantsOfDocument(policy.properties.PolicyDocument, `policy ${policy.logicalId}`));
  }
  return grants;
}

function grantsOfDocument(document: unknown, source: string): RouteWriteGrant[] {
  const grants: RouteWriteGrant[] = [];
  const statements = isObject(document) ? asArray(document.Statement) : [];
  for (const statement of statements) {
    if (!isObject(statement) || statement.Effect !== 'Allow') continue;
    if (statement.Action !== undefined) {
      for (const pattern of asArray(statement.Action)) {
        if (typeof pattern !== 'string') continue;
        for (const action of ROUTE_WRITE_ACTIONS) {
          if (actionMatches(pattern, action)) grants.push({ action, source, pattern });
        }
      }
    } else if (statement.NotAction !== undefined) {
      const excluded = asArray(statement.NotAction).filter((p): p is string => typeof p === 'string');
      for (const action of ROUTE_WRITE_ACTIONS) {
        if (!excluded.some((pattern) => actionMatches(pattern, action))) {
          grants.push({ action, source, pattern: `NotAction ${JSON.stringify(excluded)}` });
        }
      }
    }
  }
  return grants;
}

/** IAM action matching: case-insensitive, `*` and `?` wildcards (iam.ts's matcher, no pattern compiled). */
export function actionMatches(pattern: string, action: string): boolean {
  return wildcardMatch(pattern, action, true);
}

/** One sentence per route-writing grant, grouped by action set and source. */
export function describeGrants(grants: readonly RouteWriteGrant[]): string[] {
  const bySource = new Map<string, Set<string>>();
  for (const grant of grants) {
    const key = `${grant.source} (via ${grant.pattern})`;
    const actions = bySource.get(key) ?? new Set<string>();
    actions.add(grant.action);
    bySource.set(key, actions);
  }
  return [...bySource].map(([source, actions]) => `${[...actions].join(', ')} granted by ${source}`);
}

/** True when a Lambda function backs some custom resource of the stack (then that resource is reported instead). */
export function backsCustomResource(index: TemplateIndex, fn: IndexedResource): boolean {
  return backingFunctionIds(index).has(fn.logicalId);
}

const BACKING = new WeakMap<TemplateIndex, Set<string>>();

function backingFunctionIds(index: TemplateIndex): Set<string> {
  let ids = BACKING.get(index);
  if (!ids) {
    ids = new Set();
    for (const resource of index.all()) {
      if (!isCustomResource(resource)) continue;
      for (const fn of backingFunctions(index, resource)) ids.add(fn.logicalId);
    }
    BACKING.set(index, ids);
  }
  return ids;
}
