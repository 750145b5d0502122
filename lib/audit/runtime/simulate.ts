import type * as IamSimulate from '@cloud-copilot/iam-simulate';
import { isObject } from '../values';
import type { PolicyLayer } from './layers';
import type { RequestContext } from './types';

/** The package that evaluates requests (optional peer dependency, AGPL-3.0-or-later). */
export const SIMULATOR_PACKAGE = '@cloud-copilot/iam-simulate';

/** One line for reports when the simulator is not installed. */
export const SIMULATOR_MISSING =
  `runtime flows not judged: install the optional peer dependency ${SIMULATOR_PACKAGE} (AGPL-3.0-or-later; ` +
  `npm i -D ${SIMULATOR_PACKAGE}) to prove them`;

/** Everything IAM evaluates one request against. */
export interface SimulationCase {
  /** ARN, service principal name, or `anonymous`. */
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly resourceAccount: string;
  readonly context: RequestContext;
  /**
   * The context as two objects whose merge it is, the second's keys winning (the keys a principal's
   * requests share, then the request's own), when the caller has them: the shape memo works the first
   * out once per object. The simulator reads `context`.
   */
  readonly contextParts?: readonly [RequestContext, RequestContext];
  readonly identity: readonly PolicyLayer[];
  readonly boundary?: PolicyLayer;
  readonly resourcePolicy?: PolicyLayer;
  readonly endpoint?: PolicyLayer;
  readonly scps: readonly PolicyLayer[];
}

export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

export interface SimulationOutcome {
  /** Undefined when the simulator refused the input (then `reason` says why). */
  readonly decision?: Decision;
  /** For a denial: the layer and statement that decide, and why. For an allow: the statement that grants. */
  readonly reason: string;
}

/**
 * iam-simulate 0.1 drops condition keys with a variable after a colon
 * (`kms:EncryptionContext:<key>`) as unknown for the action. To keep them in
 * the evaluation they are renamed, in policies and request alike, to a
 * string-typed key it accepts for every action; messages name the original.
 */
const ENCRYPTION_CONTEXT = /^kms:encryptioncontext:/i;
const RENAMED_CONTEXT = 'aws:RequestTag/clover.kms-encryption-context.';

function renameKey(key: string): string {
  return ENCRYPTION_CONTEXT.test(key)
    ? `${RENAMED_CONTEXT}${key.slice('kms:EncryptionContext:'.length)}`
    : key;
}

function originalKey(key: string): string {
  return key.startsWith(RENAMED_CONTEXT) ? `kms:EncryptionContext:${key.slice(RENAMED_CONTEXT.length)}` : key;
}

/**
 * Service principals of every partition are evaluated in their commercial form
 * (`events.amazonaws.eu` as `events.amazonaws.com`), in policies and requests
 * alike: the simulator recognises service principals by that suffix.
 */
export function commercialServicePrincipal(name: string): string {
  return name.replace(/\.amazonaws\.(eu|com\.cn)$/, '.amazonaws.com');
}

/** `{"AWS": "*"}` as `"*"`: the same principal, in the one form the simulator accepts in endpoint policies. */
function anyPrincipalAsStar(principal: unknown): unknown {
  return isObject(principal) && Object.keys(principal).length === 1 && principal.AWS === '*'
    ? '*'
    : principal;
}

function prepare(document: Record<string, unknown>, kind?: PolicyLayer['kind']): Record<string, unknown> {
  const statements = Array.isArray(document.Statement)
    ? document.Statement
    : document.Statement !== undefined
      ? [document.Statement]
      : [];
  return {
    ...document,
    Statement: statements.map((raw) => {
      if (!isObject(raw)) return raw;
      const out: Record<string, unknown> = { ...raw };
      if (kind === 'endpoint' && out.Principal !== undefined)
        out.Principal = anyPrincipalAsStar(out.Principal);
      for (const field of ['Principal', 'NotPrincipal'] as const) {
        const principal = out[field];
        if (isObject(principal) && principal.Service !== undefined) {
          const services = Array.isArray(principal.Service) ? principal.Service : [principal.Service];
          out[field] = {
            ...principal,
            Service: services.map((service) =>
              typeof service === 'string' ? commercialServicePrincipal(service) : service,
            ),
          };
        }
      }
      if (isObject(out.Condition)) {
        const condition: Record<string, unknown> = {};
        for (const [operator, block] of Object.entries(out.Condition)) {
          condition[operator] = isObject(block)
            ? Object.fromEntries(Object.entries(block).map(([key, value]) => [renameKey(key), value]))
            : block;
        }
        out.Condition = condition;
      }
      return out;
    }),
  };
}

