import type { CloverRule, RuleDescriptor, RuntimeFlowRule } from '../../audit/rule';
import * as access from './access';
import * as encryption from './encryption';
import * as limits from './limits';
import * as logging from './logging';
import * as network from './network';
import * as residency from './residency';
import * as runtime from './runtime';

const FAMILY_ORDER = ['RES', 'ENC', 'NET', 'ACC', 'LOG', 'LIM', 'RUN'];

function compareRuleIds(a: RuleDescriptor, b: RuleDescriptor): number {
  const [, familyA, numberA] = a.id.split('-');
  const [, familyB, numberB] = b.id.split('-');
  return FAMILY_ORDER.indexOf(familyA) - FAMILY_ORDER.indexOf(familyB) || Number(numberA) - Number(numberB);
}

function rulesOf(module: Record<string, unknown>): CloverRule[] {
  return Object.values(module).filter(
    (value): value is CloverRule => typeof value === 'object' && value !== null && 'evaluate' in value,
  );
}

/** Every CloverChecks rule, in catalogue order. A pack only lists rules. */
export const ALL_RULES: readonly CloverRule[] = [residency, encryption, network, access, logging, limits]
  .flatMap(rulesOf)
  .sort(compareRuleIds);

/** The rules of the runtime flow proof (CLV-RUN), judged by proveRuntimeFlows over a whole assembly. */
export const RUNTIME_RULES: readonly RuntimeFlowRule[] = Object.values(runtime)
  .filter(
    (value): value is RuntimeFlowRule => typeof value === 'object' && value !== null && 'judges' in value,
  )
  .sort(compareRuleIds);

/** Every rule of the catalogue, in catalogue order. */
export const CATALOGUE: readonly RuleDescriptor[] = [...ALL_RULES, ...RUNTIME_RULES].sort(compareRuleIds);

export function findRule(id: string): RuleDescriptor | undefined {
  return CATALOGUE.find((rule) => rule.id === id);
}
