import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DataVault, DataVaultProps } from '../../../lib/constructs/data-vault/data-vault';
import { designDecisionsMarkedOn } from '../../../lib/constructs/design-decision';
import {
  dataBucketName,
  dataBucketNameProblem,
  dataKeyAliasName,
  replicationRoleName,
} from '../../../lib/constructs/data-vault/naming';

const DUBLIN_2 = { enclave: 'dublin-2', account: '222222222222', region: 'eu-west-1' };
const DUBLIN_1 = { enclave: 'dublin-1', account: '111111111111', region: 'eu-west-1' };

function vaultTemplate(
  props: Partial<DataVaultProps> = {},
  env = { account: '111111111111', region: 'eu-west-1' },
) {
  const app = new App();
  const stack = new Stack(app, 'Vault', { env });
  const vault = new DataVault(stack, 'Vault', {
    enclave: 'dublin-1',
    dataClasses: ['personal', 'telemetry'],
    ...props,
  });
  return { vault, stack, template: Template.fromStack(stack) };
}

/** The key policy statements of the key whose alias is `alias`. */
function keyStatements(template: Template, alias: string): Array<Record<string, unknown>> {
  const aliases = template.findResources('AWS::KMS::Alias', { Properties: { AliasName: alias } });
  const keyId = (Object.values(aliases)[0].Properties.TargetKeyId as { 'Fn::GetAtt': string[] })[
    'Fn::GetAtt'
  ][0];
  return template.toJSON().Resources[keyId].Properties.KeyPolicy.Statement;
}

describe('naming', () => {
  test('builds the deterministic names that replication relies on', () => {
    expect(dataKeyAliasName('dublin-2', 'personal')).toBe('alias/clover/dublin-2/personal');
    expect(dataBucketName('dublin-2', 'personal', '222222222222', 'eu-west-1')).toBe(
      'clover-dublin-2-personal-222222222222-eu-west-1',
    );
    expect(replicationRoleName('dublin-1')).toBe('clover-dublin-1-s3-replication');
  });

  test('reports a bucket name longer than S3 allows, and accepts the default ones', () => {
    expect(dataBucketNameProblem('dublin-1', 'personal', '111111111111', 'eu-west-1')).toBeUndefined();
    expect(
      dataBucketNameProblem(
        'a-very-long-enclave-name-of-thirty',
        'telemetry',
        '111111111111',
        'eusc-de-east-1',
      ),
    ).toMatch(/of 79 characters; S3 allows at most 63/);
  });
});

describe('DataVault keys', () => {
  const { template } = vaultTemplate();

  test('creates one single-Region, rotating, retained key per data class with its alias', () => {
    template.resourceCountIs('AWS::KMS::Key', 2);
    template.allResources('AWS::KMS::Key', {
      Properties: Match.objectLike({ EnableKeyRotation: true, MultiRegion: false }),
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/clover/dublin-1/personal' });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/clover/dublin-1/telemetry' });
  });

  test('keeps key administration for the account root, without kms:CreateGrant or cryptographic use', () => {
    const admin = keyStatements(template, 'alias/clover/dublin-1/personal').find(
      (s) => s.Sid === 'KeyAdministration',
    )!;
    expect(admin.Effect).toBe('Allow');
    expect(admin.Action).toEqual(
      expect.arrayContaining(['kms:PutKeyPolicy', 'kms:DescribeKey', 'kms:EnableKey']),
    );
    expect(admin.Action).not.toEqual(expect.arrayContaining(['kms:CreateGrant']));
    expect(admin.Action).not.toEqual(expect.arrayContaining(['kms:Decrypt']));
    expect(admin.Action).not.toContain('kms:*');
  });

  test('allows use only by the enclave account through the enclave services in its region', () => {
    const use = keyStatements(template, 'alias/clover/dublin-1/personal').find(
      (s) => s.Sid === 'UseOnlyViaEnclaveServices',
    )!;
    const viaService = (service: string) => ({
      'Fn::Join': ['', [`${service}.eu-west-1.`, { Ref: 'AWS::URLSuffix' }]],
    });
    expect(use.Condition).toEqual({
      StringEquals: {
        'kms:CallerAccount': '111111111111',
        'kms:ViaService': ['s3', 'dynamodb', 'sqs', 'sns'].map(viaService),
      },
    });
    expect(use.Action).toEqual(expect.arrayContaining(['kms:Decrypt', 'kms:GenerateDataKey*']));
  });

  test('allows grants only for AWS resources of the enclave services', () => {
    const grants = keyStatements(template, 'alias/clover/dublin-1/personal').find(
      (s) => s.Sid === 'GrantsOnlyForEnclaveResources',
    )!;
    expect(grants.Action).toBe('kms:CreateGrant');
    expect(grants.Condition).toMatchObject({ Bool: { 'kms:GrantIsForAWSResource': 'true' } });
  });

  test('denies disabling and deleting the key to everyone but the break-glass role, matched by ARN', () => {
    const deny = keyStatements(template, 'alias/clover/dublin-1/telemetry').find(
      (s) => s.Sid === 'OnlyBreakGlassDisablesOrDeletes',
    )!;
    expect(deny).toMatchObject({
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: ['kms:ScheduleKeyDeletion', 'kms:DisableKey'],
      Condition: {
        ArnNotEquals: {
          'aws:PrincipalArn': {
            'Fn::Join': [
              '',
              ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/clover-dublin-1-break-glass'],
            ],
          },
        },
      },
    });
  });
});

