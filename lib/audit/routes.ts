/**
 * The route proof: from a stack's synthesized resources alone, classify VPCs,
 * subnets and route tables, resolve every route's target and its AZ, and judge
 * each workload route table. Pure: it reads a {@link TemplateIndex} and never
 * touches constructs, so `clover audit` runs it on any template.
 *
 * Classification (structural, never from tags): a VPC hosting an
 * `AWS::ElasticLoadBalancingV2::LoadBalancer` of type `gateway` is an
 * inspection VPC, every other VPC an enclave VPC. In an enclave VPC a subnet
 * hosting a GWLB endpoint is a gateway-endpoint subnet, one hosting a NAT
 * gateway an egress subnet, every other subnet a workload subnet. A public
 * subnet (internet gateway default route) without a NAT gateway is therefore a
 * workload subnet: whatever is launched there reaches the internet uninspected.
 * A route table takes the roles of its subnets (workload first) and `edge`
 * when it is associated with a gateway.
 */
import { COMPLIANT, RuleOutcome } from './rule';
import type { IndexedResource, TemplateIndex } from './template';
import { asArray, isObject, isTrue, referencedLogicalId } from './values';
import {
  AzIdentity,
  azOfValue,
  CidrValue,
  cidrCovers,
  cidrOfValue,
  cidrsOverlap,
  compareAz,
  describeValue,
  unknownAz,
  withParameterDefault,
} from './network-values';

export type VpcRole = 'enclave' | 'inspection';
export type SubnetRole = 'workload' | 'gateway-endpoint' | 'egress' | 'inspection';
export type RouteTableRole = SubnetRole | 'edge' | 'unassociated';

export type RouteTargetKind =
  | 'gwlb-endpoint'
  | 'internet-gateway'
  | 'nat-gateway'
  | 'transit-gateway'
  | 'peering-connection'
  | 'network-interface'
  | 'instance'
  | 'egress-only-internet-gateway'
  | 'gateway-endpoint'
  | 'vpn-gateway'
  | 'carrier-gateway'
  | 'local-gateway'
  | 'core-network'
  | 'local'
  | 'unknown';

/** What a network violation is about; each CLV-NET rule reports one kind. */
export type NetworkViolationKind =
  /** A workload route targets something other than a GWLB endpoint. */
  | 'workload-route-bypass'
  /** A workload route targets a GWLB endpoint in another (or an unprovable) AZ. */
  | 'workload-route-cross-az'
  /** An enclave VPC has workload subnets in an AZ without a GWLB endpoint. */
  | 'enclave-without-endpoint'
  /** A workload route table carries an S3/DynamoDB gateway endpoint. */
  | 'gateway-endpoint-bypass'
  /** A subnet relies on the VPC's main route table. */
  | 'implicit-association'
  /** Peering, transit gateway or VPN gateway connected to an enclave VPC. */
  | 'enclave-interconnect'
  /** A workload subnet gives instances public IPv4 addresses. */
  | 'public-ip-on-launch'
  /** An egress or edge route back to a workload subnet skips its same-AZ GWLB endpoint, or is missing. */
  | 'return-route';

export interface NetworkViolation {
  readonly kind: NetworkViolationKind;
  /** Logical ID of the resource the finding is reported on. */
  readonly subject: string;
  /** A sentence naming the logical IDs and values involved. */
  readonly message: string;
}

export interface VpcProof {
  /** Logical ID of the `AWS::EC2::VPC`, or a description of a VPC outside the template (`outside VPC Ref VpcId`). */
  readonly id: string;
  readonly inTemplate: boolean;
  readonly role: VpcRole;
  /** Why the VPC has its role. */
  readonly reason: string;
  readonly cidrs: readonly string[];
  readonly subnets: readonly string[];
  readonly routeTables: readonly string[];
  readonly gatewayLoadBalancers: readonly string[];
  readonly gwlbEndpoints: readonly string[];
  /** Peering connections, transit gateway attachments and VPN gateway attachments touching this VPC. */
  readonly interconnects: readonly string[];
}

export interface SubnetProof {
  readonly logicalId: string;
  readonly vpc: string;
  readonly az: AzIdentity;
  readonly cidrs: readonly CidrValue[];
  readonly role: SubnetRole;
  /** Why the subnet has its role. */
  readonly reason: string;
  /** Route tables explicitly associated with the subnet (normally exactly one). */
  readonly routeTables: readonly string[];
  /** GWLB endpoints, NAT gateways and gateway load balancers placed in the subnet. */
  readonly hosts: readonly string[];
}

export interface RouteTarget {
  readonly kind: RouteTargetKind;
  /** Logical ID when the target is a resource of this template. */
  readonly logicalId?: string;
  /** `GWLB endpoint EndpointA`, `internet gateway igw-0123`, `NAT gateway Ref NatParam`. */
  readonly label: string;
  /** AZ of AZ-bound targets (GWLB endpoint, NAT gateway, ENI, instance). */
  readonly az?: AzIdentity;
}

export interface RouteDestination {
  readonly kind: 'ipv4' | 'ipv6' | 'prefix-list';
  readonly cidr?: CidrValue;
  readonly label: string;
}

export interface RouteEntry {
  /** The `AWS::EC2::Route`, or the gateway `AWS::EC2::VPCEndpoint` that adds a prefix-list route. */
  readonly logicalId: string;
  readonly routeTable: string;
  readonly destination: RouteDestination;
  readonly target: RouteTarget;
  /** `0.0.0.0/0` or `::/0`. */
  readonly isDefault: boolean;
}

export interface RouteTableVerdict {
  readonly ok: boolean;
  readonly violations: readonly NetworkViolation[];
  /** What was proven, one line per route (for the evidence report). */
  readonly evidence: readonly string[];
}

