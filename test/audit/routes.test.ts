import { analyseRoutes, formatRouteProof, RouteProof } from '../../lib/audit/routes';
import type { CfnTemplate } from '../../lib/audit/template';
import { add, enclaveTemplate, enclaveVariant, props, ref, retarget } from '../fixtures/network/enclave';
import { indexOf } from '../helpers/nag';

const proofOf = (template: CfnTemplate | ReturnType<typeof enclaveTemplate>): RouteProof =>
  analyseRoutes(indexOf(template as CfnTemplate));

describe('classification of the compliant enclave', () => {
  const proof = proofOf(enclaveTemplate());

  test('a VPC hosting the gateway load balancer is the inspection VPC; every other VPC is an enclave VPC', () => {
    expect(proof.vpcs.map((vpc) => [vpc.id, vpc.role, vpc.reason])).toEqual([
      ['InspectionVpc', 'inspection', 'hosts gateway load balancer Gwlb'],
      ['EnclaveVpc', 'enclave', 'hosts no gateway load balancer'],
    ]);
    expect(proof.vpc('EnclaveVpc')).toMatchObject({
      cidrs: ['10.10.0.0/16'],
      gwlbEndpoints: ['GwlbEndpointA', 'GwlbEndpointB'],
      interconnects: [],
    });
  });

  test('subnets are workload, gateway-endpoint, egress or inspection by what they host, with their AZ', () => {
    const roles = Object.fromEntries(proof.subnets.map((s) => [s.logicalId, `${s.role} ${s.az.label}`]));
    expect(roles).toEqual({
      ApplianceSubnetA: 'inspection eu-west-1a',
      WorkloadSubnetA: 'workload eu-west-1a',
      EndpointSubnetA: 'gateway-endpoint eu-west-1a',
      NatSubnetA: 'egress eu-west-1a',
      WorkloadSubnetB: 'workload eu-west-1b',
      EndpointSubnetB: 'gateway-endpoint eu-west-1b',
      NatSubnetB: 'egress eu-west-1b',
    });
    expect(proof.subnet('NatSubnetA')?.reason).toBe('hosts NAT gateway NatGatewayA');
    expect(proof.subnet('EndpointSubnetB')?.hosts).toEqual(['GwlbEndpointB']);
  });

  test('route tables take the roles of their subnets, and routes carry target kinds and target AZs', () => {
    expect(proof.routeTable('WorkloadRtA')).toMatchObject({ role: 'workload', subnets: ['WorkloadSubnetA'] });
    expect(proof.routeTable('ApplianceRt')?.role).toBe('inspection');
    const targets = (id: string) =>
      proof
        .routeTable(id)!
        .routes.map((r) => [r.destination.label, r.target.kind, r.target.logicalId, r.target.az?.label]);
    expect(targets('WorkloadRtA')).toEqual([['0.0.0.0/0', 'gwlb-endpoint', 'GwlbEndpointA', 'eu-west-1a']]);
    expect(targets('EndpointRtA')).toEqual([
      ['0.0.0.0/0', 'nat-gateway', 'NatGatewayA', 'eu-west-1a'],
      ['S3 prefix list', 'gateway-endpoint', 'S3Endpoint', undefined],
    ]);
    expect(targets('NatRtB')).toEqual([
      ['0.0.0.0/0', 'internet-gateway', 'EnclaveIgw', undefined],
      ['10.10.1.0/24', 'gwlb-endpoint', 'GwlbEndpointB', 'eu-west-1b'],
    ]);
  });

  test('every workload route table has an OK verdict with its evidence; no other table is judged', () => {
    const judged = proof.routeTables.filter((table) => table.verdict);
    expect(judged.map((table) => [table.logicalId, table.verdict!.ok])).toEqual([
      ['WorkloadRtA', true],
      ['WorkloadRtB', true],
    ]);
    expect(proof.routeTable('WorkloadRtB')!.verdict!.evidence).toEqual([
      '0.0.0.0/0 → GWLB endpoint GwlbEndpointB in eu-west-1b, same AZ as WorkloadSubnetB',
    ]);
    expect(proof.violations).toEqual([]);
  });

  test('the proof is computed once per index and shared', () => {
    const index = indexOf(enclaveTemplate() as CfnTemplate);
    expect(analyseRoutes(index)).toBe(analyseRoutes(index));
  });

  test('formats a self-describing evidence text per VPC and route table', () => {
    const text = formatRouteProof(proof).join('\n');
    expect(text).toContain(
      'route table WorkloadRtA [workload] OK\n    0.0.0.0/0 → GWLB endpoint GwlbEndpointA (eu-west-1a)',
    );
    expect(text).toContain('route table ApplianceRt [inspection] not judged');
    expect(text).toContain('subnet NatSubnetA [egress] eu-west-1a 10.10.20.0/24 → route table NatRtA');
  });
});

