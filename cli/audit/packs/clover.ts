import { evaluateStack, expiredAcknowledgmentFindings } from '../../../lib/audit/engine';
import { ALL_RULES, findRule } from '../../../lib/nag/rules';
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
    const evaluation = evaluateStack(index, ALL_RULES, {
      pathOf: (logicalId) => stack.paths.get(logicalId),
      acknowledgments: stack.acknowledgments,
    });
    run.findings.push(
      ...evaluation.findings,
      ...expiredAcknowledgmentFindings(stack.acknowledgments, stack.name, context.options.today),
    );
    run.acknowledged.push(...evaluation.acknowledged);
  }
  run.rules.push(...describeCloverRules(run.findings.map((finding) => finding.rule)));
  return run;
}

export function describeCloverRules(ids: readonly string[]): RuleDescription[] {
  return [...new Set(ids)].flatMap((id) => {
    const rule = findRule(id);
    return rule
      ? [{ id, pack: CLOVER_PACK, title: rule.info, explanation: rule.explanation, fix: rule.fix }]
      : [];
  });
}
