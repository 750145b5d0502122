import { App, CfnElement, Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { loadSimulator } from '../../../lib/audit/runtime/simulate';
import type { PolicyLayer } from '../../../lib/audit/runtime/layers';
import { DEFAULT_GROUP_RESTRICTION_RESOURCE_TYPE } from '../../../lib/constructs/enclave-network/default-group-restriction';
import {
  ENCLAVE_ENDPOINT_SERVICES,
  EnclaveEndpointService,
} from '../../../lib/constructs/enclave-network/service-endpoints';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  EnclaveNetwork,
  EnclaveNetworkProps,
  FLOW_LOG_FIELDS,
  flowLogFormat,
  planSubnets,
  SUBNET_ROLE_TAG,
} from '../../../lib/constructs/enclave-network';

const AZS = ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'];

function build(props: Partial<EnclaveNetworkProps> = {}): { network: EnclaveNetwork; template: Template } {
  // The gate's own test runs cfn-validate on the real app; here it only adds time and noise.
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Test', { env: { account: '111111111111', region: 'eu-west-1' } });
  const network = new EnclaveNetwork(stack, 'Network', {
    enclaveName: 'dublin-1',
    cidr: '10.10.0.0/16',
    availabilityZones: AZS,
    ...props,
  });
  return { network, template: Template.fromStack(stack) };
}

const OPEN_RESOURCE: PolicyLayer = {
  kind: 'resource',
  label: 'open to all',
  document: {
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: '*', Action: '*', Resource: '*' }],
  },
};

const ALLOW_ALL: PolicyLayer = {
  kind: 'identity',
  label: 'allow all',
  document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] },
};

