import { breachedRule, RuntimeProof } from '../../../lib/audit/runtime/prove';
import { describeVerdict } from '../../../lib/audit/runtime/judge';
import type { FlowResult } from '../../../lib/audit/runtime/types';

/** One flow of the runtime flow proof, as the report lists it. */
export interface RuntimeFlowRow {
  readonly id: string;
  /** `required` (the system needs it) or `forbidden` (it must be refused). */
  readonly kind: 'required' | 'forbidden';
  /** `wiring` (derived from the templates), `declared` (clover:flows metadata) or `probe` (a resource policy, one layer). */
  readonly origin: 'wiring' | 'declared' | 'probe';
  readonly title: string;
  readonly stack: string;
  /** Logical ID the flow is reported on. */
  readonly resource: string;
  readonly status: 'allowed' | 'denied' | 'not-judged';
  /** Whether the outcome is what the flow needs (a required flow allowed, a forbidden one denied). */
  readonly holds: boolean | null;
  /** The CLV-RUN rule the flow breaks, if it does. */
  readonly rule: string | null;
  readonly requests: number;
  /** The request and statement that decide (for a holding required flow: null). */
  readonly decidedBy: string | null;
}

function rowOf(result: FlowResult): RuntimeFlowRow {
  const { flow, status } = result;
  const holds =
    status === 'not-judged' ? null : flow.kind === 'required' ? status === 'allowed' : status === 'denied';
  return {
    id: flow.id,
    kind: flow.kind,
    origin: flow.origin,
    title: flow.title,
    stack: flow.anchor.stack.index.context.stackName,
    resource: flow.anchor.logicalId,
    status,
    holds,
    rule: breachedRule(result) ?? null,
    requests: flow.requests.length,
    decidedBy: result.deciding ? describeVerdict(result.deciding) : null,
  };
}

/** The rows of the "Runtime flows" section, in proof order (wiring, declared, probes). */
export function runtimeFlowRows(proof: RuntimeProof): RuntimeFlowRow[] {
  return proof.results.map(rowOf);
}
