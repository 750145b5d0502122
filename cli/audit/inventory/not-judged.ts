import { notJudgedResources } from '../../../lib/audit/judged';
import type { CloverRule } from '../../../lib/audit/rule';
import type { TemplateIndex } from '../../../lib/audit/template';
import { ALL_RULES } from '../../../lib/nag/rules';

/** One resource of a type no CloverChecks rule judges (only the residency scan of every property saw it). */
export interface NotJudgedRow {
  readonly stack: string;
  readonly resource: string;
  readonly type: string;
}

/** The resources of one stack that no rule (CloverChecks', and any `--rules` of your own) judges. */
export function notJudgedRows(
  index: TemplateIndex,
  rules: readonly CloverRule[] = ALL_RULES,
): NotJudgedRow[] {
  return notJudgedResources(index, rules).map((resource) => ({
    stack: index.context.stackName,
    resource: resource.logicalId,
    type: resource.type,
  }));
}
