import type { CfnTemplate } from '../../../../lib/audit/template';
import {
  add,
  enclaveTemplate,
  enclaveVariant,
  getAtt,
  MutableTemplate,
  props,
  ref,
  remove,
  retarget,
} from '../../../fixtures/network/enclave';
import { validateTemplate } from '../../../helpers/nag';

/** CLV-NET findings of a template, run through cdk-nag's validateScope on a CfnInclude. */
function netFindings(template: CfnTemplate) {
  return validateTemplate(template).findings.filter((finding) => finding.rule.startsWith('CLV-NET-'));
}

function messagesOf(template: CfnTemplate, rule: string): string[] {
  return netFindings(template)
    .filter((finding) => finding.rule === rule)
    .map((finding) => `${finding.resource}: ${finding.message}`);
}

/** Gives each enclave subnet of AZ a/b the AZ value `az(letter)`. */
function setEnclaveAzs(template: MutableTemplate, az: (letter: 'A' | 'B') => unknown): void {
  for (const letter of ['A', 'B'] as const) {
    for (const tier of ['Workload', 'Endpoint', 'Nat'])
      props(template, `${tier}Subnet${letter}`).AvailabilityZone = az(letter);
  }
}

test('the compliant enclave fixture has no CLV-NET finding (and no other finding)', () => {
  const { findings, report } = validateTemplate(enclaveTemplate());
  expect(findings).toEqual([]);
  expect(report.violations.filter((violation) => violation.ruleName.includes('CLV-NET'))).toEqual([]);
});

describe('CLV-NET-1 workload route bypassing the gateway', () => {
  test('rejects a route to an internet gateway from a workload subnet', () => {
    const template = enclaveVariant((t) =>
      retarget(t, 'WorkloadDefaultRouteA', 'GatewayId', ref('EnclaveIgw')),
    );
    expect(messagesOf(template, 'CLV-NET-1')).toEqual([
      'WorkloadDefaultRouteA: route table WorkloadRtA route 0.0.0.0/0 (workload subnet WorkloadSubnetA) targets internet gateway EnclaveIgw, not a same-AZ GWLB endpoint: that traffic leaves uninspected',
    ]);
  });

  test('reports the finding through cdk-nag as CloverChecks-CLV-NET-1 on the route', () => {
    const template = enclaveVariant((t) =>
      retarget(t, 'WorkloadDefaultRouteA', 'NatGatewayId', ref('NatGatewayA')),
    );
    const { report } = validateTemplate(template);
    const violation = report.violations.find((v) => v.ruleName === 'CloverChecks-CLV-NET-1');
    expect(violation?.violatingResources.map((r) => r.constructPath)).toEqual([
      'Fixture/Template/WorkloadDefaultRouteA',
    ]);
  });

  test.each([
    ['NAT gateway', 'NatGatewayId', ref('NatGatewayA'), 'NAT gateway NatGatewayA'],
    ['transit gateway', 'TransitGatewayId', 'tgw-0123456789abcdef0', 'transit gateway tgw-0123456789abcdef0'],
    [
      'peering connection',
      'VpcPeeringConnectionId',
      'pcx-0123456789abcdef0',
      'VPC peering connection pcx-0123456789abcdef0',
    ],
    [
      'network interface',
      'NetworkInterfaceId',
      'eni-0123456789abcdef0',
      'network interface eni-0123456789abcdef0',
    ],
    ['instance', 'InstanceId', 'i-0123456789abcdef0', 'instance i-0123456789abcdef0'],
    [
      'egress-only internet gateway',
      'EgressOnlyInternetGatewayId',
      'eigw-0123456789abcdef0',
      'egress-only internet gateway eigw-0123456789abcdef0',
    ],
    [
      'literal internet gateway ID',
      'GatewayId',
      'igw-0123456789abcdef0',
      'internet gateway igw-0123456789abcdef0',
    ],
  ])('rejects a workload route to a %s', (_kind, property, value, label) => {
    const template = enclaveVariant((t) => retarget(t, 'WorkloadDefaultRouteB', property, value));
    const messages = messagesOf(template, 'CLV-NET-1');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain(
      `route table WorkloadRtB route 0.0.0.0/0 (workload subnet WorkloadSubnetB) targets ${label},`,
    );
  });

  test('rejects a non-default workload route (10.0.0.0/8 to a transit gateway), not only 0.0.0.0/0', () => {
    const template = enclaveVariant((t) =>
      add(t, 'CorporateRoute', 'AWS::EC2::Route', {
        RouteTableId: ref('WorkloadRtA'),
        DestinationCidrBlock: '10.0.0.0/8',
        TransitGatewayId: 'tgw-0123456789abcdef0',
      }),
    );
    expect(messagesOf(template, 'CLV-NET-1')).toEqual([
      expect.stringMatching(
        /^CorporateRoute: route table WorkloadRtA route 10\.0\.0\.0\/8 .* targets transit gateway/,
      ),
    ]);
  });

  test('treats a public subnet without a NAT gateway as a workload subnet, so its internet route is rejected', () => {
    const template = enclaveVariant((t) => {
      add(t, 'PublicSubnet', 'AWS::EC2::Subnet', {
        VpcId: ref('EnclaveVpc'),
        CidrBlock: '10.10.30.0/24',
        AvailabilityZone: 'eu-west-1a',
      });
      add(t, 'PublicRt', 'AWS::EC2::RouteTable', { VpcId: ref('EnclaveVpc') });
      add(t, 'PublicRtAssociation', 'AWS::EC2::SubnetRouteTableAssociation', {
        SubnetId: ref('PublicSubnet'),
        RouteTableId: ref('PublicRt'),
      });
      add(t, 'PublicDefaultRoute', 'AWS::EC2::Route', {
        RouteTableId: ref('PublicRt'),
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: ref('EnclaveIgw'),
      });
    });
    expect(messagesOf(template, 'CLV-NET-1')).toEqual([
      expect.stringContaining(
        'PublicDefaultRoute: route table PublicRt route 0.0.0.0/0 (workload subnet PublicSubnet)',
      ),
    ]);
  });

  test('accepts workload routes given as separate AWS::EC2::Route resources to same-AZ endpoints', () => {
    expect(messagesOf(enclaveTemplate() as CfnTemplate, 'CLV-NET-1')).toEqual([]);
  });
});

