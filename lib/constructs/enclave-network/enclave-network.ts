import { Fn, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { enclaveNetworkPropsProblems } from '../../config/network-props';
import { flowLogGroupName } from '../../config/naming';
import { flowLogFormat } from './flow-log-format';
import { allowLogGroups, createCloverKey, createEncryptedLogGroup, NETWORK_LOG_RETENTION } from './keys';
import { PropsProblems } from './props-problems';
import { BuiltSubnet, SubnettedVpc, TierSpec } from './vpc-parts';
import { DefaultSecurityGroupRestriction } from './default-group-restriction';
import { ServiceEndpoints } from './service-endpoints';

/** Subnet roles, as written in the `clover:subnet-role` tag. */
export const SubnetRole = {
  WORKLOAD: 'workload',
  GATEWAY_ENDPOINT: 'gateway-endpoint',
  EGRESS: 'egress',
} as const;

const WORKLOAD_TIER: TierSpec = { name: 'Workload', role: SubnetRole.WORKLOAD, assignIpv6OnCreation: true };
const ENDPOINT_TIER: TierSpec = { name: 'GatewayEndpoint', role: SubnetRole.GATEWAY_ENDPOINT };
const EGRESS_TIER: TierSpec = { name: 'Egress', role: SubnetRole.EGRESS };

export interface EnclaveNetworkProps {
  /** Enclave name; names the flow log group (`flowLogGroupName`) and the `Name` tags. */
  readonly enclaveName: string;
  /** IPv4 block of the enclave VPC, /16 to /24. */
  readonly cidr: string;
  /** AZ names (e.g. `eu-west-1a`), one subnet per tier in each. Never looked up. */
  readonly availabilityZones: readonly string[];
  /**
   * Whether workloads may reach the internet, through the gateway: adds the
   * egress tier (one NAT gateway per AZ) and an internet gateway.
   * @default true
   */
  readonly egress?: boolean;
  /**
   * Dual-stack VPC: an Amazon-provided IPv6 /56 and a /64 per subnet.
   * @default false
   */
  readonly ipv6?: boolean;
  /**
   * Retention of the flow log group.
   * @default one year
   */
  readonly flowLogRetention?: logs.RetentionDays;
}

/** The three subnets of one AZ. */
export interface EnclaveZone {
  readonly availabilityZone: string;
  readonly workload: BuiltSubnet;
  readonly gatewayEndpoint: BuiltSubnet;
  /** Present when egress is on. */
  readonly egress?: BuiltSubnet;
  /** The AZ's NAT gateway, in its egress subnet; present when egress is on. */
  readonly natGateway?: ec2.CfnNatGateway;
}

/**
 * One segregated enclave VPC: workload subnets (private, no public IPs),
 * gateway-endpoint subnets, and, only when egress is on, egress subnets with
 * a NAT gateway per AZ behind an internet gateway. No peering, no transit
 * gateway, no S3/DynamoDB gateway endpoints. The default security group has
 * no rules. Flow logs of ALL traffic go to a KMS-encrypted log group.
 *
 * Routes from workloads are not created here: the security gateway sends
 * them to its same-AZ endpoint. Until then a workload subnet has no route
 * out at all.
 */
export class EnclaveNetwork extends Construct {
  /** The VPC, as an `IVpc` for constructs that place resources in workload subnets. */
  public readonly vpc: ec2.IVpc;
  public readonly cfnVpc: ec2.CfnVPC;
  public readonly availabilityZones: readonly string[];
  public readonly egress: boolean;
  public readonly ipv6: boolean;
  public readonly cidr: string;
  /** Per-AZ view, in the order of `availabilityZones`. */
  public readonly zones: readonly EnclaveZone[];
  public readonly workloadSubnets: readonly BuiltSubnet[];
  public readonly gatewayEndpointSubnets: readonly BuiltSubnet[];
  /** Empty when egress is off. */
  public readonly egressSubnets: readonly BuiltSubnet[];
  /** Present when egress is on. */
  public readonly internetGateway?: ec2.CfnInternetGateway;
  /** Route tables of every subnet, by tier. */
  public readonly routeTables: {
    readonly workload: readonly ec2.CfnRouteTable[];
    readonly gatewayEndpoint: readonly ec2.CfnRouteTable[];
    readonly egress: readonly ec2.CfnRouteTable[];
  };
  public readonly flowLogGroup: logs.LogGroup;
  /** Key of the flow log group (and of the default-security-group custom resource's logs). */
  public readonly flowLogKey: kms.Key;
  public readonly flowLog: ec2.CfnFlowLog;
  /** Role that VPC Flow Logs assumes to write the flow log group. */
  public readonly flowLogRole: iam.Role;
  /**
   * The enclave VPC's Amazon-provided IPv6 block (a token), with the association that must exist
   * before it can be read; present with `ipv6`.
   */
  public readonly ipv6Cidr?: { readonly block: string; readonly association: ec2.CfnVPCCidrBlock };
  /** Interface endpoints (EC2, S3, Secrets Manager, SQS) through which Clover's functions reach AWS. */
  public readonly serviceEndpoints: ServiceEndpoints;
  /** The deploy-time step that leaves the default security group without rules. */
  public readonly defaultSecurityGroupRestriction: DefaultSecurityGroupRestriction;

  constructor(scope: Construct, id: string, props: EnclaveNetworkProps) {
    super(scope, id);
    this.egress = props.egress ?? true;
    this.ipv6 = props.ipv6 ?? false;
    this.cidr = props.cidr;
    this.availabilityZones = [...props.availabilityZones];
    const tiers = this.egress ? [WORKLOAD_TIER, ENDPOINT_TIER, EGRESS_TIER] : [WORKLOAD_TIER, ENDPOINT_TIER];
    validateProps(this, props, tiers);

    const built = new SubnettedVpc(this, 'Vpc', {
      cidr: props.cidr,
      availabilityZones: this.availabilityZones,
      tiers,
      ipv6: this.ipv6,
      namePrefix: `clover-${props.enclaveName}`,
    });
    this.cfnVpc = built.vpc;
    if (built.ipv6Block) {
      this.ipv6Cidr = { block: Fn.select(0, built.vpc.attrIpv6CidrBlocks), association: built.ipv6Block };
    }
    this.workloadSubnets = built.tier(WORKLOAD_TIER.name);
    this.gatewayEndpointSubnets = built.tier(ENDPOINT_TIER.name);
    this.egressSubnets = this.egress ? built.tier(EGRESS_TIER.name) : [];
    this.routeTables = {
      workload: this.workloadSubnets.map((subnet) => subnet.routeTable),
      gatewayEndpoint: this.gatewayEndpointSubnets.map((subnet) => subnet.routeTable),
      egress: this.egressSubnets.map((subnet) => subnet.routeTable),
    };

    let natGateways: ec2.CfnNatGateway[] = [];
    if (this.egress) {
      this.internetGateway = new ec2.CfnInternetGateway(this, 'InternetGateway');
      const attachment = new ec2.CfnVPCGatewayAttachment(this, 'InternetGatewayAttachment', {
        vpcId: this.cfnVpc.ref,
        internetGatewayId: this.internetGateway.ref,
      });
      natGateways = this.egressSubnets.map((subnet, index) =>
        this.addEgressPath(subnet, this.gatewayEndpointSubnets[index], attachment),
      );
    }
    this.zones = this.availabilityZones.map((availabilityZone, index) => ({
      availabilityZone,
      workload: this.workloadSubnets[index],
      gatewayEndpoint: this.gatewayEndpointSubnets[index],
      egress: this.egressSubnets[index],
      natGateway: natGateways[index],
    }));

    const flowLogGroup = flowLogGroupName(props.enclaveName);
    const customResourceLogGroup = `/clover/${props.enclaveName}/network/default-security-group`;
    this.flowLogKey = createCloverKey(this, 'FlowLogKey', {
      description: `Clover ${props.enclaveName}: VPC flow logs`,
    });
    allowLogGroups(this.flowLogKey, [flowLogGroup, customResourceLogGroup]);
    this.flowLogGroup = createEncryptedLogGroup(this, 'FlowLogGroup', {
      logGroupName: flowLogGroup,
      encryptionKey: this.flowLogKey,
      retention: props.flowLogRetention ?? NETWORK_LOG_RETENTION,
    });
    this.flowLogRole = flowLogRole(this, this.flowLogGroup);
    this.flowLog = this.logFlowsOf(this, 'FlowLog', this.cfnVpc.ref);
    this.vpc = ec2.Vpc.fromVpcAttributes(this, 'Imported', {
      vpcId: this.cfnVpc.ref,
      vpcCidrBlock: props.cidr,
      availabilityZones: [...this.availabilityZones],
      // With egress, workloads reach the internet (through the gateway and NAT): CDK's "private with egress".
      ...(this.egress
        ? {
            privateSubnetIds: this.workloadSubnets.map((subnet) => subnet.subnet.ref),
            privateSubnetRouteTableIds: this.routeTables.workload.map((table) => table.ref),
            privateSubnetIpv4CidrBlocks: this.workloadSubnets.map((subnet) => subnet.cidr),
          }
        : {
            isolatedSubnetIds: this.workloadSubnets.map((subnet) => subnet.subnet.ref),
            isolatedSubnetRouteTableIds: this.routeTables.workload.map((table) => table.ref),
            isolatedSubnetIpv4CidrBlocks: this.workloadSubnets.map((subnet) => subnet.cidr),
          }),
    });
    this.serviceEndpoints = new ServiceEndpoints(this, 'ServiceEndpoints', {
      vpc: this.vpc,
      cidr: props.cidr,
      subnets: {
        subnetType: this.egress ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
      },
    });
    this.defaultSecurityGroupRestriction = new DefaultSecurityGroupRestriction(this, 'DefaultSecurityGroup', {
      groupId: this.cfnVpc.attrDefaultSecurityGroup,
      endpoints: this.serviceEndpoints,
      logGroup: createEncryptedLogGroup(this, 'DefaultSecurityGroupLogs', {
        logGroupName: customResourceLogGroup,
        encryptionKey: this.flowLogKey,
      }),
    });
  }

  /**
   * One AZ's way out: a NAT gateway in the egress subnet, whose default route
   * is the internet gateway; the same AZ's gateway-endpoint subnet (where
   * inspected traffic leaves the GWLB endpoint) defaults to that NAT gateway.
   */
  private addEgressPath(
    egress: BuiltSubnet,
    gatewayEndpoint: BuiltSubnet,
    attachment: ec2.CfnVPCGatewayAttachment,
  ): ec2.CfnNatGateway {
    const scope = egress.routeTable.node.scope as Construct;
    const eip = new ec2.CfnEIP(scope, 'NatAddress', { domain: 'vpc' });
    eip.node.addDependency(attachment);
    const nat = new ec2.CfnNatGateway(scope, 'NatGateway', {
      subnetId: egress.subnet.ref,
      allocationId: eip.attrAllocationId,
    });
    const internetRoute = new ec2.CfnRoute(scope, 'InternetRoute', {
      routeTableId: egress.routeTable.ref,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: this.internetGateway!.ref,
    });
    internetRoute.node.addDependency(attachment);
    const endpointScope = gatewayEndpoint.routeTable.node.scope as Construct;
    new ec2.CfnRoute(endpointScope, 'NatRoute', {
      routeTableId: gatewayEndpoint.routeTable.ref,
      destinationCidrBlock: '0.0.0.0/0',
      natGatewayId: nat.ref,
    });
    if (this.ipv6) {
      // IPv6 needs no NAT: inspected traffic leaves the endpoint subnet for the internet gateway,
      // whose edge route table (owned by the security gateway) sends replies back through the endpoint.
      const ipv6Route = new ec2.CfnRoute(endpointScope, 'Ipv6InternetRoute', {
        routeTableId: gatewayEndpoint.routeTable.ref,
        destinationIpv6CidrBlock: '::/0',
        gatewayId: this.internetGateway!.ref,
      });
      ipv6Route.node.addDependency(attachment);
    }
    return nat;
  }

  /**
   * Logs ALL traffic of another VPC of the enclave (the gateway's inspection
   * VPC) to the enclave flow log group, in the same format; records carry
   * `vpc-id`, so the monitor tells them apart.
   */
  public logFlowsOf(scope: Construct, id: string, vpcId: string): ec2.CfnFlowLog {
    const flowLog = new ec2.CfnFlowLog(scope, id, {
      resourceType: 'VPC',
      resourceId: vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logGroupName: this.flowLogGroup.logGroupName,
      deliverLogsPermissionArn: this.flowLogRole.roleArn,
      logFormat: flowLogFormat(),
      maxAggregationInterval: 60,
    });
    flowLog.node.addDependency(this.flowLogRole);
    return flowLog;
  }
}

/** The role VPC Flow Logs assumes (confused-deputy conditions on account and flow-log ARN) to write one log group. */
function flowLogRole(scope: Construct, logGroup: logs.ILogGroup): iam.Role {
  const stack = Stack.of(scope);
  const role = new iam.Role(scope, 'FlowLogRole', {
    description: 'Lets VPC Flow Logs write the enclave flow log group',
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }),
        },
      },
    }),
  });
  role.addToPrincipalPolicy(
    new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    }),
  );
  return role;
}

