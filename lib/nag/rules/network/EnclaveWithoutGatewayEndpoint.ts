import { CloverRule, RuleTarget } from '../../../audit/rule';
import { routeProofOutcome } from '../../../audit/routes';

/** An enclave VPC needs a GWLB endpoint in every AZ where it has workload subnets. */
export const EnclaveWithoutGatewayEndpoint: CloverRule = {
  id: 'CLV-NET-3',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::VPC', 'AWS::EC2::Subnet'],
  coverage: {
    'AWS::EC2::VPC': 'a GWLB endpoint in each AZ of its workload subnets',
    'AWS::EC2::Subnet': 'the same, when the VPC is outside the template',
  },
  info: 'An enclave VPC has workload subnets and no GWLB endpoint, or none in the AZ of some workload subnet.',
  explanation:
    'Every VPC that does not host the gateway load balancer itself is an enclave VPC. Without a Gateway Load Balancer endpoint in a workload subnet’s AZ, no traffic of that subnet can be inspected in its AZ. The finding is reported on the VPC (or on the first workload subnet when the VPC is not in the template).',
  fix: 'Add a GWLB endpoint (AWS::EC2::VPCEndpoint of type GatewayLoadBalancer) in a gateway-endpoint subnet of each AZ that has workload subnets.',
  evaluate: ({ resource, index }: RuleTarget) =>
    routeProofOutcome(index, 'enclave-without-endpoint', resource.logicalId),
};
