import { trailGaps } from '../../../audit/audit-logs';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Trails must be logging, in every region. */
export const TrailCoverage: CloverRule = {
  id: 'CLV-LOG-6',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::CloudTrail::Trail'],
  coverage: {
    'AWS::CloudTrail::Trail': 'IsLogging, IsMultiRegionTrail',
  },
  info: 'A CloudTrail trail is not logging (IsLogging not true), or records one region only (IsMultiRegionTrail not true).',
  explanation:
    'A trail that is not logging produces no evidence at all. A single-region trail records only its home region: a principal of the account can create a bucket, snapshot or replica in any other region — outside Europe included — and the enclave’s trail never shows it. A multi-region trail records every region into the one (European) bucket and log group, which is exactly where the evidence must be.',
  fix: 'Set IsLogging: true and IsMultiRegionTrail: true (CDK: isMultiRegionTrail: true, the default; IncludeGlobalServiceEvents: true records IAM and STS too). Keep the trail’s bucket and key in the enclave’s region.',
  evaluate({ resource }: RuleTarget) {
    return violations(trailGaps(resource));
  },
};