describe('CLV-NET-2 workload route to a GWLB endpoint in another AZ', () => {
  test('rejects a workload route to the GWLB endpoint of another AZ', () => {
    const template = enclaveVariant((t) =>
      retarget(t, 'WorkloadDefaultRouteA', 'VpcEndpointId', ref('GwlbEndpointB')),
    );
    expect(messagesOf(template, 'CLV-NET-2')).toEqual([
      'WorkloadDefaultRouteA: route table WorkloadRtA route 0.0.0.0/0 targets GWLB endpoint GwlbEndpointB in eu-west-1b, not the AZ of workload subnet WorkloadSubnetA (eu-west-1a)',
    ]);
  });

  test('accepts AZs given as Ref to parameters when subnet and endpoint use the same parameter', () => {
    const template = enclaveVariant((t) => {
      t.Parameters = {
        AzA: { Type: 'AWS::EC2::AvailabilityZone::Name' },
        AzB: { Type: 'AWS::EC2::AvailabilityZone::Name' },
      };
      setEnclaveAzs(t, (letter) => ref(`Az${letter}`));
    });
    expect(netFindings(template)).toEqual([]);
  });

  test('rejects a route across parameter AZs: two different parameters cannot be proven the same AZ', () => {
    const template = enclaveVariant((t) => {
      t.Parameters = {
        AzA: { Type: 'AWS::EC2::AvailabilityZone::Name' },
        AzB: { Type: 'AWS::EC2::AvailabilityZone::Name' },
      };
      setEnclaveAzs(t, (letter) => ref(`Az${letter}`));
      retarget(t, 'WorkloadDefaultRouteA', 'VpcEndpointId', ref('GwlbEndpointB'));
    });
    expect(messagesOf(template, 'CLV-NET-2')).toEqual([
      "WorkloadDefaultRouteA: route table WorkloadRtA route 0.0.0.0/0 targets GWLB endpoint GwlbEndpointB in parameter AzB and workload subnet WorkloadSubnetA is in parameter AzA: AZ unknown, so the route cannot be proven to stay in the subnet's AZ",
    ]);
  });

  test('compares parameter defaults when given, so a cross-AZ route through defaulted parameters is a plain cross-AZ error', () => {
    const template = enclaveVariant((t) => {
      t.Parameters = {
        AzA: { Type: 'AWS::EC2::AvailabilityZone::Name', Default: 'eu-west-1a' },
        AzB: { Type: 'AWS::EC2::AvailabilityZone::Name', Default: 'eu-west-1b' },
      };
      setEnclaveAzs(t, (letter) => ref(`Az${letter}`));
      retarget(t, 'WorkloadDefaultRouteB', 'VpcEndpointId', ref('GwlbEndpointA'));
    });
    expect(messagesOf(template, 'CLV-NET-2')).toEqual([
      'WorkloadDefaultRouteB: route table WorkloadRtB route 0.0.0.0/0 targets GWLB endpoint GwlbEndpointA in eu-west-1a, not the AZ of workload subnet WorkloadSubnetB (eu-west-1b)',
    ]);
  });

  test('accepts AZs written as Fn::Select over Fn::GetAZs, and rejects a route to another index', () => {
    const byIndex = (letter: 'A' | 'B') => ({ 'Fn::Select': [letter === 'A' ? 0 : 1, { 'Fn::GetAZs': '' }] });
    expect(netFindings(enclaveVariant((t) => setEnclaveAzs(t, byIndex)))).toEqual([]);
    const crossed = enclaveVariant((t) => {
      setEnclaveAzs(t, byIndex);
      retarget(t, 'WorkloadDefaultRouteA', 'VpcEndpointId', ref('GwlbEndpointB'));
    });
    expect(messagesOf(crossed, 'CLV-NET-2')).toEqual([
      expect.stringContaining(
        'targets GWLB endpoint GwlbEndpointB in Fn::Select(1, Fn::GetAZs(stack region)), not the AZ of workload subnet WorkloadSubnetA (Fn::Select(0, Fn::GetAZs(stack region)))',
      ),
    ]);
  });

  test('follows Fn::GetAtt to a subnet AZ (short YAML-style form "Subnet.AvailabilityZone")', () => {
    const template = enclaveVariant((t) => {
      props(t, 'EndpointSubnetA').AvailabilityZone = { 'Fn::GetAtt': 'WorkloadSubnetA.AvailabilityZone' };
      props(t, 'EndpointSubnetB').AvailabilityZone = getAtt('WorkloadSubnetB', 'AvailabilityZone');
    });
    expect(netFindings(template)).toEqual([]);
    const crossed = enclaveVariant((t) => {
      props(t, 'EndpointSubnetA').AvailabilityZone = { 'Fn::GetAtt': 'WorkloadSubnetB.AvailabilityZone' };
    });
    expect(messagesOf(crossed, 'CLV-NET-2')).toEqual([
      expect.stringContaining(
        'targets GWLB endpoint GwlbEndpointA in eu-west-1b, not the AZ of workload subnet WorkloadSubnetA (eu-west-1a)',
      ),
    ]);
  });

  test('rejects a route whose subnet AZ cannot be determined ("AZ unknown") instead of passing it', () => {
    const template = enclaveVariant((t) => delete props(t, 'WorkloadSubnetA').AvailabilityZone);
    expect(messagesOf(template, 'CLV-NET-2')).toEqual([
      expect.stringContaining(
        'workload subnet WorkloadSubnetA is in AZ unknown (subnet WorkloadSubnetA names no AvailabilityZone, so CloudFormation picks one)',
      ),
    ]);
  });
});

