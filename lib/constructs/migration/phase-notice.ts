import { CfnResource, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { SELF_PRINCIPAL } from '../../config/flow-declaration';
import type { InterimConfig } from '../../config/types';
import { designDecision } from '../design-decision';
import { declareFlows } from '../flows';
import { INTERIM_PHASE_EVENT_SOURCE, INTERIM_PHASE_EVENT_TYPE } from '../monitoring/security-events';

export interface InterimPhaseNoticeProps {
  readonly enclave: string;
  readonly region: string;
  readonly interim: InterimConfig;
  /** Key of the handler's log group (its policy must allow `logs`). */
  readonly logKey: kms.IKey;
}

/**
 * Tells the independent monitor where an interim enclave is in its lifecycle:
 * each deploy that changes the phase puts one event on the enclave's default bus
 * (source `clover.migration`), which the enclave's forwarding rules carry to the
 * monitoring plane's security bus, where it alerts the provider. On
 * `decommissioned` that event is the notice that the stores are being emptied.
 */
export class InterimPhaseNotice extends Construct {
  public readonly resource: cr.AwsCustomResource;

  constructor(scope: Construct, id: string, props: InterimPhaseNoticeProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const bus = stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    const { phase, history, migrateTo, sunset } = props.interim;
    const call: cr.AwsSdkCall = {
      service: 'EventBridge',
      action: 'putEvents',
      parameters: {
        Entries: [
          {
            Source: INTERIM_PHASE_EVENT_SOURCE,
            DetailType: INTERIM_PHASE_EVENT_TYPE,
            EventBusName: bus,
            Detail: JSON.stringify({
              enclave: props.enclave,
              region: props.region,
              phase,
              history,
              migrateTo,
              sunset,
            }),
          },
        ],
      },
      // A new physical ID per phase: CloudFormation calls onUpdate (and so puts the event) when the phase changes.
      physicalResourceId: cr.PhysicalResourceId.of(`${props.enclave}:${phase}`),
    };
    const logGroup = new logs.LogGroup(this, 'Logs', {
      logGroupName: `/clover/${props.enclave}/interim-phase-notice`,
      encryptionKey: props.logKey,
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const role = new iam.Role(this, 'Role', {
      description: `Puts the lifecycle events of interim enclave ${props.enclave} on the default bus at deploy time`,
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    this.resource = new cr.AwsCustomResource(this, 'Resource', {
      onCreate: call,
      onUpdate: call,
      policy: cr.AwsCustomResourcePolicy.fromStatements([
        new iam.PolicyStatement({ actions: ['events:PutEvents'], resources: [bus] }),
      ]),
      role,
      logGroup,
      installLatestAwsSdk: false,
    });
    // The role's log permissions must exist before the first call.
    this.resource.node.addDependency(role);
    const providerId = `AWS${cr.AwsCustomResource.PROVIDER_FUNCTION_UUID.replace(/-/g, '')}`;
    const provider = stack.node.tryFindChild(providerId);
    if (provider === undefined)
      throw new Error(`${this.node.path}: the AwsCustomResource provider was not found`);
    designDecision(provider, 'PHASE_NOTICE_HANDLER_OUTSIDE_VPC');
    declareFlows((provider as Construct).node.defaultChild as CfnResource, [
      {
        id: `phase-notice-${props.enclave}`,
        kind: 'required',
        description: `the deploy of interim enclave ${props.enclave} puts its phase (${phase}) on the default bus, forwarded to the monitor`,
        principal: SELF_PRINCIPAL,
        action: 'events:PutEvents',
        resource: bus,
      },
    ]);
  }
}
