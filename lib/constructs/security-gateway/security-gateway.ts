import { ArnFormat, Fn, Stack, Tags, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { Construct } from 'constructs';
import { securityGatewayPropsProblems } from '../../config/network-props';
import { designDecision } from '../design-decision';
import { applianceLogGroupName } from '../../config/naming';
import { SELF_PRINCIPAL } from '../../config/flow-declaration';
import { declareFlows } from '../flows';
import type { ApplianceAmiConfig } from '../../config/types';
import {
  DEFAULT_APPLIANCE_INSTANCE_TYPE,
  DEFAULT_INSPECTION_CIDR,
  instanceArchitecture,
} from '../../config/validate';
import type { EnclaveNetwork } from '../enclave-network/enclave-network';
import { allowLogGroups, createCloverKey, createEncryptedLogGroup } from '../enclave-network/keys';
import { PropsProblems } from '../enclave-network/props-problems';
import { SubnettedVpc } from '../enclave-network/vpc-parts';
import { DEFAULT_HEALTH_CHECK_PORT, GENEVE_PORT, HEALTH_CHECK_PATH } from './appliance';
import { ApplianceFleet } from './appliance-fleet';
import { AL2023 } from './appliance-image';
import { GatewayAlarms } from './gateway-alarms';
import { InspectionRouting } from './inspection-routing';

export { DEFAULT_APPLIANCE_INSTANCE_TYPE, DEFAULT_INSPECTION_CIDR };
/** Tag on every resource of a security gateway; its value is the enclave name. */
export const GATEWAY_TAG = 'clover:gateway';

const ACCOUNT_PATTERN = /^\d{12}$/;

export interface SecurityGatewayProps {
  /** Enclave name: names the appliance log group, alarms and the `clover:gateway` tag. */
  readonly enclaveName: string;
  /** The enclave network whose traffic the gateway inspects (same account and Region). */
  readonly network: EnclaveNetwork;
  /**
   * IPv4 block of the inspection VPC; must not overlap the enclave.
   * @default '100.64.0.0/22'
   */
  readonly inspectionCidr?: string;
  /**
   * EC2 instance type of the appliances.
   * @default 'c7g.large'
   */
  readonly applianceInstanceType?: string;
  /**
   * `al2023` (latest Amazon Linux 2023 for the instance type's architecture) or an AMI ID with its architecture.
   * @default { image: 'al2023' }
   */
  readonly applianceAmi?: ApplianceAmiConfig;
  /**
   * Minimum appliances; at least one per AZ.
   * @default number of AZs
   */
  readonly minInstances?: number;
  /**
   * Maximum appliances.
   * @default 2 × minimum
   */
  readonly maxInstances?: number;
  /**
   * Accounts of the independent provider, allowed (next to this account) to see
   * the endpoint service and request endpoints; Clover accepts only its own.
   * @default []
   */
  readonly providerAccounts?: readonly string[];
  /**
   * TCP port of the appliance health endpoint (`GET /health`).
   * @default 8080
   */
  readonly healthCheckPort?: number;
}

/**
 * A Gateway Load Balancer security gateway for one enclave: an inspection VPC
 * (no internet gateway; a CloudWatch Logs interface endpoint is the only way
 * out) with the GWLB (deletion protection, cross-zone on), a GENEVE target
 * group health-checked on the appliance's `/health`, an Auto Scaling fleet of
 * GENEVE pass-through appliances, an endpoint service that requires
 * acceptance and names its principals, and, in the enclave VPC, one accepted
 * GWLB endpoint per AZ with the routes that force traffic through it.
 * Everything carries the `clover:gateway` tag.
 */
export class SecurityGateway extends Construct {
  public readonly inspectionVpc: ec2.IVpc;
  public readonly inspectionCfnVpc: ec2.CfnVPC;
  public readonly loadBalancer: elbv2.CfnLoadBalancer;
  public readonly targetGroup: elbv2.CfnTargetGroup;
  public readonly listener: elbv2.CfnListener;
  public readonly fleet: ApplianceFleet;
  public readonly endpointService: ec2.CfnVPCEndpointService;
  public readonly endpointServicePermissions: ec2.CfnVPCEndpointServicePermissions;
  /** Service name that GWLB endpoints connect to. */
  public readonly endpointServiceName: string;
  public readonly routing: InspectionRouting;
  public readonly alarms: GatewayAlarms;
  public readonly applianceLogGroup: logs.LogGroup;
  /** The appliances' only way out: the CloudWatch Logs interface endpoint of the inspection VPC. */
  public readonly logsEndpoint: ec2.InterfaceVpcEndpoint;
  /** Key of the appliance flow log group (and of the acceptance handler's logs). */
  public readonly logKey: kms.Key;

  constructor(scope: Construct, id: string, props: SecurityGatewayProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const network = props.network;
    const azs = network.availabilityZones;
    const inspectionCidr = props.inspectionCidr ?? DEFAULT_INSPECTION_CIDR;
    const instanceType = props.applianceInstanceType ?? DEFAULT_APPLIANCE_INSTANCE_TYPE;
    const ami = props.applianceAmi ?? { image: AL2023 };
    const minInstances = props.minInstances ?? azs.length;
    const maxInstances = props.maxInstances ?? 2 * minInstances;
    const healthCheckPort = props.healthCheckPort ?? DEFAULT_HEALTH_CHECK_PORT;
    validateProps(this, props, {
      inspectionCidr,
      instanceType,
      ami,
      minInstances,
      maxInstances,
      healthCheckPort,
    });
    const architecture = instanceArchitecture(instanceType)!;
    const enclave = props.enclaveName;

    const vpc = new SubnettedVpc(this, 'InspectionVpc', {
      cidr: inspectionCidr,
      availabilityZones: azs,
      tiers: [{ name: 'Appliance', role: 'inspection' }],
      ipv6: network.ipv6,
      namePrefix: `clover-${enclave}-inspection`,
    });
    this.inspectionCfnVpc = vpc.vpc;
    const subnets = vpc.tier('Appliance');
    const subnetIds = subnets.map((subnet) => subnet.subnet.ref);
    this.inspectionVpc = ec2.Vpc.fromVpcAttributes(this, 'ImportedInspectionVpc', {
      vpcId: vpc.vpc.ref,
      vpcCidrBlock: inspectionCidr,
      availabilityZones: [...azs],
      isolatedSubnetIds: subnetIds,
      isolatedSubnetRouteTableIds: subnets.map((subnet) => subnet.routeTable.ref),
      isolatedSubnetIpv4CidrBlocks: subnets.map((subnet) => subnet.cidr),
    });
    this.logsEndpoint = this.addLogsEndpoint(inspectionCidr, enclave);
    // The inspection VPC's default security group keeps no rule either.
    network.defaultSecurityGroupRestriction.addGroup(
      'InspectionVpcDefaultGroup',
      vpc.vpc.attrDefaultSecurityGroup,
    );
    network.logFlowsOf(this, 'InspectionFlowLog', vpc.vpc.ref);

    this.loadBalancer = new elbv2.CfnLoadBalancer(this, 'LoadBalancer', {
      type: 'gateway',
      subnets: subnetIds,
      ipAddressType: network.ipv6 ? 'dualstack' : 'ipv4',
      loadBalancerAttributes: [
        { key: 'deletion_protection.enabled', value: 'true' },
        // Cross-zone: when an AZ has no healthy appliance, its flows are inspected in another AZ, never skipped.
        { key: 'load_balancing.cross_zone.enabled', value: 'true' },
      ],
    });
    this.targetGroup = new elbv2.CfnTargetGroup(this, 'TargetGroup', {
      protocol: 'GENEVE',
      port: GENEVE_PORT,
      targetType: 'instance',
      vpcId: vpc.vpc.ref,
      healthCheckEnabled: true,
      healthCheckProtocol: 'HTTP',
      healthCheckPort: String(healthCheckPort),
      healthCheckPath: HEALTH_CHECK_PATH,
      healthCheckIntervalSeconds: 10,
      healthCheckTimeoutSeconds: 5,
      healthyThresholdCount: 3,
      unhealthyThresholdCount: 3,
      targetGroupAttributes: [
        { key: 'target_failover.on_deregistration', value: 'rebalance' },
        { key: 'target_failover.on_unhealthy', value: 'rebalance' },
      ],
    });
    this.listener = new elbv2.CfnListener(this, 'Listener', {
      loadBalancerArn: this.loadBalancer.ref,
      defaultActions: [{ type: 'forward', targetGroupArn: this.targetGroup.ref }],
    });

    const acceptanceLogGroupName = `/clover/${enclave}/gateway/endpoint-acceptance`;
    this.logKey = createCloverKey(this, 'LogKey', {
      description: `Clover ${enclave}: gateway appliance flow log`,
    });
    allowLogGroups(this.logKey, [applianceLogGroupName(enclave), acceptanceLogGroupName]);
    this.applianceLogGroup = createEncryptedLogGroup(this, 'ApplianceLogGroup', {
      logGroupName: applianceLogGroupName(enclave),
      encryptionKey: this.logKey,
    });

    this.alarms = new GatewayAlarms(this, 'Alarms', {
      enclaveName: enclave,
      loadBalancerFullName: this.loadBalancer.attrLoadBalancerFullName,
      targetGroupFullName: this.targetGroup.attrTargetGroupFullName,
      availabilityZones: azs,
    });
    this.fleet = new ApplianceFleet(this, 'Appliances', {
      enclaveName: enclave,
      vpc: this.inspectionVpc,
      subnetIds,
      availabilityZones: azs,
      inspectionCidr,
      instanceType,
      architecture,
      ami,
      minInstances,
      maxInstances,
      healthCheckPort,
      protectedIpv6: network.ipv6Cidr,
      targetGroupArn: this.targetGroup.ref,
      logGroup: this.applianceLogGroup,
      notificationTopic: this.alarms.topic,
    });
    this.alarms.allowPublisherRole(this.fleet.serviceLinkedRoleArn);
    declareFlows(this.fleet.role.node.defaultChild as iam.CfnRole, [
      {
        id: 'appliance-flow-log',
        kind: 'required',
        description: `a gateway appliance of ${enclave} writes its flow log through the CloudWatch Logs interface endpoint`,
        principal: SELF_PRINCIPAL,
        action: 'logs:PutLogEvents',
        resource: `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${applianceLogGroupName(enclave)}:log-stream:i-0123456789abcdef0`,
        vpcEndpoint: this.logsEndpoint.vpcEndpointId,
      },
    ]);

    this.endpointService = new ec2.CfnVPCEndpointService(this, 'EndpointService', {
      gatewayLoadBalancerArns: [this.loadBalancer.ref],
      acceptanceRequired: true,
      supportedIpAddressTypes: network.ipv6 ? ['ipv4', 'ipv6'] : ['ipv4'],
    });
    const accounts = [...new Set([stack.account, ...(props.providerAccounts ?? [])])];
    this.endpointServicePermissions = new ec2.CfnVPCEndpointServicePermissions(
      this,
      'EndpointServicePermissions',
      {
        serviceId: this.endpointService.ref,
        allowedPrincipals: accounts.map((account) => `arn:${stack.partition}:iam::${account}:root`),
      },
    );
    this.endpointServiceName = Fn.join('.', [
      endpointServicePrefix(stack.region),
      stack.region,
      this.endpointService.ref,
    ]);

    this.routing = new InspectionRouting(this, 'Routing', {
      network,
      serviceId: this.endpointService.ref,
      serviceName: this.endpointServiceName,
      acceptanceLogGroup: createEncryptedLogGroup(this, 'AcceptanceLogGroup', {
        logGroupName: acceptanceLogGroupName,
        encryptionKey: this.logKey,
      }),
    });
    // Endpoints connect once the service lists its load balancer and allows this account.
    this.routing.endpoints.forEach((endpoint) =>
      endpoint.node.addDependency(this.endpointServicePermissions),
    );

    designDecision(this.loadBalancer, 'GATEWAY_LOAD_BALANCER_LOGS');
    Tags.of(this).add(GATEWAY_TAG, enclave);
  }

  /**
   * The appliances' only way out of the inspection VPC: a CloudWatch Logs
   * interface endpoint (private DNS), reachable on 443 from inside the VPC.
   */
  private addLogsEndpoint(inspectionCidr: string, enclave: string): ec2.InterfaceVpcEndpoint {
    const securityGroup = new ec2.SecurityGroup(this, 'LogsEndpointSecurityGroup', {
      vpc: this.inspectionVpc,
      description: 'CloudWatch Logs interface endpoint: HTTPS from the inspection VPC',
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    securityGroup.addIngressRule(
      ec2.Peer.ipv4(inspectionCidr),
      ec2.Port.tcp(443),
      'HTTPS from the appliances',
    );
    const endpoint = new ec2.InterfaceVpcEndpoint(this, 'LogsEndpoint', {
      vpc: this.inspectionVpc,
      service: ec2.InterfaceVpcEndpointAwsService.CLOUDWATCH_LOGS,
      subnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      securityGroups: [securityGroup],
      privateDnsEnabled: true,
      open: false,
    });
    // The endpoint carries what the appliances send, and only for principals of this account: without a
    // policy it would carry any account's requests to any log group.
    const stack = Stack.of(this);
    const logGroup = stack.formatArn({
      service: 'logs',
      resource: 'log-group',
      resourceName: applianceLogGroupName(enclave),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    endpoint.addToPolicy(
      new iam.PolicyStatement({
        sid: 'ApplianceFlowLogOfThisAccount',
        principals: [new iam.AnyPrincipal()],
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup, `${logGroup}:log-stream:*`],
        conditions: { StringEquals: { 'aws:PrincipalAccount': stack.account } },
      }),
    );
    return endpoint;
  }
}

/** Prefix of endpoint service names in the Region's partition (`com.amazonaws.vpce`, `eu.amazonaws.vpce`, …). */
function endpointServicePrefix(region: string): string {
  const fallback = 'com.amazonaws.vpce';
  if (Token.isUnresolved(region)) return fallback;
  return RegionInfo.get(region).vpcEndpointServiceNamePrefix ?? fallback;
}

interface ResolvedGatewayProps {
  readonly inspectionCidr: string;
  readonly instanceType: string;
  readonly ami: ApplianceAmiConfig;
  readonly minInstances: number;
  readonly maxInstances: number;
  readonly healthCheckPort: number;
}

function validateProps(scope: Construct, props: SecurityGatewayProps, resolved: ResolvedGatewayProps): void {
  const problems = new PropsProblems(scope, 'SecurityGateway');
  problems.addAll(
    securityGatewayPropsProblems({
      applianceInstanceType: resolved.instanceType,
      applianceAmi: resolved.ami,
      inspectionCidr: resolved.inspectionCidr,
      enclaveCidr: props.network.cidr,
      azCount: props.network.availabilityZones.length,
      minInstances: resolved.minInstances,
      maxInstances: resolved.maxInstances,
    }),
  );
  const port = resolved.healthCheckPort;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    problems.add('healthCheckPort', port, 'is not a TCP port', 'use 1-65535');
  }
  (props.providerAccounts ?? []).forEach((account, index) => {
    if (!Token.isUnresolved(account) && !ACCOUNT_PATTERN.test(account)) {
      problems.add(
        `providerAccounts[${index}]`,
        account,
        'is not a 12-digit AWS account ID',
        'write the account ID as 12 digits',
      );
    }
  });
  problems.throwIfAny();
}
