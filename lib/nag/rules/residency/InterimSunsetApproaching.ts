import { COMPLIANT, CloverRule, NOT_APPLICABLE, RuleTarget } from '../../../audit/rule';
import { daysToSunset, sunsetWithin } from '../../../audit/interim';

/** Days before an interim enclave's sunset from which every synth warns. */
export const SUNSET_WARNING_DAYS = 30;

/** An interim enclave within 30 days of its sunset: a warning on each of its stacks (after the sunset, CLV-RES-1 fails). */
export const InterimSunsetApproaching: CloverRule = {
  id: 'CLV-RES-9',
  family: 'RES',
  severity: 'warning',
  scope: 'stack',
  info: `An interim enclave outside Europe reaches its sunset within ${SUNSET_WARNING_DAYS} days.`,
  explanation:
    'An interim enclave may exist only until its sunset; from the next day every synth fails (CLV-RES-1). The warning leaves a month to finish the migration, cut over and decommission.',
  fix: 'Move the enclave through replicating and cutover into decommissioned (docs/migration.md), or agree a new sunset.',
  evaluate({ index }: RuleTarget) {
    const interim = index.enclave?.interim;
    if (!interim) return NOT_APPLICABLE;
    const today = index.context.today;
    if (!sunsetWithin(interim.sunset, today, SUNSET_WARNING_DAYS)) return COMPLIANT;
    const days = daysToSunset(interim.sunset, today);
    return [
      `interim enclave "${index.enclave!.name}" (phase ${interim.phase ?? 'hosting'}) reaches its sunset ${interim.sunset} in ${days} day${days === 1 ? '' : 's'} (today is ${today}); from the next day synth fails. Its data migrates into "${interim.migrateTo}"`,
    ];
  },
};
