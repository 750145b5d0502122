import { CloverRule, RuleTarget } from '../../../audit/rule';
import { routeProofOutcome } from '../../../audit/routes';

/** Return traffic to workload subnets must pass the same-AZ GWLB endpoint. */
export const ReturnRouteInspection: CloverRule = {
  id: 'CLV-NET-9',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Route', 'AWS::EC2::RouteTable'],
  coverage: {
    'AWS::EC2::Route': 'routes of egress and edge route tables back to workload CIDRs',
    'AWS::EC2::RouteTable': 'a return route for every same-AZ workload CIDR in NAT subnets tables',
  },
  info: 'A NAT/egress or edge route table routes a workload CIDR to something other than the same-AZ GWLB endpoint, or a NAT subnet has no return route to a workload subnet of its AZ.',
  explanation:
    'With egress, replies come back through the NAT gateway. Without a route for each same-AZ workload CIDR to the GWLB endpoint in the NAT subnet’s route table, the VPC’s local route delivers them directly, so return traffic is not inspected and the appliance sees only half of each flow. Routes in edge (gateway-associated) route tables towards workload CIDRs are held to the same rule.',
  fix: 'In the route table of each NAT subnet add, for every workload subnet of the same AZ, a route for the workload CIDR to the GWLB endpoint of that AZ; point edge routes to workload CIDRs at the same-AZ endpoint.',
  evaluate: ({ resource, index }: RuleTarget) => routeProofOutcome(index, 'return-route', resource.logicalId),
};
