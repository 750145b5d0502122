import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { cloverAlarmName, DATA_ACCESS_ANOMALY_ALARM_SUFFIX } from '../monitoring/security-events';

/** Namespace of the data-access metrics derived from the enclave trail. */
export const DATA_ACCESS_METRICS_NAMESPACE = 'Clover/DataAccess';

export interface DataAccessAnomalyProps {
  readonly enclave: string;
  /** The enclave trail's log group (it holds the S3 data events). */
  readonly trailLogGroup: logs.ILogGroup;
  readonly alarmTopic: sns.ITopic;
  /**
   * Width of the anomaly band in standard deviations.
   * @default 3
   */
  readonly standardDeviations?: number;
}

/**
 * Counts the S3 data events of the enclave trail (a metric filter) and raises
 * an anomaly-detection alarm when their volume leaves the learned band
 * upwards. What it measures: object-level API calls on the enclave's buckets
 * as CloudTrail records them (not bytes). The alarm's state change is an
 * EventBridge event that the enclave forwards to the monitoring plane.
 */
export class DataAccessAnomaly extends Construct {
  public readonly metric: cloudwatch.Metric;
  public readonly alarm: cloudwatch.AnomalyDetectionAlarm;

  constructor(scope: Construct, id: string, props: DataAccessAnomalyProps) {
    super(scope, id);
    const filter = new logs.MetricFilter(this, 'S3DataEvents', {
      logGroup: props.trailLogGroup,
      filterName: 'clover-s3-data-events',
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.eventCategory', '=', 'Data'),
        logs.FilterPattern.stringValue('$.eventSource', '=', 's3.*'),
      ),
      metricNamespace: DATA_ACCESS_METRICS_NAMESPACE,
      metricName: 'S3DataEvents',
      metricValue: '1',
      defaultValue: 0,
    });
    this.metric = filter.metric({ statistic: 'Sum', period: Duration.minutes(5) });
    this.alarm = new cloudwatch.AnomalyDetectionAlarm(this, 'Alarm', {
      alarmName: cloverAlarmName(props.enclave, DATA_ACCESS_ANOMALY_ALARM_SUFFIX),
      alarmDescription: `S3 data-access volume of enclave ${props.enclave} is above its anomaly-detection band`,
      metric: this.metric,
      stdDevs: props.standardDeviations ?? 3,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_UPPER_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new actions.SnsAction(props.alarmTopic));
  }
}
