import { ArnFormat, CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { handlerEntry } from '../../handler-entry';
import { SELF_PRINCIPAL } from '../../../config/flow-declaration';
import { designDecision } from '../../design-decision';
import { networkInterfaceStatements, ServiceEndpoints } from '../../enclave-network/service-endpoints';
import { declareFlows } from '../../flows';

export interface EndpointAcceptanceProps {
  /** ID of the VPC endpoint service (`AcceptanceRequired: true`). */
  readonly serviceId: string;
  /** The endpoints to accept: exactly those Clover created, never a wildcard. */
  readonly endpointIds: readonly string[];
  /** Log group of the handler (encrypted, finite retention). */
  readonly logGroup: logs.ILogGroup;
  /**
   * The enclave's AWS service endpoints: the handler runs in the enclave VPC and reaches EC2 through
   * them, never through the GWLB path whose routes wait for it.
   */
  readonly endpoints: ServiceEndpoints;
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
    designDecision(this.role, 'ENDPOINT_ACCEPTANCE_WILDCARDS');
    for (const statement of networkInterfaceStatements(this)) this.role.addToPrincipalPolicy(statement);
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
      entry: handlerEntry(__dirname, 'handler'),
      handler: 'handler',
      runtime: lambda.Runtime.NODEJS_24_X,
      timeout: Duration.minutes(14),
      memorySize: 256,
      role: this.role,
      logGroup: props.logGroup,
      ...props.endpoints.handlerPlacement(
        this,
        'SecurityGroup',
        'GWLB endpoint acceptance handler: HTTPS to the AWS service endpoints only',
      ),
      bundling: { minify: true, sourceMap: false, externalModules: ['@aws-sdk/*'] },
    });
    // The role's policy (with the network-interface permissions Lambda checks at creation) must be in
    // place first, and the handler's calls need the EC2 and S3 endpoints.
    handler.node.addDependency(this.role, props.endpoints);
    declareFlows(handler.node.defaultChild as lambda.CfnFunction, [
      {
        id: 'accept-endpoints',
        kind: 'required',
        description: 'the deploy-time handler accepts the GWLB endpoint connections through the EC2 endpoint',
        principal: SELF_PRINCIPAL,
        action: 'ec2:AcceptVpcEndpointConnections',
        resource: serviceArn,
        vpcEndpoint: props.endpoints.endpoint('ec2').vpcEndpointId,
      },
    ]);
    this.handler = handler;
    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: handler.functionArn,
      resourceType: ENDPOINT_ACCEPTANCE_RESOURCE_TYPE,
      serviceTimeout: Duration.minutes(15),
      properties: { ServiceId: props.serviceId, VpcEndpointIds: [...props.endpointIds] },
    });
  }
}
