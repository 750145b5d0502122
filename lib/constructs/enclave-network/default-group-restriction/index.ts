import { ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerEntry } from '../../handler-entry';
import { FLOWS_METADATA_KEY, SELF_PRINCIPAL } from '../../../config/flow-declaration';
import { designDecision } from '../../design-decision';
import { declareFlows } from '../../flows';
import { networkInterfaceStatements, ServiceEndpoints } from '../service-endpoints';

/** Resource type of the restriction in the template, for auditors. */
export const DEFAULT_GROUP_RESTRICTION_RESOURCE_TYPE = 'Custom::DefaultSecurityGroupRestriction';

export interface DefaultSecurityGroupRestrictionProps {
  /** ID of the VPC's default security group (`VPC.DefaultSecurityGroup`). */
  readonly groupId: string;
  /** The endpoints through which the handler reaches EC2 (it runs in the VPC, before any route out). */
  readonly endpoints: ServiceEndpoints;
  /** Log group of the handler (encrypted, finite retention). */
  readonly logGroup: logs.ILogGroup;
}

/**
 * Revokes every rule of a VPC's default security group at deploy time (and of other VPCs' default
 * groups added with {@link addGroup}). The handler runs in the VPC and reaches EC2 only through its
 * interface endpoint; its role may revoke rules of exactly those groups and read security groups.
 */
export class DefaultSecurityGroupRestriction extends Construct {
  public readonly resource: CustomResource;
  public readonly handler: nodejs.NodejsFunction;
  public readonly role: iam.Role;
  private readonly revoke: iam.PolicyStatement;
  private readonly ec2Endpoint: string;

  constructor(scope: Construct, id: string, props: DefaultSecurityGroupRestrictionProps) {
    super(scope, id);
    this.revoke = new iam.PolicyStatement({
      sid: 'RevokeDefaultGroupRulesOnly',
      actions: ['ec2:RevokeSecurityGroupIngress', 'ec2:RevokeSecurityGroupEgress'],
      resources: [],
    });
    this.ec2Endpoint = props.endpoints.endpoint('ec2').vpcEndpointId;
    this.role = new iam.Role(this, 'Role', {
      description: 'Revokes the rules of the enclave VPC default security group at deploy time',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    const policy = new iam.Policy(this, 'Policy', {
      statements: [
        this.revoke,
        new iam.PolicyStatement({
          sid: 'ReadSecurityGroups',
          actions: ['ec2:DescribeSecurityGroups'],
          resources: ['*'],
        }),
        new iam.PolicyStatement({
          sid: 'WriteOwnLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [props.logGroup.logGroupArn],
        }),
        ...networkInterfaceStatements(this),
      ],
    });
    this.role.attachInlinePolicy(policy);
    designDecision(policy, 'DEFAULT_GROUP_RESTRICTION_WILDCARDS');
    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      description: 'Clover: revokes every rule of the enclave VPC default security group',
      entry: handlerEntry(__dirname, 'handler'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      timeout: Duration.minutes(2),
      memorySize: 256,
      role: this.role,
      logGroup: props.logGroup,
      ...props.endpoints.handlerPlacement(
        this,
        'SecurityGroup',
        'Default security group restriction handler: HTTPS to the AWS service endpoints only',
      ),
      bundling: { minify: true, sourceMap: false, externalModules: ['@aws-sdk/*'] },
    });
    // Lambda checks the network-interface permissions when it creates the function; the handler's
    // first call needs the EC2 endpoint.
    this.handler.node.addDependency(policy, props.endpoints);
    this.resource = this.addGroup('Resource', props.groupId);
  }

  /**
   * Also leaves `groupId` (the default security group of another VPC of the enclave's account and
   * Region, e.g. the gateway's inspection VPC) without rules.
   */
  public addGroup(id: string, groupId: string): CustomResource {
    const groupArn = Stack.of(this).formatArn({
      service: 'ec2',
      resource: 'security-group',
      resourceName: groupId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.revoke.addResources(groupArn);
    const handler = this.handler.node.defaultChild as lambda.CfnFunction;
    const declared = (handler.getMetadata(FLOWS_METADATA_KEY) as unknown[] | undefined)?.length ?? 0;
    declareFlows(handler, [
      {
        id: declared === 0 ? 'revoke-default-rules' : `revoke-default-rules-${declared + 1}`,
        kind: 'required',
        description:
          'the deploy-time handler revokes a default security group’s rules through the EC2 endpoint',
        principal: SELF_PRINCIPAL,
        action: 'ec2:RevokeSecurityGroupEgress',
        resource: groupArn,
        vpcEndpoint: this.ec2Endpoint,
      },
    ]);
    return new CustomResource(this, id, {
      serviceToken: this.handler.functionArn,
      resourceType: DEFAULT_GROUP_RESTRICTION_RESOURCE_TYPE,
      serviceTimeout: Duration.minutes(3),
      properties: { GroupId: groupId },
    });
  }
}
