import type { CfnTemplate } from '../../../../lib/audit/template';
import { findingsOf, resource } from '../../../helpers/rules';

/**
 * Paths out of a workload subnet other than the same-AZ GWLB endpoint, in
 * templates that are not Clover's: IPv6 default routes, instance interfaces,
 * route tables of subnets defined elsewhere, Client VPN, Cloud WAN, VPN route
 * propagation, and public addresses of workloads.
 */
const ref = (id: string) => ({ Ref: id });

function vpcWith(
  extra: CfnTemplate['Resources'],
  subnetProperties: Record<string, unknown> = {},
): CfnTemplate {
  return {
    Resources: {
      Vpc: resource('AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' }),
      Workload: resource('AWS::EC2::Subnet', {
        VpcId: ref('Vpc'),
        CidrBlock: '10.0.1.0/24',
        AvailabilityZone: 'eu-west-1a',
        ...subnetProperties,
      }),
      Table: resource('AWS::EC2::RouteTable', { VpcId: ref('Vpc') }),
      Association: resource('AWS::EC2::SubnetRouteTableAssociation', {
        SubnetId: ref('Workload'),
        RouteTableId: ref('Table'),
      }),
      ...extra,
    },
  };
}

const ruleIds = (template: CfnTemplate, rule: string) =>
  findingsOf(template)
    .filter((finding) => finding.rule === rule)
    .map((finding) => finding.resource);

describe('CLV-NET-1 every way out of a workload subnet', () => {
  test('rejects ::/0 to an egress-only internet gateway and to an internet gateway', () => {
    const template = vpcWith({
      Eigw: resource('AWS::EC2::EgressOnlyInternetGateway', { VpcId: ref('Vpc') }),
      Igw: resource('AWS::EC2::InternetGateway'),
      ToEigw: resource('AWS::EC2::Route', {
        RouteTableId: ref('Table'),
        DestinationIpv6CidrBlock: '::/0',
        EgressOnlyInternetGatewayId: ref('Eigw'),
      }),
      ToIgw: resource('AWS::EC2::Route', {
        RouteTableId: ref('Table'),
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: ref('Igw'),
      }),
    });
    expect(ruleIds(template, 'CLV-NET-1').sort()).toEqual(['ToEigw', 'ToIgw']);
  });

  test('rejects a route to an instance’s network interface', () => {
    const template = vpcWith({
      Eni: resource('AWS::EC2::NetworkInterface', { SubnetId: ref('Workload') }),
      ToEni: resource('AWS::EC2::Route', {
        RouteTableId: ref('Table'),
        DestinationCidrBlock: '0.0.0.0/0',
        NetworkInterfaceId: ref('Eni'),
      }),
    });
    expect(ruleIds(template, 'CLV-NET-1')).toEqual(['ToEni']);
  });

  test('judges a route table of a subnet defined elsewhere as a workload route table (fail closed)', () => {
    const template: CfnTemplate = {
      Parameters: { SubnetId: { Type: 'AWS::EC2::Subnet::Id' }, VpcId: { Type: 'AWS::EC2::VPC::Id' } },
      Resources: {
        Table: resource('AWS::EC2::RouteTable', { VpcId: ref('VpcId') }),
        Association: resource('AWS::EC2::SubnetRouteTableAssociation', {
          SubnetId: ref('SubnetId'),
          RouteTableId: ref('Table'),
        }),
        ToIgw: resource('AWS::EC2::Route', {
          RouteTableId: ref('Table'),
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: 'igw-0123456789abcdef0',
        }),
      },
    };
    expect(ruleIds(template, 'CLV-NET-1')).toEqual(['ToIgw']);
  });

  test('leaves a route table without routes out of the VPC alone', () => {
    expect(ruleIds(vpcWith({}), 'CLV-NET-1')).toEqual([]);
  });
});

