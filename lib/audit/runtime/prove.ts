import type { AcknowledgedFinding, Finding } from '../engine';
import { findAcknowledgment } from '../engine';
import { AssemblyCatalog } from './catalog';
import { declaredFlows } from './declared';
import { describeVerdict, FlowJudge } from './judge';
import { PolicyLayers } from './layers';
import { ShapeMemo } from './memo';
import { DEFAULT_BLOCKED_JURISDICTIONS, probeFlows } from './probes';
import { AssemblyResolver } from './resolver';
import { loadSimulator, SIMULATOR_MISSING, Simulator } from './simulate';
import type { Flow, FlowResult, FlowStack } from './types';
import { wiringFlows } from './wiring';

/** Rule IDs of the runtime flow proof (their descriptions live in lib/nag/rules/runtime). */
export const RUNTIME_RULE_IDS = {
  /** A required flow derived from the templates' wiring is refused. */
  wiring: 'CLV-RUN-1',
  /** A required flow declared in the cloud assembly (a call only code makes) is refused. */
  declared: 'CLV-RUN-2',
  /** A resource policy by itself lets a forbidden principal in. */
  principal: 'CLV-RUN-3',
  /** A resource policy lets an AWS service act for another account. */
  confusedDeputy: 'CLV-RUN-4',
  /** A declared forbidden flow is allowed end to end. */
  forbidden: 'CLV-RUN-5',
} as const;

export interface RuntimeProofOptions {
  /** Date of the evaluation (`aws:CurrentTime`, acknowledgment expiry). */
  readonly today: string;
  /** Jurisdictions whose employees are always refused. @default CN, RU, KP, IR */
  readonly blockedJurisdictions?: readonly string[];
  /** Session tag keys of approved employees. @default clover:approved, clover:employee-jurisdiction */
  readonly approvedTag?: string;
  readonly jurisdictionTag?: string;
  /**
   * The simulator; `null` judges nothing (flows are listed as not judged).
   * @default the installed @cloud-copilot/iam-simulate, if any
   */
  readonly simulator?: Simulator | null;
  /**
   * Simulate each case shape once (memo.ts): enclaves built by the same code share their shapes.
   * @default true
   */
  readonly shareShapes?: boolean;
}

export interface RuntimeProof {
  /** False when the simulator is not installed: every flow is listed, none judged. */
  readonly judged: boolean;
  /** One line for reports when nothing could be judged. */
  readonly note: string | null;
  readonly results: readonly FlowResult[];
  /** CLV-RUN findings not covered by an acknowledgment. */
  readonly findings: readonly Finding[];
  readonly acknowledged: readonly AcknowledgedFinding[];
}

/** The CLV-RUN rule a result breaks, or undefined when it holds (or was not judged). */
export function breachedRule(result: FlowResult): string | undefined {
  const { flow, status } = result;
  if (flow.kind === 'required' && status === 'denied') {
    return flow.origin === 'declared' ? RUNTIME_RULE_IDS.declared : RUNTIME_RULE_IDS.wiring;
  }
  if (flow.kind === 'forbidden' && status === 'allowed') return flow.rule ?? RUNTIME_RULE_IDS.forbidden;
  return undefined;
}

function message(result: FlowResult): string {
  const verdict = describeVerdict(result.deciding!);
  return result.flow.kind === 'required'
    ? `required flow "${result.flow.title}" is refused: ${verdict}`
    : `forbidden flow "${result.flow.title}" is allowed: ${verdict}`;
}

/**
 * The runtime flow proof over a set of stacks (a cloud assembly, or every
 * template given to `clover audit` together): the required flows the wiring
 * implies and the assembly declares, the forbidden flows probed on every
 * resource policy, each judged by the simulator against every layer the
 * inputs hold. The same function runs at synth (the gate) and in `clover audit`.
 */
export async function proveRuntimeFlows(
  stacks: readonly FlowStack[],
  options: RuntimeProofOptions,
): Promise<RuntimeProof> {
  const resolver = new AssemblyResolver(stacks);
  const catalog = new AssemblyCatalog(resolver);
  const layers = new PolicyLayers(catalog);
  const flows: Flow[] = [
    ...wiringFlows(catalog),
    ...declaredFlows(catalog),
    ...probeFlows(catalog, layers, {
      blockedJurisdictions: options.blockedJurisdictions ?? DEFAULT_BLOCKED_JURISDICTIONS,
      approvedTag: options.approvedTag ?? 'clover:approved',
      jurisdictionTag: options.jurisdictionTag ?? 'clover:employee-jurisdiction',
    }),
  ];
  const simulator = options.simulator === null ? undefined : (options.simulator ?? loadSimulator());
  // Enclaves built by the same code ask the same questions under other names: each shape is simulated once.
  const evaluator =
    simulator && options.shareShapes !== false
      ? new ShapeMemo((input) => simulator.evaluate(input))
      : simulator;
  const judge = new FlowJudge(catalog, layers, evaluator, options.today);
  const results: FlowResult[] = [];
  for (const flow of flows) {
    const result = judge.judge(flow);
    results.push(result instanceof Promise ? await result : result);
  }

  const findings: Finding[] = [];
  const acknowledged: AcknowledgedFinding[] = [];
  for (const result of results) {
    const rule = breachedRule(result);
    if (!rule) continue;
    const { stack, logicalId } = result.flow.anchor;
    const path = stack.pathOf(logicalId);
    const finding: Finding = {
      rule,
      severity: 'error',
      stack: stack.index.context.stackName,
      resource: logicalId,
      path,
      message: message(result),
    };
    const ack = findAcknowledgment(stack.acknowledgments, rule, path, options.today);
    if (ack) acknowledged.push({ finding, acknowledgment: ack });
    else findings.push(finding);
  }
  return {
    judged: simulator !== undefined,
    note: simulator ? null : SIMULATOR_MISSING,
    results,
    findings,
    acknowledged,
  };
}
