import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EnclaveNetwork, EnclaveNetworkProps } from '../../../lib/constructs/enclave-network';
import {
  fallbackInstanceType,
  GATEWAY_ELB_NAMESPACE,
  GATEWAY_TAG,
  SecurityGateway,
  SecurityGatewayProps,
} from '../../../lib/constructs/security-gateway';

const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

interface Built {
  /** Logical ID of a construct's CloudFormation resource (its default child for L2s). */
  readonly id: (construct: IConstruct) => string;
  readonly stack: Stack;
  readonly network: EnclaveNetwork;
  readonly gateway: SecurityGateway;
  readonly template: Template;
}

function build(
  gatewayProps: Partial<SecurityGatewayProps> = {},
  networkProps: Partial<EnclaveNetworkProps> = {},
): Built {
  // cfn-validate runs in the gate test on the real app; here it only adds time.
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const network = new EnclaveNetwork(stack, 'Network', {
    enclaveName: 'dublin-1',
    cidr: '10.10.0.0/16',
    availabilityZones: AZS,
    ...networkProps,
  });
  const gateway = new SecurityGateway(stack, 'Gateway', {
    enclaveName: 'dublin-1',
    network,
    providerAccounts: ['444444444444'],
    ...gatewayProps,
  });
  const id = (construct: IConstruct) =>
    stack.getLogicalId((construct.node.defaultChild ?? construct) as CfnElement);
  return { id, stack, network, gateway, template: Template.fromStack(stack) };
}

type Statement = { Effect: string; Action: string | string[]; Resource: unknown };

function statementsOf(template: Template, roleLogicalId: string): Statement[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties.Roles as Array<{ Ref: string }>).some((role) => role.Ref === roleLogicalId),
    )
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

function actionsOf(statements: readonly Statement[]): string[] {
  return statements.flatMap((statement) => [statement.Action].flat());
}

