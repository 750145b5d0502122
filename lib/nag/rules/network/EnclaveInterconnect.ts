import { CloverRule, RuleTarget } from '../../../audit/rule';
import { routeProofOutcome } from '../../../audit/routes';

/** No peering, transit gateway or VPN gateway may connect an enclave VPC to other networks. */
export const EnclaveInterconnect: CloverRule = {
  id: 'CLV-NET-6',
  family: 'NET',
  severity: 'error',
  resourceTypes: [
    'AWS::EC2::VPCPeeringConnection',
    'AWS::EC2::TransitGatewayAttachment',
    'AWS::EC2::TransitGatewayVpcAttachment',
    'AWS::EC2::VPCGatewayAttachment',
    'AWS::EC2::VPNGatewayRoutePropagation',
    'AWS::EC2::ClientVpnTargetNetworkAssociation',
    'AWS::EC2::ClientVpnEndpoint',
    'AWS::NetworkManager::VpcAttachment',
  ],
  coverage: {
    'AWS::EC2::VPCPeeringConnection': 'VpcId, PeerVpcId',
    'AWS::EC2::TransitGatewayAttachment': 'VpcId',
    'AWS::EC2::TransitGatewayVpcAttachment': 'VpcId',
    'AWS::EC2::VPCGatewayAttachment': 'VpnGatewayId',
    'AWS::EC2::VPNGatewayRoutePropagation': 'RouteTableIds',
    'AWS::EC2::ClientVpnTargetNetworkAssociation': 'SubnetId',
    'AWS::EC2::ClientVpnEndpoint': 'VpcId',
    'AWS::NetworkManager::VpcAttachment': 'VpcArn',
  },
  info: 'A VPC peering connection, transit gateway or Cloud WAN attachment, VPN gateway (or its route propagation) or Client VPN endpoint connects an enclave VPC to another network.',
  explanation:
    'An enclave is segregated: its only way out is through the security gateway. Peering, transit gateway and Cloud WAN attachments, VPN gateways (and the routes they propagate into route tables) and Client VPN endpoints (associated with a subnet, or placed in the VPC) join the enclave to other networks and remote users, possibly outside Europe, on paths the gateway does not see. Every VPC that does not host a gateway load balancer is an enclave VPC, including VPCs referenced from outside the template.',
  fix: 'Remove the peering connection, transit gateway or Cloud WAN attachment, VPN gateway (and its route propagation) or Client VPN endpoint; reach other networks through the security gateway and an approved egress path instead.',
  evaluate: ({ resource, index }: RuleTarget) =>
    routeProofOutcome(index, 'enclave-interconnect', resource.logicalId),
};
