import { flowLogGaps } from '../../../audit/audit-logs';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Flow logs must record all traffic, accepted and rejected. */
export const FlowLogTraffic: CloverRule = {
  id: 'CLV-LOG-7',
  family: 'LOG',
  severity: 'error',
  resourceTypes: ['AWS::EC2::FlowLog'],
  coverage: {
    'AWS::EC2::FlowLog': 'TrafficType (must be ALL)',
  },
  info: 'A flow log skips traffic: TrafficType REJECT (no accepted flows) or ACCEPT (no rejected flows) instead of ALL.',
  explanation:
    'The independent monitor verifies that every flow carrying European user data passes the security gateway. A REJECT-only flow log leaves out exactly the flows that carry data; an ACCEPT-only one hides scans and blocked attempts to leave. Every flow log — of a VPC, a subnet, an interface or a transit gateway — must record ALL traffic (CLV-LOG-1 also requires one of the VPC itself).',
  fix: 'Set TrafficType: ALL on the AWS::EC2::FlowLog (CDK: trafficType: FlowLogTrafficType.ALL, the default).',
  evaluate({ resource }: RuleTarget) {
    return violations(flowLogGaps(resource));
  },
};