describe('SecurityGateway (defaults, with egress)', () => {
  const { id, network, gateway, template } = build();

  test('puts the gateway load balancer in its own inspection VPC with deletion protection and explicit cross-zone', () => {
    template.resourceCountIs('AWS::EC2::VPC', 2);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '100.64.0.0/22' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Type: 'gateway',
      Subnets: Match.arrayWith([{ Ref: Match.stringLikeRegexp('InspectionVpcAppliance') }]),
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'load_balancing.cross_zone.enabled', Value: 'true' },
      ]),
    });
  });

  test('gives the inspection VPC no internet gateway, NAT or route: only the CloudWatch Logs interface endpoint', () => {
    template.resourceCountIs('AWS::EC2::InternetGateway', 1); // the enclave's, for egress
    const inspectionTables = gateway.node
      .findAll()
      .filter((construct) => construct.node.id === 'RouteTable')
      .map((table) => id(table));
    expect(inspectionTables).toHaveLength(3);
    const routes = Object.values(template.findResources('AWS::EC2::Route'));
    expect(
      routes.filter((route) =>
        inspectionTables.includes((route.Properties.RouteTableId as { Ref: string }).Ref),
      ),
    ).toEqual([]);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Interface',
      ServiceName: 'com.amazonaws.eu-west-1.logs',
      PrivateDnsEnabled: true,
      VpcId: { Ref: id(gateway.inspectionCfnVpc) },
    });
  });

  test('health-checks a GENEVE target group on the appliance /health and rebalances flows on failover', () => {
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Protocol: 'GENEVE',
      Port: 6081,
      TargetType: 'instance',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: '8080',
      HealthCheckPath: '/health',
      TargetGroupAttributes: Match.arrayWith([
        { Key: 'target_failover.on_deregistration', Value: 'rebalance' },
        { Key: 'target_failover.on_unhealthy', Value: 'rebalance' },
      ]),
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      LoadBalancerArn: { Ref: id(gateway.loadBalancer) },
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: id(gateway.targetGroup) } }],
    });
  });

  test('runs at least one appliance per AZ with ELB health checks, in every AZ, from a launch template', () => {
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      MinSize: '3',
      MaxSize: '6',
      AvailabilityZones: AZS,
      HealthCheckType: 'ELB',
      TargetGroupARNs: [{ Ref: id(gateway.targetGroup) }],
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: { LaunchTemplateId: { Ref: id(gateway.fleet.launchTemplate) } },
          Overrides: [{ InstanceType: 'c7g.large' }, { InstanceType: 'm7g.large' }],
        },
        InstancesDistribution: { OnDemandAllocationStrategy: 'prioritized' },
      },
    });
  });

  test('launches appliances with IMDSv2 only, no public IP and a CMK-encrypted root volume', () => {
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({
        InstanceType: 'c7g.large',
        MetadataOptions: { HttpTokens: 'required', HttpPutResponseHopLimit: 1 },
        NetworkInterfaces: [Match.objectLike({ AssociatePublicIpAddress: false })],
        BlockDeviceMappings: [
          {
            DeviceName: '/dev/xvda',
            Ebs: Match.objectLike({
              Encrypted: true,
              KmsKeyId: { 'Fn::GetAtt': [id(gateway.fleet.volumeKey), 'Arn'] },
            }),
          },
        ],
        UserData: Match.anyValue(),
      }),
    });
  });

  test('resolves the arm64 Amazon Linux 2023 image from the public SSM parameter at deploy time', () => {
    const parameters = Object.values(
      template.toJSON().Parameters as Record<string, { Type: string; Default: string }>,
    );
    expect(parameters).toContainEqual({
      Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
      Default: expect.stringMatching(/\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-kernel-.*-arm64$/),
    });
  });

  test('lets the fleet service-linked role, and no other service role, use the volume key for attachments', () => {
    template.hasResourceProperties('AWS::IAM::ServiceLinkedRole', {
      AWSServiceName: 'autoscaling.amazonaws.com',
      CustomSuffix: 'clover-dublin-1',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      Description: Match.stringLikeRegexp('EBS'),
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'AutoScalingAttachesVolumes',
            Action: 'kms:CreateGrant',
            Condition: { Bool: { 'kms:GrantIsForAWSResource': 'true' } },
          }),
        ]),
      },
    });
  });

  test('lets appliance instances write only their own log group', () => {
    const statements = statementsOf(template, id(gateway.fleet.role));
    expect(actionsOf(statements).sort()).toEqual(['logs:CreateLogStream', 'logs:PutLogEvents']);
    expect(statements.map((statement) => statement.Resource)).toEqual([
      { 'Fn::GetAtt': [id(gateway.applianceLogGroup), 'Arn'] },
    ]);
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/clover/dublin-1/gateway-appliance',
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [id(gateway.logKey), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('requires acceptance on the endpoint service and names its principals, never *', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpointService', {
      AcceptanceRequired: true,
      GatewayLoadBalancerArns: [{ Ref: id(gateway.loadBalancer) }],
    });
    const permissions = template.findResources('AWS::EC2::VPCEndpointServicePermissions');
    const principals = Object.values(permissions).flatMap(
      (resource) => resource.Properties.AllowedPrincipals as unknown[],
    );
    expect(principals).toEqual([
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] },
      { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444444444444:root']] },
    ]);
    expect(JSON.stringify(principals)).not.toMatch(/"\*"/);
  });

  test('puts one GWLB endpoint in each AZ gateway-endpoint subnet of the enclave VPC', () => {
    // three GWLB endpoints, the inspection VPC's logs endpoint, the enclave's four AWS service endpoints
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 8);
    network.zones.forEach((zone) =>
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        VpcEndpointType: 'GatewayLoadBalancer',
        VpcId: { Ref: id(network.cfnVpc) },
        SubnetIds: [{ Ref: id(zone.gatewayEndpoint.subnet) }],
        ServiceName: {
          'Fn::Join': ['.', ['com.amazonaws.vpce.eu-west-1', { Ref: id(gateway.endpointService) }]],
        },
      }),
    );
  });

  test('accepts exactly the endpoints it created, with a role that cannot touch routes', () => {
    template.hasResourceProperties('Custom::GatewayEndpointAcceptance', {
      ServiceId: { Ref: id(gateway.endpointService) },
      VpcEndpointIds: gateway.routing.endpoints.map((endpoint) => ({ Ref: id(endpoint) })),
    });
    const statements = statementsOf(template, id(gateway.routing.acceptance.role));
    const accept = statements.find((statement) =>
      actionsOf([statement]).includes('ec2:AcceptVpcEndpointConnections'),
    );
    expect(accept!.Resource).toEqual({
      'Fn::Join': [
        '',
        [
          'arn:',
          { Ref: 'AWS::Partition' },
          ':ec2:eu-west-1:111111111111:vpc-endpoint-service/',
          { Ref: id(gateway.endpointService) },
        ],
      ],
    });
    expect(actionsOf(statements).filter((action) => /Route|\*/.test(action))).toEqual([]);
  });

  test('sends each workload subnet default route to the endpoint of its own AZ, after acceptance', () => {
    const acceptance = id(gateway.routing.acceptance.resource);
    network.zones.forEach((zone, index) => {
      template.hasResource('AWS::EC2::Route', {
        Properties: {
          RouteTableId: { Ref: id(zone.workload.routeTable) },
          DestinationCidrBlock: '0.0.0.0/0',
          VpcEndpointId: { Ref: id(gateway.routing.endpoints[index]) },
        },
        DependsOn: Match.arrayWith([acceptance]),
      });
    });
  });

  test('routes replies through the NAT subnet back via the same-AZ endpoint, one route per workload CIDR', () => {
    network.zones.forEach((zone, index) => {
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: { Ref: id(zone.egress!.routeTable) },
        DestinationCidrBlock: zone.workload.cidr,
        VpcEndpointId: { Ref: id(gateway.routing.endpoints[index]) },
      });
    });
    expect(gateway.routing.routes).toHaveLength(6);
  });

  test('alarms per AZ when no appliance is healthy (missing data breaches) and on any unhealthy appliance', () => {
    const topic = { Ref: id(gateway.alarms.topic) };
    for (const az of AZS) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: GATEWAY_ELB_NAMESPACE,
        MetricName: 'HealthyHostCount',
        Statistic: 'Minimum',
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        Dimensions: Match.arrayWith([
          { Name: 'AvailabilityZone', Value: az },
          {
            Name: 'LoadBalancer',
            Value: { 'Fn::GetAtt': [id(gateway.loadBalancer), 'LoadBalancerFullName'] },
          },
          { Name: 'TargetGroup', Value: { 'Fn::GetAtt': [id(gateway.targetGroup), 'TargetGroupFullName'] } },
        ]),
        AlarmActions: [topic],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'UnHealthyHostCount',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topic],
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [id(gateway.alarms.topicKey), 'Arn'] },
    });
  });

  test('tags every taggable gateway resource with clover:gateway', () => {
    const gatewayIds = new Set(
      gateway.node
        .findAll()
        .filter((construct) => (construct as { cfnResourceType?: string }).cfnResourceType)
        .map((construct) => id(construct)),
    );
    const resources = template.toJSON().Resources as Record<string, { Properties?: { Tags?: unknown } }>;
    const taggable = [...gatewayIds].filter(
      (logicalId) => resources[logicalId]?.Properties?.Tags !== undefined,
    );
    expect(taggable.length).toBeGreaterThan(20);
    for (const logicalId of taggable) {
      expect(JSON.stringify(resources[logicalId].Properties!.Tags)).toContain(`"${GATEWAY_TAG}"`);
    }
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Tags: Match.arrayWith([{ Key: GATEWAY_TAG, Value: 'dublin-1' }]),
    });
  });
});

