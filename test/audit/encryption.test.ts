import {
  DATA_STORE_TYPES,
  encryptionInventory,
  encryptionProblem,
  keyRotation,
  storesOf,
  tlsOnlyCoverage,
} from '../../lib/audit/encryption';
import { fixture, MutableTemplate, variant } from '../fixtures/encryption';
import { indexOf } from '../helpers/nag';

const BASE = 'encryption/compliant-stores.json';

/** The single inventory entry of a resource in a template. */
function entryOf(template: MutableTemplate, logicalId: string, options = {}) {
  const entries = storesOf(indexOf(template, options), logicalId);
  expect(entries).toHaveLength(1);
  return entries[0];
}

describe('encryptionInventory', () => {
  test('lists every data store of the compliant base on the stack key, single-Region and rotating', () => {
    const index = indexOf(fixture(BASE));
    const inventory = encryptionInventory(index);
    expect(inventory.map((entry) => entry.logicalId)).toEqual([
      'Bucket',
      'Table',
      'GlobalTable',
      'Queue',
      'Topic',
      'Stream',
      'DeliveryStream',
      'Volume',
      'Instance',
      'LaunchTemplate',
      'FileSystem',
      'Database',
      'Cluster',
      'LogGroup',
    ]);
    for (const entry of inventory) {
      expect(entry).toMatchObject({
        keyKind: 'customer-managed',
        keyRef: 'Key',
        keyRegion: 'eu-west-1',
        rotation: true,
        multiRegion: false,
      });
      expect(encryptionProblem(entry, index)).toBeUndefined();
    }
  });
  test('covers every service the issue names', () => {
    expect(DATA_STORE_TYPES).toEqual(
      expect.arrayContaining([
        'AWS::S3::Bucket',
        'AWS::DynamoDB::Table',
        'AWS::DynamoDB::GlobalTable',
        'AWS::SQS::Queue',
        'AWS::SNS::Topic',
        'AWS::EC2::Volume',
        'AWS::EC2::LaunchTemplate',
        'AWS::EC2::Instance',
        'AWS::EFS::FileSystem',
        'AWS::RDS::DBInstance',
        'AWS::RDS::DBCluster',
        'AWS::Logs::LogGroup',
        'AWS::Kinesis::Stream',
        'AWS::KinesisFirehose::DeliveryStream',
      ]),
    );
  });
  test('is cached per index', () => {
    const index = indexOf(fixture(BASE));
    expect(storesOf(index, 'Bucket')).toBe(storesOf(index, 'Bucket'));
    expect(storesOf(indexOf(fixture(BASE)), 'Bucket')).not.toBe(storesOf(index, 'Bucket'));
  });
  test('leaves Aurora instances to their cluster', () => {
    expect(storesOf(indexOf(fixture(BASE)), 'ClusterInstance')).toEqual([]);
  });
});

