/**
 * Public IP addresses given to workloads: network interfaces of instances,
 * launch templates, launch configurations, spot fleets and ECS services that
 * ask for one, and Elastic IPs associated with an instance or interface. Every
 * one is a path in and out of the enclave that the security gateway does not
 * see. NAT gateways take their Elastic IP through `AllocationId`, which is not
 * judged here (they sit in egress subnets, behind the GWLB endpoint). Pure.
 */
import { describeValue } from './network-values';
import type { IndexedResource } from './template';
import { asArray, isObject, isTrue, objectsAt, valueAt } from './values';

/** Where each type can ask for a public address, for the coverage catalogue. */
export const PUBLIC_ADDRESS_PROPERTIES: Readonly<Record<string, string>> = {
  'AWS::EC2::Instance': 'NetworkInterfaces[].AssociatePublicIpAddress',
  'AWS::EC2::LaunchTemplate': 'LaunchTemplateData.NetworkInterfaces[].AssociatePublicIpAddress',
  'AWS::AutoScaling::LaunchConfiguration': 'AssociatePublicIpAddress',
  'AWS::EC2::SpotFleet':
    'SpotFleetRequestConfigData.LaunchSpecifications[].NetworkInterfaces[].AssociatePublicIpAddress',
  'AWS::ECS::Service': 'NetworkConfiguration.AwsvpcConfiguration.AssignPublicIp',
  'AWS::ECS::TaskSet': 'NetworkConfiguration.AwsVpcConfiguration.AssignPublicIp',
  'AWS::EC2::EIP': 'InstanceId',
  'AWS::EC2::EIPAssociation': 'InstanceId, NetworkInterfaceId',
};

export const PUBLIC_ADDRESS_TYPES: readonly string[] = Object.keys(PUBLIC_ADDRESS_PROPERTIES);

const FLAG_PATHS: Readonly<Record<string, { at?: string; flag: string }>> = {
  'AWS::EC2::Instance': { at: 'NetworkInterfaces[]', flag: 'AssociatePublicIpAddress' },
  'AWS::EC2::LaunchTemplate': {
    at: 'LaunchTemplateData.NetworkInterfaces[]',
    flag: 'AssociatePublicIpAddress',
  },
  'AWS::AutoScaling::LaunchConfiguration': { flag: 'AssociatePublicIpAddress' },
  'AWS::EC2::SpotFleet': {
    at: 'SpotFleetRequestConfigData.LaunchSpecifications[].NetworkInterfaces[]',
    flag: 'AssociatePublicIpAddress',
  },
};

/** One sentence per public address the resource gives a workload. */
export function publicAddresses(resource: IndexedResource): string[] {
  const p = resource.properties;
  const flag = FLAG_PATHS[resource.type];
  if (flag) {
    const parts = flag.at ? objectsAt(p, flag.at) : [{ value: p as unknown, path: '' }];
    return parts.flatMap(({ value, path }) => {
      const raw = valueAt(value, flag.flag);
      if (raw === undefined || raw === false || String(raw).toLowerCase() === 'false') return [];
      const where = path ? `${path}.${flag.flag}` : flag.flag;
      return isTrue(raw)
        ? [
            `${where} is ${describeValue(raw)}: the instance gets a public IPv4 address, reachable from the internet outside the security gateway`,
          ]
        : [`${where} is ${describeValue(raw)}, which cannot be proven false`];
    });
  }
  switch (resource.type) {
    case 'AWS::ECS::Service':
    case 'AWS::ECS::TaskSet': {
      const config = isObject(p.NetworkConfiguration)
        ? (p.NetworkConfiguration.AwsvpcConfiguration ?? p.NetworkConfiguration.AwsVpcConfiguration)
        : undefined;
      const assign = valueAt(config, 'AssignPublicIp');
      return typeof assign === 'string' && assign.toUpperCase() === 'ENABLED'
        ? [
            'AssignPublicIp is ENABLED: every task gets a public IPv4 address, reachable from the internet outside the security gateway',
          ]
        : [];
    }
    case 'AWS::EC2::EIP':
      return p.InstanceId === undefined
        ? []
        : [
            `the Elastic IP is attached to instance ${describeValue(p.InstanceId)}: a public address outside the security gateway`,
          ];
    case 'AWS::EC2::EIPAssociation': {
      const targets = [
        p.InstanceId !== undefined && `instance ${describeValue(p.InstanceId)}`,
        p.NetworkInterfaceId !== undefined && `network interface ${describeValue(p.NetworkInterfaceId)}`,
      ].filter(Boolean);
      return asArray(targets).length
        ? [
            `the Elastic IP association gives ${targets.join(' and ')} a public address outside the security gateway`,
          ]
        : [];
    }
  }
  return [];
}
