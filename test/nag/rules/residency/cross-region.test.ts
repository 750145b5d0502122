import { CROSS_REGION_TARGETS, MULTI_REGION_TYPES } from '../../../../lib/audit/coverage/cross-region';
import type { CfnTemplate } from '../../../../lib/audit/template';
import { findingsOf, resource, setAt } from '../../../helpers/rules';

const residency = (template: CfnTemplate) =>
  findingsOf(template)
    .filter((finding) => finding.rule.startsWith('CLV-RES-'))
    .map((finding) => `${finding.rule} ${finding.resource}: ${finding.message}`);

const valueIn = (kind: 'region' | 'arn', region: string) =>
  kind === 'region' ? region : `arn:aws:backup:${region}:111111111111:backup-vault:copies`;

describe('CLV-RES-7 cross-region features of the table', () => {
  const cases = Object.entries(CROSS_REGION_TARGETS).flatMap(([type, targets]) =>
    targets.map((target) => [`${type} ${target.path}`, type, target] as const),
  );
  test.each(cases)('rejects %s naming a region outside Europe', (_name, type, target) => {
    const template = {
      Resources: { Res: resource(type, setAt({}, target.path, valueIn(target.kind, 'us-east-1'))) },
    };
    expect(residency(template)).toEqual([
      expect.stringMatching(/^CLV-RES-7 Res: .*us-east-1 \(outside Europe/),
    ]);
  });
  test.each(cases)('accepts %s naming an allowed region', (_name, type, target) => {
    const template = {
      Resources: { Res: resource(type, setAt({}, target.path, valueIn(target.kind, 'eu-central-1'))) },
    };
    expect(residency(template)).toEqual([]);
  });
  test.each(cases)(
    'rejects %s given by a parameter without a value: residency cannot be proven',
    (_name, type, target) => {
      const template: CfnTemplate = {
        Parameters: { Destination: { Type: 'String' } },
        Resources: { Res: resource(type, setAt({}, target.path, { Ref: 'Destination' })) },
      };
      expect(residency(template)).toEqual([expect.stringMatching(/^CLV-RES-7 Res: .*cannot be proven/)]);
    },
  );
  test.each(Object.keys(MULTI_REGION_TYPES))(
    'rejects %s, whose other regions the template cannot show',
    (type) => {
      expect(residency({ Resources: { Res: resource(type) } })).toEqual([
        expect.stringMatching(/^CLV-RES-7 Res: .*cannot be proven/),
      ]);
    },
  );

  test('reads the region of a backup copy through a parameter default and Fn::Sub', () => {
    const template: CfnTemplate = {
      Parameters: { CopyRegion: { Type: 'String', Default: 'us-west-2' } },
      Resources: {
        Plan: resource('AWS::Backup::BackupPlan', {
          BackupPlan: {
            BackupPlanName: 'daily',
            BackupPlanRule: [
              {
                RuleName: 'daily',
                TargetBackupVault: 'local',
                CopyActions: [
                  {
                    DestinationBackupVaultArn: {
                      'Fn::Sub':
                        'arn:${AWS::Partition}:backup:${CopyRegion}:${AWS::AccountId}:backup-vault:dr',
                    },
                  },
                ],
              },
            ],
          },
        }),
      },
    };
    expect(residency(template)).toEqual([
      expect.stringMatching(
        /^CLV-RES-7 Plan: BackupPlan.BackupPlanRule\[0\].CopyActions\[0\].DestinationBackupVaultArn sends copies of every backup to us-west-2/,
      ),
    ]);
  });
});

describe('CLV-RES-8 edge services', () => {
  test.each<[string, string, Record<string, unknown>]>([
    ['a CloudFront distribution', 'AWS::CloudFront::Distribution', { DistributionConfig: { Enabled: true } }],
    ['a Global Accelerator', 'AWS::GlobalAccelerator::Accelerator', { Name: 'a' }],
    [
      'a Lightsail distribution',
      'AWS::Lightsail::Distribution',
      { DistributionName: 'd', BundleId: 'small_1_0' },
    ],
    ['an Amplify app', 'AWS::Amplify::App', { Name: 'site' }],
    ['an edge-optimized API (the default)', 'AWS::ApiGateway::RestApi', { Name: 'api' }],
    [
      'an edge-optimized custom domain',
      'AWS::ApiGateway::DomainName',
      { DomainName: 'api.example.com', EndpointConfiguration: { Types: ['EDGE'] } },
    ],
    [
      'S3 Transfer Acceleration',
      'AWS::S3::Bucket',
      { AccelerateConfiguration: { AccelerationStatus: 'Enabled' } },
    ],
    [
      'a Cognito custom domain',
      'AWS::Cognito::UserPoolDomain',
      {
        Domain: 'login.example.com',
        UserPoolId: 'p',
        CustomDomainConfig: { CertificateArn: 'arn:aws:acm:us-east-1:111111111111:certificate/c' },
      },
    ],
  ])('rejects %s', (_name, type, properties) => {
    expect(
      findingsOf({ Resources: { Res: resource(type, properties) } }).filter((f) => f.rule === 'CLV-RES-8'),
    ).toHaveLength(1);
  });
  test.each<[string, string, Record<string, unknown>]>([
    [
      'a regional API',
      'AWS::ApiGateway::RestApi',
      { Name: 'api', EndpointConfiguration: { Types: ['REGIONAL'] } },
    ],
    [
      'a private API',
      'AWS::ApiGateway::RestApi',
      { Name: 'api', EndpointConfiguration: { Types: ['PRIVATE'] } },
    ],
    [
      'a bucket with acceleration suspended',
      'AWS::S3::Bucket',
      { AccelerateConfiguration: { AccelerationStatus: 'Suspended' } },
    ],
    ['a Cognito prefix domain', 'AWS::Cognito::UserPoolDomain', { Domain: 'enclave-login', UserPoolId: 'p' }],
  ])('accepts %s', (_name, type, properties) => {
    expect(
      findingsOf({ Resources: { Res: resource(type, properties) } }).filter((f) => f.rule === 'CLV-RES-8'),
    ).toEqual([]);
  });
});

describe('CLV-RES-2 regions named anywhere, as the template deploys', () => {
  const queueTo = (target: unknown, extra: Partial<CfnTemplate> = {}): CfnTemplate => ({
    ...extra,
    Resources: {
      Sub: resource('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: { Ref: 'AWS::NoValue' },
        Endpoint: target,
      }),
    },
  });

  test('reads Fn::FindInMap with the stack’s region: only that row counts', () => {
    const mappings = {
      Mappings: {
        Queues: {
          'eu-west-1': { Arn: 'arn:aws:sqs:eu-west-1:111111111111:q' },
          'us-east-1': { Arn: 'arn:aws:sqs:us-east-1:111111111111:q' },
        },
      },
    };
    const template = queueTo({ 'Fn::FindInMap': ['Queues', { Ref: 'AWS::Region' }, 'Arn'] }, mappings);
    expect(residency(template)).toEqual([]);
    expect(findingsOf(template, { region: 'us-east-1' }).some((f) => f.rule === 'CLV-RES-2')).toBe(true);
  });

  test('reads a parameter default, Fn::Sub and Fn::Join', () => {
    const parameter = queueTo(
      { Ref: 'Target' },
      { Parameters: { Target: { Type: 'String', Default: 'arn:aws:sqs:us-west-2:111111111111:q' } } },
    );
    expect(residency(parameter)).toEqual([expect.stringMatching(/^CLV-RES-2 Sub: Endpoint names us-west-2/)]);
    const sub = queueTo({ 'Fn::Sub': ['arn:aws:sqs:${R}:111111111111:q', { R: 'ap-south-1' }] });
    expect(residency(sub)).toEqual([expect.stringMatching(/names ap-south-1/)]);
    const join = queueTo({
      'Fn::Join': [':', ['arn:aws:sqs', { 'Fn::Select': [1, ['eu-west-1', 'sa-east-1']] }, '111111111111:q']],
    });
    expect(residency(join)).toEqual([expect.stringMatching(/names sa-east-1/)]);
  });

  test('never raises a finding for descriptive text, tags or metadata', () => {
    const template: CfnTemplate = {
      Description: 'Replicates nothing to us-east-1',
      Resources: {
        Topic: {
          Type: 'AWS::SNS::Topic',
          Metadata: { note: 'moved from us-east-1 in 2024' },
          Properties: {
            DisplayName: 'alerts (formerly us-west-2)',
            Tags: [{ Key: 'previous-region', Value: 'us-east-1' }],
          },
        } as CfnTemplate['Resources'][string],
        Alarm: resource('AWS::CloudWatch::Alarm', {
          AlarmDescription: 'mirrors the ap-southeast-2 alarm',
          Namespace: 'AWS/SQS',
          MetricName: 'x',
        }),
        Queue: resource('AWS::SQS::Queue', { Tags: [{ Key: 'region', Value: 'us-east-1' }] }),
        Table: resource('AWS::DynamoDB::Table', {
          Tags: [{ Key: 'origin', Value: 'eu-west-1 copy of us-east-1 table' }],
        }),
        Param: resource('AWS::SSM::Parameter', {
          Type: 'String',
          Value: 'x',
          Description: 'us-east-1 value kept for reference',
        }),
        Machine: resource('AWS::StepFunctions::StateMachine', {
          RoleArn: 'arn:aws:iam::111111111111:role/sfn',
          DefinitionString: JSON.stringify({
            Comment: 'ported from the us-east-1 pipeline',
            StartAt: 'Done',
            States: { Done: { Type: 'Succeed' } },
          }),
        }),
      },
    };
    expect(residency(template)).toEqual([]);
  });

  test('still judges regions inside a JSON document written as text', () => {
    const machine = resource('AWS::StepFunctions::StateMachine', {
      RoleArn: 'arn:aws:iam::111111111111:role/sfn',
      DefinitionString: JSON.stringify({
        Comment: 'copies records',
        StartAt: 'Copy',
        States: {
          Copy: {
            Type: 'Task',
            Resource: 'arn:aws:states:::sqs:sendMessage',
            Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/111111111111/q' },
            End: true,
          },
        },
      }),
    });
    expect(residency({ Resources: { Machine: machine } })).toEqual([
      expect.stringMatching(
        /^CLV-RES-2 Machine: DefinitionString.States.Copy.Parameters.QueueUrl names us-east-1/,
      ),
    ]);
  });

  test('judges every branch of Fn::If and names the condition of the branch that names a region', () => {
    const template: CfnTemplate = {
      Parameters: { Stage: { Type: 'String', Default: 'prod', AllowedValues: ['prod', 'test'] } },
      Conditions: { IsTest: { 'Fn::Equals': [{ Ref: 'Stage' }, 'test'] } },
      Resources: {
        Sub: resource('AWS::SNS::Subscription', {
          Protocol: 'sqs',
          TopicArn: 'arn:aws:sns:eu-west-1:111111111111:t',
          Endpoint: {
            'Fn::If': [
              'IsTest',
              'arn:aws:sqs:us-east-1:111111111111:q',
              'arn:aws:sqs:eu-west-1:111111111111:q',
            ],
          },
        }),
      },
    };
    expect(residency(template)).toEqual([
      expect.stringMatching(
        /^CLV-RES-2 Sub: Endpoint names us-east-1 .* \[when condition IsTest is true \(parameter Stage = "test"\)\]$/,
      ),
    ]);
  });
});
