import { policyDocument } from '../iam';
import { asArray, isObject } from '../values';
import type { IndexedResource } from '../template';
import { AssemblyCatalog, describeLocated, Located } from './catalog';
import type { FlowStack, LayerKind, PolicyLayer } from './types';

export type { LayerKind, PolicyLayer };

/** The identity side of a role: its policies and boundary, and what the templates cannot show. */
export interface IdentityLayers {
  /** False when the role is not among the audited templates. */
  readonly found: boolean;
  readonly policies: readonly PolicyLayer[];
  readonly boundary?: PolicyLayer;
  /** AWS managed policies attached to the role; their text is not in any template. */
  readonly awsManaged: readonly string[];
  /** The role's tags: every session of the role carries them as `aws:PrincipalTag/<key>`. */
  readonly tags?: Readonly<Record<string, string>>;
}

const VERSION = '2012-10-17';

function label(
  kind: string,
  located: { readonly stack: FlowStack; readonly resource: { readonly logicalId: string } },
): string {
  return `${kind} ${located.resource.logicalId} (${located.stack.index.context.stackName})`;
}

/**
 * Finds, for any resource or principal of the audited stacks, the policy
 * documents IAM would evaluate: identity policies (inline, `AWS::IAM::Policy`,
 * `AWS::IAM::RolePolicy`, customer managed), permissions boundaries, resource
 * policies of every kind the templates hold (with the service defaults where a
 * resource has none), VPC endpoint policies and service control policies.
 */
interface PermissionEntry {
  readonly located: Located;
  readonly props: Record<string, unknown>;
  /** FunctionName as resolved. */
  readonly named: string;
  /** Position among the catalog's permissions, so statements keep template order. */
  readonly order: number;
}

interface Permissions {
  readonly byFunction: ReadonlyMap<Located['resource'], PermissionEntry[]>;
  readonly byName: readonly PermissionEntry[];
}

export class PolicyLayers {
  private readonly identityCache = new Map<string, IdentityLayers>();
  private readonly resourceCache = new Map<Located['resource'], PolicyLayer | null>();
  private permissions?: Permissions;
  private scps?: Array<{
    readonly layer: PolicyLayer;
    readonly targets: readonly string[];
    readonly owner: string;
  }>;

  /** Policy resources by what they attach to (resolved name, URL or ARN, and the resource that names), per type and property. */
  private readonly attachments = new Map<
    string,
    {
      readonly byText: Map<string, Located[]>;
      readonly byResource: Map<unknown, Located[]>;
      readonly position: Map<Located, number>;
    }
  >();

  constructor(private readonly catalog: AssemblyCatalog) {}

  /**
   * The policy resources of `types` whose `property` names `texts` or `resource`, in catalog order. Built
   * once per type and property: looking every policy up for every resource grows with the square of the stacks.
   */
  private attachedTo(
    types: string[],
    property: string,
    texts: readonly string[],
    resource?: unknown,
  ): Located[] {
    const key = `${types.join(',')}|${property}`;
    let index = this.attachments.get(key);
    if (!index) {
      index = { byText: new Map(), byResource: new Map(), position: new Map() };
      for (const candidate of this.catalog.ofType(...types)) {
        index.position.set(candidate, index.position.size);
        const raw = candidate.resource.json.Properties ?? {};
        for (const text of new Set(this.resolver.texts(candidate.stack, raw[property]))) {
          index.byText.set(text, [...(index.byText.get(text) ?? []), candidate]);
          const named = this.catalog.find(text)?.resource;
          if (named) index.byResource.set(named, [...(index.byResource.get(named) ?? []), candidate]);
        }
      }
      this.attachments.set(key, index);
    }
    const found = new Set<Located>();
    for (const text of texts) for (const candidate of index.byText.get(text) ?? []) found.add(candidate);
    if (resource !== undefined)
      for (const candidate of index.byResource.get(resource) ?? []) found.add(candidate);
    const position = index.position;
    return [...found].sort((a, b) => position.get(a)! - position.get(b)!);
  }

  private get resolver() {
    return this.catalog.resolver;
  }

  private document(stack: FlowStack, value: unknown): Record<string, unknown> | undefined {
    const resolved = this.resolver.resolve(stack, value);
    return policyDocument(resolved);
  }

