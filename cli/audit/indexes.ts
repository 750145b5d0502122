import { linkStacks } from '../../lib/audit/links';
import { TemplateIndex } from '../../lib/audit/template';
import type { AuditedStack } from './inputs';

/** The options a stack's template index depends on (those of AuditOptions). */
export interface IndexOptions {
  readonly jurisdictions: readonly string[];
  readonly today: string;
  readonly auditLogRetentionDays?: number;
}

/**
 * One template index per stack, built on first use, with every stack linked
 * to the others: inputs given together are one audit, so imports and ARNs
 * between their stacks resolve. The audit and the runtime proof's worker
 * thread (runtime-worker.ts) index the same stacks the same way.
 */
export function indexStacks(
  stacks: readonly AuditedStack[],
  options: IndexOptions,
): (stack: AuditedStack) => TemplateIndex {
  const indexes = new Map<AuditedStack, TemplateIndex>();
  const indexOf = (stack: AuditedStack): TemplateIndex => {
    let index = indexes.get(stack);
    if (!index) {
      index = new TemplateIndex(stack.template, {
        stackName: stack.name,
        account: stack.account,
        region: stack.region,
        allowJurisdictions: options.jurisdictions,
        today: options.today,
        auditLogRetentionDays: options.auditLogRetentionDays,
        templateBytes: stack.templateBytes,
      });
      indexes.set(stack, index);
    }
    return index;
  };
  linkStacks(stacks.map(indexOf));
  return indexOf;
}