export interface RouteTableProof {
  readonly logicalId: string;
  readonly vpc: string;
  /** The role the table is judged by: `workload` when any associated subnet is a workload subnet. */
  readonly role: RouteTableRole;
  readonly roles: readonly RouteTableRole[];
  readonly subnets: readonly string[];
  /** Gateways associated with the table (edge association). */
  readonly gateways: readonly string[];
  readonly routes: readonly RouteEntry[];
  /** Only for workload route tables. */
  readonly verdict?: RouteTableVerdict;
}

/** The route proof of one stack. */
export interface RouteProof {
  readonly vpcs: readonly VpcProof[];
  readonly subnets: readonly SubnetProof[];
  readonly routeTables: readonly RouteTableProof[];
  /** Routes whose route table is not a resource of this template (not judged). */
  readonly unplacedRoutes: readonly RouteEntry[];
  /** Every violation, in discovery order. */
  readonly violations: readonly NetworkViolation[];
  vpc(id: string): VpcProof | undefined;
  subnet(logicalId: string): SubnetProof | undefined;
  routeTable(logicalId: string): RouteTableProof | undefined;
  /** Messages of one kind reported on one resource. */
  violationsOf(kind: NetworkViolationKind, subject: string): readonly string[];
}

const GATEWAY_LOAD_BALANCER = 'AWS::ElasticLoadBalancingV2::LoadBalancer';
const SUBNET = 'AWS::EC2::Subnet';
const ROUTE_TABLE = 'AWS::EC2::RouteTable';
const VPC = 'AWS::EC2::VPC';
const VPC_ENDPOINT = 'AWS::EC2::VPCEndpoint';

const TARGET_LABEL: Record<RouteTargetKind, string> = {
  'gwlb-endpoint': 'GWLB endpoint',
  'internet-gateway': 'internet gateway',
  'nat-gateway': 'NAT gateway',
  'transit-gateway': 'transit gateway',
  'peering-connection': 'VPC peering connection',
  'network-interface': 'network interface',
  instance: 'instance',
  'egress-only-internet-gateway': 'egress-only internet gateway',
  'gateway-endpoint': 'gateway endpoint',
  'vpn-gateway': 'VPN gateway',
  'carrier-gateway': 'carrier gateway',
  'local-gateway': 'local gateway',
  'core-network': 'Cloud WAN core network',
  local: 'local',
  unknown: 'target',
};

/** Route target properties of `AWS::EC2::Route`, with the kind each names when the value itself says nothing. */
const TARGET_PROPERTIES: ReadonlyArray<readonly [string, RouteTargetKind]> = [
  ['VpcEndpointId', 'gwlb-endpoint'],
  ['GatewayId', 'unknown'],
  ['NatGatewayId', 'nat-gateway'],
  ['TransitGatewayId', 'transit-gateway'],
  ['VpcPeeringConnectionId', 'peering-connection'],
  ['NetworkInterfaceId', 'network-interface'],
  ['InstanceId', 'instance'],
  ['EgressOnlyInternetGatewayId', 'egress-only-internet-gateway'],
  ['CarrierGatewayId', 'carrier-gateway'],
  ['LocalGatewayId', 'local-gateway'],
  ['CoreNetworkArn', 'core-network'],
];

const KIND_BY_TYPE: Record<string, RouteTargetKind> = {
  'AWS::EC2::InternetGateway': 'internet-gateway',
  'AWS::EC2::VPNGateway': 'vpn-gateway',
  'AWS::EC2::NatGateway': 'nat-gateway',
  'AWS::EC2::TransitGateway': 'transit-gateway',
  'AWS::EC2::VPCPeeringConnection': 'peering-connection',
  'AWS::EC2::NetworkInterface': 'network-interface',
  'AWS::EC2::Instance': 'instance',
  'AWS::EC2::EgressOnlyInternetGateway': 'egress-only-internet-gateway',
  'AWS::EC2::CarrierGateway': 'carrier-gateway',
};

/** Resource ID prefixes of literal targets (`igw-0123…`). */
const KIND_BY_ID_PREFIX: ReadonlyArray<readonly [string, RouteTargetKind]> = [
  ['igw-', 'internet-gateway'],
  ['vgw-', 'vpn-gateway'],
  ['nat-', 'nat-gateway'],
  ['tgw-', 'transit-gateway'],
  ['pcx-', 'peering-connection'],
  ['eni-', 'network-interface'],
  ['i-', 'instance'],
  ['eigw-', 'egress-only-internet-gateway'],
  ['vpce-', 'gwlb-endpoint'],
  ['cagw-', 'carrier-gateway'],
  ['lgw-', 'local-gateway'],
];

const AZ_BOUND_TARGETS: readonly RouteTargetKind[] = [
  'gwlb-endpoint',
  'nat-gateway',
  'network-interface',
  'instance',
];

const ROLE_PRIORITY: readonly RouteTableRole[] = [
  'inspection',
  'workload',
  'egress',
  'gateway-endpoint',
  'edge',
];

/** The literal endpoint type of a VPC endpoint; CloudFormation's default is `Gateway`. */
export function vpcEndpointType(index: TemplateIndex, endpoint: IndexedResource): string {
  const type = withParameterDefault(index, endpoint.properties.VpcEndpointType);
  return type === undefined ? 'Gateway' : typeof type === 'string' ? type : describeValue(type);
}

/** True for an `AWS::ElasticLoadBalancingV2::LoadBalancer` of type `gateway`. */
export function isGatewayLoadBalancer(index: TemplateIndex, resource: IndexedResource): boolean {
  return (
    resource.type === GATEWAY_LOAD_BALANCER &&
    withParameterDefault(index, resource.properties.Type) === 'gateway'
  );
}

interface MutableVpc {
  id: string;
  inTemplate: boolean;
  role: VpcRole;
  reason: string;
  cidrs: string[];
  cidrValues: CidrValue[];
  subnets: string[];
  routeTables: string[];
  gatewayLoadBalancers: string[];
  gwlbEndpoints: string[];
  interconnects: string[];
}

interface MutableSubnet {
  logicalId: string;
  vpc: string;
  az: AzIdentity;
  cidrs: CidrValue[];
  role: SubnetRole;
  reason: string;
  routeTables: string[];
  hosts: string[];
  natGateways: string[];
  gwlbEndpoints: string[];
  mapPublicIpOnLaunch: unknown;
}

