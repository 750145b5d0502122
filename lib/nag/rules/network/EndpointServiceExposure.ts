import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { describeValue, withParameterDefault } from '../../../audit/network-values';
import { asArray, isFalse, isTrue, visitStrings } from '../../../audit/values';

/** The gateway's endpoint service must require acceptance and never allow every principal. */
export const EndpointServiceExposure: CloverRule = {
  id: 'CLV-NET-7',
  family: 'NET',
  severity: 'error',
  resourceTypes: ['AWS::EC2::VPCEndpointService', 'AWS::EC2::VPCEndpointServicePermissions'],
  coverage: {
    'AWS::EC2::VPCEndpointService': 'AcceptanceRequired',
    'AWS::EC2::VPCEndpointServicePermissions': 'AllowedPrincipals',
  },
  info: 'A VPC endpoint service does not require acceptance, or its permissions allow principal `*`.',
  explanation:
    'The endpoint service fronts the gateway load balancer. Without AcceptanceRequired every allowed principal’s new endpoint connects at once, and with principal `*` any AWS account may create one: an unknown endpoint can then send traffic into the appliances or receive inspected traffic. CloudFormation reads "true"/"false" strings as booleans; a parameter is judged by its default.',
  fix: 'Set AcceptanceRequired: true on the AWS::EC2::VPCEndpointService, accept exactly the endpoints you create, and list explicit account or role ARNs in AllowedPrincipals.',
  evaluate({ resource, index }: RuleTarget) {
    const found: string[] = [];
    if (resource.type === 'AWS::EC2::VPCEndpointService') {
      const raw = resource.properties.AcceptanceRequired;
      const value = withParameterDefault(index, raw);
      if (raw === undefined) {
        found.push(
          `endpoint service ${resource.logicalId} does not set AcceptanceRequired (default false), so new endpoints connect without approval`,
        );
      } else if (isFalse(value)) {
        found.push(
          `endpoint service ${resource.logicalId} has AcceptanceRequired ${JSON.stringify(raw)}, so new endpoints connect without approval`,
        );
      } else if (!isTrue(value)) {
        found.push(
          `endpoint service ${resource.logicalId} has AcceptanceRequired ${describeValue(raw)}, which cannot be proven true`,
        );
      }
      return violations(found);
    }
    const principals = withParameterDefault(index, resource.properties.AllowedPrincipals);
    const entries = typeof principals === 'string' ? principals.split(',') : asArray(principals);
    entries.forEach((entry, i) => {
      let wildcard = false;
      visitStrings(entry, (text) => (wildcard ||= text.includes('*')));
      if (wildcard) {
        found.push(
          `endpoint service permissions ${resource.logicalId} allow principal ${describeValue(entry)} (AllowedPrincipals[${i}]): any matching account can connect an endpoint`,
        );
      }
    });
    return violations(found);
  },
};
