import { CfnTemplate, ENCLAVE_METADATA_KEY } from '../../../../lib/audit/template';
import { ruleIds, validateTemplate } from '../../../helpers/nag';

const resources = (Resources: CfnTemplate['Resources'], extra: Partial<CfnTemplate> = {}): CfnTemplate => ({
  Resources,
  ...extra,
});
const bucket = (Properties: Record<string, unknown> = {}) =>
  resources({ Data: { Type: 'AWS::S3::Bucket', Properties } });
const findingsOf = (template: CfnTemplate, region = 'eu-west-1', today = '2026-11-23') =>
  validateTemplate(template, { region, today }).findings;
const messagesFor = (rule: string, template: CfnTemplate, region?: string) =>
  findingsOf(template, region)
    .filter((f) => f.rule === rule)
    .map((f) => f.message);

const interimMetadata = (sunset: string) => ({
  Metadata: {
    [ENCLAVE_METADATA_KEY]: {
      name: 'interim-us',
      role: 'enclave',
      interim: { sunset, migrateTo: 'dublin-1' },
    },
  },
});

describe('CLV-RES-1 stack region', () => {
  test('accepts a stack in an EU region', () => {
    expect(ruleIds(findingsOf(bucket()))).not.toContain('CLV-RES-1');
  });

  test('rejects a stack in us-east-1, reporting it through cdk-nag with the pack prefix', () => {
    const { findings, report } = validateTemplate(bucket(), { region: 'us-east-1' });
    expect(findings.find((f) => f.rule === 'CLV-RES-1')?.message).toMatch(
      /us-east-1 \(outside Europe \(N\. Virginia, US\)\) is outside the allowed jurisdictions/,
    );
    expect(report.violations.map((v) => v.ruleName)).toContain('CloverChecks-CLV-RES-1');
    expect(report.success).toBe(false);
  });

  test('reports a stack-level finding once, not once per resource', () => {
    const two = resources({ A: { Type: 'AWS::SQS::Queue' }, B: { Type: 'AWS::SQS::Queue' } });
    expect(messagesFor('CLV-RES-1', two, 'us-east-1')).toHaveLength(1);
  });

  test('rejects London unless UK is allowed', () => {
    expect(ruleIds(findingsOf(bucket(), 'eu-west-2'))).toContain('CLV-RES-1');
    expect(
      ruleIds(
        validateTemplate(bucket(), { region: 'eu-west-2', allowJurisdictions: ['EU', 'EEA', 'UK'] }).findings,
      ),
    ).not.toContain('CLV-RES-1');
  });

  test('accepts a declared interim enclave until its sunset, and rejects it the day after', () => {
    const template = resources({ Data: { Type: 'AWS::S3::Bucket' } }, interimMetadata('2030-12-31'));
    expect(
      ruleIds(validateTemplate(template, { region: 'us-east-1', today: '2030-12-31' }).findings),
    ).not.toContain('CLV-RES-1');
    const late = validateTemplate(template, { region: 'us-east-1', today: '2031-01-01' }).findings;
    expect(late.find((f) => f.rule === 'CLV-RES-1')?.message).toMatch(
      /past its sunset 2030-12-31 \(today is 2031-01-01\); migrate it into "dublin-1"/,
    );
  });
});

