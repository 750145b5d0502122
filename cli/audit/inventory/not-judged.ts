import { notJudgedResources } from '../../../lib/audit/judged';
import type { TemplateIndex } from '../../../lib/audit/template';
import { ALL_RULES } from '../../../lib/nag/rules';

/** One resource of a type no CloverChecks rule judges (only the residency scan of every property saw it). */
export interface NotJudgedRow {
  readonly stack: string;
  readonly resource: string;
  readonly type: string;
}

/** The resources of one stack that no CloverChecks rule judges. */
export function notJudgedRows(index: TemplateIndex): NotJudgedRow[] {
  return notJudgedResources(index, ALL_RULES).map((resource) => ({
    stack: index.context.stackName,
    resource: resource.logicalId,
    type: resource.type,
  }));
}