interface MutableRouteTable {
  logicalId: string;
  vpc: string;
  role: RouteTableRole;
  roles: RouteTableRole[];
  subnets: string[];
  gateways: string[];
  routes: RouteEntry[];
  verdict?: RouteTableVerdict;
}

class RouteProofBuilder {
  private readonly vpcs = new Map<string, MutableVpc>();
  private readonly subnets = new Map<string, MutableSubnet>();
  private readonly tables = new Map<string, MutableRouteTable>();
  private readonly unplacedRoutes: RouteEntry[] = [];
  private readonly violations: NetworkViolation[] = [];
  private readonly azCache = new Map<string, AzIdentity | undefined>();

  constructor(private readonly index: TemplateIndex) {}

  public build(): RouteProof {
    this.collectVpcs();
    this.collectSubnets();
    this.markInspectionVpcs();
    this.collectHostedResources();
    this.classifySubnets();
    this.collectRouteTables();
    this.collectRoutes();
    this.classifyRouteTables();
    this.judgeWorkloadRouteTables();
    this.judgeEndpointsPerAz();
    this.judgeAssociations();
    this.judgeInterconnects();
    this.judgePublicIps();
    this.judgeReturnRoutes();
    return this.finish();
  }

  private collectVpcs(): void {
    for (const vpc of this.index.ofType(VPC)) {
      const entry = this.vpcEntry(vpc.logicalId, true);
      const cidr = cidrOfValue(this.index, vpc.properties.CidrBlock);
      if (cidr) {
        entry.cidrs.push(cidr.label);
        entry.cidrValues.push(cidr);
      } else if (vpc.properties.Ipv4IpamPoolId !== undefined) {
        entry.cidrs.push(`IPAM pool ${describeValue(vpc.properties.Ipv4IpamPoolId)}`);
      }
    }
    for (const block of this.index.ofType('AWS::EC2::VPCCidrBlock')) {
      const entry = this.vpcEntry(this.vpcKey(block.properties.VpcId));
      const cidr =
        cidrOfValue(this.index, block.properties.CidrBlock) ??
        cidrOfValue(this.index, block.properties.Ipv6CidrBlock);
      if (cidr) {
        entry.cidrs.push(cidr.label);
        entry.cidrValues.push(cidr);
      } else if (isTrue(block.properties.AmazonProvidedIpv6CidrBlock)) {
        entry.cidrs.push(`Amazon-provided IPv6 block (${block.logicalId})`);
      }
    }
  }

  private collectSubnets(): void {
    for (const subnet of this.index.ofType(SUBNET)) {
      const vpc = this.vpcKey(subnet.properties.VpcId);
      this.vpcEntry(vpc).subnets.push(subnet.logicalId);
      const cidrs = [
        subnet.properties.CidrBlock,
        subnet.properties.Ipv6CidrBlock,
        ...asArray(subnet.properties.Ipv6CidrBlocks),
      ]
        .map((value) => cidrOfValue(this.index, value))
        .filter((cidr): cidr is CidrValue => cidr !== undefined);
      this.subnets.set(subnet.logicalId, {
        logicalId: subnet.logicalId,
        vpc,
        az: this.azOfResource(subnet.logicalId) ?? unknownAz('no subnet'),
        cidrs,
        role: 'workload',
        reason: '',
        routeTables: [],
        hosts: [],
        natGateways: [],
        gwlbEndpoints: [],
        mapPublicIpOnLaunch: subnet.properties.MapPublicIpOnLaunch,
      });
    }
  }

  private markInspectionVpcs(): void {
    for (const balancer of this.index.ofType(GATEWAY_LOAD_BALANCER)) {
      if (!isGatewayLoadBalancer(this.index, balancer)) continue;
      const subnetValues = [
        ...asArray(balancer.properties.Subnets),
        ...asArray(balancer.properties.SubnetMappings).map((mapping) =>
          isObject(mapping) ? mapping.SubnetId : undefined,
        ),
      ];
      for (const value of subnetValues) {
        const subnet = this.subnetOf(value);
        if (!subnet) continue;
        subnet.hosts.push(balancer.logicalId);
        const vpc = this.vpcEntry(subnet.vpc);
        if (!vpc.gatewayLoadBalancers.includes(balancer.logicalId))
          vpc.gatewayLoadBalancers.push(balancer.logicalId);
        vpc.role = 'inspection';
        vpc.reason = `hosts gateway load balancer ${vpc.gatewayLoadBalancers.join(', ')}`;
      }
    }
    for (const vpc of this.vpcs.values()) {
      if (vpc.role === 'enclave') vpc.reason = 'hosts no gateway load balancer';
    }
  }

  private collectHostedResources(): void {
    for (const endpoint of this.index.ofType(VPC_ENDPOINT)) {
      if (vpcEndpointType(this.index, endpoint) !== 'GatewayLoadBalancer') continue;
      this.vpcEntry(this.vpcKey(endpoint.properties.VpcId)).gwlbEndpoints.push(endpoint.logicalId);
      for (const value of asArray(endpoint.properties.SubnetIds)) {
        const subnet = this.subnetOf(value);
        subnet?.hosts.push(endpoint.logicalId);
        subnet?.gwlbEndpoints.push(endpoint.logicalId);
      }
    }
    for (const nat of this.index.ofType('AWS::EC2::NatGateway')) {
      const subnet = this.subnetOf(nat.properties.SubnetId);
      subnet?.hosts.push(nat.logicalId);
      subnet?.natGateways.push(nat.logicalId);
    }
  }