  /** Identity policies and boundary of the role with this ARN. */
  public identityOf(roleArn: string): IdentityLayers {
    const cached = this.identityCache.get(roleArn);
    if (cached) return cached;
    const role = this.catalog.find(roleArn);
    let layers: IdentityLayers;
    if (!role || role.resource.type !== 'AWS::IAM::Role') {
      layers = { found: false, policies: [], awsManaged: [] };
    } else {
      layers = this.collectIdentity(role);
    }
    this.identityCache.set(roleArn, layers);
    return layers;
  }

  /** Identity policy resources by account, in stack order: built once, not once per role. */
  private identityPolicies?: Map<string, Array<{ stack: FlowStack; resource: IndexedResource }>>;

  private identityPoliciesOf(
    account: string,
  ): ReadonlyArray<{ stack: FlowStack; resource: IndexedResource }> {
    if (!this.identityPolicies) {
      this.identityPolicies = new Map();
      for (const stack of this.resolver.stacks) {
        const stackAccount = this.resolver.environment(stack).account;
        let list = this.identityPolicies.get(stackAccount);
        if (!list) this.identityPolicies.set(stackAccount, (list = []));
        for (const resource of stack.index.ofType(
          'AWS::IAM::Policy',
          'AWS::IAM::RolePolicy',
          'AWS::IAM::ManagedPolicy',
        ))
          list.push({ stack, resource });
      }
    }
    return this.identityPolicies.get(account) ?? [];
  }

  private collectIdentity(role: Located): IdentityLayers {
    const props = this.resolver.properties(role.stack, role.resource);
    const roleName = this.resolver.refOf(role.stack, role.resource.logicalId);
    const account = this.resolver.environment(role.stack).account;
    const policies: PolicyLayer[] = [];
    const awsManaged: string[] = [];
    for (const inline of asArray(props.Policies)) {
      if (!isObject(inline)) continue;
      const document = policyDocument(inline.PolicyDocument);
      if (document)
        policies.push({
          kind: 'identity',
          label: `inline policy ${String(inline.PolicyName)} of role ${roleName}`,
          document,
        });
    }
    for (const { stack, resource } of this.identityPoliciesOf(account)) {
      const raw = resource.json.Properties ?? {};
      const roles = resource.type === 'AWS::IAM::RolePolicy' ? [raw.RoleName] : asArray(raw.Roles);
      if (!roles.some((value) => this.resolver.text(stack, value) === roleName)) continue;
      const document = this.document(stack, raw.PolicyDocument);
      if (document)
        policies.push({ kind: 'identity', label: label('policy', { stack, resource }), document });
    }
    for (const arn of asArray(props.ManagedPolicyArns).filter(
      (value): value is string => typeof value === 'string',
    )) {
      const managed = this.catalog.find(arn);
      if (managed?.resource.type === 'AWS::IAM::ManagedPolicy') {
        // Attached by ARN here and by `Roles` on the policy itself: count it once.
        const document = this.document(managed.stack, managed.resource.json.Properties?.PolicyDocument);
        const entry = label('managed policy', managed);
        if (document && !policies.some((policy) => policy.label === entry))
          policies.push({ kind: 'identity', label: entry, document });
      } else {
        awsManaged.push(arn);
      }
    }
    let boundary: PolicyLayer | undefined;
    if (typeof props.PermissionsBoundary === 'string') {
      const managed = this.catalog.find(props.PermissionsBoundary);
      const document = managed
        ? this.document(managed.stack, managed.resource.json.Properties?.PolicyDocument)
        : undefined;
      if (document) boundary = { kind: 'boundary', label: label('permissions boundary', managed!), document };
      else awsManaged.push(props.PermissionsBoundary);
    }
    const tags: Record<string, string> = {};
    for (const tag of asArray(props.Tags)) {
      if (isObject(tag) && typeof tag.Key === 'string' && typeof tag.Value === 'string')
        tags[tag.Key] = tag.Value;
    }
    return { found: true, policies, boundary, awsManaged, tags };
  }

