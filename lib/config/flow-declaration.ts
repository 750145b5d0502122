/**
 * The contract between constructs that know a call only their code makes (the
 * shipper's PutObject to the archive, an employee reading data) and the runtime
 * flow proof (CLV-RUN) that judges it. A construct records its flows as resource
 * metadata under {@link FLOWS_METADATA_KEY}; `lib/audit/runtime` reads them from
 * any template. Pure data: both sides import this module and nothing else.
 */

/** Resource `Metadata` key under which declared flows are recorded (reaches every template). */
export const FLOWS_METADATA_KEY = 'clover:flows';

/** `principal` of a declaration on a role (the role) or a function (its execution role). */
export const SELF_PRINCIPAL = 'self';

/** `required`: the running system needs the call; `forbidden`: every layer together must refuse it. */
export type DeclaredFlowKind = 'required' | 'forbidden';

/**
 * One call, as the caller really makes it. Values may be CloudFormation
 * expressions (`Ref`, `Fn::GetAtt`, `Fn::Join`, …): the proof resolves them in
 * the template that holds the declaration.
 */
export interface DeclaredFlow {
  /** Stable within the resource: `archive-write`. */
  readonly id: string;
  readonly kind: DeclaredFlowKind;
  /** One line: who does what, and why it matters. */
  readonly description: string;
  /**
   * ARN of the IAM role whose credentials sign the request, or {@link SELF_PRINCIPAL} for the role the
   * declaration sits on (a role itself, or a function's execution role): an expression that referred
   * to the resource from its own metadata would be a circular dependency.
   */
  readonly principal: unknown;
  /** IAM action, `service:Action`. */
  readonly action: string;
  /** ARN of the resource the request names (an object ARN for S3 objects). */
  readonly resource: unknown;
  /**
   * Condition keys the request carries beyond what the proof derives from the principal and the
   * resource: headers (`s3:x-amz-server-side-encryption`), session tags (`aws:PrincipalTag/...`), MFA.
   * @default none
   */
  readonly context?: Readonly<Record<string, unknown>>;
  /**
   * Region of the endpoint the caller's client sends the request to.
   * @default the region of the resource
   */
  readonly endpointRegion?: unknown;
  /**
   * `Ref` of the interface VPC endpoint the request passes through; its policy is then a layer.
   * @default no VPC endpoint
   */
  readonly vpcEndpoint?: unknown;
  /**
   * Which identity policies the principal holds: `templates`, the role's own policies in the templates;
   * `allow-all`, any policy at all (the principal stands for every principal of its account, and only
   * the resource side can refuse: for forbidden flows that must hold whatever the other account grants).
   * @default 'templates'
   */
  readonly identity?: DeclaredIdentity;
}

/** The identity side a declared flow is judged with. */
export type DeclaredIdentity = 'templates' | 'allow-all';
const IDENTITIES: readonly string[] = ['templates', 'allow-all'];

const KINDS: readonly string[] = ['required', 'forbidden'];

/**
 * Problems of a `clover:flows` metadata value as found in a template; empty when
 * it is a list of well-formed declarations. Messages name the entry and the fix.
 */
export function declaredFlowProblems(value: unknown): string[] {
  if (!Array.isArray(value))
    return [`${FLOWS_METADATA_KEY} is not a list; write a list of flow declarations`];
  const problems: string[] = [];
  value.forEach((entry, position) => {
    const where = `${FLOWS_METADATA_KEY}[${position}]`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      problems.push(`${where} is not an object`);
      return;
    }
    const flow = entry as Record<string, unknown>;
    for (const field of ['id', 'description', 'action'] as const) {
      if (typeof flow[field] !== 'string' || flow[field] === '') {
        problems.push(`${where}.${field} is missing; give it as a non-empty string`);
      }
    }
    if (typeof flow.action === 'string' && !/^[a-z0-9-]+:[A-Za-z0-9]+$/.test(flow.action)) {
      problems.push(`${where}.action "${flow.action}" is not an IAM action; write it as service:Action`);
    }
    if (!KINDS.includes(flow.kind as string)) {
      problems.push(`${where}.kind ${JSON.stringify(flow.kind)} is not one of: ${KINDS.join(', ')}`);
    }
    for (const field of ['principal', 'resource'] as const) {
      if (flow[field] === undefined || flow[field] === null) {
        problems.push(`${where}.${field} is missing; give an ARN or a CloudFormation expression for one`);
      }
    }
    if (flow.identity !== undefined && !IDENTITIES.includes(flow.identity as string)) {
      problems.push(
        `${where}.identity ${JSON.stringify(flow.identity)} is not one of: ${IDENTITIES.join(', ')}`,
      );
    }
    if (
      flow.context !== undefined &&
      (flow.context === null || typeof flow.context !== 'object' || Array.isArray(flow.context))
    ) {
      problems.push(`${where}.context is not an object of condition keys and values`);
    }
  });
  return problems;
}