  private classifySubnets(): void {
    for (const subnet of this.subnets.values()) {
      const vpc = this.vpcEntry(subnet.vpc);
      if (vpc.role === 'inspection') {
        subnet.role = 'inspection';
        subnet.reason = `in inspection VPC ${vpc.id}`;
      } else if (subnet.gwlbEndpoints.length > 0) {
        subnet.role = 'gateway-endpoint';
        subnet.reason = `hosts GWLB endpoint ${subnet.gwlbEndpoints.join(', ')}`;
      } else if (subnet.natGateways.length > 0) {
        subnet.role = 'egress';
        subnet.reason = `hosts NAT gateway ${subnet.natGateways.join(', ')}`;
      } else {
        subnet.role = 'workload';
        subnet.reason = 'hosts no GWLB endpoint and no NAT gateway';
      }
    }
  }

  private collectRouteTables(): void {
    for (const table of this.index.ofType(ROUTE_TABLE)) {
      const vpc = this.vpcKey(table.properties.VpcId);
      this.vpcEntry(vpc).routeTables.push(table.logicalId);
      this.tables.set(table.logicalId, {
        logicalId: table.logicalId,
        vpc,
        role: 'unassociated',
        roles: [],
        subnets: [],
        gateways: [],
        routes: [],
      });
    }
    for (const association of this.index.ofType('AWS::EC2::SubnetRouteTableAssociation')) {
      const table = this.tableOf(association.properties.RouteTableId);
      if (!table) continue;
      const subnet =
        this.subnetOf(association.properties.SubnetId) ??
        this.outsideSubnet(association.properties.SubnetId, table.vpc);
      subnet.routeTables.push(table.logicalId);
      table.subnets.push(subnet.logicalId);
    }
    for (const association of this.index.ofType('AWS::EC2::GatewayRouteTableAssociation')) {
      const table = this.tableOf(association.properties.RouteTableId);
      table?.gateways.push(this.targetOf('GatewayId', association.properties.GatewayId, 'unknown').label);
    }
  }

  private collectRoutes(): void {
    for (const route of this.index.ofType('AWS::EC2::Route')) {
      const destination = this.destinationOf(route);
      const entry: RouteEntry = {
        logicalId: route.logicalId,
        routeTable:
          this.tableOf(route.properties.RouteTableId)?.logicalId ??
          describeValue(route.properties.RouteTableId),
        destination,
        target: this.routeTargetOf(route),
        isDefault: destination.cidr?.key === '0.0.0.0/0' || destination.cidr?.key === '::/0',
      };
      this.placeRoute(entry, route.properties.RouteTableId);
    }
    // A gateway endpoint adds a prefix-list route to every route table it names.
    for (const endpoint of this.index.ofType(VPC_ENDPOINT)) {
      if (vpcEndpointType(this.index, endpoint) !== 'Gateway') continue;
      const service = gatewayEndpointService(endpoint.properties.ServiceName);
      for (const tableId of asArray(endpoint.properties.RouteTableIds)) {
        this.placeRoute(
          {
            logicalId: endpoint.logicalId,
            routeTable: this.tableOf(tableId)?.logicalId ?? describeValue(tableId),
            destination: { kind: 'prefix-list', label: `${service} prefix list` },
            target: {
              kind: 'gateway-endpoint',
              logicalId: endpoint.logicalId,
              label: `${service} gateway endpoint ${endpoint.logicalId}`,
            },
            isDefault: false,
          },
          tableId,
        );
      }
    }
  }

  private placeRoute(entry: RouteEntry, tableValue: unknown): void {
    const table = this.tableOf(tableValue);
    if (table) table.routes.push(entry);
    else this.unplacedRoutes.push(entry);
  }

  private classifyRouteTables(): void {
    for (const table of this.tables.values()) {
      const roles = new Set<RouteTableRole>(table.subnets.map((id) => this.subnets.get(id)!.role));
      if (table.gateways.length > 0) roles.add('edge');
      if (this.vpcEntry(table.vpc).role === 'inspection') roles.add('inspection');
      table.roles = ROLE_PRIORITY.filter((role) => roles.has(role));
      table.role = table.roles[0] ?? 'unassociated';
    }
  }

  private judgeWorkloadRouteTables(): void {
    for (const table of this.tables.values()) {
      if (table.role !== 'workload') continue;
      const found: NetworkViolation[] = [];
      const evidence: string[] = [];
      const workloads = this.workloadSubnetsOf(table);
      for (const route of table.routes) {
        const { target } = route;
        const where = `route table ${table.logicalId} route ${route.destination.label}`;
        if (target.kind === 'local') {
          evidence.push(`${route.destination.label} → local`);
        } else if (target.kind === 'gateway-endpoint') {
          found.push({
            kind: 'gateway-endpoint-bypass',
            subject: route.logicalId,
            message: `route table ${table.logicalId} of workload subnet ${names(workloads)} carries the ${target.label}: traffic to that service leaves by the ${route.destination.label} and bypasses the security gateway`,
          });
        } else if (target.kind === 'gwlb-endpoint') {
          const az = target.az ?? unknownAz(`${target.label} is outside this template`);
          for (const subnet of workloads) {
            const comparison = compareAz(subnet.az, az);
            if (comparison === 'same') {
              evidence.push(
                `${route.destination.label} → ${target.label} in ${az.label}, same AZ as ${subnet.logicalId}`,
              );
            } else if (comparison === 'different') {
              found.push({
                kind: 'workload-route-cross-az',
                subject: route.logicalId,
                message: `${where} targets ${target.label} in ${az.label}, not the AZ of workload subnet ${subnet.logicalId} (${subnet.az.label})`,
              });
            } else {
              found.push({
                kind: 'workload-route-cross-az',
                subject: route.logicalId,
                message: `${where} targets ${target.label} in ${az.label} and workload subnet ${subnet.logicalId} is in ${subnet.az.label}: AZ unknown, so the route cannot be proven to stay in the subnet's AZ`,
              });
            }
          }
        } else {
          found.push({
            kind: 'workload-route-bypass',
            subject: route.logicalId,
            message: `${where} (workload subnet ${names(workloads)}) targets ${target.label}, not a same-AZ GWLB endpoint: that traffic leaves uninspected`,
          });
        }
      }
      if (table.routes.every((route) => route.target.kind === 'local')) {
        evidence.push('no route leaves the VPC (no egress)');
      }
      this.violations.push(...found);
      table.verdict = { ok: found.length === 0, violations: found, evidence };
    }
  }