describe('CLV-NET-3 enclave VPC without GWLB endpoint', () => {
  test('rejects an enclave VPC with workload subnets and no GWLB endpoint', () => {
    const template = enclaveVariant((t) => {
      remove(t, 'GwlbEndpointA', 'GwlbEndpointB', 'WorkloadDefaultRouteA', 'WorkloadDefaultRouteB');
      remove(t, 'NatReturnRouteA', 'NatReturnRouteB');
    });
    expect(messagesOf(template, 'CLV-NET-3')).toEqual([
      // without endpoints, the endpoint subnets host nothing and are workload subnets too
      'EnclaveVpc: enclave VPC EnclaveVpc has workload subnet WorkloadSubnetA, EndpointSubnetA, WorkloadSubnetB, EndpointSubnetB and no GWLB endpoint, so no traffic of theirs can be inspected',
    ]);
  });

  test('rejects a workload subnet in an AZ that has no GWLB endpoint', () => {
    const template = enclaveVariant((t) => {
      add(t, 'WorkloadSubnetC', 'AWS::EC2::Subnet', {
        VpcId: ref('EnclaveVpc'),
        CidrBlock: '10.10.2.0/24',
        AvailabilityZone: 'eu-west-1c',
      });
      add(t, 'WorkloadRtC', 'AWS::EC2::RouteTable', { VpcId: ref('EnclaveVpc') });
      add(t, 'WorkloadRtAssociationC', 'AWS::EC2::SubnetRouteTableAssociation', {
        SubnetId: ref('WorkloadSubnetC'),
        RouteTableId: ref('WorkloadRtC'),
      });
    });
    expect(messagesOf(template, 'CLV-NET-3')).toEqual([
      'EnclaveVpc: enclave VPC EnclaveVpc: workload subnet WorkloadSubnetC is in eu-west-1c, where there is no GWLB endpoint; endpoints: GwlbEndpointA (eu-west-1a), GwlbEndpointB (eu-west-1b)',
    ]);
  });

  test('accepts a bare template with a gateway load balancer in one VPC and no other VPC', () => {
    const template = enclaveVariant((t) => {
      for (const id of Object.keys(t.Resources)) {
        if (
          !['InspectionVpc', 'ApplianceSubnetA', 'ApplianceRt', 'ApplianceRtAssociationA', 'Gwlb'].includes(
            id,
          )
        ) {
          delete t.Resources[id];
        }
      }
    });
    expect(netFindings(template)).toEqual([]);
  });
});

