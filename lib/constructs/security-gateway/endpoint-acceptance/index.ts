import * as path from 'path';
import { ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from '../../../nag/acknowledge';

export interface EndpointAcceptanceProps {
  /** ID of the VPC endpoint service (`AcceptanceRequired: true`). */
  readonly serviceId: string;
  /** The endpoints to accept: exactly those Clover created, never a wildcard. */
  readonly endpointIds: readonly string[];
  /** Log group of the handler (encrypted, finite retention). */
  readonly logGroup: logs.ILogGroup;
  /** Last day (YYYY-MM-DD) of the acknowledgment of the read-only wildcard (AwsSolutions-IAM5). */
  readonly acknowledgmentExpiry: string;
}

/** Resource type of the acceptance in the template, for auditors. */
export const ENDPOINT_ACCEPTANCE_RESOURCE_TYPE = 'Custom::GatewayEndpointAcceptance';

/**
 * Accepts exactly the given GWLB endpoint connections and waits until they are
 * available. Its role may accept connections of this one endpoint service and
 * read connection states; it cannot create, replace or delete routes. Make
 * every route to one of the endpoints depend on this construct.
 */
export class EndpointAcceptance extends Construct {
  public readonly resource: CustomResource;
  public readonly handler: lambda.IFunction;
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: EndpointAcceptanceProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const serviceArn = stack.formatArn({
      service: 'ec2',
      resource: 'vpc-endpoint-service',
      resourceName: props.serviceId,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    this.role = new iam.Role(this, 'Role', {
      description: 'Accepts the GWLB endpoint connections Clover created; cannot touch routes',
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'AcceptOwnEndpointsOnly',
        actions: ['ec2:AcceptVpcEndpointConnections'],
        resources: [serviceArn],
      }),
    );
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'ReadConnectionStates',
        actions: ['ec2:DescribeVpcEndpointConnections'],
        resources: ['*'],
      }),
    );
    acknowledge(this.role, {
      rule: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'ec2:DescribeVpcEndpointConnections supports no resource-level permissions; it is read-only and only used to wait until the accepted endpoints are available',
      expires: props.acknowledgmentExpiry,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [props.logGroup.logGroupArn],
      }),
    );
    const handler = new nodejs.NodejsFunction(this, 'Handler', {
      description:
        'Clover: accepts the GWLB endpoint connections of this stack and waits until they are available',
      entry: path.join(__dirname, 'handler.ts'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      timeout: Duration.minutes(14),
      memorySize: 256,
      role: this.role,
      logGroup: props.logGroup,
      bundling: { minify: true, sourceMap: false, externalModules: ['@aws-sdk/*'] },
    });
    // The role's policy must be in place before CloudFormation first invokes the handler.
    handler.node.addDependency(this.role);
    acknowledge(handler, {
      rule: 'CT.LAMBDA.PR.3',
      reason:
        'a deploy-time custom resource handler that calls EC2 control-plane APIs only and never sees data; in a VPC it would need EC2 and logs endpoints in the enclave for a few calls per deployment',
      expires: props.acknowledgmentExpiry,
    });
    this.handler = handler;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: ENDPOINT_ACCEPTANCE_RESOURCE_TYPE,
      serviceTimeout: Duration.minutes(15),
      properties: { ServiceId: props.serviceId, VpcEndpointIds: [...props.endpointIds] },
    });
  }
}
