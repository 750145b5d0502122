import type { CfnTemplate } from '../../../../lib/audit/template';
import { findingsOf, PureRuleOptions, resource } from '../../../helpers/rules';

const ref = (id: string) => ({ Ref: id });
const messages = (rule: string, template: CfnTemplate, options: PureRuleOptions = {}) =>
  findingsOf(template, options)
    .filter((finding) => finding.rule === rule)
    .map((finding) => `${finding.resource}: ${finding.message}`);

const trail = (properties: Record<string, unknown>) =>
  resource('AWS::CloudTrail::Trail', {
    S3BucketName: 'trail-logs',
    EnableLogFileValidation: true,
    ...properties,
  });

describe('CLV-LOG-6 trails that log everywhere', () => {
  test('accepts a logging multi-region trail', () => {
    expect(
      messages('CLV-LOG-6', { Resources: { Trail: trail({ IsLogging: true, IsMultiRegionTrail: true }) } }),
    ).toEqual([]);
  });
  test('rejects a trail that is not logging', () => {
    expect(
      messages('CLV-LOG-6', { Resources: { Trail: trail({ IsLogging: false, IsMultiRegionTrail: true }) } }),
    ).toEqual(['Trail: IsLogging is false: the trail records nothing']);
  });
  test('rejects a single-region trail, also when IsMultiRegionTrail is absent', () => {
    expect(
      messages('CLV-LOG-6', {
        Resources: { Trail: trail({ IsLogging: 'true', IsMultiRegionTrail: 'false' }) },
      }),
    ).toEqual([expect.stringMatching(/^Trail: IsMultiRegionTrail is false: activity in every other region/)]);
    expect(messages('CLV-LOG-6', { Resources: { Trail: trail({ IsLogging: true }) } })).toEqual([
      expect.stringMatching(/IsMultiRegionTrail is not set \(default false\)/),
    ]);
  });
});

describe('CLV-LOG-7 flow logs of all traffic', () => {
  const flowLog = (traffic: string) =>
    resource('AWS::EC2::FlowLog', {
      ResourceId: 'subnet-0123',
      ResourceType: 'Subnet',
      TrafficType: traffic,
      LogDestinationType: 's3',
      LogDestination: 'arn:aws:s3:::flow-logs',
    });
  test.each([
    ['REJECT', /accepted traffic .* is not recorded/],
    ['ACCEPT', /rejected traffic .* is not recorded/],
  ])('rejects TrafficType %s', (traffic, message) => {
    expect(messages('CLV-LOG-7', { Resources: { Flow: flowLog(traffic) } })).toEqual([
      expect.stringMatching(message),
    ]);
  });
  test('accepts TrafficType ALL', () => {
    expect(messages('CLV-LOG-7', { Resources: { Flow: flowLog('ALL') } })).toEqual([]);
  });
});

describe('CLV-LOG-8 server access logs of data buckets', () => {
  test('rejects a data bucket without LoggingConfiguration, accepts one with it', () => {
    expect(messages('CLV-LOG-8', { Resources: { Data: resource('AWS::S3::Bucket') } })).toEqual([
      expect.stringMatching(/^Data: LoggingConfiguration is not set/),
    ]);
    const logged = {
      Resources: {
        Logs: resource('AWS::S3::Bucket'),
        Data: resource('AWS::S3::Bucket', {
          LoggingConfiguration: { DestinationBucketName: ref('Logs'), LogFilePrefix: 'data/' },
        }),
      },
    };
    expect(messages('CLV-LOG-8', logged)).toEqual([]);
  });

  test.each<[string, CfnTemplate['Resources']]>([
    [
      'a trail’s bucket',
      { Trail: trail({ IsLogging: true, IsMultiRegionTrail: true, S3BucketName: ref('Logs') }) },
    ],
    [
      'a flow log’s bucket (by ARN)',
      {
        Flow: resource('AWS::EC2::FlowLog', {
          ResourceId: 'vpc-1',
          ResourceType: 'VPC',
          TrafficType: 'ALL',
          LogDestinationType: 's3',
          LogDestination: 'arn:aws:s3:::named-logs',
        }),
      },
    ],
    [
      'a bucket whose policy lets S3 log delivery write',
      {
        Policy: resource('AWS::S3::BucketPolicy', {
          Bucket: ref('Logs'),
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Principal: { Service: 'logging.s3.amazonaws.com' },
                Action: 's3:PutObject',
                Resource: '*',
              },
            ],
          },
        }),
      },
    ],
    [
      'a load balancer’s access-log bucket',
      {
        Lb: resource('AWS::ElasticLoadBalancingV2::LoadBalancer', {
          Type: 'application',
          Scheme: 'internal',
          LoadBalancerAttributes: [{ Key: 'access_logs.s3.bucket', Value: ref('Logs') }],
        }),
      },
    ],
  ])('leaves alone %s (a log destination, not a data bucket)', (_name, others) => {
    const template = {
      Resources: { Logs: resource('AWS::S3::Bucket', { BucketName: 'named-logs' }), ...others },
    };
    expect(messages('CLV-LOG-8', template)).toEqual([]);
  });
});

describe('CLV-LOG-9 retention of audit logs', () => {
  const flowLogTo = (days: number) => ({
    Resources: {
      Group: resource('AWS::Logs::LogGroup', { LogGroupName: 'flows', RetentionInDays: days }),
      Flow: resource('AWS::EC2::FlowLog', {
        ResourceId: 'vpc-1',
        ResourceType: 'VPC',
        TrafficType: 'ALL',
        LogGroupName: ref('Group'),
        DeliverLogsPermissionArn: 'arn:aws:iam::111111111111:role/f',
      }),
    },
  });
  test('rejects a flow-log group kept 30 days, accepts 400 days', () => {
    expect(messages('CLV-LOG-9', flowLogTo(30))).toEqual([
      'Group: audit log group flows (flow-log destination) keeps events 30 days, less than the minimum of 365 days for audit logs',
    ]);
    expect(messages('CLV-LOG-9', flowLogTo(400))).toEqual([]);
  });
  test('takes the configured minimum', () => {
    expect(messages('CLV-LOG-9', flowLogTo(30), { auditLogRetentionDays: 14 })).toEqual([]);
    expect(messages('CLV-LOG-9', flowLogTo(400), { auditLogRetentionDays: 731 })).toHaveLength(1);
  });
  test('leaves application log groups alone', () => {
    expect(
      messages('CLV-LOG-9', { Resources: { App: resource('AWS::Logs::LogGroup', { RetentionInDays: 7 }) } }),
    ).toEqual([]);
  });
  test('rejects a trail bucket whose lifecycle expires the logs too early', () => {
    const bucket = (days: number) => ({
      Resources: {
        Logs: resource('AWS::S3::Bucket', {
          LifecycleConfiguration: { Rules: [{ Status: 'Enabled', ExpirationInDays: days }] },
        }),
        Trail: trail({ IsLogging: true, IsMultiRegionTrail: true, S3BucketName: ref('Logs') }),
      },
    });
    expect(messages('CLV-LOG-9', bucket(90))).toEqual([
      expect.stringMatching(
        /^Logs: LifecycleConfiguration.Rules\[0\] expires the audit logs of trail Trail after 90 days/,
      ),
    ]);
    expect(messages('CLV-LOG-9', bucket(3650))).toEqual([]);
  });
});