/** A policy document as the template holds it, the partition resolved to `aws`. */
function resolvedPolicy(document: unknown): Record<string, unknown> {
  const text = JSON.stringify(document);
  const joined = text.replace(
    /\{"Fn::Join":\["",\[((?:"[^"]*"|\{"Ref":"AWS::Partition"\}|,)*)\]\]\}/g,
    (_, parts: string) =>
      JSON.stringify(
        (JSON.parse(`[${parts}]`) as unknown[])
          .map((part) => (typeof part === 'string' ? part : 'aws'))
          .join(''),
      ),
  );
  return JSON.parse(joined) as Record<string, unknown>;
}

type Resources = Record<
  string,
  { Type: string; Properties?: Record<string, unknown>; DeletionPolicy?: string }
>;

function resourcesOf(template: Template, type: string): Resources {
  return template.findResources(type) as Resources;
}

function tagValue(resource: { Properties?: Record<string, unknown> }, key: string): unknown {
  const tags = (resource.Properties?.Tags ?? []) as Array<{ Key: string; Value: unknown }>;
  return tags.find((tag) => tag.Key === key)?.Value;
}

describe('subnet plan', () => {
  test('splits a /16 into /20 subnets, tier-major, one per tier per AZ', () => {
    const plan = planSubnets('10.10.0.0/16', ['Workload', 'GatewayEndpoint', 'Egress'], AZS);
    expect(plan.map((subnet) => `${subnet.tier} ${subnet.availabilityZone} ${subnet.cidr}`)).toEqual([
      'Workload eu-west-1a 10.10.0.0/20',
      'Workload eu-west-1b 10.10.16.0/20',
      'Workload eu-west-1c 10.10.32.0/20',
      'GatewayEndpoint eu-west-1a 10.10.48.0/20',
      'GatewayEndpoint eu-west-1b 10.10.64.0/20',
      'GatewayEndpoint eu-west-1c 10.10.80.0/20',
      'Egress eu-west-1a 10.10.96.0/20',
      'Egress eu-west-1b 10.10.112.0/20',
      'Egress eu-west-1c 10.10.128.0/20',
    ]);
  });

  test('rejects a block too small for the tiers and AZs', () => {
    expect(() => planSubnets('10.10.0.0/24', ['A', 'B', 'C'], ['a', 'b', 'c', 'd', 'e', 'f'])).toThrow(
      /too small for 6 AZs × 3 tiers/,
    );
  });
});

describe('flow log format', () => {
  test('names every default field and the packet-level fields the monitor needs', () => {
    const format = flowLogFormat();
    for (const field of [
      'srcaddr',
      'dstaddr',
      'pkt-srcaddr',
      'pkt-dstaddr',
      'flow-direction',
      'traffic-path',
    ]) {
      expect(format).toContain('${' + field + '}');
    }
    expect(format.split(' ')).toHaveLength(FLOW_LOG_FIELDS.length);
  });
});

describe('EnclaveNetwork with egress (default)', () => {
  const { network, template } = build();

  test('builds three tiers in each configured AZ, each subnet with its own explicitly associated route table', () => {
    template.resourceCountIs('AWS::EC2::VPC', 1);
    template.resourceCountIs('AWS::EC2::Subnet', 9);
    template.resourceCountIs('AWS::EC2::RouteTable', 9);
    template.resourceCountIs('AWS::EC2::SubnetRouteTableAssociation', 9);
    const subnets = resourcesOf(template, 'AWS::EC2::Subnet');
    const associations = Object.values(resourcesOf(template, 'AWS::EC2::SubnetRouteTableAssociation'));
    const tables = new Set<string>();
    for (const [id, subnet] of Object.entries(subnets)) {
      expect(AZS).toContain(subnet.Properties!.AvailabilityZone);
      const association = associations.filter(
        (candidate) => (candidate.Properties!.SubnetId as { Ref: string }).Ref === id,
      );
      expect(association).toHaveLength(1);
      tables.add((association[0].Properties!.RouteTableId as { Ref: string }).Ref);
    }
    expect(tables.size).toBe(9);
  });

  test('never maps public IPs on launch, in any subnet', () => {
    for (const subnet of Object.values(resourcesOf(template, 'AWS::EC2::Subnet'))) {
      expect(subnet.Properties!.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('tags each subnet with its role', () => {
    const roles = Object.values(resourcesOf(template, 'AWS::EC2::Subnet')).map((subnet) =>
      tagValue(subnet, SUBNET_ROLE_TAG),
    );
    expect(roles.sort()).toEqual([
      'egress',
      'egress',
      'egress',
      'gateway-endpoint',
      'gateway-endpoint',
      'gateway-endpoint',
      'workload',
      'workload',
      'workload',
    ]);
  });

  test('puts one NAT gateway in each egress subnet behind one internet gateway', () => {
    template.resourceCountIs('AWS::EC2::NatGateway', 3);
    template.resourceCountIs('AWS::EC2::InternetGateway', 1);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 1);
    network.zones.forEach((zone) => {
      expect(zone.natGateway).toBeDefined();
      template.hasResourceProperties('AWS::EC2::NatGateway', {
        SubnetId: { Ref: Stack.of(network).getLogicalId(zone.egress!.subnet) },
      });
    });
  });

  test('routes the egress subnet to the internet and the endpoint subnet to its own AZ NAT gateway; nothing from workloads', () => {
    const stack = Stack.of(network);
    const routes = Object.values(resourcesOf(template, 'AWS::EC2::Route'));
    const workloadTables = network.routeTables.workload.map((table) => stack.getLogicalId(table));
    expect(
      routes.filter((route) =>
        workloadTables.includes((route.Properties!.RouteTableId as { Ref: string }).Ref),
      ),
    ).toEqual([]);
    network.zones.forEach((zone) => {
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: { Ref: stack.getLogicalId(zone.egress!.routeTable) },
        DestinationCidrBlock: '0.0.0.0/0',
        GatewayId: { Ref: stack.getLogicalId(network.internetGateway!) },
      });
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: { Ref: stack.getLogicalId(zone.gatewayEndpoint.routeTable) },
        DestinationCidrBlock: '0.0.0.0/0',
        NatGatewayId: { Ref: stack.getLogicalId(zone.natGateway!) },
      });
    });
  });

  test('has no peering, transit gateway, VPN or S3/DynamoDB gateway endpoint', () => {
    for (const type of [
      'AWS::EC2::VPCPeeringConnection',
      'AWS::EC2::TransitGatewayAttachment',
      'AWS::EC2::TransitGatewayVpcAttachment',
      'AWS::EC2::VPNGatewayAttachment',
    ]) {
      template.resourceCountIs(type, 0);
    }
    // The only endpoints are the interface endpoints of the AWS services Clover's functions call.
    const endpoints = Object.values(resourcesOf(template, 'AWS::EC2::VPCEndpoint'));
    expect(endpoints.map((endpoint) => endpoint.Properties!.VpcEndpointType)).toEqual(
      ENCLAVE_ENDPOINT_SERVICES.map(() => 'Interface'),
    );
    expect(endpoints.map((endpoint) => endpoint.Properties!.ServiceName).sort()).toEqual(
      ENCLAVE_ENDPOINT_SERVICES.map((service) => `com.amazonaws.eu-west-1.${service}`),
    );
    for (const endpoint of endpoints) {
      expect(endpoint.Properties).toMatchObject({
        PrivateDnsEnabled: true,
        SubnetIds: network.workloadSubnets.map((subnet) => ({
          Ref: Stack.of(network).getLogicalId(subnet.subnet),
        })),
      });
    }
  });

  test('lets each service endpoint carry only this account’s requests to this account’s resources', async () => {
    const simulator = loadSimulator()!;
    const stack = Stack.of(network);
    const policyOf = (service: EnclaveEndpointService) =>
      resolvedPolicy(
        template.toJSON().Resources[
          stack.getLogicalId(network.serviceEndpoints.endpoint(service).node.defaultChild as CfnElement)
        ].Properties.PolicyDocument,
      );
    const decide = async (
      service: EnclaveEndpointService,
      principal: string,
      action: string,
      resource: string,
      resourceAccount: string,
    ) =>
      (
        await simulator.evaluate({
          principal,
          action,
          resource,
          resourceAccount,
          context: {
            'aws:PrincipalAccount': principal.split(':')[4] || resourceAccount,
            'aws:ResourceAccount': resourceAccount,
          },
          // Identity and resource policies allow everything: only the endpoint policy decides.
          identity: [ALLOW_ALL],
          resourcePolicy: OPEN_RESOURCE,
          endpoint: { kind: 'endpoint', label: service, document: policyOf(service) },
          scps: [],
        })
      ).decision;
    const own = 'arn:aws:sts::111111111111:assumed-role/clover-dublin-1-log-shipper/s';
    const other = 'arn:aws:sts::999999999999:assumed-role/someone/s';
    const queue = (account: string) => `arn:aws:sqs:eu-west-1:${account}:queue`;
    expect(await decide('sqs', own, 'sqs:SendMessage', queue('111111111111'), '111111111111')).toBe(
      'Allowed',
    );
    expect(await decide('sqs', own, 'sqs:SendMessage', queue('999999999999'), '999999999999')).toBe(
      'ImplicitlyDenied',
    );
    expect(await decide('sqs', other, 'sqs:SendMessage', queue('999999999999'), '999999999999')).toBe(
      'ImplicitlyDenied',
    );
    const secret = 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:clover/dublin-1/x-AbCdEf';
    expect(await decide('secretsmanager', own, 'secretsmanager:GetSecretValue', secret, '111111111111')).toBe(
      'Allowed',
    );
    expect(
      await decide('secretsmanager', other, 'secretsmanager:GetSecretValue', secret, '111111111111'),
    ).toBe('ImplicitlyDenied');
    const sg = 'arn:aws:ec2:eu-west-1:111111111111:security-group/sg-0123456789abcdef0';
    expect(await decide('ec2', own, 'ec2:RevokeSecurityGroupEgress', sg, '111111111111')).toBe('Allowed');
    expect(await decide('ec2', other, 'ec2:RevokeSecurityGroupEgress', sg, '111111111111')).toBe(
      'ImplicitlyDenied',
    );
    expect(await decide('s3', own, 's3:PutObject', 'arn:aws:s3:::own-bucket/x', '111111111111')).toBe(
      'Allowed',
    );
    expect(await decide('s3', own, 's3:PutObject', 'arn:aws:s3:::exfiltration/x', '999999999999')).toBe(
      'ImplicitlyDenied',
    );
    // CloudFormation signs the pre-signed response URL; the handler's PUT is CloudFormation's request.
    const response =
      'arn:aws:s3:::cloudformation-custom-resource-response-euwest1/arn%3Aaws%3Acloudformation/x';
    const cloudFormation = 'arn:aws:sts::888888888888:assumed-role/cloudformation-responses/s';
    expect(await decide('s3', cloudFormation, 's3:PutObject', response, '888888888888')).toBe('Allowed');
    expect(await decide('s3', cloudFormation, 's3:GetObject', response, '888888888888')).toBe(
      'ImplicitlyDenied',
    );
  });

  test('logs ALL traffic in the custom format to a retained, KMS-encrypted log group with one-year retention', () => {
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: Match.anyValue() },
      LogFormat: flowLogFormat(),
      DeliverLogsPermissionArn: Match.anyValue(),
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: {
        LogGroupName: '/clover/dublin-1/vpc-flow-logs',
        RetentionInDays: 365,
        KmsKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('encrypts the flow log with a rotating single-Region key that only CloudWatch Logs of this Region may use for the named groups', () => {
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        MultiRegion: false,
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 'kms:CreateGrant',
              Condition: {
                BoolIfExists: { 'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false' },
              },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'logs.eu-west-1.amazonaws.com' },
              Condition: {
                ArnEquals: {
                  'kms:EncryptionContext:aws:logs:arn': Match.arrayWith([
                    {
                      'Fn::Join': [
                        '',
                        [
                          'arn:',
                          { Ref: 'AWS::Partition' },
                          ':logs:eu-west-1:111111111111:log-group:/clover/dublin-1/vpc-flow-logs',
                        ],
                      ],
                    },
                  ]),
                },
              },
            }),
          ]),
        },
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('lets only VPC Flow Logs of this account assume the flow log role', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Condition: Match.objectLike({ StringEquals: { 'aws:SourceAccount': '111111111111' } }),
          }),
        ],
      },
    });
  });

  test('revokes the default security group rules with a handler in the VPC that cannot write routes', () => {
    const stack = Stack.of(network);
    const id = (construct: IConstruct) => stack.getLogicalId(construct.node.defaultChild as CfnElement);
    template.hasResourceProperties(DEFAULT_GROUP_RESTRICTION_RESOURCE_TYPE, {
      GroupId: { 'Fn::GetAtt': [stack.getLogicalId(network.cfnVpc), 'DefaultSecurityGroup'] },
    });
    const restriction = network.defaultSecurityGroupRestriction;
    const statements = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).flatMap(
      (policy) =>
        (
          policy.Properties!.PolicyDocument as {
            Statement: Array<{ Action: string | string[]; Resource: unknown }>;
          }
        ).Statement,
    );
    const actions = statements.flatMap((statement) => statement.Action);
    expect(actions).toEqual(
      expect.arrayContaining(['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress']),
    );
    expect(actions.filter((action) => /Route|:\*$/.test(action))).toEqual([]);
    const revoke = statements.find((statement) =>
      [statement.Action].flat().includes('ec2:RevokeSecurityGroupEgress'),
    )!;
    expect(JSON.stringify(revoke.Resource)).toContain('DefaultSecurityGroup');
    // In the workload subnets, after the AWS service endpoints it calls through.
    const handler = template.toJSON().Resources[id(restriction.handler)];
    expect(handler.Properties.VpcConfig.SubnetIds).toHaveLength(3);
    expect(handler.DependsOn).toEqual(
      expect.arrayContaining(
        ENCLAVE_ENDPOINT_SERVICES.map((service) => id(network.serviceEndpoints.endpoint(service))),
      ),
    );
  });

  test('states the egress of every security group: none keeps the allow-all egress EC2 gives a group without it', () => {
    const groups = resourcesOf(template, 'AWS::EC2::SecurityGroup');
    expect(Object.keys(groups).length).toBeGreaterThan(0);
    for (const [id, group] of Object.entries(groups)) {
      const egress = group.Properties!.SecurityGroupEgress as Array<Record<string, unknown>> | undefined;
      expect({ id, egress: Array.isArray(egress) && egress.length > 0 }).toEqual({ id, egress: true });
    }
    // The handler's only way out: HTTPS to the endpoints' group, inline in its own group.
    const stack = Stack.of(network);
    const handler =
      template.toJSON().Resources[
        stack.getLogicalId(network.defaultSecurityGroupRestriction.handler.node.defaultChild as CfnElement)
      ];
    const [groupRef] = handler.Properties.VpcConfig.SecurityGroupIds;
    expect(groups[groupRef['Fn::GetAtt'][0]].Properties!.SecurityGroupEgress).toEqual([
      {
        IpProtocol: 'tcp',
        FromPort: 443,
        ToPort: 443,
        DestinationSecurityGroupId: {
          'Fn::GetAtt': [
            stack.getLogicalId(network.serviceEndpoints.securityGroup.node.defaultChild as CfnElement),
            'GroupId',
          ],
        },
        Description: 'HTTPS to the AWS service endpoints only',
      },
    ]);
  });

  test('exposes the workload subnets as the IVpc private subnets', () => {
    expect(network.vpc.privateSubnets).toHaveLength(3);
    expect(network.vpc.isolatedSubnets).toHaveLength(0);
    expect(network.vpc.availabilityZones).toEqual(AZS);
  });
});

