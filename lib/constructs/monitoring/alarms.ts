import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** An alarm that fires as soon as `metric` reaches 1 in a minute, and notifies `topic`. */
export function alarmOnAny(
  scope: Construct,
  id: string,
  props: {
    readonly alarmName: string;
    readonly description: string;
    readonly metric: cloudwatch.IMetric;
    readonly topic: sns.ITopic;
  },
): cloudwatch.Alarm {
  const alarm = new cloudwatch.Alarm(scope, id, {
    alarmName: props.alarmName,
    alarmDescription: props.description,
    metric: props.metric,
    threshold: 1,
    evaluationPeriods: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
  alarm.addAlarmAction(new actions.SnsAction(props.topic));
  return alarm;
}

/** Alarm on any visible message in a queue that should stay empty (dead-letter, failure queues). */
export function alarmOnQueueDepth(
  scope: Construct,
  id: string,
  props: {
    readonly alarmName: string;
    readonly description: string;
    readonly queue: sqs.IQueue;
    readonly topic: sns.ITopic;
  },
): cloudwatch.Alarm {
  return alarmOnAny(scope, id, {
    ...props,
    metric: props.queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
  });
}
