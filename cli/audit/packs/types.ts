import type { AcknowledgedFinding, Finding } from '../../../lib/audit/engine';
import type { CloverRule } from '../../../lib/audit/rule';
import type { TemplateIndex } from '../../../lib/audit/template';
import type { AuditedStack } from '../inputs';
import type { AuditOptions } from '../options';
import type { Scratch } from '../scratch';

/** What a report says about a rule next to its findings. */
export interface RuleDescription {
  readonly id: string;
  /** The pack it belongs to (`CloverChecks`, `AwsSolutions`, `Control Tower`, `cfn-validate`). */
  readonly pack: string;
  readonly title: string;
  readonly explanation?: string;
  readonly fix?: string;
}

export interface PackRun {
  readonly findings: Finding[];
  readonly acknowledged: AcknowledgedFinding[];
  /** Descriptions of the rules that produced findings. */
  readonly rules: RuleDescription[];
}

export interface PackContext {
  readonly stacks: readonly AuditedStack[];
  /** One template index per stack, shared by the packs and the inventories. */
  readonly indexOf: (stack: AuditedStack) => TemplateIndex;
  readonly options: AuditOptions;
  readonly scratch: Scratch;
  /** The rules CloverChecks runs: its own, and the `--rules` of your own. */
  readonly rules: readonly CloverRule[];
}

/** A finding for a pack that could not run on a stack: never silently skipped (fail closed). */
export function packFailure(pack: string, stack: string, error: unknown): Finding {
  return {
    rule: pack,
    severity: 'error',
    stack,
    resource: '',
    message: `the ${pack} pack could not run (${(error as Error).message
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean)
      .join(' ')}); review this stack by hand`,
  };
}