describe('EnclaveNetwork without egress', () => {
  const { network, template } = build({ egress: false });

  test('has only workload and gateway-endpoint subnets, no NAT, no internet gateway and no route at all', () => {
    template.resourceCountIs('AWS::EC2::Subnet', 6);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    expect(network.egressSubnets).toHaveLength(0);
    expect(network.vpc.isolatedSubnets).toHaveLength(3);
  });
});

describe('EnclaveNetwork with IPv6', () => {
  const { network, template } = build({ ipv6: true });

  test('gives every subnet a /64 of the Amazon-provided block, after the block exists', () => {
    template.resourceCountIs('AWS::EC2::VPCCidrBlock', 1);
    for (const subnet of Object.values(template.findResources('AWS::EC2::Subnet'))) {
      expect(subnet.Properties.Ipv6CidrBlock).toBeDefined();
      expect(subnet.DependsOn).toEqual(expect.arrayContaining([expect.stringMatching(/Ipv6Block/)]));
      expect(subnet.Properties.MapPublicIpOnLaunch).toBe(false);
    }
  });

  test('sends IPv6 from the endpoint subnets to the internet gateway (no NAT for IPv6) and revokes the default ::/0 egress', () => {
    const stack = Stack.of(network);
    network.zones.forEach((zone) =>
      template.hasResourceProperties('AWS::EC2::Route', {
        RouteTableId: { Ref: stack.getLogicalId(zone.gatewayEndpoint.routeTable) },
        DestinationIpv6CidrBlock: '::/0',
        GatewayId: Match.anyValue(),
      }),
    );
    // The restriction revokes whatever rules the group holds when it runs, the default ::/0 egress included.
    template.resourceCountIs(DEFAULT_GROUP_RESTRICTION_RESOURCE_TYPE, 1);
  });
});

describe('EnclaveNetwork props validation', () => {
  test('rejects a malformed CIDR, a repeated AZ and a token AZ in one error', () => {
    expect(() =>
      build({
        cidr: '10.10.0.1/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1a', Token.asString({ Ref: 'Az' })],
      }),
    ).toThrow(
      /Invalid EnclaveNetwork props at Test\/Network: 3 problems[\s\S]*availabilityZones\[1\] "eu-west-1a": is listed twice[\s\S]*availabilityZones\[2\].*is a token[\s\S]*cidr "10.10.0.1\/16": is not an IPv4 CIDR block/,
    );
  });

  test('rejects a block too small for its subnets', () => {
    expect(() =>
      build({
        cidr: '10.10.0.0/24',
        availabilityZones: ['a', 'b', 'c', 'd', 'e', 'f'].map((l) => `eu-west-1${l}`),
      }),
    ).toThrow(/cidr "10.10.0.0\/24": .*too small for 6 AZs × 3 tiers/);
  });

  test('rejects an empty AZ list', () => {
    expect(() => build({ availabilityZones: [] })).toThrow(/availabilityZones \[\]: lists no AZ/);
  });
});
