import { linkStacks } from '../../../../lib/audit/links';
import { CfnTemplate, ENCLAVE_METADATA_KEY, TemplateIndex } from '../../../../lib/audit/template';
import { evaluateStack } from '../../../../lib/audit/engine';
import { EuropeToInterim, InterimSunsetApproaching } from '../../../../lib/nag/rules/residency';

const TODAY = '2026-11-23';

function index(template: CfnTemplate, account: string, region: string): TemplateIndex {
  return new TemplateIndex(template, {
    stackName: `${account}-${region}`,
    account,
    region,
    allowJurisdictions: ['EU', 'EEA'],
    today: TODAY,
  });
}

const interimTemplate = (resources: CfnTemplate['Resources'] = {}, sunset = '2030-12-31'): CfnTemplate => ({
  Resources: { Queue: { Type: 'AWS::SQS::Queue' }, ...resources },
  Metadata: {
    [ENCLAVE_METADATA_KEY]: {
      name: 'interim-us',
      role: 'enclave',
      interim: { sunset, migrateTo: 'dublin-1', phase: 'replicating' },
    },
  },
});

const european = (resources: CfnTemplate['Resources']): CfnTemplate => ({
  Resources: resources,
  Metadata: { [ENCLAVE_METADATA_KEY]: { name: 'dublin-1', role: 'enclave' } },
});

/** The messages of one rule on a European stack audited together with the interim enclave's stack. */
function findings(rule: typeof EuropeToInterim, eu: CfnTemplate, interim: CfnTemplate = interimTemplate()) {
  const euIndex = index(eu, '111111111111', 'eu-west-1');
  const interimIndex = index(interim, '555555555555', 'us-east-1');
  linkStacks([euIndex, interimIndex]);
  return {
    eu: evaluateStack(euIndex, [rule]).findings.map((f) => f.message),
    interim: evaluateStack(interimIndex, [rule]).findings.map((f) => f.message),
  };
}

const bucketPolicy = (statement: Record<string, unknown>) => ({
  Policy: {
    Type: 'AWS::S3::BucketPolicy',
    Properties: {
      Bucket: 'clover-dublin-1-personal-111111111111-eu-west-1',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Resource: '*', ...statement }],
      },
    },
  },
});

