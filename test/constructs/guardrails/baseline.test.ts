import { baselineTemplate } from '../../../lib/constructs/guardrails/baseline';

type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
const resourcesOf = (configRecorder: boolean) =>
  baselineTemplate({ configRecorder, globalResourcesRegion: 'eu-west-1' }).Resources as Record<
    string,
    Resource
  >;

describe('organisation baseline template', () => {
  const resources = resourcesOf(true);

  test('holds a Config recorder delivering to the monitoring plane’s bucket, and the trail-check role', () => {
    expect(
      Object.values(resources)
        .map((r) => r.Type)
        .sort(),
    ).toEqual([
      'AWS::Config::ConfigurationRecorder',
      'AWS::Config::DeliveryChannel',
      'AWS::IAM::Role',
      'AWS::IAM::Role',
    ]);
    expect(resources.ConfigDelivery.Properties.S3BucketName).toEqual({ Ref: 'ConfigBucketName' });
    expect(resources.ConfigRecorder.Properties.RoleARN).toEqual({
      'Fn::GetAtt': ['ConfigRecorderRole', 'Arn'],
    });
  });

  test('names its roles per region: one StackSet instance per region never collides with another’s IAM names', () => {
    expect(resources.ConfigRecorderRole.Properties.RoleName).toEqual({
      'Fn::Sub': 'clover-config-recorder-${AWS::Region}',
    });
    expect(resources.TrailCheckRole.Properties.RoleName).toEqual({
      'Fn::Sub': 'clover-trail-check-${AWS::Region}',
    });
  });

  test('lets Config assume the recorder role for its own account only (aws:SourceAccount)', () => {
    expect(resources.ConfigRecorderRole.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      {
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      },
    ]);
  });

  test('lets the recorder write only its own account’s prefix, and use the key only through S3 by its alias', () => {
    const [acl, put, key] = resources.ConfigRecorderRole.Properties.Policies[0].PolicyDocument.Statement;
    expect(acl.Action).toBe('s3:GetBucketAcl');
    expect(put.Resource).toEqual({
      'Fn::Sub': 'arn:${AWS::Partition}:s3:::${ConfigBucketName}/AWSLogs/${AWS::AccountId}/Config/*',
    });
    expect(key.Condition).toEqual({
      StringEquals: { 'kms:ViaService': { 'Fn::Sub': 's3.${MonitoringRegion}.${AWS::URLSuffix}' } },
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': { 'Fn::Sub': 'alias/${ConfigKeyAlias}' } },
    });
  });

  test('the trail-check role trusts the monitoring auditor role alone and may only read', () => {
    const role = resources.TrailCheckRole.Properties;
    expect(role.AssumeRolePolicyDocument.Statement[0].Condition).toEqual({
      ArnEquals: { 'aws:PrincipalArn': { Ref: 'MonitoringAuditorRoleArn' } },
    });
    const actions: string[] = role.Policies[0].PolicyDocument.Statement.flatMap(
      (statement: { Action: string[] }) => statement.Action,
    );
    expect(actions.every((action) => /^(cloudtrail|config):(Describe|Get|List)/.test(action))).toBe(true);
  });

  test('records global resource types in one region only', () => {
    const template = baselineTemplate({ configRecorder: true, globalResourcesRegion: 'eu-north-1' });
    expect(template.Conditions).toEqual({
      RecordsGlobalResources: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-north-1'] },
    });
  });

  test('leaves the recorder out where the landing zone records already (configRecorder false)', () => {
    expect(Object.keys(resourcesOf(false))).toEqual(['TrailCheckRole']);
    expect(
      baselineTemplate({ configRecorder: false, globalResourcesRegion: 'eu-west-1' }).Conditions,
    ).toBeUndefined();
  });
});