describe('CLV-NET-4 gateway endpoint in a workload route table', () => {
  test('rejects an S3 gateway endpoint attached to a workload route table (prefix-list bypass)', () => {
    const template = enclaveVariant(
      (t) => (props(t, 'S3Endpoint').RouteTableIds = [ref('EndpointRtA'), ref('WorkloadRtA')]),
    );
    expect(messagesOf(template, 'CLV-NET-4')).toEqual([
      'S3Endpoint: route table WorkloadRtA of workload subnet WorkloadSubnetA carries the S3 gateway endpoint S3Endpoint: traffic to that service leaves by the S3 prefix list and bypasses the security gateway',
    ]);
  });

  test('rejects a DynamoDB gateway endpoint whose type is left to the CloudFormation default (Gateway)', () => {
    const template = enclaveVariant((t) =>
      add(t, 'DynamoDbEndpoint', 'AWS::EC2::VPCEndpoint', {
        VpcId: ref('EnclaveVpc'),
        ServiceName: { 'Fn::Sub': 'com.amazonaws.${AWS::Region}.dynamodb' },
        RouteTableIds: [ref('WorkloadRtB')],
      }),
    );
    expect(messagesOf(template, 'CLV-NET-4')).toEqual([
      expect.stringContaining(
        'route table WorkloadRtB of workload subnet WorkloadSubnetB carries the DynamoDB gateway endpoint DynamoDbEndpoint',
      ),
    ]);
  });

  test("accepts a gateway endpoint on the gateway-endpoint subnets' route tables (after inspection)", () => {
    expect(props(enclaveTemplate(), 'S3Endpoint').RouteTableIds).toEqual([
      ref('EndpointRtA'),
      ref('EndpointRtB'),
    ]);
    expect(messagesOf(enclaveTemplate() as CfnTemplate, 'CLV-NET-4')).toEqual([]);
  });
});