describe('SecurityGateway without egress', () => {
  const { template, gateway } = build({}, { egress: false });

  test('still puts an endpoint in every AZ, but gives workloads no route out at all', () => {
    expect(gateway.routing.endpoints).toHaveLength(3);
    template.resourceCountIs('AWS::EC2::Route', 0);
  });
});

describe('SecurityGateway with IPv6', () => {
  const { id, stack, network, gateway, template } = build({}, { ipv6: true });

  test('sends ::/0 of each workload subnet to its same-AZ endpoint and returns IPv6 replies through it at the internet gateway edge', () => {
    template.hasResourceProperties('AWS::EC2::GatewayRouteTableAssociation', {
      GatewayId: { Ref: id(network.internetGateway!) },
      RouteTableId: { Ref: id(gateway.routing.edgeRouteTable!) },
    });
    network.zones.forEach((zone, index) => {
      const endpoint = { Ref: id(gateway.routing.endpoints[index]) };
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: { Ref: id(zone.workload.routeTable) },
        DestinationIpv6CidrBlock: '::/0',
        VpcEndpointId: endpoint,
      });
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: { Ref: id(gateway.routing.edgeRouteTable!) },
        DestinationIpv6CidrBlock: stack.resolve(zone.workload.ipv6Cidr),
        VpcEndpointId: endpoint,
      });
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      IpAddressType: 'dualstack',
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'GatewayLoadBalancer',
      IpAddressType: 'dualstack',
    });
  });

  test('has the appliances drop unsolicited inbound IPv6 to the enclave VPC’s block (defect 13)', () => {
    const templates = template.findResources('AWS::EC2::LaunchTemplate');
    const [launchTemplateId] = Object.keys(templates);
    const userData = JSON.stringify(templates[launchTemplateId].Properties.LaunchTemplateData.UserData);
    // The rendered user data sets CLOVER_PROTECTED_IPV6 from the VPC's first (Amazon-provided) IPv6 block.
    expect(userData).toContain("protected_ipv6='");
    expect(userData).toContain(
      JSON.stringify({ 'Fn::Select': [0, { 'Fn::GetAtt': [id(network.cfnVpc), 'Ipv6CidrBlocks'] }] }),
    );
    expect(templates[launchTemplateId].DependsOn).toContain(id(network.ipv6Cidr!.association));
  });
});