  /**
   * The resource-based policy that governs requests to a resource, or null
   * when the resource type takes none (only identity policies decide, and only
   * for principals of its own account). Service defaults stand in where a
   * resource has no policy of its own: the default key policy, the default topic policy.
   */
  public resourcePolicyOf(target: Located): PolicyLayer | null {
    if (this.resourceCache.has(target.resource)) return this.resourceCache.get(target.resource)!;
    const layer = this.findResourcePolicy(target);
    this.resourceCache.set(target.resource, layer);
    return layer;
  }

  private findResourcePolicy(target: Located): PolicyLayer | null {
    const { stack, resource } = target;
    const env = this.resolver.environment(stack);
    const props = resource.json.Properties ?? {};
    const attached = (
      types: string[],
      property: string,
      names: { readonly texts: readonly string[]; readonly resource?: unknown },
      kind: string,
    ) => {
      const statements: unknown[] = [];
      const labels: string[] = [];
      for (const candidate of this.attachedTo(types, property, names.texts, names.resource)) {
        const raw = candidate.resource.json.Properties ?? {};
        const document = this.document(candidate.stack, raw.PolicyDocument);
        statements.push(...asArray(document?.Statement));
        labels.push(describeLocated(candidate));
      }
      return labels.length > 0
        ? {
            kind: 'resource' as const,
            label: `${kind} ${labels.join(', ')}`,
            document: { Version: VERSION, Statement: statements },
          }
        : undefined;
    };
    switch (resource.type) {
      case 'AWS::S3::Bucket': {
        const name = this.resolver.refOf(stack, resource.logicalId);
        return attached(['AWS::S3::BucketPolicy'], 'Bucket', { texts: [name] }, 'bucket policy') ?? null;
      }
      case 'AWS::KMS::Key': {
        const document = props.KeyPolicy !== undefined ? this.document(stack, props.KeyPolicy) : undefined;
        return document
          ? { kind: 'resource', label: `key policy of ${describeLocated(target)}`, document }
          : {
              kind: 'resource',
              label: `default key policy of ${describeLocated(target)}`,
              document: {
                Version: VERSION,
                Statement: [
                  {
                    Sid: 'Enable IAM User Permissions',
                    Effect: 'Allow',
                    Principal: { AWS: `arn:${env.partition}:iam::${env.account}:root` },
                    Action: 'kms:*',
                    Resource: '*',
                  },
                ],
              },
            };
      }
      case 'AWS::SNS::Topic': {
        const found =
          attached(['AWS::SNS::TopicPolicy'], 'Topics', { texts: [target.arn] }, 'topic policy') ??
          attached(['AWS::SNS::TopicInlinePolicy'], 'TopicArn', { texts: [target.arn] }, 'topic policy');
        return (
          found ?? {
            kind: 'resource',
            label: `default topic policy of ${describeLocated(target)}`,
            document: defaultTopicPolicy(target.arn, env.account),
          }
        );
      }
      case 'AWS::SQS::Queue': {
        const url = this.resolver.refOf(stack, resource.logicalId);
        return (
          attached(['AWS::SQS::QueuePolicy'], 'Queues', { texts: [url] }, 'queue policy') ??
          attached(['AWS::SQS::QueueInlinePolicy'], 'Queue', { texts: [url] }, 'queue policy') ??
          null
        );
      }
      case 'AWS::Lambda::Function':
        return this.lambdaPolicy(target);
      case 'AWS::Events::EventBus':
        return this.eventBusPolicy(target);
      case 'AWS::SecretsManager::Secret':
        return (
          attached(
            ['AWS::SecretsManager::ResourcePolicy'],
            'SecretId',
            { texts: [target.arn], resource },
            'secret policy',
          ) ?? null
        );
      case 'AWS::IAM::Role': {
        const document = this.document(stack, props.AssumeRolePolicyDocument);
        return document
          ? {
              kind: 'resource',
              label: `trust policy of role ${this.resolver.refOf(stack, resource.logicalId)}`,
              document,
            }
          : null;
      }
      case 'AWS::Logs::ResourcePolicy': {
        const document = this.document(stack, props.PolicyDocument);
        return document
          ? { kind: 'resource', label: `log resource policy ${describeLocated(target)}`, document }
          : null;
      }
      case 'AWS::EC2::VPCEndpoint':
        return this.endpointPolicyOf(target);
      case 'AWS::DynamoDB::Table': {
        const document = isObject(props.ResourcePolicy)
          ? this.document(stack, props.ResourcePolicy.PolicyDocument)
          : undefined;
        return document
          ? { kind: 'resource', label: `resource policy of table ${describeLocated(target)}`, document }
          : null;
      }
      default:
        return null;
    }
  }

