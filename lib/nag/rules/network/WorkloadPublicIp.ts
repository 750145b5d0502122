import { CloverRule, NOT_APPLICABLE, RuleTarget } from '../../../audit/rule';
import { analyseRoutes, routeProofOutcome } from '../../../audit/routes';

/** Workload subnets must not give instances public IPv4 addresses. */
export const WorkloadPublicIp: CloverRule = {
  id: 'CLV-NET-8',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Subnet'],
  coverage: {
    'AWS::EC2::Subnet': 'MapPublicIpOnLaunch of workload subnets',
  },
  info: 'A workload subnet has MapPublicIpOnLaunch true (or a value that cannot be proven false).',
  explanation:
    'Workloads are private: an instance with a public address is reachable from the internet as soon as any route or edge association lets traffic in, outside the inspection path. CloudFormation reads booleans from strings, so "true" is checked like true; a parameter without a default cannot be proven false.',
  fix: 'Set MapPublicIpOnLaunch to false (or omit it) on workload subnets; put internet-facing resources behind the gateway instead.',
  evaluate({ resource, index }: RuleTarget) {
    if (analyseRoutes(index).subnet(resource.logicalId)?.role !== 'workload') return NOT_APPLICABLE;
    return routeProofOutcome(index, 'public-ip-on-launch', resource.logicalId);
  },
};
