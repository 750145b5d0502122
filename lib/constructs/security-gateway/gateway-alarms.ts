import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { createCloverKey } from '../enclave-network/keys';
import { allowAlarmsToPublish } from '../monitoring/service-grants';

/** CloudWatch namespace of Gateway Load Balancer metrics. */
export const GATEWAY_ELB_NAMESPACE = 'AWS/GatewayELB';

export interface GatewayAlarmsProps {
  readonly enclaveName: string;
  /** `LoadBalancer` dimension: the GWLB's full name (`gwy/…/…`). */
  readonly loadBalancerFullName: string;
  /** `TargetGroup` dimension: the target group's full name (`targetgroup/…/…`). */
  readonly targetGroupFullName: string;
  readonly availabilityZones: readonly string[];
}

/**
 * Gateway health alarms and the KMS-encrypted topic they notify, to which
 * the monitoring plane subscribes: an AZ with no healthy appliance (missing
 * data counts as none), and any unhealthy appliance.
 */
export class GatewayAlarms extends Construct {
  public readonly topic: sns.Topic;
  public readonly topicKey: kms.Key;
  /** One per AZ, in the given order. */
  public readonly noHealthyApplianceAlarms: readonly cloudwatch.Alarm[];
  public readonly unhealthyApplianceAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: GatewayAlarmsProps) {
    super(scope, id);
    this.topicKey = createCloverKey(this, 'TopicKey', {
      description: `Clover ${props.enclaveName}: security gateway alarm topic`,
    });
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `clover-${props.enclaveName}-gateway-alarms`,
      displayName: `Clover ${props.enclaveName} security gateway alarms`,
      masterKey: this.topicKey,
      enforceSSL: true,
    });
    allowAlarmsToPublish(this.topic, this.topicKey);
    const action = new actions.SnsAction(this.topic);
    const dimensions = { LoadBalancer: props.loadBalancerFullName, TargetGroup: props.targetGroupFullName };

    this.noHealthyApplianceAlarms = props.availabilityZones.map((availabilityZone) => {
      const alarm = new cloudwatch.Alarm(this, `NoHealthyAppliance-${availabilityZone}`, {
        alarmName: `clover-${props.enclaveName}-gateway-no-healthy-appliance-${availabilityZone}`,
        alarmDescription: `No healthy gateway appliance serves ${availabilityZone}: its workloads' traffic is inspected by appliances in other AZs (cross-zone), or dropped when none is healthy; routes never bypass the gateway.`,
        metric: new cloudwatch.Metric({
          namespace: GATEWAY_ELB_NAMESPACE,
          metricName: 'HealthyHostCount',
          dimensionsMap: { ...dimensions, AvailabilityZone: availabilityZone },
          statistic: cloudwatch.Stats.MINIMUM,
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: 2,
        datapointsToAlarm: 2,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      });
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
      return alarm;
    });

    this.unhealthyApplianceAlarm = new cloudwatch.Alarm(this, 'UnhealthyAppliances', {
      alarmName: `clover-${props.enclaveName}-gateway-unhealthy-appliances`,
      alarmDescription: 'At least one gateway appliance fails its health check.',
      metric: new cloudwatch.Metric({
        namespace: GATEWAY_ELB_NAMESPACE,
        metricName: 'UnHealthyHostCount',
        dimensionsMap: dimensions,
        statistic: cloudwatch.Stats.MAXIMUM,
        period: Duration.minutes(1),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.unhealthyApplianceAlarm.addAlarmAction(action);
    this.unhealthyApplianceAlarm.addOkAction(action);
  }

  /** Lets a publisher that is an IAM role (e.g. an Auto Scaling service-linked role) use the topic key. */
  public allowPublisherRole(roleArn: string): void {
    this.topicKey.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'RolePublishes',
        principals: [new iam.ArnPrincipal(roleArn)],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
      }),
    );
  }
}
