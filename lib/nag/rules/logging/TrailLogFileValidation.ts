import { analyseLogging } from '../../../audit/logging';
import { NOT_APPLICABLE, CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** CloudTrail trails sign their log files, so that a later change or deletion is detectable. */
export const TrailLogFileValidation: CloverRule = {
  id: 'CLV-LOG-4',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  coverage: {
    'AWS::CloudTrail::Trail': 'EnableLogFileValidation',
  },
  info: 'A CloudTrail trail does not have log file validation enabled.',
  explanation:
    'With log file validation, CloudTrail writes signed digest files that prove whether a log file was modified or deleted after delivery: the evidence an auditor needs to show that nothing was hidden.',
  fix: 'Set EnableLogFileValidation: true on the trail.',
  evaluate({ resource, index }: RuleTarget) {
    const trail = analyseLogging(index).trails.find((t) => t.logicalId === resource.logicalId);
    if (!trail) return NOT_APPLICABLE;
    return violations(
      trail.logFileValidation
        ? []
        : [
            `trail ${resource.logicalId} has EnableLogFileValidation ${JSON.stringify(resource.properties.EnableLogFileValidation ?? 'absent')}`,
          ],
    );
  },
};
