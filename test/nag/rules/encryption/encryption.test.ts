import { Finding } from '../../../../lib/audit/engine';
import { fixture, MutableTemplate, variant } from '../../../fixtures/encryption';
import { validateTemplate } from '../../../helpers/nag';

const BASE = 'encryption/compliant-stores.json';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const MANAGED_S3_ARN = {
  'Fn::Join': [
    '',
    [
      'arn:',
      { Ref: 'AWS::Partition' },
      ':kms:',
      { Ref: 'AWS::Region' },
      ':',
      { Ref: 'AWS::AccountId' },
      ':alias/aws/s3',
    ],
  ],
};

/** Findings of one rule in a template run through cdk-nag. */
function findingsOf(rule: string, template: MutableTemplate): Finding[] {
  return validateTemplate(template).findings.filter((finding) => finding.rule === rule);
}

/** `resource: message` lines of one rule, for readable failures. */
function messages(rule: string, template: MutableTemplate): string[] {
  return findingsOf(rule, template).map((finding) => `${finding.resource}: ${finding.message}`);
}

describe('the compliant base', () => {
  test('raises no encryption finding on any data store', () => {
    const { findings, report } = validateTemplate(fixture(BASE));
    expect(findings.filter((finding) => finding.rule.startsWith('CLV-ENC-'))).toEqual([]);
    expect(report.violations.filter((v) => v.ruleName.startsWith('CloverChecks-CLV-ENC-'))).toEqual([]);
  });
});

describe('CLV-ENC-1 bucket encryption', () => {
  test('accepts SSE-KMS with a literal key ARN of the same account and region', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.KMSMasterKeyID =
        KEY_ARN;
    });
    expect(messages('CLV-ENC-1', t)).toEqual([]);
  });
  test.each([
    ['SSE-S3 (AES256)', { SSEAlgorithm: 'AES256' }, /AES256 \(SSE-S3\)/],
    [
      'aws:kms without a key (alias/aws/s3)',
      { SSEAlgorithm: 'aws:kms' },
      /without KMSMasterKeyID.*AWS-managed/,
    ],
    [
      'the literal alias alias/aws/s3',
      { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/aws/s3' },
      /AWS-managed/,
    ],
    [
      'the AWS-managed alias ARN built with Fn::Join',
      { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: MANAGED_S3_ARN },
      /AWS-managed/,
    ],
    [
      'a key of another account',
      { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN.replace('111111111111', '999999999999') },
      /account 999999999999/,
    ],
    [
      'a key of another region',
      { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: KEY_ARN.replace('eu-west-1', 'eu-central-1') },
      /key is in eu-central-1 but the data is in eu-west-1/,
    ],
  ])('rejects %s', (_name, byDefault, message) => {
    const t = variant(BASE, (t) => {
      t.Resources.Bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault =
        byDefault;
    });
    const found = findingsOf('CLV-ENC-1', t);
    expect(found.map((f) => f.resource)).toEqual(['Bucket']);
    expect(found[0].message).toMatch(message);
  });
  test('rejects a bucket without BucketEncryption (S3 default SSE-S3)', () => {
    const t = variant(BASE, (t) => delete t.Resources.Bucket.Properties.BucketEncryption);
    expect(messages('CLV-ENC-1', t)).toEqual([
      expect.stringMatching(/^Bucket: BucketEncryption is not declared.*SSE-S3/),
    ]);
  });
});

