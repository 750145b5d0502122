import { CloverRule, RuleTarget } from '../../../audit/rule';
import { routeProofOutcome } from '../../../audit/routes';

/** S3/DynamoDB gateway endpoints must not be attached to workload route tables. */
export const GatewayEndpointBypass: CloverRule = {
  id: 'CLV-NET-4',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::VPCEndpoint'],
  coverage: {
    'AWS::EC2::VPCEndpoint': 'RouteTableIds of Gateway endpoints (S3, DynamoDB)',
  },
  info: 'An S3 or DynamoDB gateway endpoint is attached to a workload route table.',
  explanation:
    'A gateway endpoint adds a prefix-list route for the whole service to every route table in its RouteTableIds. In a workload route table that route is more specific than 0.0.0.0/0, so traffic to S3 or DynamoDB (the usual way to move data out) goes straight to the service and bypasses the security gateway.',
  fix: 'Remove the workload route tables from the endpoint’s RouteTableIds; attach the gateway endpoint only to the gateway-endpoint subnets’ route tables (after inspection), or use an interface endpoint reached through the gateway.',
  evaluate: ({ resource, index }: RuleTarget) =>
    routeProofOutcome(index, 'gateway-endpoint-bypass', resource.logicalId),
};