describe('SecurityGateway without IPv6', () => {
  test('gives the appliances no block to protect (the filter is off)', () => {
    const { template } = build();
    const [launchTemplate] = Object.values(template.findResources('AWS::EC2::LaunchTemplate'));
    expect(JSON.stringify(launchTemplate.Properties.LaunchTemplateData.UserData)).toContain(
      "protected_ipv6=''",
    );
  });
});

describe('SecurityGateway appliance image', () => {
  test('uses the x86_64 Amazon Linux 2023 image for an x86 instance type, with no fallback outside the pairing table', () => {
    const { template } = build({ applianceInstanceType: 't3.medium' });
    const parameters = Object.values(template.toJSON().Parameters as Record<string, { Default: string }>);
    expect(parameters.map((parameter) => parameter.Default)).toContainEqual(expect.stringMatching(/x86_64$/));
    template.hasResourceProperties('AWS::AutoScaling::AutoScalingGroup', {
      LaunchTemplate: Match.objectLike({ LaunchTemplateId: Match.anyValue() }),
      MixedInstancesPolicy: Match.absent(),
    });
  });

  test('uses a custom AMI of the instance type architecture', () => {
    const { template } = build({ applianceAmi: { image: 'ami-0123456789abcdef0', architecture: 'arm64' } });
    template.hasResourceProperties('AWS::EC2::LaunchTemplate', {
      LaunchTemplateData: Match.objectLike({ ImageId: 'ami-0123456789abcdef0' }),
    });
  });

  test('pairs instance families of the same generation and architecture', () => {
    expect(fallbackInstanceType('c7g.large')).toBe('m7g.large');
    expect(fallbackInstanceType('m6i.2xlarge')).toBe('c6i.2xlarge');
    expect(fallbackInstanceType('c7g.medium')).toBeUndefined();
    expect(fallbackInstanceType('t3.large')).toBeUndefined();
  });
});

describe('SecurityGateway props validation', () => {
  test('fails synth when the AMI architecture differs from the instance type', () => {
    expect(() => build({ applianceAmi: { image: 'ami-0123456789abcdef0', architecture: 'x86_64' } })).toThrow(
      /applianceAmi.architecture "x86_64": does not match instance type c7g.large \(arm64\)/,
    );
  });

  test('rejects an inspection block outside /16–/24 or too small for the AZs', () => {
    expect(() => build({ inspectionCidr: '100.64.0.0/26' })).toThrow(
      /inspectionCidr "100.64.0.0\/26": must be between \/16 and \/24/,
    );
    expect(() =>
      build(
        { inspectionCidr: '100.64.0.0/24' },
        {
          availabilityZones: [
            'a',
            'b',
            'c',
            'd',
            'e',
            'f',
            'g',
            'h',
            'i',
            'j',
            'k',
            'l',
            'm',
            'n',
            'o',
            'p',
            'q',
          ].map((l) => `eu-west-1${l}`),
        },
      ),
    ).toThrow(/inspectionCidr "100.64.0.0\/24": is too small for 17 AZs × 1 tier/);
  });

  test('collects every problem into one error, one line each', () => {
    expect(() =>
      build({
        applianceInstanceType: 'huge',
        applianceAmi: { image: 'ami-nope' },
        inspectionCidr: '10.10.0.0/22',
        minInstances: 2,
        maxInstances: 1,
        providerAccounts: ['4444'],
      }),
    ).toThrow(
      new RegExp(
        [
          'Invalid SecurityGateway props at Test/Gateway: 7 problems',
          'applianceInstanceType "huge": is not an EC2 instance type',
          'applianceAmi.image "ami-nope": is neither "al2023" nor an AMI ID',
          'applianceAmi.architecture \\(missing\\): is required with a custom AMI ID',
          'inspectionCidr "10.10.0.0/22": overlaps the enclave CIDR 10.10.0.0/16',
          'minInstances 2: is fewer than the 3 AZs',
          'maxInstances 1: is below the minimum',
          'providerAccounts\\[0\\] "4444": is not a 12-digit AWS account ID',
        ].join('[\\s\\S]*'),
      ),
    );
  });
});
