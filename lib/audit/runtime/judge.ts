import { parseArn } from '../iam';
import type { AssemblyCatalog } from './catalog';
import type { PolicyLayer, PolicyLayers } from './layers';
import { describePrincipal } from './requests';
import type { AssemblyResolver } from './resolver';
import { CaseEvaluator, plainReason, SIMULATOR_MISSING, SimulationOutcome } from './simulate';
import type { Flow, FlowRequest, FlowResult, FlowStatus, RequestContext, RequestVerdict } from './types';

const ALLOW_ALL: PolicyLayer = {
  kind: 'identity',
  label: 'an allow-all identity policy (assumed for the probe)',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** No layers, and a probe's identity layers outside the templates: one array each, for every such request. */
const NO_LAYERS: readonly PolicyLayer[] = [];
const ALLOW_ALL_IDENTITY: readonly PolicyLayer[] = [ALLOW_ALL];

/**
 * IAM services none of whose resources can carry a resource-based policy: a request to one of their
 * resources is decided by the caller's policies (and endpoint, boundary, SCPs) alone, whether or not
 * the resource is in the audited templates.
 */
const SERVICES_WITHOUT_RESOURCE_POLICIES: ReadonlySet<string> = new Set([
  'autoscaling',
  'cloudwatch',
  'ec2',
  'elasticloadbalancing',
]);

/** The ARN IAM sees for a role's session: `arn:aws:sts::111111111111:assumed-role/Name/session`. */
function sessionArn(roleArn: string): string {
  const arn = parseArn(roleArn);
  if (!arn) return roleArn;
  const name = arn.resource.split('/').pop();
  return `arn:${arn.partition}:sts::${arn.account}:assumed-role/${name}/clover-runtime-proof`;
}

/**
 * A request by a role to the default event bus of its own account: the bus exists in every account and
 * Region without a template, and has no resource policy unless one is put (which a template would hold).
 */
function isOwnDefaultBus(request: FlowRequest, arn: ReturnType<typeof parseArn>): boolean {
  return (
    request.principal.kind === 'role' &&
    arn?.service === 'events' &&
    arn.resource === 'event-bus/default' &&
    arn.account === request.principal.account
  );
}

/** Where an account sits in its organisation, as the templates record it. */
export interface AccountOrganization {
  readonly id: string;
  readonly enclaveOus: readonly string[];
}

/**
 * The `aws:PrincipalOrgPaths` of an account under the enclave OUs: `o-…/r-…/ou-…/`. The templates name
 * the OUs, not the root between them and the organisation, which the path shows as `r-clover`; the
 * proof takes each enclave account to sit under every enclave OU the config names.
 */
export function organizationPaths(organization: AccountOrganization): string[] {
  return organization.enclaveOus.map((unit) =>
    unit.startsWith('r-') ? `${organization.id}/${unit}/` : `${organization.id}/r-clover/${unit}/`,
  );
}

/** The keys every request of this principal carries, without the request's own (which come after them). */
function globalContext(
  request: FlowRequest,
  today: string,
  principalKeys: Readonly<Record<string, string | readonly string[]>> = {},
): Record<string, string | readonly string[]> {
  const context: Record<string, string | readonly string[]> = {
    'aws:SecureTransport': 'true',
    'aws:CurrentTime': `${today}T12:00:00Z`,
    'aws:EpochTime': String(Math.floor(Date.parse(`${today}T12:00:00Z`) / 1000)),
  };
  const region = request.endpointRegion ?? request.resourceRegion;
  if (region) context['aws:RequestedRegion'] = region;
  const principal = request.principal;
  if (principal.kind === 'role') {
    context['aws:PrincipalArn'] = principal.arn;
    context['aws:PrincipalAccount'] = principal.account;
    context['aws:PrincipalType'] = 'AssumedRole';
    context['aws:PrincipalIsAWSService'] = 'false';
    context['aws:ViaAWSService'] = request.context['kms:ViaService'] !== undefined ? 'true' : 'false';
    if (request.action.toLowerCase().startsWith('kms:')) context['kms:CallerAccount'] = principal.account;
    Object.assign(context, principalKeys);
  } else if (principal.kind === 'service') {
    context['aws:PrincipalIsAWSService'] = 'true';
    context['aws:PrincipalServiceName'] = principal.service;
  }
  if (request.vpcEndpoint) {
    context['aws:SourceVpce'] = request.vpcEndpoint.id;
    if (request.vpcEndpoint.vpc) context['aws:SourceVpc'] = request.vpcEndpoint.vpc;
  }
  return context;
}

/**
 * Judges flows with the simulator against every layer the inputs hold for
 * each request: identity policies and boundary of a role, the account's SCPs,
 * the resource policy, the VPC endpoint policy; or, for a probe, the resource
 * policy alone. A region the request cannot reach is decided before IAM.
 */
export class FlowJudge {
  /** Organisation membership by account, from the stacks' `Clover::Enclave` metadata. */
  private readonly organizations = new Map<string, AccountOrganization>();

  constructor(
    private readonly catalog: AssemblyCatalog,
    private readonly layers: PolicyLayers,
    private readonly simulator: CaseEvaluator | undefined,
    private readonly today: string,
  ) {
    for (const stack of catalog.resolver.stacks) {
      const organization = stack.index.enclave?.organization;
      if (organization) this.organizations.set(catalog.resolver.environment(stack).account, organization);
    }
  }

  /** The parts of the last resource ARN asked: a flow's requests name one resource one after the other. */
  private lastArn?: { readonly text: string; readonly parsed: ReturnType<typeof parseArn> };

  private parsedArn(text: string): ReturnType<typeof parseArn> {
    if (this.lastArn?.text !== text) this.lastArn = { text, parsed: parseArn(text) };
    return this.lastArn.parsed;
  }

  /** Each role's session ARN: a role makes many requests. */
  private readonly sessions = new Map<string, string>();

  private sessionOf(roleArn: string): string {
    let session = this.sessions.get(roleArn);
    if (session === undefined) this.sessions.set(roleArn, (session = sessionArn(roleArn)));
    return session;
  }

  /** What a role's sessions carry about the role itself: its organisation and OU paths, and its tags. */
  private principalKeys(account: string, tags: Readonly<Record<string, string>> = {}) {
    const keys: Record<string, string | readonly string[]> = {};
    const organization = this.organizations.get(account);
    if (organization) {
      keys['aws:PrincipalOrgID'] = organization.id;
      keys['aws:PrincipalOrgPaths'] = organizationPaths(organization);
    }
    for (const [key, value] of Object.entries(tags)) keys[`aws:PrincipalTag/${key}`] = value;
    return keys;
  }

  /**
   * The result of a flow: at once when every request was decided without waiting (the shape memo
   * answers most from cases it has seen), else a promise. Tens of thousands of requests need no
   * promise each.
   */
  public judge(flow: Flow): FlowResult | Promise<FlowResult> {
    if (flow.unresolved) {
      return {
        flow,
        status: 'not-judged',
        verdicts: [],
        deciding: {
          request: flow.requests[0],
          status: 'not-judged',
          reason: `not judged: ${flow.unresolved}`,
        },
      };
    }
    if (!this.simulator) {
      return {
        flow,
        status: 'not-judged',
        verdicts: [],
        deciding: { request: flow.requests[0], status: 'not-judged', reason: SIMULATOR_MISSING },
      };
    }
    const verdicts: RequestVerdict[] = [];
    for (let position = 0; position < flow.requests.length; position++) {
      const verdict = this.judgeRequest(flow.requests[position]);
      if (verdict instanceof Promise) return this.judgeFrom(flow, verdicts, verdict, position);
      verdicts.push(verdict);
    }
    return conclude(flow, verdicts);
  }

  /** The rest of a flow once a request had to wait for the simulator. */
  private async judgeFrom(
    flow: Flow,
    verdicts: RequestVerdict[],
    pending: Promise<RequestVerdict>,
    position: number,
  ): Promise<FlowResult> {
    verdicts.push(await pending);
    for (let next = position + 1; next < flow.requests.length; next++)
      verdicts.push(await this.judgeRequest(flow.requests[next]));
    return conclude(flow, verdicts);
  }

  /**
   * The request context IAM sees, in two parts: the keys every request of the principal carries (one
   * object per principal and what they depend on, kept), then the request's own. The requests of one flow
   * that differ only in action and resource (a probe's) are judged one after the other and get the very
   * same parts, so the shape memo works each out once (memo.ts); the last request's are kept.
   */
  private last?: HeldContext;

  /** The keys a principal's requests share, by what they depend on: one object each. */
  private readonly shared = new Map<string, RequestContext>();

  private contextOf(
    request: FlowRequest,
    knownOwner: string | undefined,
    tags: Readonly<Record<string, string>> | undefined,
  ): HeldContext {
    const { principal } = request;
    const kms = request.action.toLowerCase().startsWith('kms:');
    const last = this.last;
    // What globalContext reads besides the action and resource: the same objects give the same context.
    if (
      last &&
      last.request.context === request.context &&
      last.request.principal === principal &&
      last.request.identity === request.identity &&
      last.request.endpointRegion === request.endpointRegion &&
      last.request.resourceRegion === request.resourceRegion &&
      last.request.vpcEndpoint === request.vpcEndpoint &&
      last.knownOwner === knownOwner &&
      last.kms === kms
    )
      return last;
    // A role of the templates carries its tags and organisation; a probe only what it chooses to send.
    const ownKeys = principal.kind === 'role' && request.identity === 'templates';
    const key = [
      knownOwner ?? '',
      request.endpointRegion ?? request.resourceRegion ?? '',
      principal.kind === 'role'
        ? `${principal.arn}\u0000${principal.account}`
        : principal.kind === 'service'
          ? principal.service
          : '',
      principal.kind,
      kms ? 'kms' : '',
      request.context['kms:ViaService'] !== undefined ? 'via' : '',
      request.vpcEndpoint ? `${request.vpcEndpoint.id}\u0000${request.vpcEndpoint.vpc ?? ''}` : '',
      ownKeys ? 'own' : '',
    ].join('\u0001');
    let shared = this.shared.get(key);
    if (!shared) {
      shared = {
        ...(knownOwner ? { 'aws:ResourceAccount': knownOwner } : {}),
        ...globalContext(
          request,
          this.today,
          ownKeys && principal.kind === 'role' ? this.principalKeys(principal.account, tags) : {},
        ),
      };
      this.shared.set(key, shared);
    }
    this.last = new HeldContext(request, knownOwner, kms, [shared, request.context]);
    return this.last;
  }

  private judgeRequest(request: FlowRequest): RequestVerdict | Promise<RequestVerdict> {
    const regionProblem = this.regionProblem(request);
    if (regionProblem) return { request, status: 'denied', reason: regionProblem };
    let resourcePolicy = request.policy;
    // The owner of the resource when it is known for sure: the stack that holds it, or its ARN.
    const resourceArn = this.parsedArn(request.resource);
    let knownOwner = resourceArn?.account || undefined;
    if (!resourcePolicy) {
      const target = this.catalog.find(request.resource);
      if (target) knownOwner = this.catalog.placeOf(target).account;
      if (
        !target &&
        !SERVICES_WITHOUT_RESOURCE_POLICIES.has(resourceArn?.service ?? '') &&
        !isOwnDefaultBus(request, resourceArn)
      ) {
        // (Every account's default event bus has no policy unless one is put: identity policies decide.)
        return {
          request,
          status: 'not-judged',
          reason: `not judged: ${request.resource} is not among the audited templates, so its policies are unknown`,
        };
      }
      resourcePolicy = target ? (this.layers.resourcePolicyOf(target) ?? undefined) : undefined;
    }
    const principal = request.principal;
    let identity: readonly PolicyLayer[] = NO_LAYERS;
    let boundary: PolicyLayer | undefined;
    let scps: readonly PolicyLayer[] = NO_LAYERS;
    let awsManaged: readonly string[] = [];
    let tags: Readonly<Record<string, string>> | undefined;
    if (request.identity === 'allow-all') identity = ALLOW_ALL_IDENTITY;
    else if (request.identity === 'templates' && principal.kind === 'role') {
      const layers = this.layers.identityOf(principal.arn);
      if (!layers.found) {
        return {
          request,
          status: 'not-judged',
          reason: `not judged: role ${principal.arn} is not among the audited templates, so its policies are unknown`,
        };
      }
      identity = layers.policies;
      boundary = layers.boundary;
      awsManaged = layers.awsManaged;
      tags = layers.tags;
    }
    if (principal.kind === 'role' && !request.resourceLayerOnly)
      scps = this.layers.scpsFor(principal.account);
    let endpoint: PolicyLayer | undefined;
    if (request.vpcEndpoint) {
      const located = this.catalog.find(request.vpcEndpoint.id);
      if (!located)
        return {
          request,
          status: 'not-judged',
          reason: `not judged: VPC endpoint ${request.vpcEndpoint.name} is not among the audited templates`,
        };
      endpoint = this.layers.endpointPolicyOf(located);
    }
    const held = this.contextOf(request, knownOwner, tags);
    const outcome = this.simulator!.evaluate({
      principal:
        principal.kind === 'role'
          ? this.sessionOf(principal.arn)
          : principal.kind === 'service'
            ? principal.service
            : 'anonymous',
      action: request.action,
      resource: request.resource,
      resourceAccount: request.resourceAccount,
      // The merged context is built only when read: the memo reads the parts, the simulator its misses.
      get context() {
        return held.context;
      },
      contextParts: held.parts,
      identity,
      boundary,
      resourcePolicy,
      endpoint,
      scps,
    });
    return outcome instanceof Promise
      ? outcome.then((settled) => this.verdictOf(request, settled, awsManaged))
      : this.verdictOf(request, outcome, awsManaged);
  }

  private verdictOf(
    request: FlowRequest,
    outcome: SimulationOutcome,
    awsManaged: readonly string[],
  ): RequestVerdict {
    const resolver = this.catalog.resolver;
    if (!outcome.decision) return new Verdict(request, 'not-judged', outcome, resolver, 'not judged: ');
    if (outcome.decision === 'Allowed') return new Verdict(request, 'allowed', outcome, resolver);
    if (awsManaged.length > 0 && outcome.decision === 'ImplicitlyDenied') {
      const reason = resolver.describeToken(plainReason(outcome.reason));
      if (/identity|no identity policy/.test(reason))
        return {
          request,
          status: 'not-judged',
          reason: `not judged: the role also has AWS managed policies (${awsManaged.join(', ')}) whose text is not in the templates; ${reason}`,
        };
    }
    return new Verdict(request, 'denied', outcome, resolver);
  }

  /**
   * A client sends each request to one regional endpoint. S3 answers a request
   * for a bucket in another region with 301 PermanentRedirect, which the AWS
   * SDK for JavaScript v3 does not follow unless `followRegionRedirects` is
   * set; other regional services do not know the resource at all.
   */
  private regionProblem(request: FlowRequest): string | undefined {
    if (
      !request.endpointRegion ||
      !request.resourceRegion ||
      request.endpointRegion === request.resourceRegion
    )
      return undefined;
    const service = request.action.split(':')[0];
    if (service === 's3') {
      const bucket = request.resource.replace(/^arn:[^:]+:s3:::/, '').split('/')[0];
      return `the client sends ${request.action} to the S3 endpoint of ${request.endpointRegion}, but bucket ${bucket} is in ${request.resourceRegion}: S3 answers 301 PermanentRedirect, which the AWS SDK for JavaScript v3 does not follow (followRegionRedirects is off by default)`;
    }
    return `the client sends ${request.action} to ${service} in ${request.endpointRegion}, but the resource is in ${request.resourceRegion}: a regional endpoint cannot reach it`;
  }
}

/** A request's context in its two parts, for the requests after it with the same inputs; merged when read. */
class HeldContext {
  private merged?: RequestContext;

  constructor(
    public readonly request: FlowRequest,
    public readonly knownOwner: string | undefined,
    public readonly kms: boolean,
    public readonly parts: readonly [RequestContext, RequestContext],
  ) {}

  public get context(): RequestContext {
    return (this.merged ??= { ...this.parts[0], ...this.parts[1] });
  }
}

/** A flow's status from its verdicts, and the verdict that decides it. */
function conclude(flow: Flow, verdicts: RequestVerdict[]): FlowResult {
  const find = (status: string) => verdicts.find((verdict) => verdict.status === status);
  if (flow.kind === 'required') {
    const deciding = find('denied') ?? find('not-judged');
    return { flow, status: deciding ? deciding.status : 'allowed', verdicts, deciding };
  }
  const deciding = find('allowed') ?? find('not-judged');
  return { flow, status: deciding ? deciding.status : 'denied', verdicts, deciding };
}

/**
 * The verdict on a request as the simulator gave it: its reason, with the resolver's tokens described,
 * is worked out when first read (most reasons never are: a flow that holds reports none).
 */
class Verdict implements RequestVerdict {
  private told?: string;

  constructor(
    public readonly request: FlowRequest,
    public readonly status: FlowStatus,
    private readonly outcome: SimulationOutcome,
    private readonly resolver: AssemblyResolver,
    private readonly prefix = '',
  ) {}

  public get reason(): string {
    return (this.told ??= `${this.prefix}${this.resolver.describeToken(plainReason(this.outcome.reason))}`);
  }
}

/** One line for a verdict: `role X s3:PutObject arn:... — reason`. */
export function describeVerdict(verdict: RequestVerdict): string {
  // A flow that resolved into no request (Flow.unresolved) is decided by its reason alone.
  const request = verdict.request as FlowRequest | undefined;
  if (!request) return verdict.reason ?? 'not judged';
  return `${describePrincipal(request.principal)} ${request.action} ${request.resource}${verdict.reason ? ` — ${verdict.reason}` : ''}`;
}
