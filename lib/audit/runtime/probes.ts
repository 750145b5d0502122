import { conditionEntries, parseOperator, principalEntries, statements } from '../iam';
import { isObject } from '../values';
import type { AssemblyCatalog, Located } from './catalog';
import type { PolicyLayer, PolicyLayers } from './layers';
import { assumesWithSource, sendsSourceToKms, serviceOf } from './services';
import type { Flow, FlowPrincipal, FlowRequest, IdentityMode } from './types';

/** Jurisdictions whose employees may never reach enclave data (the config's default). */
export const DEFAULT_BLOCKED_JURISDICTIONS: readonly string[] = ['CN', 'RU', 'KP', 'IR'];

/**
 * What a forbidden principal must never do on each kind of resource: read or
 * write its data, or take it over (a key's policy and grants, a bucket's policy).
 */
const PROBED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'AWS::S3::Bucket': ['s3:GetObject', 's3:PutObject', 's3:ListBucket', 's3:PutBucketPolicy'],
  'AWS::KMS::Key': ['kms:Decrypt', 'kms:GenerateDataKey', 'kms:CreateGrant', 'kms:PutKeyPolicy'],
  'AWS::SNS::Topic': ['sns:Publish', 'sns:Subscribe'],
  'AWS::SQS::Queue': ['sqs:SendMessage', 'sqs:ReceiveMessage'],
  'AWS::Lambda::Function': ['lambda:InvokeFunction'],
  'AWS::Events::EventBus': ['events:PutEvents', 'events:PutRule'],
  'AWS::SecretsManager::Secret': ['secretsmanager:GetSecretValue'],
  'AWS::IAM::Role': ['sts:AssumeRole'],
  'AWS::DynamoDB::Table': ['dynamodb:GetItem', 'dynamodb:PutItem'],
  // An account's CloudWatch Logs resource policy: who may write its log groups.
  'AWS::Logs::ResourcePolicy': ['logs:CreateLogStream', 'logs:PutLogEvents'],
  // Interface and gateway endpoints: whose requests the endpoint carries (actions by service below).
  'AWS::EC2::VPCEndpoint': [],
};

/** What a forbidden principal must not do through an endpoint of each service. */
const ENDPOINT_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  s3: ['s3:GetObject', 's3:PutObject'],
  logs: ['logs:PutLogEvents'],
  secretsmanager: ['secretsmanager:GetSecretValue'],
  sqs: ['sqs:SendMessage', 'sqs:ReceiveMessage'],
  sns: ['sns:Publish'],
  kms: ['kms:Decrypt'],
  dynamodb: ['dynamodb:GetItem'],
  sts: ['sts:AssumeRole'],
  events: ['events:PutEvents'],
  ec2: ['ec2:CreateRoute'],
};

/** Policies that serve the account's own principals: probing them with its own principals proves nothing. */
const ACCOUNT_SERVICE_POLICIES = new Set(['AWS::Logs::ResourcePolicy', 'AWS::EC2::VPCEndpoint']);

/** S3 actions whose resource is an object, not the bucket. */
const S3_OBJECT_ACTION =
  /^s3:(get|put|delete|restore|replicate)object|^s3:(abortmultipartupload|objectowneroverridetobucketowner|replicate(delete|tags))/i;

/** Condition keys whose value the caller chooses: a probe sends what the policy asks for, so they protect nothing. */
const CALLER_CHOSEN = [
  /^sts:externalid$/i,
  /^sts:rolesessionname$/i,
  /^aws:multifactorauthpresent$/i,
  /^aws:securetransport$/i,
  /^aws:requestedregion$/i,
  /^aws:requesttag\//i,
  /^aws:tagkeys$/i,
  /^kms:viaservice$/i,
  /^kms:encryptioncontext/i,
  /^kms:encryptionalgorithm$/i,
  /^s3:x-amz-/i,
  /^s3:if-(none-)?match$/i,
  /^s3:tlsversion$/i,
  /^s3:prefix$/i,
];