describe('key kinds', () => {
  test.each<[string, unknown, string]>([
    ['AES256', { SSEAlgorithm: 'AES256' }, 'sse-s3'],
    ['aws:kms without a key', { SSEAlgorithm: 'aws:kms' }, 'aws-managed'],
    ['alias/aws/s3', { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' }, 'aws-managed'],
    [
      'a CMK alias ARN',
      { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'arn:aws:kms:eu-west-1:111111111111:alias/other' },
      'customer-managed',
    ],
    [
      'aws:kms:dsse with the stack key',
      { SSEAlgorithm: 'aws:kms:dsse', KMSMasterKeyID: { Ref: 'Key' } },
      'customer-managed',
    ],
  ])('an S3 bucket with %s is %s', (_name, byDefault, kind) => {
    const t = variant(BASE, (t) => {
      t.Resources.Bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault =
        byDefault;
    });
    expect(entryOf(t, 'Bucket').keyKind).toBe(kind);
  });
  test('a bucket without BucketEncryption gets S3’s default SSE-S3, said so', () => {
    const entry = entryOf(
      variant(BASE, (t) => delete t.Resources.Bucket.Properties.BucketEncryption),
      'Bucket',
    );
    expect(entry).toMatchObject({ keyKind: 'sse-s3', setting: expect.stringMatching(/default SSE-S3/) });
  });
  test.each<[string, Record<string, unknown> | undefined, string]>([
    ['absent', undefined, 'aws-owned'],
    ['SSEEnabled "false" (string form)', { SSEEnabled: 'false' }, 'aws-owned'],
    ['SSEEnabled "true" without a key', { SSEEnabled: 'true' }, 'aws-managed'],
    [
      'SSEEnabled true with the key',
      { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { Ref: 'Key' } },
      'customer-managed',
    ],
  ])('a DynamoDB table with SSESpecification %s is %s', (_name, sse, kind) => {
    const t = variant(BASE, (t) => (t.Resources.Table.Properties.SSESpecification = sse));
    expect(entryOf(t, 'Table').keyKind).toBe(kind);
  });
  test.each<[string, Record<string, unknown>, string]>([
    ['no setting (SSE-SQS default)', {}, 'aws-owned'],
    ['SqsManagedSseEnabled "true"', { SqsManagedSseEnabled: 'true' }, 'aws-owned'],
    ['SqsManagedSseEnabled "false"', { SqsManagedSseEnabled: 'false' }, 'none'],
    ['alias/aws/sqs', { KmsMasterKeyId: 'alias/aws/sqs' }, 'aws-managed'],
  ])('an SQS queue with %s is %s', (_name, properties, kind) => {
    const t = variant(BASE, (t) => (t.Resources.Queue.Properties = properties));
    expect(entryOf(t, 'Queue').keyKind).toBe(kind);
  });
  test.each<[string, Record<string, unknown>, string]>([
    ['Encrypted "false"', { Encrypted: 'false' }, 'none'],
    ['Encrypted "true" without a key', { Encrypted: 'true' }, 'aws-managed'],
    [
      'Encrypted "true" with the key',
      { Encrypted: 'true', KmsKeyId: { 'Fn::GetAtt': ['Key', 'Arn'] } },
      'customer-managed',
    ],
  ])('an EBS volume with %s is %s', (_name, properties, kind) => {
    const t = variant(
      BASE,
      (t) => (t.Resources.Volume.Properties = { AvailabilityZone: 'eu-west-1a', Size: 1, ...properties }),
    );
    expect(entryOf(t, 'Volume').keyKind).toBe(kind);
  });
  test('Aurora Serverless v1 clusters count as encrypted even without StorageEncrypted', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Cluster.Properties = { Engine: 'aurora-mysql', EngineMode: 'serverless' };
    });
    expect(entryOf(t, 'Cluster').keyKind).toBe('aws-managed');
  });
  test('an instance launched from a launch template is judged on the template', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Instance.Properties = {
        LaunchTemplate: { LaunchTemplateId: { Ref: 'LaunchTemplate' }, Version: '1' },
      };
    });
    expect(storesOf(indexOf(t), 'Instance')).toEqual([]);
  });
  test('block device mappings without EBS (instance store) are skipped', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Instance.Properties.BlockDeviceMappings.push({
        DeviceName: '/dev/sdb',
        VirtualName: 'ephemeral0',
      });
    });
    expect(storesOf(indexOf(t), 'Instance').map((e) => e.component)).toEqual([
      'BlockDeviceMappings[0] (/dev/xvda)',
    ]);
  });
});

describe('key resolution', () => {
  test('follows a Ref to an alias resource to its target key', () => {
    expect(entryOf(fixture(BASE), 'GlobalTable')).toMatchObject({
      keyRef: 'Key',
      component: 'Replicas[0] (eu-west-1)',
    });
  });
  test('follows a literal alias name to the alias resource of the template', () => {
    expect(entryOf(fixture(BASE), 'Topic')).toMatchObject({ keyKind: 'customer-managed', keyRef: 'Key' });
  });
  test('reads region and account from a literal key ARN', () => {
    const t = variant(
      BASE,
      (t) => (t.Resources.LogGroup.Properties.KmsKeyId = 'arn:aws:kms:eu-north-1:222222222222:key/abcd'),
    );
    const index = indexOf(t);
    const [entry] = storesOf(index, 'LogGroup');
    expect(entry).toMatchObject({
      keyArn: 'arn:aws:kms:eu-north-1:222222222222:key/abcd',
      keyRegion: 'eu-north-1',
      keyAccount: '222222222222',
    });
    expect(entry.keyRef).toBeUndefined();
    expect(encryptionProblem(entry, index)).toMatch(/key is in eu-north-1 but the data is in eu-west-1/);
  });
  test('marks an mrk- key as multi-Region', () => {
    const t = variant(
      BASE,
      (t) => (t.Resources.Queue.Properties.KmsMasterKeyId = 'mrk-1234abcd12ab34cd56ef1234567890ab'),
    );
    expect(entryOf(t, 'Queue')).toMatchObject({ keyKind: 'customer-managed', multiRegion: true });
  });
  test('reports the rotation and multi-Region flags of the template key, string forms included', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Key.Properties.EnableKeyRotation = 'false';
      t.Resources.Key.Properties.MultiRegion = 'true';
    });
    expect(entryOf(t, 'Queue')).toMatchObject({ keyRef: 'Key', rotation: false, multiRegion: true });
  });
  test('gives a global table replica in another region that region, and a literal key ARN there', () => {
    const t = variant(BASE, (t) => {
      t.Resources.GlobalTable.Properties.Replicas.push({
        Region: 'eu-north-1',
        SSESpecification: { KMSMasterKeyId: 'arn:aws:kms:eu-north-1:111111111111:key/nordic' },
      });
    });
    const index = indexOf(t);
    const replicas = storesOf(index, 'GlobalTable');
    expect(replicas[1]).toMatchObject({
      region: 'eu-north-1',
      keyRegion: 'eu-north-1',
      component: 'Replicas[1] (eu-north-1)',
    });
    expect(replicas.map((entry) => encryptionProblem(entry, index))).toEqual([undefined, undefined]);
  });
  test('renders the global table replica region Ref AWS::Region as the stack region', () => {
    const t = variant(
      BASE,
      (t) => (t.Resources.GlobalTable.Properties.Replicas[0].Region = { Ref: 'AWS::Region' }),
    );
    expect(entryOf(t, 'GlobalTable', { region: 'eu-north-1' }).region).toBe('eu-north-1');
  });
  test('keeps a key it cannot follow as customer-managed and says how it is written', () => {
    const t = variant(
      BASE,
      (t) => (t.Resources.Queue.Properties.KmsMasterKeyId = { 'Fn::ImportValue': 'SharedKeyArn' }),
    );
    expect(entryOf(t, 'Queue')).toMatchObject({
      keyKind: 'customer-managed',
      unresolved: '{"Fn::ImportValue":"SharedKeyArn"}',
    });
  });
  test('reads a key ARN given as a parameter default', () => {
    const t = variant(BASE, (t) => {
      (t as { Parameters?: unknown }).Parameters = {
        KeyArn: { Type: 'String', Default: 'arn:aws:kms:eu-west-1:111111111111:alias/aws/sqs' },
      };
      t.Resources.Queue.Properties.KmsMasterKeyId = { Ref: 'KeyArn' };
    });
    expect(entryOf(t, 'Queue').keyKind).toBe('aws-managed');
  });
});