  private judgeEndpointsPerAz(): void {
    for (const vpc of this.vpcs.values()) {
      if (vpc.role !== 'enclave') continue;
      const workloads = vpc.subnets.map((id) => this.subnets.get(id)!).filter((s) => s.role === 'workload');
      if (workloads.length === 0) continue;
      const subject = vpc.inTemplate ? vpc.id : workloads[0].logicalId;
      const endpointAzs = vpc.gwlbEndpoints.map((id) => ({ id, az: this.azOfResource(id) ?? unknownAz(id) }));
      if (endpointAzs.length === 0) {
        this.violations.push({
          kind: 'enclave-without-endpoint',
          subject,
          message: `enclave VPC ${vpc.id} has workload subnet ${names(workloads)} and no GWLB endpoint, so no traffic of theirs can be inspected`,
        });
        continue;
      }
      for (const subnet of workloads) {
        const comparisons = endpointAzs.map((endpoint) => compareAz(subnet.az, endpoint.az));
        if (comparisons.includes('same')) continue;
        const where = endpointAzs.map((endpoint) => `${endpoint.id} (${endpoint.az.label})`).join(', ');
        this.violations.push({
          kind: 'enclave-without-endpoint',
          subject,
          message: comparisons.includes('unknown')
            ? `enclave VPC ${vpc.id}: no GWLB endpoint can be proven to be in the AZ of workload subnet ${subnet.logicalId} (${subnet.az.label}); endpoints: ${where}`
            : `enclave VPC ${vpc.id}: workload subnet ${subnet.logicalId} is in ${subnet.az.label}, where there is no GWLB endpoint; endpoints: ${where}`,
        });
      }
    }
  }

  private judgeAssociations(): void {
    for (const subnet of this.subnets.values()) {
      if (subnet.routeTables.length > 0) continue;
      this.violations.push({
        kind: 'implicit-association',
        subject: subnet.logicalId,
        message: `${subnet.role} subnet ${subnet.logicalId} has no explicit route table association, so it uses the main route table of VPC ${subnet.vpc}, which this template does not control`,
      });
    }
  }

  private judgeInterconnects(): void {
    const enclave = (vpcKey: string) => this.vpcEntry(vpcKey).role === 'enclave';
    const report = (subject: string, vpcKey: string, message: string) => {
      this.vpcEntry(vpcKey).interconnects.push(subject);
      if (enclave(vpcKey)) this.violations.push({ kind: 'enclave-interconnect', subject, message });
    };
    for (const peering of this.index.ofType('AWS::EC2::VPCPeeringConnection')) {
      const local = this.vpcKey(peering.properties.VpcId);
      const peer = this.vpcKey(peering.properties.PeerVpcId);
      const enclaveSide = [local, peer].find(enclave);
      if (enclaveSide === undefined) continue;
      report(
        peering.logicalId,
        enclaveSide,
        `VPC peering connection ${peering.logicalId} connects enclave VPC ${enclaveSide} with ${enclaveSide === local ? peer : local}: traffic over it bypasses the security gateway`,
      );
    }
    for (const attachment of this.index.ofType(
      'AWS::EC2::TransitGatewayAttachment',
      'AWS::EC2::TransitGatewayVpcAttachment',
    )) {
      const vpc = this.vpcKey(attachment.properties.VpcId);
      report(
        attachment.logicalId,
        vpc,
        `transit gateway attachment ${attachment.logicalId} attaches enclave VPC ${vpc} to transit gateway ${describeValue(attachment.properties.TransitGatewayId)}`,
      );
    }
    for (const attachment of this.index.ofType('AWS::EC2::VPCGatewayAttachment')) {
      if (attachment.properties.VpnGatewayId === undefined) continue;
      const vpc = this.vpcKey(attachment.properties.VpcId);
      report(
        attachment.logicalId,
        vpc,
        `VPN gateway ${describeValue(attachment.properties.VpnGatewayId)} is attached to enclave VPC ${vpc} by ${attachment.logicalId}`,
      );
    }
    for (const association of this.index.ofType('AWS::EC2::ClientVpnTargetNetworkAssociation')) {
      const subnet = this.subnetOf(association.properties.SubnetId);
      if (!subnet) continue;
      report(
        association.logicalId,
        subnet.vpc,
        `Client VPN endpoint ${describeValue(association.properties.ClientVpnEndpointId)} is associated with subnet ${subnet.logicalId} of enclave VPC ${subnet.vpc} by ${association.logicalId}: remote users' traffic enters and leaves the enclave without passing the security gateway`,
      );
    }
    for (const endpoint of this.index.ofType('AWS::EC2::ClientVpnEndpoint')) {
      if (endpoint.properties.VpcId === undefined) continue;
      const vpc = this.vpcKey(endpoint.properties.VpcId);
      report(
        endpoint.logicalId,
        vpc,
        `Client VPN endpoint ${endpoint.logicalId} is placed in enclave VPC ${vpc}: remote users join the enclave's network`,
      );
    }
    for (const attachment of this.index.ofType('AWS::NetworkManager::VpcAttachment')) {
      const vpc = this.vpcKey(attachment.properties.VpcArn);
      report(
        attachment.logicalId,
        vpc,
        `Cloud WAN attachment ${attachment.logicalId} attaches enclave VPC ${vpc} to core network ${describeValue(attachment.properties.CoreNetworkId)}`,
      );
    }
    for (const propagation of this.index.ofType('AWS::EC2::VPNGatewayRoutePropagation')) {
      for (const tableId of asArray(propagation.properties.RouteTableIds)) {
        const table = this.tableOf(tableId);
        if (!table) continue;
        report(
          propagation.logicalId,
          table.vpc,
          `route propagation ${propagation.logicalId} adds routes of VPN gateway ${describeValue(propagation.properties.VpnGatewayId)} to route table ${table.logicalId} of enclave VPC ${table.vpc}`,
        );
      }
    }
  }

