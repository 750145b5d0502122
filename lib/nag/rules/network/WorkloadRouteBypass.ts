import { CloverRule, RuleTarget } from '../../../audit/rule';
import { routeProofOutcome } from '../../../audit/routes';

/** Every non-local route of a workload route table must target a GWLB endpoint. */
export const WorkloadRouteBypass: CloverRule = {
  id: 'CLV-NET-1',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::Route'],
  reads: [
    'AWS::EC2::RouteTable',
    'AWS::EC2::SubnetRouteTableAssociation',
    'AWS::EC2::GatewayRouteTableAssociation',
    'AWS::EC2::NatGateway',
    'AWS::EC2::InternetGateway',
    'AWS::EC2::EgressOnlyInternetGateway',
    'AWS::EC2::VPCGatewayAttachment',
    'AWS::EC2::NetworkInterface',
    'AWS::EC2::VPCCidrBlock',
    'AWS::EC2::CarrierGateway',
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
  ],
  coverage: {
    'AWS::EC2::Route':
      'target of every non-local route (0.0.0.0/0, ::/0, prefix lists) of a workload route table',
  },
  info: 'A workload route table has a route that does not target a GWLB endpoint (internet gateway, NAT gateway, transit gateway, peering connection, ENI, instance, egress-only internet gateway or unknown target).',
  explanation:
    'Workload subnets hold the data. Traffic that leaves them by any route other than a Gateway Load Balancer endpoint never reaches the security gateway, so the independent provider cannot see or stop it. Workload subnets are the subnets of an enclave VPC that host neither a GWLB endpoint nor a NAT gateway (so a public subnet without a NAT gateway is one too); a route table is judged as a workload route table when any of its subnets is one.',
  fix: 'Point the route (0.0.0.0/0, ::/0 or any other non-local destination) at the GWLB endpoint in the same AZ as the subnet; egress goes workload → GWLB endpoint → NAT gateway → internet gateway, never directly.',
  evaluate: ({ resource, index }: RuleTarget) =>
    routeProofOutcome(index, 'workload-route-bypass', resource.logicalId),
};