describe('CLV-RES-2 literal regions in properties', () => {
  const topic = (arn: string) =>
    bucket({
      NotificationConfiguration: { TopicConfigurations: [{ Topic: arn, Event: 's3:ObjectCreated:*' }] },
    });

  test('accepts an ARN in an allowed region', () => {
    expect(ruleIds(findingsOf(topic('arn:aws:sns:eu-west-1:111111111111:t')))).not.toContain('CLV-RES-2');
  });

  test('rejects an ARN in us-east-1, naming the property', () => {
    expect(messagesFor('CLV-RES-2', topic('arn:aws:sns:us-east-1:111111111111:t'))[0]).toMatch(
      /NotificationConfiguration\.TopicConfigurations\.0\.Topic names us-east-1/,
    );
  });

  test('rejects an endpoint hostname inside Fn::Sub', () => {
    const template = resources({
      Fn: {
        Type: 'AWS::Lambda::Function',
        Properties: {
          Code: { ZipFile: 'x' },
          Role: 'arn:aws:iam::1:role/r',
          Environment: {
            Variables: { URL: { 'Fn::Sub': 'https://sqs.ap-southeast-2.${AWS::URLSuffix}/q' } },
          },
        },
      },
    });
    expect(messagesFor('CLV-RES-2', template)[0]).toMatch(/ap-southeast-2/);
  });

  test('accepts a Deny statement that names a region to forbid it', () => {
    const policy = resources({
      Scp: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Deny',
                Action: '*',
                Resource: '*',
                Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1'] } },
              },
            ],
          },
        },
      },
    });
    expect(ruleIds(findingsOf(policy))).not.toContain('CLV-RES-2');
  });

  test('lets an interim enclave name its own region but not a third one', () => {
    const template = resources(
      {
        Q: {
          Type: 'AWS::SQS::Queue',
          Properties: {
            RedriveAllowPolicy: {
              sourceQueueArns: ['arn:aws:sqs:us-east-1:5:a', 'arn:aws:sqs:us-west-2:5:b'],
            },
          },
        },
      },
      interimMetadata('2030-12-31'),
    );
    const messages = validateTemplate(template, { region: 'us-east-1' })
      .findings.filter((f) => f.rule === 'CLV-RES-2')
      .map((f) => f.message);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/us-west-2/);
  });
});

describe('CLV-RES-3 global table replicas', () => {
  const table = (regions: unknown[]) =>
    resources(
      {
        T: {
          Type: 'AWS::DynamoDB::GlobalTable',
          Properties: {
            KeySchema: [],
            AttributeDefinitions: [],
            Replicas: regions.map((Region) => ({ Region })),
          },
        },
      },
      { Parameters: { ReplicaRegion: { Type: 'String' } } },
    );

  test('accepts replicas in Dublin and Frankfurt', () => {
    expect(ruleIds(findingsOf(table(['eu-west-1', 'eu-central-1'])))).not.toContain('CLV-RES-3');
  });

  test('rejects a replica in us-west-2', () => {
    expect(messagesFor('CLV-RES-3', table(['eu-west-1', 'us-west-2']))).toEqual([
      'Replicas[1].Region is us-west-2 (outside Europe (Oregon, US))',
    ]);
    expect(messagesFor('CLV-RES-2', table(['eu-west-1', 'us-west-2']))).toEqual([]);
  });

  test('rejects a replica region that is not a literal', () => {
    expect(messagesFor('CLV-RES-3', table([{ Ref: 'ReplicaRegion' }]))[0]).toMatch(/not a literal region/);
  });
});

describe('CLV-RES-4 replication destinations', () => {
  const replicated = (destination: Record<string, unknown>) =>
    bucket({
      ReplicationConfiguration: {
        Role: 'arn:aws:iam::111111111111:role/r',
        Rules: [{ Status: 'Enabled', Destination: destination }],
      },
    });

  test('accepts a destination whose replica key is in an EU region', () => {
    const t = replicated({
      Bucket: 'arn:aws:s3:::clover-dublin-2-personal',
      EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:eu-west-1:222222222222:key/abc' },
    });
    expect(ruleIds(findingsOf(t))).not.toContain('CLV-RES-4');
  });

  test('rejects a replica key in us-east-1', () => {
    const t = replicated({
      Bucket: 'arn:aws:s3:::backup',
      EncryptionConfiguration: { ReplicaKmsKeyID: 'arn:aws:kms:us-east-1:222222222222:key/abc' },
    });
    expect(messagesFor('CLV-RES-4', t)[0]).toMatch(
      /Destination\.EncryptionConfiguration\.ReplicaKmsKeyID names us-east-1/,
    );
  });
});