  /** `AWS::Lambda::Permission` resources of a function, as the resource policy Lambda builds from them. */
  /**
   * Every AWS::Lambda::Permission of the audit, resolved once: by the function it names when its
   * FunctionName is an ARN or reference the catalog finds, else kept by name (found against each
   * target's ARN). Looking each function's permissions up here keeps many inputs linear.
   */
  private permissionIndex(): Permissions {
    if (this.permissions) return this.permissions;
    const byFunction = new Map<Located['resource'], PermissionEntry[]>();
    const byName: PermissionEntry[] = [];
    [...this.catalog.ofType('AWS::Lambda::Permission')].forEach((located, order) => {
      const props = this.resolver.properties(located.stack, located.resource);
      const named = typeof props.FunctionName === 'string' ? props.FunctionName : '';
      const entry: PermissionEntry = { located, props, named, order };
      const fn = this.catalog.find(named);
      if (fn) byFunction.set(fn.resource, [...(byFunction.get(fn.resource) ?? []), entry]);
      else byName.push(entry);
    });
    this.permissions = { byFunction, byName };
    return this.permissions;
  }

  private lambdaPolicy(target: Located): PolicyLayer | null {
    const statements: unknown[] = [];
    const labels: string[] = [];
    const { byFunction, byName } = this.permissionIndex();
    const prefix = target.arn.slice(0, target.arn.lastIndexOf(':') + 1);
    const entries = [
      ...(byFunction.get(target.resource) ?? []),
      ...byName.filter((entry) => this.catalog.find(`${prefix}${entry.named}`)?.resource === target.resource),
    ].sort((a, b) => a.order - b.order);
    for (const { located: permission, props } of entries) {
      const principal = String(props.Principal ?? '');
      const condition: Record<string, Record<string, unknown>> = {};
      if (props.SourceArn !== undefined) condition.ArnLike = { 'AWS:SourceArn': props.SourceArn };
      if (props.SourceAccount !== undefined)
        (condition.StringEquals ??= {})['AWS:SourceAccount'] = props.SourceAccount;
      if (props.PrincipalOrgID !== undefined)
        (condition.StringEquals ??= {})['aws:PrincipalOrgID'] = props.PrincipalOrgID;
      if (props.FunctionUrlAuthType !== undefined)
        (condition.StringEquals ??= {})['lambda:FunctionUrlAuthType'] = props.FunctionUrlAuthType;
      statements.push({
        Sid: permission.resource.logicalId,
        Effect: 'Allow',
        Principal: principalOf(principal, this.resolver.environment(permission.stack).partition),
        Action: props.Action,
        Resource: target.arn,
        ...(Object.keys(condition).length > 0 ? { Condition: condition } : {}),
      });
      labels.push(describeLocated(permission));
    }
    return labels.length > 0
      ? {
          kind: 'resource',
          label: `function policy from ${labels.join(', ')}`,
          document: { Version: VERSION, Statement: statements },
        }
      : null;
  }