describe('keyRotation', () => {
  const key = (properties: Record<string, unknown>) =>
    indexOf({ Resources: { Key: { Type: 'AWS::KMS::Key', Properties: properties } } }).get('Key')!;
  test.each<[Record<string, unknown>, string]>([
    [{ EnableKeyRotation: true }, 'on'],
    [{ EnableKeyRotation: 'true' }, 'on'],
    [{ EnableKeyRotation: 'false' }, 'off'],
    [{}, 'off'],
    [{ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, 'unsupported'],
    [{ Origin: 'EXTERNAL' }, 'unsupported'],
  ])('%j is %s', (properties, state) => {
    expect(keyRotation(key(properties)).state).toBe(state);
  });
  test('says how an off key is written', () => {
    expect(keyRotation(key({ EnableKeyRotation: 'false' }))).toEqual({
      state: 'off',
      written: 'EnableKeyRotation is "false"',
    });
  });
});

describe('tlsOnlyCoverage', () => {
  test('finds the policy by Ref and sees bucket and objects covered', () => {
    expect(tlsOnlyCoverage(indexOf(fixture(BASE)), 'Bucket')).toEqual({
      bucket: true,
      objects: true,
      policies: ['BucketPolicy'],
    });
  });
  test('adds up coverage from two statements', () => {
    const t = variant(BASE, (t) => {
      const [statement] = t.Resources.BucketPolicy.Properties.PolicyDocument.Statement;
      t.Resources.BucketPolicy.Properties.PolicyDocument.Statement = [
        { ...statement, Resource: { 'Fn::GetAtt': ['Bucket', 'Arn'] } },
        { ...statement, Resource: { 'Fn::Sub': '${Bucket.Arn}/*' } },
      ];
    });
    expect(tlsOnlyCoverage(indexOf(t), 'Bucket')).toMatchObject({ bucket: true, objects: true });
  });
  test('does not count a policy on another bucket', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Other = { Type: 'AWS::S3::Bucket', Properties: {} };
      t.Resources.BucketPolicy.Properties.Bucket = { Ref: 'Other' };
    });
    expect(tlsOnlyCoverage(indexOf(t), 'Bucket')).toEqual({ bucket: false, objects: false, policies: [] });
  });
  test('does not count a wildcard on a bucket-name prefix it cannot prove', () => {
    const t = variant(BASE, (t) => {
      t.Resources.BucketPolicy.Properties.PolicyDocument.Statement[0].Resource = [
        'arn:aws:s3:::clover-*',
        'arn:aws:s3:::clover-*/*',
      ];
    });
    expect(tlsOnlyCoverage(indexOf(t), 'Bucket')).toMatchObject({ bucket: false, objects: false });
  });
});