describe('CLV-NET-6 networks joined to the enclave', () => {
  test('rejects a Client VPN endpoint associated with a workload subnet, or placed in the VPC', () => {
    const template = vpcWith({
      Vpn: resource('AWS::EC2::ClientVpnEndpoint', {
        ClientCidrBlock: '172.16.0.0/22',
        ServerCertificateArn: 'arn:aws:acm:eu-west-1:111111111111:certificate/abc',
        AuthenticationOptions: [],
        ConnectionLogOptions: { Enabled: false },
        VpcId: ref('Vpc'),
      }),
      VpnAssociation: resource('AWS::EC2::ClientVpnTargetNetworkAssociation', {
        ClientVpnEndpointId: ref('Vpn'),
        SubnetId: ref('Workload'),
      }),
    });
    expect(ruleIds(template, 'CLV-NET-6').sort()).toEqual(['Vpn', 'VpnAssociation']);
  });

  test('rejects VPN gateway route propagation into the workload route table', () => {
    const template = vpcWith({
      Propagation: resource('AWS::EC2::VPNGatewayRoutePropagation', {
        RouteTableIds: [ref('Table')],
        VpnGatewayId: 'vgw-0123456789abcdef0',
      }),
    });
    expect(ruleIds(template, 'CLV-NET-6')).toEqual(['Propagation']);
  });

  test('rejects a Cloud WAN attachment of the VPC', () => {
    const template = vpcWith({
      Attachment: resource('AWS::NetworkManager::VpcAttachment', {
        CoreNetworkId: 'core-network-0123',
        VpcArn: { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:vpc/${Vpc}' },
        SubnetArns: [],
      }),
    });
    expect(ruleIds(template, 'CLV-NET-6')).toEqual(['Attachment']);
  });
});

describe('CLV-NET-11 public addresses of workloads', () => {
  test.each<[string, string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'launch template interface',
      'AWS::EC2::LaunchTemplate',
      { LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: true }] } },
      { LaunchTemplateData: { NetworkInterfaces: [{ DeviceIndex: 0, AssociatePublicIpAddress: false }] } },
    ],
    [
      'instance interface',
      'AWS::EC2::Instance',
      { NetworkInterfaces: [{ DeviceIndex: '0', AssociatePublicIpAddress: 'true' }] },
      { NetworkInterfaces: [{ DeviceIndex: '0', SubnetId: 'subnet-1' }] },
    ],
    [
      'launch configuration',
      'AWS::AutoScaling::LaunchConfiguration',
      { AssociatePublicIpAddress: true },
      { AssociatePublicIpAddress: false },
    ],
    [
      'spot fleet interface',
      'AWS::EC2::SpotFleet',
      {
        SpotFleetRequestConfigData: {
          LaunchSpecifications: [{ NetworkInterfaces: [{ AssociatePublicIpAddress: true }] }],
        },
      },
      {
        SpotFleetRequestConfigData: {
          LaunchSpecifications: [{ NetworkInterfaces: [{ AssociatePublicIpAddress: false }] }],
        },
      },
    ],
    [
      'ECS service task',
      'AWS::ECS::Service',
      { NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'ENABLED', Subnets: ['subnet-1'] } } },
      {
        NetworkConfiguration: { AwsvpcConfiguration: { AssignPublicIp: 'DISABLED', Subnets: ['subnet-1'] } },
      },
    ],
    [
      'Elastic IP on an instance',
      'AWS::EC2::EIP',
      { Domain: 'vpc', InstanceId: 'i-0123456789abcdef0' },
      { Domain: 'vpc' },
    ],
    [
      'Elastic IP association',
      'AWS::EC2::EIPAssociation',
      { AllocationId: 'eipalloc-1', NetworkInterfaceId: 'eni-0123456789abcdef0' },
      { AllocationId: 'eipalloc-1' },
    ],
  ])('rejects a public address from a %s, accepts it without', (_name, type, breaching, compliant) => {
    expect(ruleIds({ Resources: { Res: resource(type, breaching) } }, 'CLV-NET-11')).toEqual(['Res']);
    expect(ruleIds({ Resources: { Res: resource(type, compliant) } }, 'CLV-NET-11')).toEqual([]);
  });

  test('leaves the Elastic IP of a NAT gateway alone', () => {
    const template = vpcWith({
      Address: resource('AWS::EC2::EIP', { Domain: 'vpc' }),
      Nat: resource('AWS::EC2::NatGateway', {
        AllocationId: { 'Fn::GetAtt': ['Address', 'AllocationId'] },
        SubnetId: ref('Workload'),
      }),
    });
    expect(ruleIds(template, 'CLV-NET-11')).toEqual([]);
  });
});