describe('CLV-RES-10 no path from European data into an interim enclave', () => {
  test('accepts the writes a migration needs: replicas from the interim replication role', () => {
    const { eu } = findings(
      EuropeToInterim,
      european(
        bucketPolicy({
          Sid: 'ReplicationFromInterimUs',
          Principal: { AWS: 'arn:aws:iam::555555555555:root' },
          Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ObjectOwnerOverrideToBucketOwner'],
          Condition: {
            ArnEquals: {
              'aws:PrincipalArn': 'arn:aws:iam::555555555555:role/clover-interim-us-s3-replication',
            },
          },
        }),
      ),
    );
    expect(eu).toEqual([]);
  });

  test('names a bucket policy that lets the interim account read, by principal or by condition', () => {
    const byPrincipal = findings(
      EuropeToInterim,
      european(
        bucketPolicy({
          Sid: 'Leak',
          Principal: { AWS: 'arn:aws:iam::555555555555:root' },
          Action: 's3:GetObject',
        }),
      ),
    ).eu;
    expect(byPrincipal).toEqual([
      expect.stringMatching(
        /PolicyDocument statement 0 \("Leak"\) lets a principal of interim enclave "interim-us" \(account 555555555555, us-east-1\) s3:GetObject: a path from European data into the interim enclave/,
      ),
    ]);
    const byCondition = findings(
      EuropeToInterim,
      european(
        bucketPolicy({
          Principal: '*',
          Action: ['s3:PutObject', 's3:*'],
          Condition: { StringEquals: { 'aws:PrincipalAccount': '555555555555' } },
        }),
      ),
    ).eu;
    expect(byCondition).toEqual([
      expect.stringMatching(/lets a principal of interim enclave "interim-us" .* s3:\*/),
    ]);
  });

  test('names a role trust and a key policy that admit the interim account', () => {
    const { eu } = findings(
      EuropeToInterim,
      european({
        Role: {
          Type: 'AWS::IAM::Role',
          Properties: {
            AssumeRolePolicyDocument: {
              Statement: [{ Effect: 'Allow', Principal: { AWS: '555555555555' }, Action: 'sts:AssumeRole' }],
            },
          },
        },
        Key: {
          Type: 'AWS::KMS::Key',
          Properties: {
            KeyPolicy: {
              Statement: [
                {
                  Effect: 'Allow',
                  Principal: { AWS: 'arn:aws:iam::555555555555:root' },
                  Action: ['kms:Encrypt', 'kms:Decrypt'],
                  Resource: '*',
                },
              ],
            },
          },
        },
      }),
    );
    expect(eu).toEqual([
      expect.stringMatching(/AssumeRolePolicyDocument .* sts:AssumeRole/),
      expect.stringMatching(/KeyPolicy .* kms:Decrypt: a path/),
    ]);
  });

  test('names replication, a subscription and a rule target into the interim enclave', () => {
    const { eu } = findings(
      EuropeToInterim,
      european({
        Bucket: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            ReplicationConfiguration: {
              Role: 'arn:aws:iam::111111111111:role/r',
              Rules: [
                {
                  Status: 'Enabled',
                  Destination: {
                    Bucket: 'arn:aws:s3:::clover-interim-us-personal-555555555555-us-east-1',
                    Account: '555555555555',
                  },
                },
              ],
            },
          },
        },
        Subscription: {
          Type: 'AWS::SNS::Subscription',
          Properties: {
            Protocol: 'sqs',
            TopicArn: 'arn:aws:sns:eu-west-1:111111111111:t',
            Endpoint: 'arn:aws:sqs:us-east-1:555555555555:q',
          },
        },
        Rule: {
          Type: 'AWS::Events::Rule',
          Properties: {
            Targets: [{ Id: 'x', Arn: 'arn:aws:events:us-east-1:555555555555:event-bus/default' }],
          },
        },
      }),
    );
    expect(eu).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /ReplicationConfiguration\.Rules\[0\]\.Destination\.Bucket ".*us-east-1" sends data into interim enclave "interim-us"/,
        ),
        expect.stringMatching(
          /ReplicationConfiguration\.Rules\[0\]\.Destination\.Account "555555555555" sends data/,
        ),
        expect.stringMatching(
          /Endpoint "arn:aws:sqs:us-east-1:555555555555:q" sends data into interim enclave/,
        ),
        expect.stringMatching(/Targets\[0\]\.Arn .* sends data into interim enclave/),
      ]),
    );
  });

  test('names a global-table replica of an interim table: replicas write back into it', () => {
    const { interim } = findings(
      EuropeToInterim,
      european({}),
      interimTemplate({
        Table: {
          Type: 'AWS::DynamoDB::GlobalTable',
          Properties: { Replicas: [{ Region: 'us-east-1' }, { Region: 'eu-west-1' }] },
        },
      }),
    );
    expect(interim).toEqual([
      expect.stringMatching(
        /Replicas\[1\]\.Region "eu-west-1": a global-table replica writes back into interim enclave "interim-us"/,
      ),
    ]);
  });

  test('does not judge anything without an interim enclave among the audited stacks', () => {
    const euIndex = index(
      european(
        bucketPolicy({ Principal: { AWS: 'arn:aws:iam::555555555555:root' }, Action: 's3:GetObject' }),
      ),
      '111111111111',
      'eu-west-1',
    );
    linkStacks([euIndex]);
    expect(evaluateStack(euIndex, [EuropeToInterim]).findings).toEqual([]);
  });
});

describe('CLV-RES-9 interim sunset approaching', () => {
  const warningsFor = (sunset: string) =>
    evaluateStack(index(interimTemplate({}, sunset), '555555555555', 'us-east-1'), [InterimSunsetApproaching])
      .findings;

  test('warns from 30 days before the sunset, naming the enclave, the days left and the target', () => {
    const [finding] = warningsFor('2026-12-23');
    expect(finding.severity).toBe('warning');
    expect(finding.message).toMatch(
      /interim enclave "interim-us" \(phase replicating\) reaches its sunset 2026-12-23 in 30 days \(today is 2026-11-23\).*migrates into "dublin-1"/,
    );
    expect(warningsFor('2026-11-23')[0].message).toMatch(/in 0 days/);
  });

  test('is silent 31 days before the sunset, and after it (CLV-RES-1 fails the stack then)', () => {
    expect(warningsFor('2026-12-24')).toEqual([]);
    expect(warningsFor('2026-11-22')).toEqual([]);
  });
});
