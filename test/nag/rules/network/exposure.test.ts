import type { CfnTemplate } from '../../../../lib/audit/template';
import { add, enclaveTemplate, enclaveVariant, getAtt, props, ref } from '../../../fixtures/network/enclave';
import { validateTemplate } from '../../../helpers/nag';

function messagesOf(template: CfnTemplate, rule: string): string[] {
  return validateTemplate(template)
    .findings.filter((finding) => finding.rule === rule)
    .map((finding) => `${finding.resource}: ${finding.message}`);
}

const compliant = () => enclaveTemplate() as CfnTemplate;

const LAMBDA_TRUST = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

describe('CLV-NET-6 peering, transit gateway and VPN gateway in an enclave', () => {
  test('rejects a transit gateway attachment of the enclave VPC', () => {
    const template = enclaveVariant((t) =>
      add(t, 'TgwAttachment', 'AWS::EC2::TransitGatewayAttachment', {
        TransitGatewayId: 'tgw-0123456789abcdef0',
        VpcId: ref('EnclaveVpc'),
        SubnetIds: [ref('EndpointSubnetA'), ref('EndpointSubnetB')],
      }),
    );
    expect(messagesOf(template, 'CLV-NET-6')).toEqual([
      'TgwAttachment: transit gateway attachment TgwAttachment attaches enclave VPC EnclaveVpc to transit gateway tgw-0123456789abcdef0',
    ]);
  });

  test('accepts a transit gateway attachment of the inspection VPC', () => {
    const template = enclaveVariant((t) =>
      add(t, 'TgwAttachment', 'AWS::EC2::TransitGatewayVpcAttachment', {
        TransitGatewayId: 'tgw-0123456789abcdef0',
        VpcId: ref('InspectionVpc'),
        SubnetIds: [ref('ApplianceSubnetA')],
      }),
    );
    expect(messagesOf(template, 'CLV-NET-6')).toEqual([]);
  });

  test('rejects a VPC peering connection between the enclave and another VPC', () => {
    const template = enclaveVariant((t) =>
      add(t, 'Peering', 'AWS::EC2::VPCPeeringConnection', {
        VpcId: ref('InspectionVpc'),
        PeerVpcId: ref('EnclaveVpc'),
      }),
    );
    expect(messagesOf(template, 'CLV-NET-6')).toEqual([
      'Peering: VPC peering connection Peering connects enclave VPC EnclaveVpc with InspectionVpc: traffic over it bypasses the security gateway',
    ]);
  });

  test('rejects a VPN gateway attached to the enclave VPC', () => {
    const template = enclaveVariant((t) => {
      add(t, 'Vgw', 'AWS::EC2::VPNGateway', { Type: 'ipsec.1' });
      add(t, 'VgwAttachment', 'AWS::EC2::VPCGatewayAttachment', {
        VpcId: ref('EnclaveVpc'),
        VpnGatewayId: ref('Vgw'),
      });
    });
    expect(messagesOf(template, 'CLV-NET-6')).toEqual([
      'VgwAttachment: VPN gateway Ref Vgw is attached to enclave VPC EnclaveVpc by VgwAttachment',
    ]);
  });

  test('accepts the internet gateway attachments of the compliant enclave', () => {
    expect(messagesOf(compliant(), 'CLV-NET-6')).toEqual([]);
  });
});

