import { evaluateStack, expiredAcknowledgmentFindings } from '../../../lib/audit/engine';
import type { RuleDescriptor } from '../../../lib/audit/rule';
import { findRule } from '../../../lib/nag/rules';
import type { PackContext, PackRun, RuleDescription } from './types';

export const CLOVER_PACK = 'CloverChecks';

/**
 * CloverChecks: exactly the rule code the NagPack runs at synth
 * (`evaluateStack` over `ALL_RULES`), on the stack's template index, with the
 * stack's Clover acknowledgments honoured and expired ones reported.
 */
export function runCloverChecks(context: PackContext): PackRun {
  const run: PackRun = { findings: [], acknowledged: [], rules: [] };
  for (const stack of context.stacks) {
    const index = context.indexOf(stack);
    const evaluation = evaluateStack(index, context.rules, {
      pathOf: (logicalId) => stack.paths.get(logicalId),
      acknowledgments: stack.acknowledgments,
    });
    run.findings.push(
      ...evaluation.findings,
      ...expiredAcknowledgmentFindings(stack.acknowledgments, stack.name, context.options.today),
    );
    run.acknowledged.push(...evaluation.acknowledged);
  }
  run.rules.push(
    ...describeCloverRules(
      run.findings.map((finding) => finding.rule),
      context.rules,
    ),
  );
  return run;
}

/** Descriptions of the rules with these IDs: CloverChecks' catalogue, then the rules of your own given. */
export function describeCloverRules(
  ids: readonly string[],
  rules: readonly RuleDescriptor[] = [],
): RuleDescription[] {
  return [...new Set(ids)].flatMap((id) => {
    const rule = findRule(id) ?? rules.find((candidate) => candidate.id === id);
    return rule
      ? [{ id, pack: CLOVER_PACK, title: rule.info, explanation: rule.explanation, fix: rule.fix }]
      : [];
  });
}
