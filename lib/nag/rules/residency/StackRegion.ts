import { isPast } from '../../../config/dates';
import { COMPLIANT, CloverRule, RuleTarget } from '../../../audit/rule';
import { residencyOf } from '../../../audit/residency';

/** A stack must deploy to a concrete region inside the allowed jurisdictions (or a live interim enclave). */
export const StackRegion: CloverRule = {
  id: 'CLV-RES-1',
  family: 'RES',
  severity: 'error',
  scope: 'stack',
  info: 'The stack deploys outside the allowed jurisdictions, to no fixed region, or is an interim enclave past its sunset.',
  explanation:
    'European users’ personal data must stay in European data centres. A stack is pinned by its environment: an environment-agnostic stack could deploy anywhere, and an interim enclave outside Europe may exist only until its sunset.',
  fix: 'Give the stack an explicit env in an allowed region, or declare it interim with a future sunset and a European migrateTo.',
  evaluate({ index }: RuleTarget) {
    const policy = residencyOf(index);
    const region = index.context.region;
    if (region === undefined) {
      return [
        'the stack is environment-agnostic (no region); Clover stacks need an explicit env in an allowed region',
      ];
    }
    if (!policy.isKnown(region)) {
      return [`region ${region} is not in Clover's region catalogue; use one of: ${policy.allowedList()}`];
    }
    const interim = index.enclave?.interim;
    if (interim && isPast(interim.sunset, index.context.today)) {
      return [
        `interim enclave "${index.enclave!.name}" in ${policy.describe(region)} is past its sunset ${interim.sunset} (today is ${index.context.today}); migrate it into "${interim.migrateTo}"`,
      ];
    }
    if (!policy.allows(region)) {
      return [
        `stack region ${policy.describe(region)} is outside the allowed jurisdictions; allowed: ${policy.allowedList()}`,
      ];
    }
    return COMPLIANT;
  },
};