describe('DataVault stores', () => {
  const { template, vault } = vaultTemplate();

  test('names the data buckets deterministically and encrypts them with their class key and bucket keys', () => {
    const buckets = template.findResources('AWS::S3::Bucket', {
      Properties: { BucketName: 'clover-dublin-1-personal-111111111111-eu-west-1' },
    });
    const bucket = Object.values(buckets)[0];
    const encryption = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0];
    expect(encryption.BucketKeyEnabled).toBe(true);
    expect(encryption.ServerSideEncryptionByDefault.SSEAlgorithm).toBe('aws:kms');
    const keyId = encryption.ServerSideEncryptionByDefault.KMSMasterKeyID['Fn::GetAtt'][0];
    expect(keyId).toBe(Stack.of(vault).resolve(vault.keys.personal.keyArn)['Fn::GetAtt'][0]);
    expect(bucket.DeletionPolicy).toBe('Retain');
  });

  test('versions the data buckets, blocks public access, enforces bucket-owner ownership and logs access', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'clover-dublin-1-telemetry-111111111111-eu-west-1',
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      LoggingConfiguration: {
        DestinationBucketName: { Ref: Match.stringLikeRegexp('VaultAccessLogs') },
        LogFilePrefix: 'telemetry/',
      },
    });
  });

  test('denies non-TLS and TLS below 1.2 on every bucket', () => {
    const policies = template.findResources('AWS::S3::BucketPolicy');
    expect(Object.keys(policies)).toHaveLength(3);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          expect.objectContaining({
            Effect: 'Deny',
            Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
          }),
        ]),
      );
    }
  });

  test('lets only S3 log delivery for the vault buckets of this account write into the access-log bucket', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ServerAccessLogDelivery',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Action: 's3:PutObject',
            Condition: {
              StringEquals: { 'aws:SourceAccount': '111111111111' },
              ArnLike: {
                'aws:SourceArn': Match.arrayWith([
                  { 'Fn::GetAtt': [Match.stringLikeRegexp('VaultBucketspersonal'), 'Arn'] },
                ]),
              },
            },
          }),
        ]),
      },
    });
  });

  test('encrypts the access-log bucket with SSE-S3, the only encryption S3 log delivery supports, and records why', () => {
    const logs =
      template.toJSON().Resources[
        Stack.of(vault).getLogicalId(vault.accessLogsBucket.node.defaultChild as never)
      ];
    expect(
      logs.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault,
    ).toEqual({
      SSEAlgorithm: 'AES256',
    });
    // The why is a design decision of the register, applied by the stacks; the construct only marks it.
    expect(designDecisionsMarkedOn(vault.accessLogsBucket)).toEqual(['ACCESS_LOG_BUCKET']);
  });

  test('keeps records in a retained table with the primary class key and point-in-time recovery', () => {
    template.hasResource('AWS::DynamoDB::Table', {
      Properties: Match.objectLike({
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Keyspersonal'), 'Arn'] },
        },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
      }),
      DeletionPolicy: 'Retain',
    });
  });

  test('encrypts the work queue, its dead-letter queue and the topics with the primary class key, TLS only', () => {
    template.resourceCountIs('AWS::SQS::Queue', 2);
    template.allResourcesProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Keyspersonal'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('WorkDeadLetterQueue'), 'Arn'] },
        maxReceiveCount: 5,
      },
    });
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Keyspersonal'), 'Arn'] },
    });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      2,
    );
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  test('creates no replication role when the enclave does not replicate', () => {
    expect(vault.replicationRole).toBeUndefined();
    template.resourceCountIs('AWS::IAM::Role', 0);
  });
});