  private judgePublicIps(): void {
    for (const subnet of this.subnets.values()) {
      if (subnet.role !== 'workload' || subnet.mapPublicIpOnLaunch === undefined) continue;
      const value = withParameterDefault(this.index, subnet.mapPublicIpOnLaunch);
      if (value === false || (typeof value === 'string' && value.toLowerCase() === 'false')) continue;
      this.violations.push({
        kind: 'public-ip-on-launch',
        subject: subnet.logicalId,
        message: isTrue(value)
          ? `workload subnet ${subnet.logicalId} has MapPublicIpOnLaunch ${JSON.stringify(subnet.mapPublicIpOnLaunch)}: instances launched there get public IPv4 addresses`
          : `workload subnet ${subnet.logicalId} has MapPublicIpOnLaunch ${describeValue(subnet.mapPublicIpOnLaunch)}, which cannot be proven false`,
      });
    }
  }

  private judgeReturnRoutes(): void {
    for (const table of this.tables.values()) {
      if (table.role !== 'egress' && table.role !== 'edge') continue;
      const vpc = this.vpcEntry(table.vpc);
      if (vpc.role !== 'enclave') continue;
      const workloads = vpc.subnets.map((id) => this.subnets.get(id)!).filter((s) => s.role === 'workload');
      for (const route of table.routes) {
        const { cidr } = route.destination;
        if (!cidr || route.target.kind === 'local') continue;
        for (const subnet of workloads) {
          if (!subnet.cidrs.some((own) => this.routesBackTo(vpc, cidr, own))) continue;
          const az = route.target.az;
          const comparison =
            route.target.kind === 'gwlb-endpoint' && az ? compareAz(subnet.az, az) : 'different';
          if (comparison === 'same') continue;
          const targetAz = az ? ` in ${az.label}` : '';
          this.violations.push({
            kind: 'return-route',
            subject: route.logicalId,
            message:
              comparison === 'unknown'
                ? `${table.role} route table ${table.logicalId} route ${route.destination.label} back to workload subnet ${subnet.logicalId} targets ${route.target.label}${targetAz} and the subnet is in ${subnet.az.label}: AZ unknown, so return traffic cannot be proven to pass the subnet's own GWLB endpoint`
                : `${table.role} route table ${table.logicalId} route ${route.destination.label} back to workload subnet ${subnet.logicalId} targets ${route.target.label}${targetAz}, not the GWLB endpoint in ${subnet.az.label}: return traffic is not inspected`,
          });
        }
      }
    }
    this.judgeMissingReturnRoutes();
  }

  /**
   * Follows each workload subnet's egress chain (workload route → GWLB
   * endpoint → route of the endpoint's subnet → NAT gateway) and requires the
   * NAT subnet's route table to send the workload CIDR back; whether that route
   * targets the right endpoint is judged with the other return routes.
   */
  private judgeMissingReturnRoutes(): void {
    const reported = new Set<string>();
    for (const table of this.tables.values()) {
      if (table.role !== 'workload') continue;
      for (const route of table.routes) {
        if (route.target.kind !== 'gwlb-endpoint' || route.target.logicalId === undefined) continue;
        const endpoint = route.target.logicalId;
        for (const nat of this.natGatewaysAfter(endpoint)) {
          const egress = this.subnetOf(this.index.get(nat)?.properties.SubnetId);
          if (!egress) continue;
          const vpc = this.vpcEntry(egress.vpc);
          for (const natTableId of egress.routeTables) {
            const natTable = this.tables.get(natTableId)!;
            for (const subnet of this.workloadSubnetsOf(table)) {
              const key = `${natTableId}\u0000${subnet.logicalId}`;
              if (reported.has(key)) continue;
              const own = subnet.cidrs.find((cidr) => !cidr.label.includes(':'));
              const covered =
                own !== undefined &&
                natTable.routes.some(
                  (back) =>
                    back.target.kind !== 'local' &&
                    back.destination.cidr !== undefined &&
                    cidrCovers(back.destination.cidr, own) &&
                    this.routesBackTo(vpc, back.destination.cidr, own),
                );
              if (covered) continue;
              reported.add(key);
              this.violations.push({
                kind: 'return-route',
                subject: natTableId,
                message: own
                  ? `route table ${natTableId} of NAT subnet ${egress.logicalId} has no route for workload subnet ${subnet.logicalId} (${own.label}), whose traffic leaves through ${route.target.label} and NAT gateway ${nat}: return traffic reaches it uninspected; route ${own.label} to ${endpoint}`
                  : `route table ${natTableId} of NAT subnet ${egress.logicalId}: workload subnet ${subnet.logicalId} has no IPv4 CIDR this proof can read, so its return route through ${endpoint} cannot be proven`,
              });
            }
          }
        }
      }
    }
  }

  /** NAT gateways that the route tables of a GWLB endpoint's subnets send traffic to. */
  private natGatewaysAfter(endpointId: string): string[] {
    const endpoint = this.index.get(endpointId);
    const found = new Set<string>();
    for (const value of asArray(endpoint?.properties.SubnetIds)) {
      for (const tableId of this.subnetOf(value)?.routeTables ?? []) {
        for (const route of this.tables.get(tableId)!.routes) {
          if (route.target.kind === 'nat-gateway' && route.target.logicalId)
            found.add(route.target.logicalId);
        }
      }
    }
    return [...found];
  }

  /**
   * True when a route to `destination` in a table of `vpc` steers traffic for
   * the workload CIDR `own`: they overlap, and the route is no broader than the
   * VPC (a broader route loses to the local route).
   */
  private routesBackTo(vpc: MutableVpc, destination: CidrValue, own: CidrValue): boolean {
    if (!cidrsOverlap(destination, own)) return false;
    return destination.key === own.key || vpc.cidrValues.some((block) => cidrCovers(block, destination));
  }

