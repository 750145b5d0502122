import { CloverRule, RuleTarget } from '../../../audit/rule';
import { routeProofOutcome } from '../../../audit/routes';

/** A workload route to a GWLB endpoint must stay in the subnet's AZ. */
export const WorkloadRouteCrossAz: CloverRule = {
  id: 'CLV-NET-2',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Route'],
  coverage: {
    'AWS::EC2::Route': 'AZ of the GWLB endpoint a workload route targets, against its subnets AZ',
  },
  info: 'A workload route targets a GWLB endpoint in another AZ than the subnet, or the AZ of the subnet or the endpoint cannot be determined.',
  explanation:
    'In the distributed inspection pattern each AZ has its own GWLB endpoint; a route to another AZ’s endpoint makes the subnet depend on that AZ, breaks flow symmetry with the return route and costs cross-AZ traffic. AZs are compared by identity: literal names, `Fn::Select` indexes into `Fn::GetAZs`, the same parameter (or its default), and `Fn::GetAtt X.AvailabilityZone`. When an AZ cannot be determined the route cannot be proven and is reported.',
  fix: 'Route each workload subnet to the GWLB endpoint placed in a subnet of the same AZ, and write AZs so they can be compared (literal names, parameters, or Fn::Select over Fn::GetAZs).',
  evaluate: ({ resource, index }: RuleTarget) =>
    routeProofOutcome(index, 'workload-route-cross-az', resource.logicalId),
};
