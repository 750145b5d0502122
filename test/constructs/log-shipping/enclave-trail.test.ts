import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import {
  EnclaveTrail,
  enclaveEventSelectors,
  outOfRegionPattern,
} from '../../../lib/constructs/log-shipping/enclave-trail';

describe('enclaveEventSelectors', () => {
  test('records all management events, and data events only of the given stores', () => {
    expect(
      enclaveEventSelectors({
        s3DataArnPrefixes: ['arn:aws:s3:::clover-x-personal-1-eu-west-1/'],
        dynamoDbDataArnPrefixes: ['arn:aws:dynamodb:eu-west-1:1:table/'],
      }),
    ).toEqual([
      { name: 'All management events', fieldSelectors: [{ field: 'eventCategory', equals: ['Management'] }] },
      {
        name: 'S3 data events of the enclave buckets',
        fieldSelectors: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::S3::Object'] },
          { field: 'resources.ARN', startsWith: ['arn:aws:s3:::clover-x-personal-1-eu-west-1/'] },
        ],
      },
      {
        name: 'DynamoDB data events of the enclave tables',
        fieldSelectors: [
          { field: 'eventCategory', equals: ['Data'] },
          { field: 'resources.type', equals: ['AWS::DynamoDB::Table'] },
          { field: 'resources.ARN', startsWith: ['arn:aws:dynamodb:eu-west-1:1:table/'] },
        ],
      },
    ]);
  });

  test('never selects every data event: without prefixes there is no data selector', () => {
    expect(enclaveEventSelectors({ s3DataArnPrefixes: [], dynamoDbDataArnPrefixes: [] })).toHaveLength(1);
  });
});

describe('outOfRegionPattern', () => {
  test('counts management events from any other region, but not global service events (recorded in us-east-1)', () => {
    const pattern = outOfRegionPattern(['eu-west-1', 'eu-north-1']);
    expect(pattern).toMatch(
      /^\{ \(\$\.eventCategory = "Management"\) && \(\$\.awsRegion != "eu-north-1"\) && \(\$\.awsRegion != "eu-west-1"\) && /,
    );
    expect(pattern).toContain('($.eventSource != "iam.*")');
    expect(pattern).toContain('($.eventSource != "sts.*")');
    // CloudWatch Logs filter patterns are at most 1,024 characters, even with every EU/EEA region allowed.
    expect(
      outOfRegionPattern([
        'eu-west-1',
        'eu-west-2',
        'eu-west-3',
        'eu-central-1',
        'eu-central-2',
        'eu-north-1',
        'eu-south-1',
        'eu-south-2',
      ]).length,
    ).toBeLessThanOrEqual(1024);
  });
});

describe('EnclaveTrail', () => {
  const app = new App();
  const stack = new Stack(app, 'Trail', { env: { account: '111111111111', region: 'eu-west-1' } });
  const key = new kms.Key(stack, 'Key');
  new EnclaveTrail(stack, 'Trail', {
    enclave: 'dublin-1',
    encryptionKey: key,
    s3DataArnPrefixes: ['arn:aws:s3:::clover-dublin-1-personal-111111111111-eu-west-1/'],
    dynamoDbDataArnPrefixes: [],
    allowedRegions: ['eu-west-1', 'eu-north-1'],
    alarmTopic: new sns.Topic(stack, 'Alarms'),
  });
  const template = Template.fromStack(stack);
  const trailArn = {
    'Fn::Join': [
      '',
      ['arn:', { Ref: 'AWS::Partition' }, ':cloudtrail:eu-west-1:111111111111:trail/clover-dublin-1'],
    ],
  };

  test('records every region and global service events in a validated, KMS-encrypted trail, stored in the enclave region', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'clover-dublin-1',
      IsLogging: true,
      EnableLogFileValidation: true,
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      EventSelectors: Match.absent(),
      AdvancedEventSelectors: Match.arrayWith([
        {
          Name: 'All management events',
          FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }],
        },
      ]),
    });
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/clover/dublin-1/cloudtrail',
      KmsKeyId: Match.anyValue(),
      RetentionInDays: 365,
    });
  });

  test('every grant to CloudTrail names this trail: bucket policy, logs role trust, and a DescribeKey statement without encryption context', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudTrailAclCheck',
            Action: 's3:GetBucketAcl',
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          }),
          Match.objectLike({
            Sid: 'CloudTrailWrite',
            Action: 's3:PutObject',
            Condition: {
              StringEquals: { 'aws:SourceArn': trailArn, 's3:x-amz-acl': 'bucket-owner-full-control' },
            },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          Match.objectLike({
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': '111111111111', 'aws:SourceArn': trailArn } },
          }),
        ],
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'kms:DescribeKey',
            Principal: { Service: 'cloudtrail.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceArn': trailArn } },
          }),
        ]),
      },
    });
  });

  test('alarms on any management event from a region outside the allowed set', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: outOfRegionPattern(['eu-west-1', 'eu-north-1']),
      LogGroupName: Match.anyValue(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'clover-dublin-1-management-event-outside-allowed-regions',
      AlarmActions: [{ Ref: Match.stringLikeRegexp('^Alarms') }],
    });
  });

  test('keeps the log files in a KMS-encrypted, versioned, access-logged bucket that is retained', () => {
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            Match.objectLike({
              ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }),
            }),
          ],
        },
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: Match.objectLike({ DestinationBucketName: Match.anyValue() }),
      }),
      DeletionPolicy: 'Retain',
    });
  });
});
