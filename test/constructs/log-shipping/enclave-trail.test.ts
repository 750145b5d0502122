import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { EnclaveTrail, enclaveEventSelectors } from '../../../lib/constructs/log-shipping/enclave-trail';

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

describe('EnclaveTrail', () => {
  const app = new App();
  const stack = new Stack(app, 'Trail', { env: { account: '111111111111', region: 'eu-west-1' } });
  new EnclaveTrail(stack, 'Trail', {
    enclave: 'dublin-1',
    encryptionKey: new kms.Key(stack, 'Key'),
    s3DataArnPrefixes: ['arn:aws:s3:::clover-dublin-1-personal-111111111111-eu-west-1/'],
    dynamoDbDataArnPrefixes: [],
  });
  const template = Template.fromStack(stack);

  test('writes a single-region, validated, KMS-encrypted trail to its bucket and to the named log group', () => {
    template.hasResourceProperties('AWS::CloudTrail::Trail', {
      TrailName: 'clover-dublin-1',
      EnableLogFileValidation: true,
      IsMultiRegionTrail: false,
      IncludeGlobalServiceEvents: false,
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