describe('CLV-ENC-2 tables and databases', () => {
  test('accepts CMK-encrypted tables and databases, and leaves Aurora instances to their cluster', () => {
    const { findings } = validateTemplate(fixture(BASE));
    expect(findings.filter((f) => f.rule === 'CLV-ENC-2')).toEqual([]);
    const t = variant(BASE, (t) => delete t.Resources.Cluster.Properties.StorageEncrypted);
    expect(findingsOf('CLV-ENC-2', t).map((f) => f.resource)).toEqual(['Cluster']);
  });
  test.each<[string, (t: MutableTemplate) => void, string, RegExp]>([
    [
      'a table without SSESpecification (AWS-owned key)',
      (t) => delete t.Resources.Table.Properties.SSESpecification,
      'Table',
      /AWS owns/,
    ],
    [
      'a table with SSEEnabled but no key (aws/dynamodb)',
      (t) => (t.Resources.Table.Properties.SSESpecification = { SSEEnabled: true }),
      'Table',
      /alias\/aws\/dynamodb.*AWS-managed/,
    ],
    [
      'a table with SSEEnabled "false" (string form)',
      (t) => (t.Resources.Table.Properties.SSESpecification.SSEEnabled = 'false'),
      'Table',
      /AWS owns/,
    ],
    [
      'a table naming alias/aws/dynamodb',
      (t) => (t.Resources.Table.Properties.SSESpecification.KMSMasterKeyId = 'alias/aws/dynamodb'),
      'Table',
      /AWS-managed/,
    ],
    [
      'a global table replica without a key',
      (t) => delete t.Resources.GlobalTable.Properties.Replicas[0].SSESpecification,
      'GlobalTable',
      /^Replicas\[0\] \(eu-west-1\): .*AWS-managed/,
    ],
    [
      'a global table without SSE',
      (t) => delete t.Resources.GlobalTable.Properties.SSESpecification,
      'GlobalTable',
      /AWS owns/,
    ],
    [
      'an RDS instance with StorageEncrypted false',
      (t) => (t.Resources.Database.Properties.StorageEncrypted = false),
      'Database',
      /StorageEncrypted is false: the data is not encrypted/,
    ],
    [
      'an RDS instance encrypted without KmsKeyId (aws/rds)',
      (t) => delete t.Resources.Database.Properties.KmsKeyId,
      'Database',
      /alias\/aws\/rds/,
    ],
    [
      'an Aurora cluster without StorageEncrypted',
      (t) => delete t.Resources.Cluster.Properties.StorageEncrypted,
      'Cluster',
      /StorageEncrypted is not set/,
    ],
  ])('rejects %s', (_name, change, resource, message) => {
    const found = findingsOf('CLV-ENC-2', variant(BASE, change));
    expect(found.map((f) => f.resource)).toEqual([resource]);
    expect(found[0].message).toMatch(message);
  });
});

