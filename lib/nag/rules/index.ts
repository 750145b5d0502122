import type { CloverRule } from '../../audit/rule';
import * as access from './access';
import * as encryption from './encryption';
import * as logging from './logging';
import * as network from './network';
import * as residency from './residency';

const FAMILY_ORDER = ['RES', 'ENC', 'NET', 'ACC', 'LOG'];

function compareRuleIds(a: CloverRule, b: CloverRule): number {
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
export const ALL_RULES: readonly CloverRule[] = [residency, encryption, network, access, logging]
  .flatMap(rulesOf)
  .sort(compareRuleIds);

export function findRule(id: string): CloverRule | undefined {
  return ALL_RULES.find((rule) => rule.id === id);
}