describe('CLV-RES-5 multi-Region keys', () => {
  test('accepts a single-Region key', () => {
    expect(
      ruleIds(
        findingsOf(resources({ K: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } } })),
      ),
    ).not.toContain('CLV-RES-5');
  });

  test('rejects MultiRegion true, also written as a string', () => {
    expect(
      messagesFor(
        'CLV-RES-5',
        resources({ K: { Type: 'AWS::KMS::Key', Properties: { MultiRegion: true } } }),
      ),
    ).toEqual(['MultiRegion is true']);
    expect(
      messagesFor(
        'CLV-RES-5',
        resources({ K: { Type: 'AWS::KMS::Key', Properties: { MultiRegion: 'true' } } }),
      ),
    ).toEqual(['MultiRegion is true']);
  });

  test('rejects a replica key, naming a primary outside Europe', () => {
    const t = resources({
      R: {
        Type: 'AWS::KMS::ReplicaKey',
        Properties: { PrimaryKeyArn: 'arn:aws:kms:us-east-1:1:key/mrk-1', KeyPolicy: {} },
      },
    });
    expect(messagesFor('CLV-RES-5', t)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/ReplicaKey copies/),
        expect.stringMatching(/PrimaryKeyArn is in us-east-1/),
      ]),
    );
  });
});

describe('CLV-RES-6 cross-region references', () => {
  test('accepts a cross-region export to another European region', () => {
    const t = resources({
      W: {
        Type: 'Custom::CrossRegionExportWriter',
        Properties: { WriterProps: { region: 'eu-north-1', exports: {} } },
      },
    });
    expect(ruleIds(findingsOf(t))).not.toContain('CLV-RES-6');
  });

  test('rejects a cross-region export to us-east-1', () => {
    const t = resources({
      W: {
        Type: 'Custom::CrossRegionExportWriter',
        Properties: { WriterProps: { region: 'us-east-1', exports: {} } },
      },
    });
    expect(messagesFor('CLV-RES-6', t)[0]).toMatch(/WriterProps\.region references us-east-1/);
    expect(messagesFor('CLV-RES-2', t)).toEqual([]);
  });

  test('rejects a stack set deployed outside Europe', () => {
    const t = resources({
      S: {
        Type: 'AWS::CloudFormation::StackSet',
        Properties: {
          StackSetName: 's',
          PermissionModel: 'SELF_MANAGED',
          StackInstancesGroup: [
            { Regions: ['eu-west-1', 'sa-east-1'], DeploymentTargets: { Accounts: ['1'] } },
          ],
        },
      },
    });
    expect(messagesFor('CLV-RES-6', t)).toEqual([
      'StackInstancesGroup[0].Regions[1] is sa-east-1 (outside Europe (São Paulo, BR))',
    ]);
  });

  const stackSet = (regions: string[]) =>
    resources({
      S: {
        Type: 'AWS::CloudFormation::StackSet',
        Properties: {
          StackSetName: 'baseline',
          PermissionModel: 'SERVICE_MANAGED',
          AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: true },
          StackInstancesGroup: [
            { Regions: regions, DeploymentTargets: { OrganizationalUnitIds: ['ou-ab12-cdef3456'] } },
          ],
        },
      },
    });

  test('rejects a stack set whose region lies in another partition (aws cannot reach eusc-de-east-1)', () => {
    expect(messagesFor('CLV-RES-6', stackSet(['eu-west-1', 'eusc-de-east-1']))).toEqual([
      'StackInstancesGroup[0].Regions[1] is eusc-de-east-1 in partition aws-eusc, which a stack set of partition aws (eu-west-1) cannot reach',
    ]);
    // The same stack set deployed from the sovereign partition reaches only eusc-de-east-1.
    expect(messagesFor('CLV-RES-6', stackSet(['eusc-de-east-1']), 'eusc-de-east-1')).toEqual([]);
  });

  test('accepts a service-managed stack set in European regions, opt-in ones included', () => {
    expect(messagesFor('CLV-RES-6', stackSet(['eu-west-1', 'eu-south-1', 'eu-south-2']))).toEqual([]);
  });
});