describe('CLV-NET-7 endpoint service exposure', () => {
  test.each([
    ['false', false],
    ['the string "false"', 'false'],
  ])('rejects an endpoint service with AcceptanceRequired %s', (_label, value) => {
    const template = enclaveVariant((t) => (props(t, 'EndpointService').AcceptanceRequired = value));
    expect(messagesOf(template, 'CLV-NET-7')).toEqual([
      expect.stringMatching(
        /^EndpointService: endpoint service EndpointService has AcceptanceRequired false, so new endpoints connect without approval$/,
      ),
    ]);
  });

  test('rejects an endpoint service that leaves AcceptanceRequired to its default', () => {
    const template = enclaveVariant((t) => delete props(t, 'EndpointService').AcceptanceRequired);
    expect(messagesOf(template, 'CLV-NET-7')).toEqual([
      'EndpointService: endpoint service EndpointService does not set AcceptanceRequired (default false), so new endpoints connect without approval',
    ]);
  });

  test('accepts AcceptanceRequired written as the string "true"', () => {
    const template = enclaveVariant((t) => (props(t, 'EndpointService').AcceptanceRequired = 'true'));
    expect(messagesOf(template, 'CLV-NET-7')).toEqual([]);
  });

  test('rejects endpoint service permissions that allow principal *', () => {
    const template = enclaveVariant(
      (t) => (props(t, 'EndpointServicePermissions').AllowedPrincipals = ['*']),
    );
    expect(messagesOf(template, 'CLV-NET-7')).toEqual([
      'EndpointServicePermissions: endpoint service permissions EndpointServicePermissions allow principal * (AllowedPrincipals[0]): any matching account can connect an endpoint',
    ]);
  });

  test('accepts explicit allowed principals and required acceptance', () => {
    expect(messagesOf(compliant(), 'CLV-NET-7')).toEqual([]);
  });
});

describe('CLV-NET-8 public IPs in workload subnets', () => {
  test('rejects MapPublicIpOnLaunch written as the string "true" in a workload subnet', () => {
    const template = enclaveVariant((t) => (props(t, 'WorkloadSubnetA').MapPublicIpOnLaunch = 'true'));
    // CfnInclude reads the string as a boolean; the analyser's own test covers the raw string.
    expect(messagesOf(template, 'CLV-NET-8')).toEqual([
      'WorkloadSubnetA: workload subnet WorkloadSubnetA has MapPublicIpOnLaunch true: instances launched there get public IPv4 addresses',
    ]);
  });

  test('rejects MapPublicIpOnLaunch given by a parameter that defaults to true', () => {
    const template = enclaveVariant((t) => {
      t.Parameters = { PublicIps: { Type: 'String', Default: 'true' } };
      props(t, 'WorkloadSubnetB').MapPublicIpOnLaunch = ref('PublicIps');
    });
    expect(messagesOf(template, 'CLV-NET-8')).toEqual([
      // The parameter is judged by its default, as CloudFormation deploys it when no value is given.
      expect.stringContaining('workload subnet WorkloadSubnetB has MapPublicIpOnLaunch "true"'),
    ]);
  });

  test('does not judge subnets that are not workload subnets (a NAT subnet may map public IPs)', () => {
    const template = enclaveVariant((t) => (props(t, 'NatSubnetA').MapPublicIpOnLaunch = true));
    expect(messagesOf(template, 'CLV-NET-8')).toEqual([]);
  });

  test('accepts workload subnets with MapPublicIpOnLaunch false', () => {
    expect(messagesOf(compliant(), 'CLV-NET-8')).toEqual([]);
  });
});

