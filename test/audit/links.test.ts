import type { CfnTemplate } from '../../lib/audit/template';
import { ENCLAVE_KEY, findingsOf, findingsOfStacks, resource } from '../helpers/rules';

const BLOCK_ALL = {
  BlockPublicAcls: true,
  BlockPublicPolicy: true,
  IgnorePublicAcls: true,
  RestrictPublicBuckets: true,
};

/** A deny-without-TLS policy on the bucket named `name` (a value written any way). */
function tlsOnlyPolicy(bucket: unknown, arn: unknown) {
  return resource('AWS::S3::BucketPolicy', {
    Bucket: bucket,
    PolicyDocument: {
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, { 'Fn::Join': ['', [arn, '/*']] }],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  });
}

const tlsFindings = (template: CfnTemplate) => findingsOf(template).filter((f) => f.rule === 'CLV-ENC-7');

describe('linking by equal values', () => {
  const sub = { 'Fn::Sub': '${AWS::StackName}-records' };

  test('a bucket policy whose Bucket is the same Fn::Sub as the BucketName covers the bucket', () => {
    const template: CfnTemplate = {
      Resources: {
        Data: resource('AWS::S3::Bucket', { BucketName: sub, PublicAccessBlockConfiguration: BLOCK_ALL }),
        Policy: tlsOnlyPolicy(sub, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${AWS::StackName}-records' }),
      },
    };
    expect(tlsFindings(template)).toEqual([]);
  });

  test('… and one on another bucket does not', () => {
    const template: CfnTemplate = {
      Resources: {
        Data: resource('AWS::S3::Bucket', { BucketName: sub, PublicAccessBlockConfiguration: BLOCK_ALL }),
        Policy: tlsOnlyPolicy(
          { 'Fn::Sub': '${AWS::StackName}-other' },
          { 'Fn::Sub': 'arn:aws:s3:::${AWS::StackName}-other' },
        ),
      },
    };
    expect(tlsFindings(template).map((f) => f.message)).toEqual([
      'no bucket policy is attached: no Deny of s3:* to "*" when aws:SecureTransport is false covers the bucket and its objects',
    ]);
  });

  test('a parameter naming both the bucket and the policy’s bucket links them; the policy’s ARNs name it through the parameter', () => {
    const template: CfnTemplate = {
      Parameters: { BucketName: { Type: 'String' } },
      Resources: {
        Data: resource('AWS::S3::Bucket', {
          BucketName: { Ref: 'BucketName' },
          PublicAccessBlockConfiguration: BLOCK_ALL,
        }),
        Policy: tlsOnlyPolicy({ Ref: 'BucketName' }, { 'Fn::Sub': 'arn:aws:s3:::${BucketName}' }),
      },
    };
    expect(tlsFindings(template)).toEqual([]);
  });

  test('a bucket policy that opens the linked bucket to everyone makes it public', () => {
    const template: CfnTemplate = {
      Resources: {
        Data: resource('AWS::S3::Bucket', { BucketName: sub, PublicAccessBlockConfiguration: BLOCK_ALL }),
        Policy: resource('AWS::S3::BucketPolicy', {
          Bucket: sub,
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: '*' }],
          },
        }),
      },
    };
    expect(findingsOf(template).filter((f) => f.rule === 'CLV-ACC-1' && f.resource === 'Data')).toHaveLength(
      1,
    );
  });
});