/** Keys a principal of another account controls on itself: its own tags and, inside the organisation, the org ID. */
const OWN_PRINCIPAL = [/^aws:principaltag\//i];
const ORGANISATION = [/^aws:principalorgid$/i, /^aws:principalorgpaths$/i];
/** What each kind of probe chooses: one list each, so that a policy's values are worked out once per list. */
const OUTSIDE_CHOOSES = [...CALLER_CHOSEN, ...OWN_PRINCIPAL];
const OTHER_ACCOUNT_CHOOSES = [...CALLER_CHOSEN, ...OWN_PRINCIPAL, ...ORGANISATION];
const OWN_ACCOUNT_CHOOSES = [...CALLER_CHOSEN, ...ORGANISATION];

interface Probe {
  readonly principal: FlowPrincipal;
  readonly who: string;
  readonly identity: (action: string) => IdentityMode;
  /** Extra context the probe carries (its tags, its source). */
  readonly context: Record<string, string>;
  /** Keys whose values the probe may choose to satisfy the policy. */
  readonly chosen: readonly RegExp[];
  readonly rule: 'CLV-RUN-3' | 'CLV-RUN-4';
}

const role = (partition: string, account: string, name: string): FlowPrincipal => ({
  kind: 'role',
  arn: `arn:${partition}:iam::${account}:role/${name}`,
  account,
});

/** A condition of a policy on a key the caller might choose: its statement's effect, operator and first literal. */
interface ConditionChoice {
  readonly key: string;
  readonly effect: string | undefined;
  readonly base: string;
  readonly literal: string | boolean;
}

/** The policy's conditions that hold a literal, in statement order: what a probe may choose values for. */
function conditionChoices(layer: PolicyLayer): ConditionChoice[] {
  const choices: ConditionChoice[] = [];
  for (const statement of statements(layer.document)) {
    for (const entry of conditionEntries(statement)) {
      const literal = entry.values.find(
        (value): value is string | boolean => typeof value === 'string' || typeof value === 'boolean',
      );
      if (literal === undefined) continue;
      choices.push({
        key: entry.key,
        effect: statement.effect,
        base: parseOperator(entry.operator).base,
        literal,
      });
    }
  }
  return choices;
}

/** A value that satisfies a condition on a caller-chosen key (from the allows; else one that avoids the denies). */
function chosenValues(
  choices: readonly ConditionChoice[],
  chosen: readonly RegExp[],
): Record<string, string> {
  const out: Record<string, string> = {};
  const fromDeny: Record<string, string> = {};
  for (const { key, effect, base, literal } of choices) {
    if (!chosen.some((pattern) => pattern.test(key))) continue;
    const text = String(literal).replace(/[*?]/g, 'x');
    const negated = /Not/.test(base);
    if (base === 'Null') {
      // Null "true" asks for an absent key, "false" for a present one: a probe that sends the key passes a deny on absence.
      if (effect === 'Deny' && String(literal) === 'true') fromDeny[key] ??= 'x';
      continue;
    }
    if (effect === 'Allow' && !negated) out[key] ??= text;
    else if (effect === 'Deny') {
      if (base === 'Bool') fromDeny[key] ??= String(literal) === 'true' ? 'false' : 'true';
      else if (negated) fromDeny[key] ??= text;
    }
  }
  return { ...fromDeny, ...out };
}

/**
 * Forbidden flows, one resource-based policy at a time: whether that policy,
 * by itself, lets in anyone who must never get in — an anonymous caller, a
 * principal of an account outside the audited set, an unnamed principal of
 * another audited account, a principal of the resource's own account without
 * the approved-employee tags or from a blocked jurisdiction, or an AWS service
 * acting for another account. Principals of other accounts are assumed to hold
 * an allow-all identity policy, and every condition key a caller chooses
 * (external ID, MFA, headers, encryption context, `kms:ViaService`) carries
 * the value the policy asks for.
 */
export function probeFlows(
  catalog: AssemblyCatalog,
  layers: PolicyLayers,
  options: {
    readonly blockedJurisdictions: readonly string[];
    readonly approvedTag: string;
    readonly jurisdictionTag: string;
  },
): Flow[] {
  const resolver = catalog.resolver;
  const known = new Set(resolver.stacks.map((stack) => resolver.environment(stack).account));
  let outside = 999999999999;
  while (known.has(String(outside))) outside--;
  const outsideAccount = String(outside);
  const flows: Flow[] = [];
  for (const located of catalog.ofType(...Object.keys(PROBED_ACTIONS))) {
    const layer = layers.resourcePolicyOf(located);
    const env = resolver.environment(located.stack);
    const actions = probedActions(catalog, located);
    if (actions.length === 0) continue;
    const allows = layer
      ? statements(layer.document).filter((statement) => statement.effect === 'Allow')
      : [];
    const accountService = ACCOUNT_SERVICE_POLICIES.has(located.resource.type);
    // An endpoint's default policy (full access) is a policy like any other; other defaults are AWS's own.
    if (accountService && (!layer || allows.length === 0)) continue;
    if (!layer || (layer.label.startsWith('default ') && !accountService) || allows.length === 0) {
      // No policy of the template's own can let anyone in: one outside probe shows that the store refuses other accounts.
      flows.push(
        outsideOnly(located, layer, env, role(env.partition, outsideAccount, 'clover-probe'), outsideAccount),
      );
      continue;
    }
    const named = new Set<string>();
    const services = new Set<string>();
    for (const statement of allows) {
      for (const entry of principalEntries(statement.principal)) {
        if (entry.kind === 'service' && typeof entry.value === 'string') services.add(entry.value);
        if (entry.kind === 'aws' && typeof entry.value === 'string') {
          const account = /^\d{12}$/.test(entry.value)
            ? entry.value
            : /^arn:[^:]+:iam::(\d{12}):/.exec(entry.value)?.[1];
          if (account) named.add(account);
        }
      }
    }
    // Another audited account differs from an outside one only where the policy names it or the organisation.
    const text = JSON.stringify(layer.document);
    const organisation = /aws:principalorg(id|paths)/i.test(text);
    const representative = organisation
      ? [...known].filter((account) => account !== env.account).slice(0, 1)
      : [];
    const others = [...new Set([...named, ...representative])].filter(
      (account) => account !== env.account && account !== outsideAccount,
    );
    const trust = located.resource.type === 'AWS::IAM::Role';
    const sameAccountIdentity = (action: string): IdentityMode =>
      action.startsWith('sts:') ? 'allow-all' : 'none';
    const mentionsTags = /aws:principaltag\//i.test(text);
    const probes: Probe[] = [
      // Of these services only S3 serves unsigned requests; elsewhere "*" is probed by the outside account.
      ...(located.resource.type === 'AWS::S3::Bucket'
        ? [
            {
              principal: { kind: 'anonymous' } as const,
              who: 'an anonymous caller',
              identity: (): IdentityMode => 'none',
              context: {},
              chosen: CALLER_CHOSEN,
              rule: 'CLV-RUN-3' as const,
            },
          ]
        : []),
      {
        principal: role(env.partition, outsideAccount, 'clover-probe'),
        who: `a principal of an account outside the audited set (${outsideAccount})`,
        identity: () => 'allow-all',
        context: {},
        chosen: OUTSIDE_CHOOSES,
        rule: 'CLV-RUN-3',
      },
      ...others.map((account): Probe => ({
        principal: role(env.partition, account, 'clover-probe'),
        who: `an unnamed principal of account ${account}`,
        identity: () => 'allow-all',
        context: {},
        chosen: OTHER_ACCOUNT_CHOOSES,
        rule: 'CLV-RUN-3',
      })),
      ...(accountService
        ? []
        : [
            {
              principal: role(env.partition, env.account, 'clover-probe'),
              who: `a principal of account ${env.account} without the approved-employee tags`,
              identity: sameAccountIdentity,
              context: {},
              chosen: OWN_ACCOUNT_CHOOSES,
              rule: 'CLV-RUN-3' as const,
            },
          ]),
      ...(mentionsTags && !accountService
        ? options.blockedJurisdictions.slice(0, 1).map((blocked): Probe => ({
            principal: role(env.partition, env.account, 'clover-probe'),
            who: `a principal of account ${env.account} tagged as an approved employee in blocked jurisdiction ${blocked}`,
            identity: sameAccountIdentity,
            context: {
              [`aws:PrincipalTag/${options.approvedTag}`]: 'true',
              [`aws:PrincipalTag/${options.jurisdictionTag}`]: blocked,
            },
            chosen: OWN_ACCOUNT_CHOOSES,
            rule: 'CLV-RUN-3',
          }))
        : []),
      ...[...services]
        .filter((service) => !trust || assumesWithSource(service))
        .map((service): Probe => ({
          principal: { kind: 'service', service, sourceAccount: outsideAccount },
          who: `${serviceOf(service)} (${service}) acting for another account (${outsideAccount})`,
          identity: () => 'templates',
          context: serviceSourceContext(located, service, outsideAccount, env.partition, env.region),
          // The service sends its usual headers (CloudTrail's bucket-owner-full-control) whoever it acts for.
          chosen: CALLER_CHOSEN,
          rule: 'CLV-RUN-4',
        })),
    ];
    const objects = objectKeys(located, allows);
    const choices = conditionChoices(layer);
    const chosenBy = new Map<readonly RegExp[], Record<string, string>>();
    for (const probe of probes) {
      let chosen = chosenBy.get(probe.chosen);
      if (!chosen) chosenBy.set(probe.chosen, (chosen = chosenValues(choices, probe.chosen)));
      const context = { ...chosen, ...probe.context };
      const requests: FlowRequest[] = actions
        .flatMap((action) => probeResources(located, action, objects, env))
        .map(([action, resource]) => ({
          principal: probe.principal,
          action,
          resource,
          resourceAccount: env.account,
          resourceRegion: env.region,
          context,
          identity: probe.identity(action),
          resourceLayerOnly: true,
          policy: layer,
        }));
      flows.push({
        id: `${env.stackName}/${located.resource.logicalId}/probe:${probe.who}`,
        kind: 'forbidden',
        origin: 'probe',
        title: `${probe.who} → ${layer.label}`,
        anchor: { stack: located.stack, logicalId: policyAnchor(catalog, located) },
        requests,
        rule: probe.rule,
      });
    }
  }
  return flows;
}

/** The outside-account probe of a resource whose template gives it no policy that could grant. */
function outsideOnly(
  located: Located,
  layer: PolicyLayer | null,
  env: { readonly account: string; readonly region: string; readonly partition: string },
  principal: FlowPrincipal,
  account: string,
): Flow {
  const what = layer?.label ?? `${located.resource.type} ${located.resource.logicalId} (no resource policy)`;
  return {
    id: `${located.stack.index.context.stackName}/${located.resource.logicalId}/probe:outside`,
    kind: 'forbidden',
    origin: 'probe',
    title: `a principal of an account outside the audited set (${account}) → ${what}`,
    anchor: { stack: located.stack, logicalId: located.resource.logicalId },
    requests: PROBED_ACTIONS[located.resource.type].slice(0, 1).map((action) => ({
      principal,
      action,
      resource: probeResources(located, action, [`${located.arn}/clover-probe-object`], env)[0][1],
      resourceAccount: env.account,
      resourceRegion: env.region,
      context: {},
      identity: 'allow-all',
      resourceLayerOnly: true,
    })),
    rule: 'CLV-RUN-3',
  };
}

/** What a service sends when it acts for another account: that account as source, and for KMS an encryption context of its resource. */
function serviceSourceContext(
  located: Located,
  service: string,
  account: string,
  partition: string,
  region: string,
): Record<string, string> {
  const name = serviceOf(service);
  const sourceArn = `arn:${partition}:${name === 'vpc-flow-logs' || name === 'delivery.logs' ? 'logs' : name}:${region}:${account}:clover-probe`;
  const context: Record<string, string> = {};
  if (located.resource.type !== 'AWS::KMS::Key' || sendsSourceToKms(service)) {
    context['aws:SourceAccount'] = account;
    context['aws:SourceArn'] = sourceArn;
  }
  if (located.resource.type === 'AWS::KMS::Key') {
    // The service names its own resource in the encryption context; for another account's resource, that account's ARN.
    for (const key of [
      'aws:logs:arn',
      'aws:s3:arn',
      'aws:sns:topicArn',
      'aws:sqs:arn',
      'aws:cloudtrail:arn',
      'aws:events:event-bus:arn',
      'SecretARN',
    ]) {
      context[`kms:EncryptionContext:${key}`] = sourceArn;
    }
  }
  return context;
}

/** The actions probed on a resource: fixed per type, by service for an endpoint. */
function probedActions(catalog: AssemblyCatalog, located: Located): readonly string[] {
  if (located.resource.type !== 'AWS::EC2::VPCEndpoint') return PROBED_ACTIONS[located.resource.type];
  const props = catalog.resolver.properties(located.stack, located.resource);
  const type = typeof props.VpcEndpointType === 'string' ? props.VpcEndpointType : 'Gateway';
  if (type !== 'Interface' && type !== 'Gateway') return [];
  const service =
    String(props.ServiceName ?? '')
      .split('.')
      .pop() ?? '';
  return ENDPOINT_ACTIONS[service] ?? [];
}

/** A resource of the policy's own account that a probe names through an endpoint or an account policy. */
function accountResource(
  action: string,
  env: { readonly partition: string; readonly region: string; readonly account: string },
): string {
  const { partition, region, account } = env;
  const regional = (service: string, resource: string) =>
    `arn:${partition}:${service}:${region}:${account}:${resource}`;
  switch (action.split(':')[0]) {
    case 's3':
      return `arn:${partition}:s3:::clover-probe-${account}/clover-probe-object`;
    case 'logs':
      return regional('logs', 'log-group:clover-probe:log-stream:clover-probe');
    case 'secretsmanager':
      return regional('secretsmanager', 'secret:clover-probe-AbCdEf');
    case 'sqs':
      return regional('sqs', 'clover-probe');
    case 'sns':
      return regional('sns', 'clover-probe');
    case 'kms':
      return regional('kms', 'key/00000000-0000-4000-8000-000000000000');
    case 'dynamodb':
      return regional('dynamodb', 'table/clover-probe');
    case 'sts':
      return `arn:${partition}:iam::${account}:role/clover-probe`;
    case 'events':
      return regional('events', 'event-bus/default');
    default:
      return regional('ec2', 'route-table/rtb-0123456789abcdef0');
  }
}

/** Most object keys probed per bucket policy. */
const MAX_OBJECT_KEYS = 4;

/**
 * The object keys a caller would try: one under each object resource the
 * policy's allows name (the caller chooses the key), else any key.
 */
function objectKeys(located: Located, allows: ReturnType<typeof statements>): string[] {
  if (located.resource.type !== 'AWS::S3::Bucket') return [];
  const keys = new Set<string>();
  for (const statement of allows) {
    for (const resource of [statement.resource].flat()) {
      if (typeof resource === 'string' && resource.startsWith(`${located.arn}/`))
        keys.add(resource.replace(/[*?]/g, 'x'));
    }
  }
  return keys.size > 0 ? [...keys].slice(0, MAX_OBJECT_KEYS) : [`${located.arn}/clover-probe-object`];
}

function probeResources(
  located: Located,
  action: string,
  objects: readonly string[],
  env: { readonly partition: string; readonly region: string; readonly account: string },
): Array<[string, string]> {
  if (ACCOUNT_SERVICE_POLICIES.has(located.resource.type)) return [[action, accountResource(action, env)]];
  if (located.resource.type === 'AWS::S3::Bucket' && S3_OBJECT_ACTION.test(action))
    return objects.map((object) => [action, object]);
  // Rules are their own resources: a rule on this bus.
  if (action === 'events:PutRule')
    return [[action, `${located.arn.replace(':event-bus/', ':rule/')}/clover-probe`]];
  return [[action, located.arn]];
}

/** The resource a probe finding is reported on: the policy resource when there is one (bucket policy, topic policy), else the resource. */
function policyAnchor(catalog: AssemblyCatalog, located: Located): string {
  const types: Record<string, [string, string]> = {
    'AWS::S3::Bucket': ['AWS::S3::BucketPolicy', 'Bucket'],
    'AWS::SNS::Topic': ['AWS::SNS::TopicPolicy', 'Topics'],
    'AWS::SQS::Queue': ['AWS::SQS::QueuePolicy', 'Queues'],
    'AWS::Events::EventBus': ['AWS::Events::EventBusPolicy', 'EventBusName'],
    'AWS::SecretsManager::Secret': ['AWS::SecretsManager::ResourcePolicy', 'SecretId'],
  };
  const entry = types[located.resource.type];
  if (!entry) return located.resource.logicalId;
  for (const policy of located.stack.index.ofType(entry[0])) {
    const value = policy.json.Properties?.[entry[1]];
    const refs = JSON.stringify(value ?? null);
    if (refs.includes(`"${located.resource.logicalId}"`)) return policy.logicalId;
    if (isObject(value) || typeof value === 'string') {
      const text = catalog.resolver.texts(located.stack, value);
      if (text.some((item) => catalog.find(item)?.resource === located.resource)) return policy.logicalId;
    }
  }
  return located.resource.logicalId;
}
