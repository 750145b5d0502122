/**
 * Which resources no rule judges. A rule judges the types it names in
 * `resourceTypes` and those it `reads` to judge them; rules that scan every resource for one thing (regions named
 * in any property, route-writing code) do not make a type judged. Pure.
 */
import type { CloverRule } from './rule';
import type { IndexedResource, TemplateIndex } from './template';

/** CDK's own metadata resource: not infrastructure, never listed. */
const NOT_INFRASTRUCTURE = ['AWS::CDK::Metadata'];

const JUDGED = new WeakMap<readonly CloverRule[], ReadonlySet<string>>();

/** Every resource type some rule names in `resourceTypes` or `reads`. */
export function judgedTypes(rules: readonly CloverRule[]): ReadonlySet<string> {
  let types = JUDGED.get(rules);
  if (!types) {
    types = new Set(rules.flatMap((rule) => [...(rule.resourceTypes ?? []), ...(rule.reads ?? [])]));
    JUDGED.set(rules, types);
  }
  return types;
}

/** Resources of the stack whose type no rule judges, in template order. */
export function notJudgedResources(index: TemplateIndex, rules: readonly CloverRule[]): IndexedResource[] {
  const judged = judgedTypes(rules);
  // Also those only another branch deploys: a conditional resource is still one no rule looks at.
  return [...index.all(), ...index.onlyInOtherBranches()].filter(
    (resource) => !judged.has(resource.type) && !NOT_INFRASTRUCTURE.includes(resource.type),
  );
}