describe('references between the stacks audited together', () => {
  const keyStack: CfnTemplate = {
    Resources: {
      Key: ENCLAVE_KEY,
      Alias: resource('AWS::KMS::Alias', { AliasName: 'alias/records', TargetKeyId: { Ref: 'Key' } }),
    },
    Outputs: { KeyArn: { Value: { 'Fn::GetAtt': ['Key', 'Arn'] }, Export: { Name: 'records-key-arn' } } },
  };
  const secret = (kmsKeyId: unknown): CfnTemplate => ({
    Resources: { Secret: resource('AWS::SecretsManager::Secret', { KmsKeyId: kmsKeyId }) },
  });
  const encryption = (stacks: CfnTemplate[]) =>
    findingsOfStacks(stacks.map((template) => ({ template })))
      .filter((f) => f.rule.startsWith('CLV-ENC-') && f.resource === 'Secret')
      .map((f) => `${f.rule} ${f.message}`);

  test('a key imported from another audited stack is followed and judged there', () => {
    expect(encryption([keyStack, secret({ 'Fn::ImportValue': 'records-key-arn' })])).toEqual([]);
  });

  test('a key imported from a stack that is not among the inputs is a warning naming it, not an error', () => {
    expect(encryption([secret({ 'Fn::ImportValue': 'records-key-arn' })])).toEqual([
      expect.stringMatching(
        /^CLV-ENC-10 the key \{"Fn::ImportValue":"records-key-arn"\} is outside the audited templates/,
      ),
    ]);
  });

  test('an alias ARN resolves to the key of another audited stack in the same account and region', () => {
    const arn = 'arn:aws:kms:eu-west-1:111111111111:alias/records';
    expect(encryption([keyStack, secret(arn)])).toEqual([]);
    expect(encryption([secret(arn)])).toEqual([
      expect.stringMatching(/^CLV-ENC-10 the key arn:aws:kms:eu-west-1:111111111111:alias\/records/),
    ]);
  });

  test('the AWS-managed alias stays an error wherever it is written', () => {
    expect(encryption([keyStack, secret('alias/aws/secretsmanager')])).toEqual([
      expect.stringMatching(/^CLV-ENC-8 .*AWS-managed key/),
    ]);
  });

  const subscriber: CfnTemplate = {
    Resources: {
      Flows: resource('AWS::Logs::LogGroup', { LogGroupName: 'flows', RetentionInDays: 365 }),
      Ship: resource('AWS::Logs::SubscriptionFilter', {
        LogGroupName: { Ref: 'Flows' },
        FilterPattern: '',
        DestinationArn: 'arn:aws:lambda:eu-west-1:111111111111:function:shipper',
      }),
    },
  };
  const shipperStack: CfnTemplate = {
    Resources: {
      Shipper: resource('AWS::Lambda::Function', {
        FunctionName: 'shipper',
        Role: 'arn:aws:iam::111111111111:role/r',
        Code: { ZipFile: 'x' },
        Handler: 'i.h',
        Runtime: 'nodejs20.x',
      }),
    },
  };

  test('a subscription to a function of another audited stack is followed: that function is judged as a shipper', () => {
    const findings = findingsOfStacks([{ template: subscriber }, { template: shipperStack }]);
    expect(findings.filter((f) => f.rule === 'CLV-LOG-10')).toEqual([]);
    expect(findings.filter((f) => f.rule === 'CLV-LOG-3').map((f) => `${f.stack}/${f.resource}`)).toEqual([
      'Stack2/Shipper',
    ]);
  });

  test('a subscription to a function no audited stack defines is a warning naming it', () => {
    expect(
      findingsOfStacks([{ template: subscriber }])
        .filter((f) => f.rule === 'CLV-LOG-10')
        .map((f) => f.message),
    ).toEqual([
      'subscription Ship delivers log group flows to arn:aws:lambda:eu-west-1:111111111111:function:shipper, which no audited template defines: where the events go and what happens to those it cannot deliver cannot be verified',
    ]);
  });
});

describe('event buses of other stacks', () => {
  const busArn = 'arn:aws:events:eu-west-1:444444444444:event-bus/security-events';
  const forwarder: CfnTemplate = {
    Resources: {
      Forward: resource('AWS::Events::Rule', {
        EventPattern: { source: ['aws.kms'] },
        Targets: [{ Id: 'monitor', Arn: busArn, RoleArn: 'arn:aws:iam::111111111111:role/forward' }],
      }),
    },
  };
  const monitor: CfnTemplate = {
    Resources: { Bus: resource('AWS::Events::EventBus', { Name: 'security-events' }) },
  };

  test('a target bus of another audited stack (its account and region) resolves there', () => {
    const findings = findingsOfStacks([
      { template: forwarder },
      { template: monitor, options: { account: '444444444444' } },
    ]);
    expect(findings.filter((f) => f.rule === 'CLV-LOG-11')).toEqual([]);
  });

  test('a target bus no audited stack defines is a warning naming it; a bus of the same name in another account is not it', () => {
    const alone = findingsOfStacks([{ template: forwarder }]).filter((f) => f.rule === 'CLV-LOG-11');
    expect(alone.map((f) => [f.severity, f.message])).toEqual([
      [
        'warning',
        `Targets[0] forwards events to ${busArn}, an event bus no audited template defines: who receives them and under which policy cannot be verified`,
      ],
    ]);
    const elsewhere = findingsOfStacks([
      { template: forwarder },
      { template: monitor, options: { account: '555555555555' } },
    ]);
    expect(elsewhere.filter((f) => f.rule === 'CLV-LOG-11')).toHaveLength(1);
  });
});
