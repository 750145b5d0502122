import {
  PUBLIC_ADDRESS_PROPERTIES,
  PUBLIC_ADDRESS_TYPES,
  publicAddresses,
} from '../../../audit/public-addresses';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** No workload may get a public IP address: not from a launch template, an instance, a task or an Elastic IP. */
export const WorkloadPublicAddress: CloverRule = {
  id: 'CLV-NET-11',
  family: 'NET',
  severity: 'error',
  resourceTypes: PUBLIC_ADDRESS_TYPES,
  coverage: PUBLIC_ADDRESS_PROPERTIES,
  info: 'A workload gets a public IP address: a launch template, launch configuration, instance or spot fleet interface with AssociatePublicIpAddress, an ECS service with AssignPublicIp ENABLED, or an Elastic IP associated with an instance or network interface.',
  explanation:
    'A public address answers the internet directly: replies and new connections to it go through the VPC’s internet gateway, not through the GWLB endpoint, whatever the subnet’s route table says about 0.0.0.0/0. CLV-NET-8 judges the subnet default (MapPublicIpOnLaunch); this rule judges addresses that launch templates, instances, tasks and Elastic IP associations ask for themselves. NAT gateways take their Elastic IP through AllocationId and are not judged here.',
  fix: 'Set AssociatePublicIpAddress: false (or leave it out) and AssignPublicIp: DISABLED; remove Elastic IPs attached to instances and interfaces; publish services through the security gateway or a private load balancer.',
  evaluate({ resource }: RuleTarget) {
    return violations(publicAddresses(resource));
  },
};