describe('DataVault options', () => {
  test('turns on Object Lock with a default retention when asked', () => {
    const { template } = vaultTemplate({ objectLock: { mode: 'COMPLIANCE', days: 30 } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'clover-dublin-1-personal-111111111111-eu-west-1',
      ObjectLockEnabled: true,
      ObjectLockConfiguration: {
        ObjectLockEnabled: 'Enabled',
        Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 30 } },
      },
    });
  });

  test('encrypts the table with the chosen primary class', () => {
    const { template } = vaultTemplate({ primaryDataClass: 'telemetry' });
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: {
        KMSMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Keystelemetry'), 'Arn'] },
      },
    });
  });

  test('rejects inconsistent props, listing every problem', () => {
    expect(() =>
      vaultTemplate({
        dataClasses: ['personal', 'personal'],
        primaryDataClass: 'health',
        outgoingReplication: [{ dataClass: 'logs', destination: DUBLIN_2 }],
        objectLock: { mode: 'GOVERNANCE', days: 0 },
      }),
    ).toThrow(
      /Invalid DataVault at Vault\/Vault:\n {2}- dataClasses \["personal","personal"\] lists a class twice\n {2}- primaryDataClass "health" is not one of dataClasses.*\n {2}- replication of data class "logs" names no data class.*\n {2}- objectLock.days 0 must be a whole number of days, at least 1/,
    );
  });
});

describe('DataVault replication', () => {
  test('replicates a class to the destination enclave bucket, re-encrypting with the destination key alias', () => {
    const { template } = vaultTemplate({
      outgoingReplication: [{ dataClass: 'personal', destination: DUBLIN_2 }],
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: 'clover-dublin-1-personal-111111111111-eu-west-1',
      ReplicationConfiguration: {
        Role: { 'Fn::GetAtt': [Match.stringLikeRegexp('ReplicationRole'), 'Arn'] },
        Rules: [
          {
            Id: 'to-dublin-2',
            Status: 'Enabled',
            Priority: 0,
            Filter: { Prefix: '' },
            DeleteMarkerReplication: { Status: 'Enabled' },
            SourceSelectionCriteria: { SseKmsEncryptedObjects: { Status: 'Enabled' } },
            Destination: {
              Bucket: {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':s3:::clover-dublin-2-personal-222222222222-eu-west-1',
                  ],
                ],
              },
              Account: '222222222222',
              AccessControlTranslation: { Owner: 'Destination' },
              EncryptionConfiguration: {
                ReplicaKmsKeyID: {
                  'Fn::Join': [
                    '',
                    [
                      'arn:',
                      { Ref: 'AWS::Partition' },
                      ':kms:eu-west-1:222222222222:alias/clover/dublin-2/personal',
                    ],
                  ],
                },
              },
            },
          },
        ],
      },
    });
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'clover-dublin-1-s3-replication' });
    // Telemetry is not replicated.
    const telemetry = template.findResources('AWS::S3::Bucket', {
      Properties: { BucketName: 'clover-dublin-1-telemetry-111111111111-eu-west-1' },
    });
    expect(Object.values(telemetry)[0].Properties.ReplicationConfiguration).toBeUndefined();
  });

  test('lets the replication role use the destination key only via S3 in the destination region', () => {
    const { template } = vaultTemplate({
      outgoingReplication: [
        {
          dataClass: 'personal',
          destination: { enclave: 'hamar', account: '333333333333', region: 'eu-north-1' },
        },
      ],
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Effect: 'Allow',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Resource: {
              'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':kms:eu-north-1:333333333333:key/*']],
            },
            Condition: {
              StringEquals: {
                'kms:ViaService': { 'Fn::Join': ['', ['s3.eu-north-1.', { Ref: 'AWS::URLSuffix' }]] },
              },
            },
          },
        ]),
      },
    });
  });

  test('admits the source replication role into the destination bucket and key, by ARN condition', () => {
    const { template } = vaultTemplate(
      { enclave: 'dublin-2', incomingReplication: [{ dataClass: 'personal', source: DUBLIN_1 }] },
      {
        account: '222222222222',
        region: 'eu-west-1',
      },
    );
    const fromRole = {
      ArnEquals: {
        'aws:PrincipalArn': {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:role/clover-dublin-1-s3-replication'],
          ],
        },
      },
    };
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReplicationFromDublin1Objects',
            Effect: 'Allow',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] },
            },
            Action: [
              's3:ReplicateObject',
              's3:ReplicateDelete',
              's3:ReplicateTags',
              's3:ObjectOwnerOverrideToBucketOwner',
            ],
            Condition: fromRole,
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ReplicationFromDublin1',
            Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
            Condition: {
              ...fromRole,
              StringEquals: {
                'kms:ViaService': { 'Fn::Join': ['', ['s3.eu-west-1.', { Ref: 'AWS::URLSuffix' }]] },
              },
            },
          }),
        ]),
      },
    });
  });
});
