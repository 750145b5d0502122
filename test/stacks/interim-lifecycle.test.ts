import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildTestApp } from '../helpers/app';
import type { CloverApp } from '../../lib/app/clover-app';

const PERSONAL = 'clover-interim-us-personal-555555555555-us-east-1';
const TARGET_PERSONAL = 'clover-dublin-1-personal-111111111111-eu-west-1';
const TARGET_MIGRATION = 'clover-dublin-1-111111111111-eu-west-1-migration';

function stage(built: CloverApp, name: string) {
  return built.enclaveStages.find((candidate) => candidate.enclave.name === name)!;
}

interface Statement {
  readonly Sid?: string;
  readonly Effect: string;
  readonly Principal?: unknown;
  readonly Action: string[];
  readonly Condition?: unknown;
}

/** The statements of a bucket policy resource. */
function statementsOf(policy: Record<string, unknown>): Statement[] {
  return (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties.PolicyDocument
    .Statement;
}

/** The resources of a type whose properties contain `fragment` anywhere (as JSON). */
function withText(template: Template, type: string, fragment: string): Array<Record<string, unknown>> {
  return Object.values(template.findResources(type)).filter((resource) =>
    JSON.stringify(resource).includes(fragment),
  ) as Array<Record<string, unknown>>;
}

describe('interim enclave while replicating', () => {
  const built = buildTestApp({ config: 'examples/interim-us-replicating.json' });
  const interim = Template.fromStack(stage(built, 'interim-us').data);
  const target = Template.fromStack(stage(built, 'dublin-1').data);

  test("replicates each interim bucket into the target's bucket of the same class, with the target's key", () => {
    const [personal] = withText(interim, 'AWS::S3::Bucket', `"BucketName":"${PERSONAL}"`);
    const rules = (personal as { Properties: { ReplicationConfiguration: { Rules: unknown[] } } }).Properties
      .ReplicationConfiguration.Rules;
    expect(rules).toEqual([
      expect.objectContaining({
        Id: 'to-dublin-1',
        Status: 'Enabled',
        DeleteMarkerReplication: { Status: 'Enabled' },
        Destination: {
          Bucket: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${TARGET_PERSONAL}`]] },
          Account: '111111111111',
          AccessControlTranslation: { Owner: 'Destination' },
          EncryptionConfiguration: {
            ReplicaKmsKeyID: {
              'Fn::Join': [
                '',
                [
                  'arn:',
                  { Ref: 'AWS::Partition' },
                  ':kms:eu-west-1:111111111111:alias/clover/dublin-1/personal',
                ],
              ],
            },
          },
        },
      }),
    ]);
  });

  test('the target admits only the interim replication role, for replica writes', () => {
    const policies = withText(target, 'AWS::S3::BucketPolicy', 'ReplicationFromInterimUsObjects');
    expect(policies.length).toBeGreaterThanOrEqual(2);
    const grants = statementsOf(policies[0]).filter((s) =>
      String(s.Sid).startsWith('ReplicationFromInterimUs'),
    );
    expect(grants.flatMap((s) => s.Action).sort()).toEqual([
      's3:GetBucketVersioning',
      's3:ObjectOwnerOverrideToBucketOwner',
      's3:PutBucketVersioning',
      's3:ReplicateDelete',
      's3:ReplicateObject',
      's3:ReplicateTags',
    ]);
    for (const grant of grants)
      expect(JSON.stringify(grant.Condition)).toContain(
        ':iam::555555555555:role/clover-interim-us-s3-replication',
      );
  });

  test('inventories every source and receiving bucket daily, in CSV, with the fields the verifier compares', () => {
    for (const template of [interim, target]) {
      const inventoried = withText(template, 'AWS::S3::Bucket', '"InventoryConfigurations"');
      expect(inventoried).toHaveLength(2);
      for (const bucket of inventoried) {
        expect(bucket).toMatchObject({
          Properties: {
            InventoryConfigurations: [
              expect.objectContaining({
                Id: 'migration',
                Enabled: true,
                ScheduleFrequency: 'Daily',
                IncludedObjectVersions: 'Current',
                OptionalFields: ['Size', 'ETag', 'IsMultipartUploaded', 'EncryptionStatus'],
                Destination: expect.objectContaining({ Format: 'CSV', Prefix: 'inventory' }),
              }),
            ],
          },
        });
      }
    }
  });

  test("pushes the interim inventories and table exports into the target's migration bucket", () => {
    const [reports] = withText(interim, 'AWS::S3::Bucket', '-migration"');
    expect(JSON.stringify(reports)).toContain(`${TARGET_MIGRATION}`);
    expect(reports).toMatchObject({
      Properties: {
        ReplicationConfiguration: { Rules: [expect.objectContaining({ Filter: { Prefix: 'inventory/' } })] },
      },
    });
    interim.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ kind: 'incremental' }) })],
    });
    interim.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'clover-interim-us-table-exporter',
      Environment: {
        Variables: Match.objectLike({
          CLOVER_EXPORT_BUCKET: TARGET_MIGRATION,
          CLOVER_EXPORT_BUCKET_OWNER: '111111111111',
        }),
      },
    });
    const [exports] = withText(target, 'AWS::S3::BucketPolicy', 'ExportsFromInterimUs');
    const statement = statementsOf(exports).find((s) => s.Sid === 'ExportsFromInterimUs')!;
    expect(statement.Effect).toBe('Allow');
    expect([...statement.Action].sort()).toEqual([
      's3:AbortMultipartUpload',
      's3:PutObject',
      's3:PutObjectAcl',
    ]);
    expect(JSON.stringify(statement)).toContain(':iam::555555555555:role/clover-interim-us-table-exporter');
  });

  test('the target verifies every day, alarms on Missing and Mismatched, and the archive admits its evidence', () => {
    target.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(1 day)' });
    for (const metric of ['Missing', 'Mismatched']) {
      target.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `clover-interim-us-migration-${metric.toLowerCase()}`,
        MetricName: metric,
        Namespace: 'Clover/Migration',
        Dimensions: [{ Name: 'Enclave', Value: 'interim-us' }],
        EvaluationPeriods: 3,
      });
    }
    const archive = Template.fromStack(built.monitoringStage.monitoring);
    const policy = JSON.stringify(archive.findResources('AWS::S3::BucketPolicy'));
    expect(policy).toContain('role/clover-dublin-1-migration-verifier');
    expect(policy).toContain('archive/dublin-1/migration/*');
  });

  test('no European template names the interim Region', () => {
    for (const name of ['dublin-1', 'dublin-2', 'hamar']) {
      for (const stack of stage(built, name).stacks) {
        expect(JSON.stringify(Template.fromStack(stack).toJSON())).not.toContain('us-east-1');
      }
    }
  });
});

describe('interim enclave in cutover', () => {
  const built = buildTestApp({
    config: 'examples/interim-us-cutover.json',
    migrationEvidence: 'examples/interim-us-evidence',
  });
  const interim = Template.fromStack(stage(built, 'interim-us').data);

  test('its buckets and table refuse every write, whoever asks', () => {
    const policies = withText(interim, 'AWS::S3::BucketPolicy', 'ReadOnlyAfterCutover');
    expect(policies).toHaveLength(2);
    for (const policy of policies) {
      const deny = statementsOf(policy).find((s) => s.Sid === 'ReadOnlyAfterCutover')!;
      expect(deny).toMatchObject({ Effect: 'Deny', Principal: { AWS: '*' } });
      expect(deny.Action).toEqual(
        expect.arrayContaining(['s3:PutObject', 's3:DeleteObject', 's3:DeleteObjectVersion']),
      );
      expect(deny.Condition).toBeUndefined();
    }
    interim.hasResourceProperties('AWS::DynamoDB::Table', {
      TableName: 'clover-interim-us-records',
      ResourcePolicy: {
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Principal: { AWS: '*' },
              Action: Match.arrayWith(['dynamodb:BatchWriteItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem']),
            }),
          ],
        },
      },
    });
  });

  test('records the evidence it was given in the templates, and one-missing alarms at once', () => {
    const metadata = Template.fromStack(stage(built, 'interim-us').data).toJSON().Metadata['Clover::Enclave'];
    expect(metadata.interim.phase).toBe('cutover');
    expect(metadata.interim.evidence.map((e: { verdict: string }) => e.verdict)).toEqual([
      'complete',
      'complete',
      'complete',
    ]);
    Template.fromStack(stage(built, 'dublin-1').data).hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'clover-interim-us-migration-missing',
      EvaluationPeriods: 1,
    });
  });
});

describe('interim enclave decommissioned', () => {
  const built = buildTestApp({ config: 'examples/interim-us-decommissioned.json' });
  const interim = stage(built, 'interim-us');

  test('shrinks to the stacks that empty its stores and tell the monitor', () => {
    expect(interim.stacks.map((stack) => stack.node.id)).toEqual(['Data', 'Logging']);
    const data = Template.fromStack(interim.data);
    expect(withText(data, 'AWS::S3::Bucket', 'DecommissionExpireEverything')).toHaveLength(2);
    data.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: PERSONAL,
      LifecycleConfiguration: {
        Rules: Match.arrayWith([
          Match.objectLike({
            Id: 'DecommissionExpireEverything',
            ExpirationInDays: 1,
            NoncurrentVersionExpiration: { NoncurrentDays: 1 },
          }),
        ]),
      },
    });
    data.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    expect(
      data.findResources('AWS::S3::Bucket', { Properties: { ReplicationConfiguration: Match.anyValue() } }),
    ).toEqual({});
  });

  test('puts its phase on the default bus, which forwards it to the security bus', () => {
    const logging = Template.fromStack(interim.logging);
    const [notice] = Object.values(logging.findResources('Custom::AWS'));
    expect(JSON.stringify(notice)).toMatch(/phase\W+decommissioned/);
    logging.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: ['clover.migration'], 'detail-type': ['Clover Interim Enclave Phase'] },
    });
  });
});
