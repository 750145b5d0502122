import { doc, findingLines, prove, stackOf } from './support';

const bucketWithPolicy = (...statements: Record<string, unknown>[]) =>
  stackOf({
    Resources: {
      Data: { Type: 'AWS::S3::Bucket', Properties: { BucketName: 'orders-data' } },
      DataPolicy: {
        Type: 'AWS::S3::BucketPolicy',
        Properties: { Bucket: { Ref: 'Data' }, PolicyDocument: doc(...statements) },
      },
    },
  });

const topicWithPolicy = (...statements: Record<string, unknown>[]) =>
  stackOf({
    Resources: {
      Topic: { Type: 'AWS::SNS::Topic', Properties: { TopicName: 'alerts' } },
      TopicPolicy: {
        Type: 'AWS::SNS::TopicPolicy',
        Properties: { Topics: [{ Ref: 'Topic' }], PolicyDocument: doc(...statements) },
      },
    },
  });

const roleTrusting = (...statements: Record<string, unknown>[]) =>
  stackOf({
    Resources: {
      Auditor: {
        Type: 'AWS::IAM::Role',
        Properties: { RoleName: 'auditor', AssumeRolePolicyDocument: doc(...statements) },
      },
    },
  });

describe('forbidden flows: each resource policy on its own', () => {
  test('a bucket policy that lets everyone read is a CLV-RUN-3 finding for the anonymous caller and the outside account', async () => {
    const proof = await prove(
      bucketWithPolicy({
        Sid: 'Public',
        Effect: 'Allow',
        Principal: '*',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::orders-data/*',
      }),
    );
    const lines = findingLines(proof.findings);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^CLV-RUN-3 DataPolicy: forbidden flow "an anonymous caller → bucket policy DataPolicy \(Workload\)" is allowed: .* s3:GetObject .* statement Public allows$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^CLV-RUN-3 DataPolicy: forbidden flow "a principal of an account outside the audited set \(999999999999\)/,
      ),
    );
  });

  test('a grant to another account through the account root is a finding even with a condition the caller chooses (MFA)', async () => {
    const proof = await prove(
      bucketWithPolicy({
        Sid: 'Partner',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::333333333333:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::orders-data/*',
        Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } },
      }),
    );
    expect(findingLines(proof.findings)).toEqual([
      expect.stringMatching(
        /^CLV-RUN-3 DataPolicy: .*an unnamed principal of account 333333333333 .* statement Partner allows$/,
      ),
    ]);
  });

  test('the same grant narrowed to one role ARN (aws:PrincipalArn) lets no forbidden principal in', async () => {
    const proof = await prove(
      bucketWithPolicy({
        Sid: 'PartnerRole',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::333333333333:root' },
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::orders-data/*',
        Condition: { ArnEquals: { 'aws:PrincipalArn': 'arn:aws:iam::333333333333:role/reader' } },
      }),
    );
    expect(proof.findings).toEqual([]);
  });

  test('a topic policy that lets EventBridge publish with no source condition is a confused deputy (CLV-RUN-4)', async () => {
    const proof = await prove(
      topicWithPolicy({
        Sid: 'Rules',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: 'Topic' },
      }),
    );
    expect(findingLines(proof.findings)).toEqual([
      expect.stringMatching(
        /^CLV-RUN-4 TopicPolicy: forbidden flow "events \(events.amazonaws.com\) acting for another account \(999999999999\) → topic policy TopicPolicy \(Workload\)" is allowed: .* sns:Publish .* statement Rules allows$/,
      ),
    ]);
  });

  test('with aws:SourceAccount (or aws:SourceArn) of this account, the same statement is compliant', async () => {
    const proof = await prove(
      topicWithPolicy({
        Sid: 'Rules',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
        Action: 'sns:Publish',
        Resource: { Ref: 'Topic' },
        Condition: { StringEquals: { 'aws:SourceAccount': '111111111111' } },
      }),
    );
    expect(proof.findings).toEqual([]);
  });

  test('a role trust of another account with an external ID lets any principal of that account in: the external ID is not a secret', async () => {
    const proof = await prove(
      roleTrusting({
        Sid: 'Provider',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444444444444:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'clover-guessable' } },
      }),
    );
    expect(findingLines(proof.findings)).toEqual([
      expect.stringMatching(
        /^CLV-RUN-3 Auditor: forbidden flow "an unnamed principal of account 444444444444 → trust policy of role auditor"/,
      ),
    ]);
  });

  test('a trust that requires the approved-employee tags and refuses blocked jurisdictions lets neither probe in', async () => {
    const proof = await prove(
      roleTrusting(
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::111111111111:root' },
          Action: 'sts:AssumeRole',
          Condition: {
            StringEquals: {
              'aws:PrincipalTag/clover:approved': 'true',
              'aws:PrincipalTag/clover:employee-jurisdiction': ['EU', 'EEA'],
            },
          },
        },
        {
          Effect: 'Deny',
          Principal: { AWS: '*' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:PrincipalTag/clover:employee-jurisdiction': ['CN', 'RU'] } },
        },
      ),
    );
    expect(proof.findings).toEqual([]);
    const probed = proof.results
      .filter((result) => result.flow.origin === 'probe')
      .map((result) => result.flow.title.split(' → ')[0]);
    expect(probed).toEqual(
      expect.arrayContaining([
        'a principal of account 111111111111 without the approved-employee tags',
        'a principal of account 111111111111 tagged as an approved employee in blocked jurisdiction CN',
      ]),
    );
  });

  test('a trust that checks the tags but forgets the blocked jurisdictions lets a CN-tagged employee in', async () => {
    const proof = await prove(
      roleTrusting({
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::111111111111:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'aws:PrincipalTag/clover:approved': 'true' } },
      }),
    );
    expect(findingLines(proof.findings)).toEqual([
      expect.stringMatching(
        /^CLV-RUN-3 Auditor: .*tagged as an approved employee in blocked jurisdiction CN/,
      ),
    ]);
  });

  test('a key policy that lets EventBridge use the key for any topic is a confused deputy; scoped by encryption context it is not', async () => {
    const key = (condition?: Record<string, unknown>) =>
      stackOf({
        Resources: {
          Key: {
            Type: 'AWS::KMS::Key',
            Properties: {
              EnableKeyRotation: true,
              KeyPolicy: doc({
                Sid: 'EventBridge',
                Effect: 'Allow',
                Principal: { Service: 'events.amazonaws.com' },
                Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
                Resource: '*',
                ...(condition ? { Condition: condition } : {}),
              }),
            },
          },
        },
      });
    expect(findingLines((await prove(key())).findings)).toEqual([
      expect.stringMatching(/^CLV-RUN-4 Key: .*events \(events.amazonaws.com\) acting for another account/),
    ]);
    const scoped = await prove(
      key({
        StringEquals: {
          'kms:EncryptionContext:aws:sns:topicArn': 'arn:aws:sns:eu-west-1:111111111111:alerts',
        },
      }),
    );
    expect(scoped.findings).toEqual([]);
  });
});