type Analysis = NonNullable<
  Extract<IamSimulate.RunSimulationResults, { resultType: 'single' }>['result']['analysis']
>;
type StatementResult = Analysis['identityAnalysis'] extends infer A
  ? A extends { allowStatements: Array<infer S> }
    ? S
    : never
  : never;

interface ConditionExplain {
  readonly operator?: string;
  readonly conditionKeyValue?: string;
  readonly values?: unknown;
  readonly matches?: boolean;
  readonly matchedBecauseMissing?: boolean;
  readonly failedBecauseMissing?: boolean;
}

/** Anything that decides simulation cases: the simulator, or a memo in front of it. */
export interface CaseEvaluator {
  /** The outcome of a case: at once when it is known without waiting (a memo's), else a promise. */
  evaluate(input: SimulationCase): SimulationOutcome | Promise<SimulationOutcome>;
}

/** Evaluates requests with @cloud-copilot/iam-simulate, and says in words what decided each one. */
export class Simulator implements CaseEvaluator {
  constructor(private readonly module: typeof IamSimulate) {}

  public async evaluate(input: SimulationCase): Promise<SimulationOutcome> {
    const context: Record<string, string | string[]> = {};
    for (const [key, value] of Object.entries(input.context))
      context[renameKey(key)] = typeof value === 'string' ? value : [...value];
    const byName = new Map<string, PolicyLayer>();
    const named = (layer: PolicyLayer, position: number) => {
      const name = `${layer.kind}-${position}`;
      byName.set(name, layer);
      return { name, policy: prepare(layer.document, layer.kind) };
    };
    const simulation: IamSimulate.Simulation = {
      request: {
        principal:
          input.principal === 'anonymous'
            ? this.module.anonymousPrincipal
            : commercialServicePrincipal(input.principal),
        action: input.action,
        resource: { resource: input.resource, accountId: input.resourceAccount },
        contextVariables: context,
      },
      identityPolicies: input.identity.map(named),
      serviceControlPolicies:
        input.scps.length > 0
          ? [
              {
                orgIdentifier: 'clover-guardrails',
                policies: input.scps.map((layer, position) => named(layer, position)),
              },
            ]
          : [],
      resourceControlPolicies: [],
      resourcePolicy: input.resourcePolicy ? prepare(input.resourcePolicy.document) : undefined,
      permissionBoundaryPolicies: input.boundary ? [named(input.boundary, 0)] : undefined,
      vpcEndpointPolicies: input.endpoint ? [named(input.endpoint, 0)] : undefined,
    };
    if (input.scps.length > 0) {
      // SCPs only filter: AWS attaches FullAWSAccess to the root and to every OU and account, so each level
      // allows everything its Clover denies leave (Organizations user guide, "SCP evaluation").
      const fullAccess = {
        name: 'FullAWSAccess',
        policy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
      };
      const levels = simulation.serviceControlPolicies as IamSimulate.SimulationOrgPolicies[];
      levels[0].policies.unshift(fullAccess);
      levels.unshift({ orgIdentifier: 'root', policies: [fullAccess] });
    }
    const result = await this.module.runSimulation(simulation, {});
    if (result.resultType === 'error')
      return { reason: `the simulator refused the request: ${describeErrors(result.errors)}` };
    const analysis = result.resultType === 'single' ? result.result.analysis : result.results[0]?.analysis;
    const decision = result.overallResult as Decision;
    if (!analysis) return { decision, reason: decision };
    const layerOf = (kind: string, policyId?: string): PolicyLayer | undefined => {
      if (kind === 'resource') return input.resourcePolicy;
      return policyId ? byName.get(policyId) : undefined;
    };
    return { decision, reason: this.explain(decision, analysis, input, layerOf) };
  }