describe('CLV-NET-10 code that writes routes', () => {
  test('rejects a Custom::AWS resource that calls ReplaceRoute', () => {
    const template = enclaveVariant((t) =>
      add(t, 'SwapRoute', 'Custom::AWS', {
        ServiceToken: getAtt('AcceptFunction', 'Arn'),
        Create: JSON.stringify({
          service: 'EC2',
          action: 'replaceRoute',
          parameters: { RouteTableId: 'rtb-1', DestinationCidrBlock: '0.0.0.0/0', GatewayId: 'igw-1' },
        }),
      }),
    );
    expect(messagesOf(template, 'CLV-NET-10')).toEqual([
      'SwapRoute: custom resource SwapRoute calls ec2:ReplaceRoute (in Create)',
    ]);
  });

  test('rejects a custom resource whose function role is granted ec2:CreateRoute by an attached policy', () => {
    const template = enclaveVariant(
      (t) =>
        (props(t, 'AcceptPolicy').PolicyDocument = {
          Version: '2012-10-17',
          Statement: [
            {
              Effect: 'Allow',
              Action: ['ec2:AcceptVpcEndpointConnections', 'ec2:CreateRoute'],
              Resource: '*',
            },
          ],
        }),
    );
    expect(messagesOf(template, 'CLV-NET-10')).toEqual([
      'AcceptEndpoints: custom resource AcceptEndpoints runs function AcceptFunction, whose role can write routes: ec2:CreateRoute granted by policy AcceptPolicy (via ec2:CreateRoute)',
    ]);
  });

  test.each([
    ['ec2:*', { Effect: 'Allow', Action: 'ec2:*', Resource: '*' }],
    ['*', { Effect: 'Allow', Action: '*', Resource: '*' }],
    ['a wildcard pattern', { Effect: 'Allow', Action: 'ec2:Replace*', Resource: '*' }],
    ['NotAction', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }],
  ])('rejects a role inline policy granting %s', (_label, statement) => {
    const template = enclaveVariant((t) => {
      props(t, 'AcceptRole').Policies = [
        { PolicyName: 'broad', PolicyDocument: { Version: '2012-10-17', Statement: [statement] } },
      ];
    });
    const messages = messagesOf(template, 'CLV-NET-10');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/ec2:ReplaceRoute.* granted by inline policy broad of role AcceptRole/);
  });

  test('rejects a custom resource behind a provider framework whose user handler may write routes', () => {
    const template = enclaveVariant((t) => {
      add(t, 'FrameworkRole', 'AWS::IAM::Role', { AssumeRolePolicyDocument: LAMBDA_TRUST });
      add(t, 'FrameworkOnEvent', 'AWS::Lambda::Function', {
        Role: getAtt('FrameworkRole', 'Arn'),
        Handler: 'framework.onEvent',
        Runtime: 'nodejs20.x',
        Code: { ZipFile: 'exports.onEvent = async () => ({});' },
        Environment: { Variables: { USER_ON_EVENT_FUNCTION_ARN: getAtt('AcceptFunction', 'Arn') } },
      });
      props(t, 'AcceptEndpoints').ServiceToken = getAtt('FrameworkOnEvent', 'Arn');
      props(t, 'AcceptRole').ManagedPolicyArns = [
        { 'Fn::Join': ['', ['arn:', ref('AWS::Partition'), ':iam::aws:policy/AmazonVPCFullAccess']] },
      ];
    });
    expect(messagesOf(template, 'CLV-NET-10')).toEqual([
      expect.stringMatching(
        /^AcceptEndpoints: custom resource AcceptEndpoints runs function AcceptFunction, whose role can write routes: ec2:CreateRoute, .* granted by managed policy \S*policy\/AmazonVPCFullAccess of role AcceptRole/,
      ),
    ]);
  });

  test('rejects a stand-alone function (for example a failover Lambda) whose role can replace routes', () => {
    const template = enclaveVariant((t) => {
      add(t, 'FailoverRole', 'AWS::IAM::Role', { AssumeRolePolicyDocument: LAMBDA_TRUST });
      add(t, 'FailoverPolicy', 'AWS::IAM::ManagedPolicy', {
        Roles: [ref('FailoverRole')],
        PolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'ec2:ReplaceRoute', Resource: '*' }],
        },
      });
      add(t, 'Failover', 'AWS::Lambda::Function', {
        Role: getAtt('FailoverRole', 'Arn'),
        Handler: 'index.handler',
        Runtime: 'nodejs20.x',
        Code: { ZipFile: 'exports.handler = async () => ({});' },
      });
    });
    expect(messagesOf(template, 'CLV-NET-10')).toEqual([
      'Failover: function Failover can write routes: ec2:ReplaceRoute granted by policy FailoverPolicy (via ec2:ReplaceRoute)',
    ]);
  });

  test('accepts a custom resource that only accepts endpoint connections', () => {
    expect(messagesOf(compliant(), 'CLV-NET-10')).toEqual([]);
  });
});