describe('CLV-NET-5 subnet without explicit route table association', () => {
  test('rejects a subnet with no explicit route table association', () => {
    const template = enclaveVariant((t) => remove(t, 'WorkloadRtAssociationB'));
    expect(messagesOf(template, 'CLV-NET-5')).toEqual([
      'WorkloadSubnetB: workload subnet WorkloadSubnetB has no explicit route table association, so it uses the main route table of VPC EnclaveVpc, which this template does not control',
    ]);
  });

  test('accepts subnets that each have an association', () => {
    expect(messagesOf(enclaveTemplate() as CfnTemplate, 'CLV-NET-5')).toEqual([]);
  });
});

describe('CLV-NET-9 return routes from NAT and edge route tables', () => {
  test('rejects a NAT subnet without a return route to the workload subnet of its AZ', () => {
    const template = enclaveVariant((t) => remove(t, 'NatReturnRouteA'));
    expect(messagesOf(template, 'CLV-NET-9')).toEqual([
      'NatRtA: route table NatRtA of NAT subnet NatSubnetA has no route for workload subnet WorkloadSubnetA (10.10.0.0/24), whose traffic leaves through GWLB endpoint GwlbEndpointA and NAT gateway NatGatewayA: return traffic reaches it uninspected; route 10.10.0.0/24 to GwlbEndpointA',
    ]);
  });

  test('rejects a return route to the GWLB endpoint of another AZ', () => {
    const template = enclaveVariant((t) =>
      retarget(t, 'NatReturnRouteB', 'VpcEndpointId', ref('GwlbEndpointA')),
    );
    expect(messagesOf(template, 'CLV-NET-9')).toEqual([
      'NatReturnRouteB: egress route table NatRtB route 10.10.1.0/24 back to workload subnet WorkloadSubnetB targets GWLB endpoint GwlbEndpointA in eu-west-1a, not the GWLB endpoint in eu-west-1b: return traffic is not inspected',
    ]);
  });

  test('rejects an edge route table sending a workload CIDR to something other than the same-AZ endpoint', () => {
    const template = enclaveVariant((t) => {
      add(t, 'EdgeRt', 'AWS::EC2::RouteTable', { VpcId: ref('EnclaveVpc') });
      add(t, 'EdgeAssociation', 'AWS::EC2::GatewayRouteTableAssociation', {
        GatewayId: ref('EnclaveIgw'),
        RouteTableId: ref('EdgeRt'),
      });
      add(t, 'EdgeRouteA', 'AWS::EC2::Route', {
        RouteTableId: ref('EdgeRt'),
        DestinationCidrBlock: '10.10.0.0/24',
        VpcEndpointId: ref('GwlbEndpointA'),
      });
      add(t, 'EdgeRouteB', 'AWS::EC2::Route', {
        RouteTableId: ref('EdgeRt'),
        DestinationCidrBlock: '10.10.1.0/24',
        VpcEndpointId: ref('GwlbEndpointA'),
      });
    });
    expect(messagesOf(template, 'CLV-NET-9')).toEqual([
      expect.stringMatching(
        /^EdgeRouteB: edge route table EdgeRt route 10\.10\.1\.0\/24 back to workload subnet WorkloadSubnetB targets GWLB endpoint GwlbEndpointA in eu-west-1a/,
      ),
    ]);
  });

  test('accepts NAT route tables that route each same-AZ workload CIDR to the same-AZ endpoint', () => {
    expect(messagesOf(enclaveTemplate() as CfnTemplate, 'CLV-NET-9')).toEqual([]);
  });
});
