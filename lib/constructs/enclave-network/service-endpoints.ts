import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/**
 * AWS services that Clover's own functions in the enclave VPC call: EC2 (the deploy-time
 * handlers), S3 (CloudFormation responses; the archive when it is in the enclave's Region),
 * Secrets Manager and SQS (the log shipper).
 */
export const ENCLAVE_ENDPOINT_SERVICES = ['ec2', 's3', 'secretsmanager', 'sqs'] as const;
export type EnclaveEndpointService = (typeof ENCLAVE_ENDPOINT_SERVICES)[number];

const SERVICES: Record<EnclaveEndpointService, ec2.InterfaceVpcEndpointAwsService> = {
  ec2: ec2.InterfaceVpcEndpointAwsService.EC2,
  s3: ec2.InterfaceVpcEndpointAwsService.S3,
  secretsmanager: ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER,
  sqs: ec2.InterfaceVpcEndpointAwsService.SQS,
};

export interface ServiceEndpointsProps {
  /** The enclave VPC. */
  readonly vpc: ec2.IVpc;
  /** IPv4 block of the VPC: the endpoints accept HTTPS from it. */
  readonly cidr: string;
  /** Subnets of the endpoints' network interfaces (the workload subnets, one per AZ). */
  readonly subnets: ec2.SubnetSelection;
}

/** Where a Lambda function of Clover runs in the enclave VPC. */
export interface FunctionPlacement {
  readonly vpc: ec2.IVpc;
  readonly vpcSubnets: ec2.SubnetSelection;
  readonly securityGroups: ec2.ISecurityGroup[];
}

/**
 * Interface endpoints (private DNS) of the AWS services that Clover's functions call from inside the
 * enclave VPC, so that those calls never need a route out. Each endpoint's policy lets through only
 * principals of the enclave's own account, acting on resources of that account; further statements
 * (the evidence archive, CloudFormation's response bucket) name exactly what else they carry.
 */
export class ServiceEndpoints extends Construct {
  /** Security group of every endpoint: HTTPS in from the VPC, nothing out. */
  public readonly securityGroup: ec2.SecurityGroup;
  private readonly endpoints = new Map<EnclaveEndpointService, ec2.InterfaceVpcEndpoint>();
  private readonly vpc: ec2.IVpc;
  private readonly subnets: ec2.SubnetSelection;