  private explain(
    decision: Decision,
    analysis: Analysis,
    input: SimulationCase,
    layerOf: (kind: string, policyId?: string) => PolicyLayer | undefined,
  ): string {
    const groups: Array<{
      kind: string;
      analysis?: {
        allowStatements: StatementResult[];
        denyStatements: StatementResult[];
        unmatchedStatements: StatementResult[];
      };
    }> = [
      ...(analysis.scpAnalysis?.ouAnalysis ?? []).map((ou) => ({ kind: 'scp', analysis: ou })),
      { kind: 'resource', analysis: analysis.resourceAnalysis },
      { kind: 'identity', analysis: analysis.identityAnalysis },
      { kind: 'boundary', analysis: analysis.permissionBoundaryAnalysis },
      { kind: 'endpoint', analysis: analysis.endpointAnalysis },
    ];
    const labelOf = (kind: string, statement: StatementResult) =>
      layerOf(kind, statement.policyId)?.label ?? (kind === 'scp' ? 'the organisation root policy' : kind);
    if (decision === 'Allowed') {
      const grants = groups.flatMap((group) =>
        group.kind === 'scp'
          ? []
          : (group.analysis?.allowStatements ?? []).map(
              (statement) =>
                `${labelOf(group.kind, statement)} statement ${identifier(statement, layerOf(group.kind, statement.policyId))} allows`,
            ),
      );
      return grants[0] ?? 'allowed';
    }
    if (decision === 'ExplicitlyDenied') {
      for (const group of groups) {
        const statement = group.analysis?.denyStatements[0];
        if (statement)
          return `${labelOf(group.kind, statement)} statement ${identifier(statement, layerOf(group.kind, statement.policyId))} denies: ${this.whyMatched(statement, input)}`;
      }
      return 'explicitly denied';
    }
    const denials = this.module
      .getDenialReasons(analysis)
      .filter((denial) => denial.denialType === 'Implicit');
    const kind = denials[0]?.policyType ?? 'identity';
    // A service or anonymous caller has no identity policy: its request stands or falls with the resource policy.
    const signedByRole = input.principal.startsWith('arn:');
    const wanted =
      kind === 'pb'
        ? 'boundary'
        : kind === 'vpce'
          ? 'endpoint'
          : kind === 'identity' && !signedByRole
            ? 'resource'
            : kind;
    const group = groups.find((candidate) => candidate.kind === wanted);
    const layer =
      wanted === 'resource'
        ? input.resourcePolicy
        : wanted === 'identity'
          ? input.identity[0]
          : wanted === 'boundary'
            ? input.boundary
            : wanted === 'endpoint'
              ? input.endpoint
              : input.scps[0];
    const name =
      layer?.label ??
      (wanted === 'resource' ? 'the resource (it has no resource policy)' : `the ${wanted} policies`);
    // The nearest miss: an Allow for this action and resource, preferably one that names this principal.
    const candidates = (group?.analysis?.unmatchedStatements ?? []).filter(
      (statement) =>
        statement.actionMatch && statement.resourceMatch && statementEffect(statement) === 'Allow',
    );
    const near =
      candidates.find((statement) => String(statement.principalMatch) !== 'NoMatch') ?? candidates[0];
    if (!layer && wanted === 'identity') return `no identity policy of the principal allows ${input.action}`;
    if (!layer && wanted === 'resource') {
      return `${input.resource} has no resource policy, so nothing lets ${input.principal} in (another account or a service needs a statement there)`;
    }
    if (!near) return `${name} has no statement that allows ${input.action} on ${input.resource}`;
    return `${name} does not allow it: statement ${identifier(near, layerOf(wanted, near.policyId) ?? layer)} ${this.whyNot(near, input)}`;
  }

  private whyMatched(statement: StatementResult, input: SimulationCase): string {
    const conditions = conditionExplains(statement).filter((condition) => condition.matches);
    if (conditions.length === 0) return 'it applies to this request without conditions';
    return conditions
      .map((condition) => {
        const key = originalKey(condition.conditionKeyValue ?? '');
        if (condition.matchedBecauseMissing || describeActual(input.context, key) === 'nothing') {
          return `the request carries no ${key}`;
        }
        return `${key} is ${describeActual(input.context, key)} (${condition.operator} ${describeValues(condition.values)})`;
      })
      .join('; ');
  }

