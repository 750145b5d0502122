import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { archiveBucketName, SECURITY_EVENT_BUS_NAME } from '../../lib/config/naming';
import { buildTestApp } from '../helpers/app';

type Statement = {
  Sid?: string;
  Effect: string;
  Principal?: unknown;
  Action: string | string[];
  Condition?: unknown;
};
const accountsIn = (value: unknown): string[] =>
  [...JSON.stringify(value).matchAll(/:iam::(\d{12}):/g)].map((m) => m[1]);

describe('MonitoringStack on the default app', () => {
  const built = buildTestApp();
  const template = Template.fromStack(built.monitoringStage.monitoring);
  const json = template.toJSON() as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
  };
  const enclaveAccounts = built.enclaveStages.map((stage) => stage.enclave.account).sort();

  test('the archive bucket has Object Lock in COMPLIANCE mode with the configured retention, versioning and the monitoring key', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: archiveBucketName('444444444444', 'eu-west-1'),
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } },
      },
      VersioningConfiguration: { Status: 'Enabled' },
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          {
            ServerSideEncryptionByDefault: {
              SSEAlgorithm: 'aws:kms',
              KMSMasterKeyID: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
            },
          },
        ],
      },
      LoggingConfiguration: { DestinationBucketName: Match.anyValue() },
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: Match.objectLike({ BucketName: archiveBucketName('444444444444', 'eu-west-1') }),
      DeletionPolicy: 'Retain',
    });
  });

  test('only the enclaves’ shipper roles may write, each under its own prefix, and only the auditor role may read', () => {
    const policy = Object.values(json.Resources).find(
      (r) => r.Type === 'AWS::S3::BucketPolicy' && JSON.stringify(r.Properties).includes('ShipperWrites'),
    )!;
    const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
    const allows = statements.filter((s) => s.Effect === 'Allow');
    expect(allows.map((s) => s.Action)).toEqual(['s3:PutObject', 's3:PutObject', 's3:PutObject']);
    expect(allows.flatMap((s) => accountsIn(s.Principal)).sort()).toEqual(enclaveAccounts);
    expect(JSON.stringify(allows)).toContain(':role/clover-hamar-log-shipper');
    expect(JSON.stringify(allows)).toContain('/archive/hamar/333333333333/*');
    const denies = Object.fromEntries(statements.filter((s) => s.Sid).map((s) => [s.Sid, s]));
    expect(denies.OnlyShippersWrite).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
    });
    expect(accountsIn(denies.OnlyShippersWrite.Condition).sort()).toEqual(enclaveAccounts);
    expect(denies.WritesAreConditional).toMatchObject({
      Effect: 'Deny',
      Condition: { Null: { 's3:if-none-match': 'true' } },
    });
    expect(denies.OnlyTheReaderReads).toMatchObject({
      Effect: 'Deny',
      Action: expect.arrayContaining(['s3:GetObject']),
    });
    expect(JSON.stringify(denies.OnlyTheReaderReads.Condition)).toContain(
      ':role/clover-monitoring-independent-auditor',
    );
    // TLS only (CDK's enforceSSL).
    expect(
      statements.some((s) => JSON.stringify(s.Condition) === '{"Bool":{"aws:SecureTransport":"false"}}'),
    ).toBe(true);
  });

  test('the archive key lets the shipper roles encrypt only through S3, with the one action S3 asks for', () => {
    const key = Object.values(json.Resources).find(
      (r) => r.Type === 'AWS::KMS::Key' && JSON.stringify(r.Properties).includes('ShippersEncryptViaS3'),
    )!;
    const statement = (key.Properties.KeyPolicy as { Statement: Statement[] }).Statement.find(
      (s) => s.Sid === 'ShippersEncryptViaS3',
    )!;
    // S3 asks KMS for a data key for every SSE-KMS write (a single PutObject, as the shipper makes); never Encrypt.
    expect([statement.Action].flat()).toEqual(['kms:GenerateDataKey']);
    expect(JSON.stringify(statement.Condition)).toMatch(/kms:ViaService.*s3\.eu-west-1\./);
    expect(accountsIn(statement.Principal).sort()).toEqual(enclaveAccounts);
    expect(key.Properties).toMatchObject({ EnableKeyRotation: true, MultiRegion: false });
  });

  test('the security bus policy names exactly the enclave accounts', () => {
    template.hasResourceProperties('AWS::Events::EventBus', {
      Name: SECURITY_EVENT_BUS_NAME,
      KmsKeyIdentifier: Match.anyValue(),
    });
    const policies = Object.values(json.Resources).filter((r) => r.Type === 'AWS::Events::EventBusPolicy');
    expect(policies).toHaveLength(1);
    const statement = policies[0].Properties.Statement as Statement;
    expect(statement).toMatchObject({ Effect: 'Allow', Action: 'events:PutEvents' });
    expect(accountsIn(statement.Principal).sort()).toEqual(enclaveAccounts);
  });

  test.each([
    'UserDataDecrypt',
    'BreakGlassUse',
    'JurisdictionViolation',
    'ControlPlaneChange',
    'DataAccessAnomaly',
  ])('alerts on %s through the encrypted topic', (category) => {
    const rule = Object.entries(json.Resources).find(
      ([id, r]) => r.Type === 'AWS::Events::Rule' && id.includes(category),
    );
    expect(rule).toBeDefined();
    const targets = rule![1].Properties.Targets as Array<{ Arn: { Ref: string } }>;
    expect(json.Resources[targets[0].Arn.Ref].Type).toBe('AWS::SNS::Topic');
  });

  test('alerts go to a KMS-encrypted topic with an HTTPS subscription to the alert URL', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://alerts.monitor.example.eu/v1/alerts',
    });
  });

  test('the auditor role is assumable by the provider accounts with MFA and bounded', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'clover-monitoring-independent-auditor',
      PermissionsBoundary: Match.anyValue(),
      AssumeRolePolicyDocument: {
        Statement: [Match.objectLike({ Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } })],
      },
    });
  });
});

describe('MonitoringStack with a configured retention', () => {
  test('uses monitoring.archiveRetentionDays for the Object Lock default retention', () => {
    const built = buildTestApp({ config: path.join(__dirname, '../fixtures/logging/app-logs.json') });
    Template.fromStack(built.monitoringStage.monitoring).hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockConfiguration: { Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
    });
  });
});
