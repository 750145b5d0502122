import { CloverRule, RuleTarget } from '../../../audit/rule';
import { routeProofOutcome } from '../../../audit/routes';

/** Every subnet must be explicitly associated with a route table of the template. */
export const ImplicitRouteTableAssociation: CloverRule = {
  id: 'CLV-NET-5',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Subnet'],
  coverage: {
    'AWS::EC2::Subnet': 'an explicit AWS::EC2::SubnetRouteTableAssociation',
  },
  info: 'A subnet has no explicit route table association and uses the VPC’s main route table.',
  explanation:
    'The main route table is not part of the template: anyone with EC2 permissions can add routes to it and the route proof cannot see them. A subnet whose routes are not in the template cannot be proven to send its traffic through the security gateway.',
  fix: 'Create a route table for the subnet and an AWS::EC2::SubnetRouteTableAssociation linking them.',
  evaluate: ({ resource, index }: RuleTarget) =>
    routeProofOutcome(index, 'implicit-association', resource.logicalId),
};