  private whyNot(statement: StatementResult, input: SimulationCase): string {
    if (String(statement.principalMatch) === 'NoMatch')
      return `names other principals than ${input.principal}`;
    const failed = conditionExplains(statement).filter((condition) => condition.matches === false);
    if (failed.length === 0) return 'does not match the request';
    return failed
      .map((condition) => {
        const key = originalKey(condition.conditionKeyValue ?? '');
        const wanted = `${condition.operator} ${describeValues(condition.values)}`;
        return condition.failedBecauseMissing
          ? `requires ${key} (${wanted}), which the request does not carry`
          : `requires ${key} ${wanted}; the request carries ${describeActual(input.context, key)}`;
      })
      .join('; ');
  }
}

/**
 * Marks a statement's position in a reason (a statement without a Sid is named by it): a number the
 * simulator counted, not a name of the case, which the shape memo must not tell in another case's names
 * (memo.ts). {@link plainReason} takes the marks out before a reason is shown.
 */
export const POSITION_MARK = '\u0003';

/** A reason as it is shown: without position marks. */
export function plainReason(reason: string): string {
  return reason.includes(POSITION_MARK) ? reason.split(POSITION_MARK).join('') : reason;
}

/** The statement's Sid, or its position (marked) when it has no Sid. */
function identifier(statement: StatementResult, layer: PolicyLayer | undefined): string {
  const explain = (statement as { explain?: { identifier?: string } }).explain;
  const id = explain?.identifier;
  if (id === undefined) return '?';
  if (!/^\d+$/.test(id)) return id;
  const sids = layer
    ? [layer.document.Statement].flat().map((item) => (isObject(item) ? item.Sid : undefined))
    : [];
  return sids.includes(id) ? id : `${POSITION_MARK}${id}`;
}

function statementEffect(statement: StatementResult): string | undefined {
  const explain = (statement as { explain?: { effect?: string } }).explain;
  return explain?.effect;
}

function conditionExplains(statement: StatementResult): ConditionExplain[] {
  const conditions = (statement as { explain?: { conditions?: unknown } }).explain?.conditions;
  return (Array.isArray(conditions) ? conditions : conditions ? [conditions] : []) as ConditionExplain[];
}

function describeValues(values: unknown): string {
  const list = Array.isArray(values) ? values : [values];
  const texts = list.map((entry) =>
    isObject(entry) && 'value' in entry ? String(entry.value) : String(entry),
  );
  return texts.length === 1 ? `"${texts[0]}"` : `[${texts.map((text) => `"${text}"`).join(', ')}]`;
}

function describeActual(context: RequestContext, key: string): string {
  const entry = Object.entries(context).find(([candidate]) => candidate.toLowerCase() === key.toLowerCase());
  if (!entry) return 'nothing';
  return typeof entry[1] === 'string'
    ? `"${entry[1]}"`
    : `[${entry[1].map((value) => `"${value}"`).join(', ')}]`;
}

function describeErrors(errors: IamSimulate.SimulationErrors): string {
  const details: string[] = [errors.message];
  const collect = (label: string, list: unknown) => {
    if (Array.isArray(list))
      for (const item of list.slice(0, 2))
        details.push(
          `${label}: ${isObject(item) ? String(item.message ?? JSON.stringify(item)) : String(item)}`,
        );
  };
  collect('resource policy', errors.resourcePolicyErrors);
  for (const [name, list] of Object.entries(errors.identityPolicyErrors ?? {})) collect(name, list);
  for (const [name, list] of Object.entries(errors.permissionBoundaryErrors ?? {})) collect(name, list);
  for (const [name, list] of Object.entries(errors.vpcEndpointErrors ?? {})) collect(name, list);
  return details.join('; ');
}

/**
 * Loads the simulator, or undefined when the optional peer dependency is not
 * installed: beside Clover, or (for a global install of the CLI) in the
 * project of the working directory.
 */
export function loadSimulator(): Simulator | undefined {
  for (const load of [
    () => require(SIMULATOR_PACKAGE),
    () => require(require.resolve(SIMULATOR_PACKAGE, { paths: [process.cwd()] })),
  ]) {
    try {
      return new Simulator(load() as typeof IamSimulate);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  return undefined;
}
