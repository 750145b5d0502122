import { Fn, Tags } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { Construct } from 'constructs';
import { planSubnets } from './subnet-plan';

/** Tag that names a subnet's (and its route table's) role; written for people, never read by the route proof. */
export const SUBNET_ROLE_TAG = 'clover:subnet-role';

/** One tier of subnets: one subnet per AZ. */
export interface TierSpec {
  /** Construct-ID and tag stem, e.g. `Workload`. */
  readonly name: string;
  /** `clover:subnet-role` tag value. */
  readonly role: string;
  /** Give instances an IPv6 address on launch (dual-stack VPCs only). */
  readonly assignIpv6OnCreation?: boolean;
}

/** A subnet with its own route table and explicit association. */
export interface BuiltSubnet {
  readonly tier: string;
  readonly availabilityZone: string;
  readonly cidr: string;
  /** IPv6 /64 of the subnet (a token); present in dual-stack VPCs. */
  readonly ipv6Cidr?: string;
  readonly subnet: ec2.CfnSubnet;
  readonly routeTable: ec2.CfnRouteTable;
  readonly association: ec2.CfnSubnetRouteTableAssociation;
}

export interface SubnettedVpcProps {
  /** IPv4 block of the VPC. */
  readonly cidr: string;
  readonly availabilityZones: readonly string[];
  readonly tiers: readonly TierSpec[];
  /** Add an Amazon-provided IPv6 /56 and give every subnet a /64. */
  readonly ipv6: boolean;
  /** Prefix of the `Name` tags, e.g. `clover-dublin-1`. */
  readonly namePrefix: string;
}

/**
 * A VPC built from L1 resources so that Clover owns every route: each subnet
 * has its own route table and an explicit association, and nothing else
 * (no IGW, no NAT, no default routes) is added here. AZs are given, never
 * looked up; no subnet maps public IPs on launch.
 */
export class SubnettedVpc extends Construct {
  public readonly vpc: ec2.CfnVPC;
  /** The IPv6 block association, when dual-stack. */
  public readonly ipv6Block?: ec2.CfnVPCCidrBlock;
  /** Every subnet, tier-major (all subnets of the first tier first). */
  public readonly subnets: readonly BuiltSubnet[];

  constructor(scope: Construct, id: string, props: SubnettedVpcProps) {
    super(scope, id);
    this.vpc = new ec2.CfnVPC(this, 'Resource', {
      cidrBlock: props.cidr,
      enableDnsHostnames: true,
      enableDnsSupport: true,
      instanceTenancy: 'default',
    });
    Tags.of(this.vpc).add('Name', props.namePrefix);
    const plan = planSubnets(
      props.cidr,
      props.tiers.map((tier) => tier.name),
      props.availabilityZones,
    );
    if (props.ipv6) {
      this.ipv6Block = new ec2.CfnVPCCidrBlock(this, 'Ipv6Block', {
        vpcId: this.vpc.ref,
        amazonProvidedIpv6CidrBlock: true,
      });
    }
    const ipv6Blocks = this.ipv6Block
      ? Fn.cidr(Fn.select(0, this.vpc.attrIpv6CidrBlocks), plan.length, '64')
      : undefined;
    this.subnets = plan.map((planned) => {
      const tier = props.tiers.find((candidate) => candidate.name === planned.tier)!;
      const group = new Construct(this, `${tier.name}-${planned.availabilityZone}`);
      const ipv6Cidr = ipv6Blocks ? Fn.select(planned.index, ipv6Blocks) : undefined;
      const subnet = new ec2.CfnSubnet(group, 'Subnet', {
        vpcId: this.vpc.ref,
        availabilityZone: planned.availabilityZone,
        cidrBlock: planned.cidr,
        mapPublicIpOnLaunch: false,
        ipv6CidrBlock: ipv6Cidr,
        assignIpv6AddressOnCreation: ipv6Cidr ? (tier.assignIpv6OnCreation ?? false) : undefined,
      });
      if (this.ipv6Block) subnet.node.addDependency(this.ipv6Block);
      const routeTable = new ec2.CfnRouteTable(group, 'RouteTable', { vpcId: this.vpc.ref });
      const association = new ec2.CfnSubnetRouteTableAssociation(group, 'RouteTableAssociation', {
        subnetId: subnet.ref,
        routeTableId: routeTable.ref,
      });
      Tags.of(group).add('Name', `${props.namePrefix}-${tier.role}-${planned.availabilityZone}`);
      Tags.of(group).add(SUBNET_ROLE_TAG, tier.role);
      return {
        tier: tier.name,
        availabilityZone: planned.availabilityZone,
        cidr: planned.cidr,
        ipv6Cidr,
        subnet,
        routeTable,
        association,
      };
    });
  }

  /** The subnets of one tier, in AZ order. */
  public tier(name: string): BuiltSubnet[] {
    return this.subnets.filter((subnet) => subnet.tier === name);
  }
}