  /** `AWS::Events::EventBusPolicy` resources (statement or legacy form) and the bus's own `Policy`. */
  private eventBusPolicy(target: Located): PolicyLayer | null {
    const name = this.resolver.refOf(target.stack, target.resource.logicalId);
    const statements: unknown[] = [];
    const labels: string[] = [];
    const own = this.resolver.properties(target.stack, target.resource).Policy;
    const ownDocument = own !== undefined ? policyDocument(own) : undefined;
    if (ownDocument) {
      statements.push(...asArray(ownDocument.Statement));
      labels.push(describeLocated(target));
    }
    for (const policy of this.catalog
      .ofType('AWS::Events::EventBusPolicy')
      .filter((candidate) => candidate.stack === target.stack)) {
      const props = this.resolver.properties(policy.stack, policy.resource);
      const bus = typeof props.EventBusName === 'string' ? props.EventBusName : 'default';
      if (bus !== name && bus !== target.arn) continue;
      if (isObject(props.Statement)) {
        statements.push({ Sid: props.StatementId, ...props.Statement });
      } else {
        const condition = isObject(props.Condition)
          ? { StringEquals: { [String(props.Condition.Key)]: props.Condition.Value } }
          : undefined;
        statements.push({
          Sid: props.StatementId,
          Effect: 'Allow',
          Principal: principalOf(
            String(props.Principal ?? ''),
            this.resolver.environment(policy.stack).partition,
          ),
          Action: props.Action,
          Resource: target.arn,
          ...(condition ? { Condition: condition } : {}),
        });
      }
      labels.push(describeLocated(policy));
    }
    return labels.length > 0
      ? {
          kind: 'resource',
          label: `event bus policy ${labels.join(', ')}`,
          document: { Version: VERSION, Statement: statements },
        }
      : null;
  }

  /** The policy of an interface VPC endpoint; an endpoint without one allows every request (the AWS default). */
  public endpointPolicyOf(endpoint: Located): PolicyLayer {
    const document = this.document(endpoint.stack, endpoint.resource.json.Properties?.PolicyDocument);
    return document
      ? { kind: 'endpoint', label: `endpoint policy of ${describeLocated(endpoint)}`, document }
      : {
          kind: 'endpoint',
          label: `default (full access) endpoint policy of ${describeLocated(endpoint)}`,
          document: {
            Version: VERSION,
            Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
          },
        };
  }

  /**
   * Service control policies over principals of an account: every
   * `AWS::Organizations::Policy` of type SERVICE_CONTROL_POLICY whose targets
   * name the account, or name an OU or root (taken to hold every audited
   * account but the management account that deploys the policies).
   */
  /** The SCPs of each account asked for, one array per account (a request's tuple of layers names it). */
  private readonly scpsByAccount = new Map<string, readonly PolicyLayer[]>();

  public scpsFor(account: string): readonly PolicyLayer[] {
    let known = this.scpsByAccount.get(account);
    if (!known) this.scpsByAccount.set(account, (known = this.collectScps(account)));
    return known;
  }

  private collectScps(account: string): PolicyLayer[] {
    if (!this.scps) {
      this.scps = [];
      for (const policy of this.catalog.ofType('AWS::Organizations::Policy')) {
        const props = this.resolver.properties(policy.stack, policy.resource);
        if (props.Type !== 'SERVICE_CONTROL_POLICY') continue;
        const document = policyDocument(props.Content);
        if (!document) continue;
        this.scps.push({
          layer: { kind: 'scp', label: `service control policy ${describeLocated(policy)}`, document },
          targets: asArray(props.TargetIds).map(String),
          owner: this.resolver.environment(policy.stack).account,
        });
      }
    }
    return this.scps
      .filter(
        (scp) =>
          account !== scp.owner &&
          scp.targets.some((target) => target === account || !/^\d{12}$/.test(target)),
      )
      .map((scp) => scp.layer);
  }
}

/** A `Principal` block for a principal given as one string (Lambda permissions, legacy bus policies). */
function principalOf(principal: string, partition: string): unknown {
  if (principal === '*') return '*';
  if (/^\d{12}$/.test(principal)) return { AWS: `arn:${partition}:iam::${principal}:root` };
  if (principal.startsWith('arn:')) return { AWS: principal };
  return { Service: principal };
}

/** The policy SNS gives a topic that has none: principals of the owner account (`AWS:SourceOwner`). */
function defaultTopicPolicy(topicArn: string, account: string): Record<string, unknown> {
  return {
    Version: '2008-10-17',
    Statement: [
      {
        Sid: '__default_statement_ID',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: [
          'SNS:GetTopicAttributes',
          'SNS:SetTopicAttributes',
          'SNS:AddPermission',
          'SNS:RemovePermission',
          'SNS:DeleteTopic',
          'SNS:Subscribe',
          'SNS:ListSubscriptionsByTopic',
          'SNS:Publish',
        ],
        Resource: topicArn,
        Condition: { StringEquals: { 'AWS:SourceOwner': account } },
      },
    ],
  };
}