  constructor(scope: Construct, id: string, props: ServiceEndpointsProps) {
    super(scope, id);
    this.vpc = props.vpc;
    this.subnets = props.subnets;
    const stack = Stack.of(this);
    this.securityGroup = new ec2.SecurityGroup(this, 'SecurityGroup', {
      vpc: props.vpc,
      description: 'AWS service interface endpoints of the enclave: HTTPS from the enclave VPC',
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    this.securityGroup.addIngressRule(
      ec2.Peer.ipv4(props.cidr),
      ec2.Port.tcp(443),
      'HTTPS from the enclave VPC',
    );
    const account = stack.account;
    const ownPrincipals = { 'aws:PrincipalAccount': account };
    const inThisAccount = (service: string, resource: string) =>
      stack.formatArn({ service, resource, resourceName: '*', arnFormat: ArnFormat.COLON_RESOURCE_NAME });
    for (const name of ENCLAVE_ENDPOINT_SERVICES) {
      const endpoint = new ec2.InterfaceVpcEndpoint(this, endpointId(name), {
        vpc: props.vpc,
        service: SERVICES[name],
        subnets: props.subnets,
        securityGroups: [this.securityGroup],
        privateDnsEnabled: true,
        // S3 offers "private DNS only for inbound resolvers" (for VPCs that also have a gateway endpoint);
        // the enclave has none, so its own requests must resolve to this endpoint too.
        ...(name === 's3'
          ? {
              privateDnsOnlyForInboundResolverEndpoint:
                ec2.VpcEndpointPrivateDnsOnlyForInboundResolverEndpoint.ALL_RESOLVERS,
            }
          : {}),
        open: false,
      });
      this.endpoints.set(name, endpoint);
    }
    const policy = (name: EnclaveEndpointService, statement: iam.PolicyStatementProps) =>
      this.endpoint(name).addToPolicy(
        new iam.PolicyStatement({ principals: [new iam.AnyPrincipal()], ...statement }),
      );
    policy('ec2', {
      sid: 'DescribeForThisAccount',
      actions: ['ec2:Describe*'],
      resources: ['*'],
      conditions: { StringEquals: ownPrincipals },
    });
    policy('ec2', {
      sid: 'ThisAccountOnItsResources',
      actions: ['ec2:*'],
      resources: [
        // `…:account:*`, not `…:*/*`: the same in IAM, and what the proof's simulator matches.
        stack.formatArn({ service: 'ec2', resource: '*' }),
      ],
      conditions: { StringEquals: ownPrincipals },
    });
    policy('sqs', {
      sid: 'ThisAccountOnItsQueues',
      actions: ['sqs:*'],
      resources: [stack.formatArn({ service: 'sqs', resource: '*' })],
      conditions: { StringEquals: ownPrincipals },
    });
    policy('secretsmanager', {
      sid: 'ThisAccountOnItsSecrets',
      actions: ['secretsmanager:*'],
      resources: [inThisAccount('secretsmanager', 'secret')],
      conditions: { StringEquals: ownPrincipals },
    });
    policy('s3', {
      sid: 'ThisAccountOnItsBuckets',
      actions: ['s3:*'],
      resources: ['*'],
      conditions: { StringEquals: { ...ownPrincipals, 'aws:ResourceAccount': account } },
    });
    // Lambda-backed custom resources answer CloudFormation by a PUT to a URL that CloudFormation
    // pre-signed: the request is CloudFormation's, to its response bucket of this Region.
    policy('s3', {
      sid: 'CloudFormationResponses',
      actions: ['s3:PutObject'],
      resources: [`arn:${stack.partition}:s3:::${cloudFormationResponseBucket(stack.region)}/*`],
    });
  }

  /** The interface endpoint of one service. */
  public endpoint(name: EnclaveEndpointService): ec2.InterfaceVpcEndpoint {
    return this.endpoints.get(name)!;
  }

  /**
   * Lets principals of this account put objects under `objectArns` through the S3 endpoint (the
   * evidence archive of another account, when it lives in the enclave's Region).
   */
  public allowS3Writes(sid: string, objectArns: readonly string[]): void {
    this.endpoint('s3').addToPolicy(
      new iam.PolicyStatement({
        sid,
        principals: [new iam.AnyPrincipal()],
        actions: ['s3:PutObject'],
        resources: [...objectArns],
        conditions: { StringEquals: { 'aws:PrincipalAccount': Stack.of(this).account } },
      }),
    );
  }

  /**
   * A placement for a deploy-time handler: the endpoint subnets and a security group whose only way
   * out is HTTPS to these endpoints. Such a handler reaches AWS before any route leaves the VPC (and
   * never through the gateway path it may help to build). The function must depend on `this`.
   */
  public handlerPlacement(scope: Construct, id: string, description: string): FunctionPlacement {
    const group = new ec2.SecurityGroup(scope, id, {
      vpc: this.vpc,
      description,
      allowAllOutbound: false,
      allowAllIpv6Outbound: false,
    });
    // By the group's ID, so that CDK renders the rule inline. Given the group itself, CDK renders a separate
    // AWS::EC2::SecurityGroupEgress and drops the group's "Disallow all traffic" placeholder: the group then
    // has no SecurityGroupEgress of its own, and EC2 gives such a group allow-all egress.
    group.addEgressRule(
      ec2.Peer.securityGroupId(this.securityGroup.securityGroupId),
      ec2.Port.tcp(443),
      'HTTPS to the AWS service endpoints only',
    );
    return { vpc: this.vpc, vpcSubnets: this.subnets, securityGroups: [group] };
  }
}

function endpointId(name: EnclaveEndpointService): string {
  return `${name.charAt(0).toUpperCase()}${name.slice(1)}Endpoint`;
}

/**
 * CloudFormation's bucket for custom-resource responses in a Region: the Region without dashes
 * (`cloudformation-custom-resource-response-euwest1`).
 */
export function cloudFormationResponseBucket(region: string): string {
  if (Token.isUnresolved(region)) {
    throw new Error('the Region must be known at synth to name CloudFormation’s response bucket');
  }
  return `cloudformation-custom-resource-response-${region.replace(/-/g, '')}`;
}

/**
 * What a Lambda function in a VPC needs on its execution role: Lambda creates, describes and deletes
 * the function's network interfaces with it (the actions of AWSLambdaVPCAccessExecutionRole, with the
 * writes kept to this account and Region). Lambda checks them when the function is created, so the
 * function must depend on the policy that holds them.
 */
export function networkInterfaceStatements(scope: Construct): iam.PolicyStatement[] {
  const stack = Stack.of(scope);
  return [
    new iam.PolicyStatement({
      sid: 'ManageFunctionNetworkInterfaces',
      actions: [
        'ec2:CreateNetworkInterface',
        'ec2:DeleteNetworkInterface',
        'ec2:AssignPrivateIpAddresses',
        'ec2:UnassignPrivateIpAddresses',
      ],
      resources: [stack.formatArn({ service: 'ec2', resource: '*' })],
    }),
    new iam.PolicyStatement({
      sid: 'DescribeFunctionNetworkInterfaces',
      actions: ['ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets'],
      resources: ['*'],
    }),
  ];
}

/** The IAM5 findings of {@link networkInterfaceStatements}, with why each wildcard is needed. */
export const NETWORK_INTERFACE_WILDCARDS = [
  {
    finding: /^Resource::arn:<AWS::Partition>:ec2:[a-z0-9-]+:\d{12}:\*$/,
    reason:
      'Lambda names the network interfaces of a VPC function itself, at run time; the writes stay in this account and Region (as AWS documents for DeleteNetworkInterface)',
  },
  {
    finding: /^Resource::\*$/,
    reason:
      'ec2:DescribeNetworkInterfaces and ec2:DescribeSubnets support no resource-level permissions (AWS: "only works if allowed on all resources"); both are read-only',
  },
] as const;