describe('CLV-ENC-3 queues, topics and streams', () => {
  test('accepts a queue, a topic (by literal alias), a stream and a delivery stream on the CMK', () => {
    expect(messages('CLV-ENC-3', fixture(BASE))).toEqual([]);
  });
  test('leaves a Firehose stream fed by Kinesis to its source', () => {
    const t = variant(BASE, (t) => {
      t.Resources.DeliveryStream.Properties = { DeliveryStreamType: 'KinesisStreamAsSource' };
    });
    expect(messages('CLV-ENC-3', t)).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void, string, RegExp]>([
    [
      'a queue with no key (SQS default SSE-SQS)',
      (t) => delete t.Resources.Queue.Properties.KmsMasterKeyId,
      'Queue',
      /default SSE-SQS.*AWS owns/,
    ],
    [
      'a queue with SQS-managed SSE',
      (t) => (t.Resources.Queue.Properties = { SqsManagedSseEnabled: true }),
      'Queue',
      /SqsManagedSseEnabled is true/,
    ],
    [
      'a queue with SSE switched off',
      (t) => (t.Resources.Queue.Properties = { SqsManagedSseEnabled: false }),
      'Queue',
      /not encrypted/,
    ],
    [
      'a queue on alias/aws/sqs',
      (t) => (t.Resources.Queue.Properties.KmsMasterKeyId = 'alias/aws/sqs'),
      'Queue',
      /AWS-managed/,
    ],
    [
      'a topic with no key',
      (t) => delete t.Resources.Topic.Properties.KmsMasterKeyId,
      'Topic',
      /not encrypted/,
    ],
    [
      'a topic on alias/aws/sns',
      (t) => (t.Resources.Topic.Properties.KmsMasterKeyId = 'alias/aws/sns'),
      'Topic',
      /AWS-managed/,
    ],
    [
      'a stream with no encryption',
      (t) => delete t.Resources.Stream.Properties.StreamEncryption,
      'Stream',
      /not encrypted/,
    ],
    [
      'a stream on alias/aws/kinesis',
      (t) => (t.Resources.Stream.Properties.StreamEncryption.KeyId = 'alias/aws/kinesis'),
      'Stream',
      /AWS-managed/,
    ],
    [
      'a delivery stream with an AWS-owned key',
      (t) =>
        (t.Resources.DeliveryStream.Properties.DeliveryStreamEncryptionConfigurationInput = {
          KeyType: 'AWS_OWNED_CMK',
        }),
      'DeliveryStream',
      /AWS_OWNED_CMK/,
    ],
    [
      'a delivery stream with no encryption',
      (t) => delete t.Resources.DeliveryStream.Properties.DeliveryStreamEncryptionConfigurationInput,
      'DeliveryStream',
      /not encrypted/,
    ],
  ])('rejects %s', (_name, change, resource, message) => {
    const found = findingsOf('CLV-ENC-3', variant(BASE, change));
    expect(found.map((f) => f.resource)).toEqual([resource]);
    expect(found[0].message).toMatch(message);
  });
});

describe('CLV-ENC-4 volumes and file systems', () => {
  test('accepts CMK-encrypted volumes, block devices and file systems', () => {
    expect(messages('CLV-ENC-4', fixture(BASE))).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void, string, RegExp]>([
    [
      'a volume with Encrypted false',
      (t) => (t.Resources.Volume.Properties.Encrypted = false),
      'Volume',
      /Encrypted is false/,
    ],
    [
      'a volume with Encrypted "false" (string form)',
      (t) => (t.Resources.Volume.Properties.Encrypted = 'false'),
      'Volume',
      /not encrypted/,
    ],
    [
      'a volume encrypted with aws/ebs',
      (t) => delete t.Resources.Volume.Properties.KmsKeyId,
      'Volume',
      /alias\/aws\/ebs/,
    ],
    [
      'an instance without block device mappings (AMI default)',
      (t) => delete t.Resources.Instance.Properties.BlockDeviceMappings,
      'Instance',
      /^root volume: .*AMI/,
    ],
    [
      'an instance device without Encrypted',
      (t) => delete t.Resources.Instance.Properties.BlockDeviceMappings[0].Ebs.Encrypted,
      'Instance',
      /^BlockDeviceMappings\[0\] \(\/dev\/xvda\): Encrypted is not set/,
    ],
    [
      'a launch template device encrypted with aws/ebs',
      (t) =>
        delete t.Resources.LaunchTemplate.Properties.LaunchTemplateData.BlockDeviceMappings[0].Ebs.KmsKeyId,
      'LaunchTemplate',
      /^LaunchTemplateData\.BlockDeviceMappings\[0\].*AWS-managed/,
    ],
    [
      'an unencrypted EFS file system',
      (t) => (t.Resources.FileSystem.Properties = {}),
      'FileSystem',
      /not encrypted/,
    ],
    [
      'an EFS file system on aws/elasticfilesystem',
      (t) => delete t.Resources.FileSystem.Properties.KmsKeyId,
      'FileSystem',
      /alias\/aws\/elasticfilesystem/,
    ],
  ])('rejects %s', (_name, change, resource, message) => {
    const found = findingsOf('CLV-ENC-4', variant(BASE, change));
    expect(found.map((f) => f.resource)).toEqual([resource]);
    expect(found[0].message).toMatch(message);
  });
});

describe('CLV-ENC-5 log groups', () => {
  test('accepts a log group with the enclave key', () => {
    expect(messages('CLV-ENC-5', fixture(BASE))).toEqual([]);
  });
  test('rejects a log group without KmsKeyId', () => {
    const t = variant(BASE, (t) => delete t.Resources.LogGroup.Properties.KmsKeyId);
    expect(messages('CLV-ENC-5', t)).toEqual([
      expect.stringMatching(/^LogGroup: KmsKeyId is not set.*service-owned key/),
    ]);
  });
});

describe('CLV-ENC-6 key rotation', () => {
  test.each([true, 'true'])('accepts EnableKeyRotation %j', (value) => {
    const t = variant(BASE, (t) => (t.Resources.Key.Properties.EnableKeyRotation = value));
    expect(messages('CLV-ENC-6', t)).toEqual([]);
  });
  test.each<[string, unknown]>([
    ['missing', undefined],
    ['false', false],
    ['"false" (string form)', 'false'],
  ])('rejects EnableKeyRotation %s', (_name, value) => {
    const t = variant(BASE, (t) => {
      if (value === undefined) delete t.Resources.Key.Properties.EnableKeyRotation;
      else t.Resources.Key.Properties.EnableKeyRotation = value;
    });
    expect(messages('CLV-ENC-6', t)).toEqual([
      expect.stringMatching(/^Key: EnableKeyRotation is (not set|false)/),
    ]);
  });
  test('does not judge asymmetric keys, which KMS cannot rotate', () => {
    const t = variant(BASE, (t) => {
      delete t.Resources.Key.Properties.EnableKeyRotation;
      t.Resources.Key.Properties.KeySpec = 'RSA_2048';
      t.Resources.Key.Properties.KeyUsage = 'SIGN_VERIFY';
    });
    expect(messages('CLV-ENC-6', t)).toEqual([]);
  });
});

describe('CLV-ENC-7 TLS-only bucket policy', () => {
  const statement = (t: MutableTemplate) => t.Resources.BucketPolicy.Properties.PolicyDocument.Statement[0];

  test('accepts a Deny of s3:* to "*" on the bucket and its objects when aws:SecureTransport is "false"', () => {
    expect(messages('CLV-ENC-7', fixture(BASE))).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void]>([
    ['Principal "*" and Resource "*"', (t) => Object.assign(statement(t), { Principal: '*', Resource: '*' })],
    [
      'a boolean false and Fn::Sub resources',
      (t) => {
        Object.assign(statement(t), {
          Condition: { Bool: { 'aws:SecureTransport': false } },
          Resource: [{ 'Fn::Sub': '${Bucket.Arn}' }, { 'Fn::Sub': '${Bucket.Arn}/*' }],
        });
      },
    ],
    [
      'a policy attached by the bucket’s literal name',
      (t) => {
        t.Resources.Bucket.Properties.BucketName = 'clover-personal-eu-west-1';
        t.Resources.BucketPolicy.Properties.Bucket = 'clover-personal-eu-west-1';
        statement(t).Resource = [
          'arn:aws:s3:::clover-personal-eu-west-1',
          'arn:aws:s3:::clover-personal-eu-west-1/*',
        ];
      },
    ],
  ])('accepts %s', (_name, change) => {
    expect(messages('CLV-ENC-7', variant(BASE, change))).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void, RegExp]>([
    ['a bucket without any policy', (t) => delete t.Resources.BucketPolicy, /no bucket policy is attached/],
    [
      'a Deny that covers only the bucket ARN',
      (t) => (statement(t).Resource = { 'Fn::GetAtt': ['Bucket', 'Arn'] }),
      /covers its objects$/,
    ],
    [
      'an Allow instead of a Deny',
      (t) => (statement(t).Effect = 'Allow'),
      /covers the bucket and its objects$/,
    ],
    [
      'a Deny on aws:SecureTransport "true"',
      (t) => (statement(t).Condition.Bool['aws:SecureTransport'] = 'true'),
      /covers the bucket/,
    ],
    [
      'a Deny to one account instead of "*"',
      (t) => (statement(t).Principal = { AWS: 'arn:aws:iam::111111111111:root' }),
      /covers the bucket/,
    ],
    ['a Deny of s3:GetObject only', (t) => (statement(t).Action = 's3:GetObject'), /covers the bucket/],
    [
      'a Deny with an extra condition',
      (t) => (statement(t).Condition.StringEquals = { 'aws:PrincipalAccount': '999999999999' }),
      /covers the bucket/,
    ],
  ])('rejects %s', (_name, change, message) => {
    const found = findingsOf('CLV-ENC-7', variant(BASE, change));
    expect(found.map((f) => f.resource)).toEqual(['Bucket']);
    expect(found[0].message).toMatch(message);
  });
});