  private finish(): RouteProof {
    const byKindAndSubject = new Map<string, string[]>();
    for (const violation of this.violations) {
      const key = `${violation.kind}\u0000${violation.subject}`;
      const list = byKindAndSubject.get(key) ?? [];
      list.push(violation.message);
      byKindAndSubject.set(key, list);
    }
    const vpcs: VpcProof[] = [...this.vpcs.values()].map((vpc) => ({
      id: vpc.id,
      inTemplate: vpc.inTemplate,
      role: vpc.role,
      reason: vpc.reason,
      cidrs: vpc.cidrs,
      subnets: vpc.subnets,
      routeTables: vpc.routeTables,
      gatewayLoadBalancers: vpc.gatewayLoadBalancers,
      gwlbEndpoints: vpc.gwlbEndpoints,
      interconnects: vpc.interconnects,
    }));
    const subnets: SubnetProof[] = [...this.subnets.values()].map((subnet) => ({
      logicalId: subnet.logicalId,
      vpc: subnet.vpc,
      az: subnet.az,
      cidrs: subnet.cidrs,
      role: subnet.role,
      reason: subnet.reason,
      routeTables: subnet.routeTables,
      hosts: subnet.hosts,
    }));
    const routeTables: RouteTableProof[] = [...this.tables.values()];
    const vpcById = new Map(vpcs.map((vpc) => [vpc.id, vpc]));
    const subnetById = new Map(subnets.map((subnet) => [subnet.logicalId, subnet]));
    const tableById = new Map(routeTables.map((table) => [table.logicalId, table]));
    return {
      vpcs,
      subnets,
      routeTables,
      unplacedRoutes: this.unplacedRoutes,
      violations: this.violations,
      vpc: (id) => vpcById.get(id),
      subnet: (id) => subnetById.get(id),
      routeTable: (id) => tableById.get(id),
      violationsOf: (kind, subject) => byKindAndSubject.get(`${kind}\u0000${subject}`) ?? [],
    };
  }

  private vpcKey(value: unknown): string {
    return this.index.resolve(value, VPC)?.logicalId ?? `outside VPC ${describeValue(value)}`;
  }

  private vpcEntry(id: string, inTemplate = false): MutableVpc {
    let entry = this.vpcs.get(id);
    if (!entry) {
      entry = {
        id,
        inTemplate,
        role: 'enclave',
        reason: '',
        cidrs: [],
        cidrValues: [],
        subnets: [],
        routeTables: [],
        gatewayLoadBalancers: [],
        gwlbEndpoints: [],
        interconnects: [],
      };
      this.vpcs.set(id, entry);
    }
    return entry;
  }

  /**
   * A subnet outside the template that a route table of the template is
   * associated with: nothing shows it hosts a GWLB endpoint or a NAT gateway,
   * so it is judged as a workload subnet in an unknown AZ (fail closed).
   */
  private outsideSubnet(value: unknown, vpc: string): MutableSubnet {
    const logicalId = `subnet ${describeValue(value)} (outside this template)`;
    let subnet = this.subnets.get(logicalId);
    if (!subnet) {
      subnet = {
        logicalId,
        vpc,
        az: unknownAz(`subnet ${describeValue(value)} is outside this template`),
        cidrs: [],
        role: this.vpcEntry(vpc).role === 'inspection' ? 'inspection' : 'workload',
        reason: 'outside this template: nothing shows it hosts a GWLB endpoint or a NAT gateway',
        routeTables: [],
        hosts: [],
        natGateways: [],
        gwlbEndpoints: [],
        mapPublicIpOnLaunch: undefined,
      };
      this.subnets.set(logicalId, subnet);
    }
    return subnet;
  }

  private subnetOf(value: unknown): MutableSubnet | undefined {
    const subnet = this.index.resolve(value, SUBNET);
    return subnet ? this.subnets.get(subnet.logicalId) : undefined;
  }

  private tableOf(value: unknown): MutableRouteTable | undefined {
    const table = this.index.resolve(value, ROUTE_TABLE);
    return table ? this.tables.get(table.logicalId) : undefined;
  }

  private workloadSubnetsOf(table: MutableRouteTable): MutableSubnet[] {
    return table.subnets.map((id) => this.subnets.get(id)!).filter((subnet) => subnet.role === 'workload');
  }

  private destinationOf(route: IndexedResource): RouteDestination {
    const { DestinationCidrBlock, DestinationIpv6CidrBlock, DestinationPrefixListId } = route.properties;
    if (DestinationCidrBlock !== undefined) {
      const cidr = cidrOfValue(this.index, DestinationCidrBlock)!;
      return { kind: 'ipv4', cidr, label: cidr.label };
    }
    if (DestinationIpv6CidrBlock !== undefined) {
      const cidr = cidrOfValue(this.index, DestinationIpv6CidrBlock)!;
      return { kind: 'ipv6', cidr, label: cidr.label };
    }
    return { kind: 'prefix-list', label: `prefix list ${describeValue(DestinationPrefixListId)}` };
  }

  private routeTargetOf(route: IndexedResource): RouteTarget {
    for (const [property, fallback] of TARGET_PROPERTIES) {
      const value = route.properties[property];
      if (value !== undefined) return this.targetOf(property, value, fallback);
    }
    return { kind: 'unknown', label: 'no target' };
  }

  private targetOf(property: string, raw: unknown, fallback: RouteTargetKind): RouteTarget {
    const value = withParameterDefault(this.index, raw);
    if (typeof value === 'string' && value.toLowerCase() === 'local')
      return { kind: 'local', label: 'local' };
    const resource = this.index.get(referencedLogicalId(value));
    if (resource) {
      const kind = this.kindOfResource(resource) ?? fallback;
      const label =
        kind === 'unknown'
          ? `${property} ${resource.logicalId} (${resource.type})`
          : `${TARGET_LABEL[kind]} ${resource.logicalId}`;
      const az = AZ_BOUND_TARGETS.includes(kind) ? this.azOfResource(resource.logicalId) : undefined;
      return { kind, logicalId: resource.logicalId, label, az };
    }
    const kind =
      (typeof value === 'string'
        ? KIND_BY_ID_PREFIX.find(([prefix]) => value.startsWith(prefix))?.[1]
        : undefined) ?? fallback;
    const label =
      kind === 'unknown'
        ? `${property} ${describeValue(raw)}`
        : `${TARGET_LABEL[kind]} ${describeValue(raw)}`;
    const az = AZ_BOUND_TARGETS.includes(kind)
      ? unknownAz(`${describeValue(raw)} is outside this template`)
      : undefined;
    return { kind, label, az };
  }