describe('verdicts', () => {
  test('the inspection VPC’s own routes are not judged as workload routes, even to a NAT gateway or peering', () => {
    const proof = proofOf(
      enclaveVariant((t) => {
        retarget(t, 'ApplianceDefaultRoute', 'VpcPeeringConnectionId', 'pcx-0123456789abcdef0');
        add(t, 'ApplianceNat', 'AWS::EC2::NatGateway', { SubnetId: ref('ApplianceSubnetA') });
      }),
    );
    expect(proof.subnet('ApplianceSubnetA')?.role).toBe('inspection');
    expect(proof.routeTable('ApplianceRt')?.verdict).toBeUndefined();
    expect(proof.violations).toEqual([]);
  });

  test('a bare template with a gateway load balancer in one VPC and no other VPC has no enclave and no violation', () => {
    const proof = proofOf({
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        Subnet: {
          Type: 'AWS::EC2::Subnet',
          Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'eu-west-1a' },
        },
        Rt: { Type: 'AWS::EC2::RouteTable', Properties: { VpcId: { Ref: 'Vpc' } } },
        Assoc: {
          Type: 'AWS::EC2::SubnetRouteTableAssociation',
          Properties: { SubnetId: { Ref: 'Subnet' }, RouteTableId: { Ref: 'Rt' } },
        },
        Gwlb: {
          Type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
          Properties: { Type: 'gateway', SubnetMappings: [{ SubnetId: { Ref: 'Subnet' } }] },
        },
      },
    });
    expect(proof.vpcs.map((vpc) => vpc.role)).toEqual(['inspection']);
    expect(proof.violations).toEqual([]);
  });

  test('a VPC with an application load balancer (not type gateway) stays an enclave VPC', () => {
    const proof = proofOf(enclaveVariant((t) => (props(t, 'Gwlb').Type = 'application')));
    expect(proof.vpc('InspectionVpc')?.role).toBe('enclave');
    expect(proof.violations.map((v) => v.kind)).toEqual(
      expect.arrayContaining(['workload-route-bypass', 'enclave-without-endpoint']),
    );
  });

  test('a cross-AZ route fails its table’s verdict and names both AZs', () => {
    const proof = proofOf(
      enclaveVariant((t) => retarget(t, 'WorkloadDefaultRouteA', 'VpcEndpointId', ref('GwlbEndpointB'))),
    );
    const verdict = proof.routeTable('WorkloadRtA')!.verdict!;
    expect(verdict.ok).toBe(false);
    expect(verdict.violations).toEqual([
      {
        kind: 'workload-route-cross-az',
        subject: 'WorkloadDefaultRouteA',
        message:
          'route table WorkloadRtA route 0.0.0.0/0 targets GWLB endpoint GwlbEndpointB in eu-west-1b, not the AZ of workload subnet WorkloadSubnetA (eu-west-1a)',
      },
    ]);
    expect(proof.violationsOf('workload-route-cross-az', 'WorkloadDefaultRouteA')).toHaveLength(1);
    expect(formatRouteProof(proof).join('\n')).toContain('route table WorkloadRtA [workload] VIOLATION');
  });

  test('a route table shared by workload subnets of two AZs is cross-AZ for one of them', () => {
    const proof = proofOf(
      enclaveVariant((t) => (props(t, 'WorkloadRtAssociationB').RouteTableId = ref('WorkloadRtA'))),
    );
    expect(proof.routeTable('WorkloadRtA')!.verdict!.violations.map((v) => v.message)).toEqual([
      expect.stringContaining('not the AZ of workload subnet WorkloadSubnetB (eu-west-1b)'),
    ]);
  });

  test('reads MapPublicIpOnLaunch as CloudFormation does: the raw string "true" is true', () => {
    const proof = proofOf(enclaveVariant((t) => (props(t, 'WorkloadSubnetA').MapPublicIpOnLaunch = 'true')));
    expect(proof.violationsOf('public-ip-on-launch', 'WorkloadSubnetA')).toEqual([
      'workload subnet WorkloadSubnetA has MapPublicIpOnLaunch "true": instances launched there get public IPv4 addresses',
    ]);
    const off = proofOf(enclaveVariant((t) => (props(t, 'WorkloadSubnetA').MapPublicIpOnLaunch = 'false')));
    expect(off.violations).toEqual([]);
  });

  test('follows the short string form of Fn::GetAtt to a subnet AZ', () => {
    const proof = proofOf(
      enclaveVariant(
        (t) =>
          (props(t, 'EndpointSubnetA').AvailabilityZone = {
            'Fn::GetAtt': 'WorkloadSubnetA.AvailabilityZone',
          }),
      ),
    );
    expect(proof.subnet('EndpointSubnetA')?.az.label).toBe('eu-west-1a');
    expect(proof.violations).toEqual([]);
  });

  test('reads an AZ from a list parameter (Fn::Select over Ref), by its default when given', () => {
    const proof = proofOf(
      enclaveVariant((t) => {
        t.Parameters = {
          Azs: { Type: 'List<AWS::EC2::AvailabilityZone::Name>', Default: 'eu-west-1a,eu-west-1b' },
        };
        props(t, 'WorkloadSubnetB').AvailabilityZone = { 'Fn::Select': [1, ref('Azs')] };
      }),
    );
    expect(proof.subnet('WorkloadSubnetB')?.az).toMatchObject({ kind: 'name', label: 'eu-west-1b' });
    expect(proof.violations).toEqual([]);
  });

  test('a route to a GWLB endpoint outside the template has an unknown AZ and fails', () => {
    const proof = proofOf(
      enclaveVariant((t) => retarget(t, 'WorkloadDefaultRouteA', 'VpcEndpointId', 'vpce-0123456789abcdef0')),
    );
    expect(proof.violationsOf('workload-route-cross-az', 'WorkloadDefaultRouteA')).toEqual([
      expect.stringContaining(
        'targets GWLB endpoint vpce-0123456789abcdef0 in AZ unknown (vpce-0123456789abcdef0 is outside this template)',
      ),
    ]);
  });

  test('a route to a gateway given by a parameter without default is an unknown target and fails', () => {
    const proof = proofOf(
      enclaveVariant((t) => {
        t.Parameters = { Gateway: { Type: 'String' } };
        retarget(t, 'WorkloadDefaultRouteA', 'GatewayId', ref('Gateway'));
      }),
    );
    expect(proof.routeTable('WorkloadRtA')!.routes[0].target).toEqual({
      kind: 'unknown',
      label: 'GatewayId Ref Gateway',
    });
    expect(proof.violationsOf('workload-route-bypass', 'WorkloadDefaultRouteA')).toHaveLength(1);
  });

  test('a GatewayId of "local" is the local route and passes', () => {
    const proof = proofOf(
      enclaveVariant((t) =>
        add(t, 'LocalRoute', 'AWS::EC2::Route', {
          RouteTableId: ref('WorkloadRtA'),
          DestinationCidrBlock: '10.10.0.0/16',
          GatewayId: 'local',
        }),
      ),
    );
    expect(proof.routeTable('WorkloadRtA')!.verdict!.ok).toBe(true);
  });

  test('routes into a route table outside the template are kept aside, not judged', () => {
    const proof = proofOf(
      enclaveVariant((t) =>
        add(t, 'ForeignRoute', 'AWS::EC2::Route', {
          RouteTableId: 'rtb-0123456789abcdef0',
          DestinationCidrBlock: '0.0.0.0/0',
          GatewayId: ref('EnclaveIgw'),
        }),
      ),
    );
    expect(proof.unplacedRoutes.map((route) => [route.logicalId, route.routeTable])).toEqual([
      ['ForeignRoute', 'rtb-0123456789abcdef0'],
    ]);
    expect(proof.violations).toEqual([]);
  });

  test('subnets in a VPC given by a parameter belong to an outside enclave VPC and are still judged', () => {
    const proof = proofOf({
      Parameters: { VpcId: { Type: 'AWS::EC2::VPC::Id' } },
      Resources: {
        Subnet: {
          Type: 'AWS::EC2::Subnet',
          Properties: { VpcId: { Ref: 'VpcId' }, CidrBlock: '10.0.0.0/24', AvailabilityZone: 'eu-west-1a' },
        },
      },
    });
    expect(proof.vpcs.map((vpc) => [vpc.id, vpc.role, vpc.inTemplate])).toEqual([
      ['outside VPC Ref VpcId', 'enclave', false],
    ]);
    expect(proof.violations.map((v) => [v.kind, v.subject])).toEqual([
      ['enclave-without-endpoint', 'Subnet'],
      ['implicit-association', 'Subnet'],
    ]);
  });
});
