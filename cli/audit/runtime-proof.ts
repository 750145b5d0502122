import type { AcknowledgedFinding, Finding } from '../../lib/audit/engine';
import { proveRuntimeFlows } from '../../lib/audit/runtime/prove';
import type { TemplateIndex } from '../../lib/audit/template';
import type { AuditedStack } from './inputs';
import { RuntimeFlowRow, runtimeFlowRows } from './inventory/runtime';

/**
 * What the report takes from the runtime flow proof: its findings, the
 * findings acknowledgments waive, the rows of the "Runtime flows" section and
 * its note. Plain data, so that a worker thread can prove and send it
 * (runtime-worker.ts); the acknowledgments are the stacks' own objects.
 */
export interface RuntimeOutcome {
  readonly findings: readonly Finding[];
  readonly acknowledged: readonly AcknowledgedFinding[];
  readonly rows: readonly RuntimeFlowRow[];
  readonly note: string | null;
}

/** The runtime flow proof over every stack of every input together: flows cross stacks and accounts. */
export async function proveRuntime(
  stacks: readonly AuditedStack[],
  indexOf: (stack: AuditedStack) => TemplateIndex,
  today: string,
): Promise<RuntimeOutcome> {
  const proof = await proveRuntimeFlows(
    stacks.map((stack) => ({
      index: indexOf(stack),
      pathOf: (logicalId: string) => stack.paths.get(logicalId),
      acknowledgments: stack.acknowledgments,
      file: stack.input,
    })),
    { today },
  );
  return {
    findings: proof.findings,
    acknowledged: proof.acknowledged,
    rows: runtimeFlowRows(proof),
    note: proof.note,
  };
}