  private kindOfResource(resource: IndexedResource): RouteTargetKind | undefined {
    if (resource.type === VPC_ENDPOINT) {
      const type = vpcEndpointType(this.index, resource);
      return type === 'GatewayLoadBalancer'
        ? 'gwlb-endpoint'
        : type === 'Gateway'
          ? 'gateway-endpoint'
          : undefined;
    }
    return KIND_BY_TYPE[resource.type];
  }

  /** AZ of a subnet, or of a resource placed in one (GWLB endpoint, NAT gateway, ENI, instance). */
  private azOfResource(logicalId: string, seen: ReadonlySet<string> = new Set()): AzIdentity | undefined {
    if (this.azCache.has(logicalId)) return this.azCache.get(logicalId);
    if (seen.has(logicalId)) return unknownAz(`circular AvailabilityZone reference through ${logicalId}`);
    const resource = this.index.get(logicalId);
    if (!resource) return undefined;
    const next = new Set([...seen, logicalId]);
    const props = resource.properties;
    const ofSubnetValue = (value: unknown): AzIdentity => {
      const subnet = this.index.resolve(value, SUBNET);
      return subnet
        ? (this.azOfResource(subnet.logicalId, next) ?? unknownAz(logicalId))
        : unknownAz(`subnet ${describeValue(value)} of ${logicalId} is outside this template`);
    };
    let az: AzIdentity | undefined;
    if (props.AvailabilityZone !== undefined) {
      az = azOfValue(this.index, props.AvailabilityZone, (target) => this.azOfResource(target, next));
    } else if (props.AvailabilityZoneId !== undefined) {
      const id = withParameterDefault(this.index, props.AvailabilityZoneId);
      az =
        typeof id === 'string'
          ? { kind: 'id', key: `id:${id}`, label: `zone ID ${id}` }
          : unknownAz(`AvailabilityZoneId ${describeValue(props.AvailabilityZoneId)} is not a literal`);
    } else if (resource.type === SUBNET) {
      az = unknownAz(`subnet ${logicalId} names no AvailabilityZone, so CloudFormation picks one`);
    } else if (props.SubnetId !== undefined) {
      az = ofSubnetValue(props.SubnetId);
    } else if (resource.type === VPC_ENDPOINT && props.SubnetIds !== undefined) {
      az = ofSubnetValue(asArray(props.SubnetIds)[0]);
    }
    this.azCache.set(logicalId, az);
    return az;
  }
}

/** `S3`, `DynamoDB`, or the service name as written, from a gateway endpoint's `ServiceName`. */
function gatewayEndpointService(serviceName: unknown): string {
  const parts: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') parts.push(value);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (isObject(value)) Object.values(value).forEach(collect);
  };
  collect(serviceName);
  const text = parts.join('').toLowerCase();
  if (/(^|\.)s3$/.test(text)) return 'S3';
  if (/(^|\.)dynamodb$/.test(text)) return 'DynamoDB';
  return typeof serviceName === 'string' ? serviceName : describeValue(serviceName);
}

function names(subnets: readonly { logicalId: string }[]): string {
  return subnets.map((subnet) => subnet.logicalId).join(', ') || '(none)';
}

const PROOFS = new WeakMap<TemplateIndex, RouteProof>();

/** The route proof of a stack, computed once per index and shared by every rule and the audit report. */
export function analyseRoutes(index: TemplateIndex): RouteProof {
  let proof = PROOFS.get(index);
  if (!proof) {
    proof = new RouteProofBuilder(index).build();
    PROOFS.set(index, proof);
  }
  return proof;
}

/** A rule's outcome for one resource: the proof's violations of one kind reported on it. */
export function routeProofOutcome(
  index: TemplateIndex,
  kind: NetworkViolationKind,
  logicalId: string,
): RuleOutcome {
  const found = analyseRoutes(index).violationsOf(kind, logicalId);
  return found.length === 0 ? COMPLIANT : found;
}

/** The proof as text, per VPC and route table, for the audit evidence report. */
export function formatRouteProof(proof: RouteProof): string[] {
  const lines: string[] = [];
  for (const vpc of proof.vpcs) {
    lines.push(`VPC ${vpc.id} (${vpc.role}: ${vpc.reason}; ${vpc.cidrs.join(', ') || 'CIDR unknown'})`);
    for (const id of vpc.subnets) {
      const subnet = proof.subnet(id)!;
      lines.push(
        `  subnet ${id} [${subnet.role}] ${subnet.az.label} ${subnet.cidrs.map((c) => c.label).join(', ')} → route table ${subnet.routeTables.join(', ') || '(main, implicit)'}`,
      );
    }
    for (const id of vpc.routeTables) {
      const table = proof.routeTable(id)!;
      const status = table.verdict ? (table.verdict.ok ? 'OK' : 'VIOLATION') : 'not judged';
      lines.push(`  route table ${id} [${table.roles.join(', ') || 'unassociated'}] ${status}`);
      for (const route of table.routes) {
        const az = route.target.az ? ` (${route.target.az.label})` : '';
        lines.push(`    ${route.destination.label} → ${route.target.label}${az}`);
      }
      for (const violation of table.verdict?.violations ?? []) lines.push(`    ✗ ${violation.message}`);
    }
  }
  const others = proof.violations.filter(
    (violation) => !proof.routeTables.some((table) => table.verdict?.violations.includes(violation)),
  );
  for (const violation of others) lines.push(`✗ ${violation.message}`);
  return lines;
}