function validateProps(scope: Construct, props: EnclaveNetworkProps, tiers: readonly TierSpec[]): void {
  const problems = new PropsProblems(scope, 'EnclaveNetwork');
  if (!Token.isUnresolved(props.enclaveName) && !/^[a-z][a-z0-9-]*$/.test(props.enclaveName)) {
    problems.add(
      'enclaveName',
      props.enclaveName,
      'is not a lower-case enclave name',
      'use letters, digits and dashes',
    );
  }
  const azs = props.availabilityZones;
  if (azs.length === 0) {
    problems.add(
      'availabilityZones',
      azs,
      'lists no AZ',
      'list the AZ names, e.g. ["eu-west-1a", "eu-west-1b"]',
    );
  }
  azs.forEach((az, index) => {
    if (Token.isUnresolved(az)) {
      problems.add(
        `availabilityZones[${index}]`,
        az,
        'is a token; Clover needs real AZ names at synth time',
        'pass literal AZ names from the region catalogue',
      );
    } else if (azs.indexOf(az) !== index) {
      problems.add(`availabilityZones[${index}]`, az, 'is listed twice', 'list each AZ once');
    }
  });
  problems.addAll(
    enclaveNetworkPropsProblems({ cidr: props.cidr, tierCount: tiers.length, azCount: azs.length }),
  );
  problems.throwIfAny();
}
