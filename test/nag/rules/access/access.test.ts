import { Finding } from '../../../../lib/audit/engine';
import { fixture, MutableTemplate, variant } from '../../../fixtures/encryption';
import { validateTemplate } from '../../../helpers/nag';

const BASE = 'access/compliant-access.json';
const ROOT = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::', { Ref: 'AWS::AccountId' }, ':root']],
};

function findingsOf(rule: string, template: MutableTemplate): Finding[] {
  return validateTemplate(template).findings.filter((finding) => finding.rule === rule);
}

/** The statements of a resource's policy document property, for editing. */
function statementsOf(t: MutableTemplate, logicalId: string, property: string) {
  return t.Resources[logicalId].Properties[property].Statement;
}

const OPEN_READ = {
  Effect: 'Allow',
  Principal: '*',
  Action: 's3:GetObject',
  Resource: { 'Fn::Sub': '${Bucket.Arn}/*' },
};

describe('the compliant base', () => {
  test('raises no access finding', () => {
    const { findings, report } = validateTemplate(fixture(BASE));
    expect(findings.filter((finding) => finding.rule.startsWith('CLV-ACC-'))).toEqual([]);
    expect(report.violations.filter((v) => v.ruleName.startsWith('CloverChecks-CLV-ACC-'))).toEqual([]);
  });
});

describe('CLV-ACC-1 public buckets', () => {
  test('accepts an Allow to "*" pinned to the organisation with aws:PrincipalOrgID', () => {
    const t = variant(BASE, (t) => {
      statementsOf(t, 'BucketPolicy', 'PolicyDocument').push({
        ...OPEN_READ,
        Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-a1b2c3d4e5' } },
      });
    });
    expect(findingsOf('CLV-ACC-1', t)).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void, RegExp]>([
    [
      'a bucket that does not declare Block Public Access',
      (t) => delete t.Resources.Bucket.Properties.PublicAccessBlockConfiguration,
      /PublicAccessBlockConfiguration is not declared/,
    ],
    [
      'a bucket with RestrictPublicBuckets false',
      (t) => (t.Resources.Bucket.Properties.PublicAccessBlockConfiguration.RestrictPublicBuckets = false),
      /leaves RestrictPublicBuckets off/,
    ],
    [
      'a bucket with BlockPublicPolicy "false" (string form)',
      (t) => (t.Resources.Bucket.Properties.PublicAccessBlockConfiguration.BlockPublicPolicy = 'false'),
      /leaves BlockPublicPolicy off/,
    ],
    [
      'a public-read canned ACL',
      (t) => (t.Resources.Bucket.Properties.AccessControl = 'PublicRead'),
      /AccessControl is PublicRead/,
    ],
    [
      'an authenticated-read canned ACL',
      (t) => (t.Resources.Bucket.Properties.AccessControl = 'AuthenticatedRead'),
      /AccessControl is AuthenticatedRead/,
    ],
    [
      'a public-read bucket policy',
      (t) => statementsOf(t, 'BucketPolicy', 'PolicyDocument').push(OPEN_READ),
      /bucket policy BucketPolicy: PolicyDocument statement 2 allows s3:GetObject to every principal/,
    ],
  ])('rejects %s', (_name, change, message) => {
    const found = findingsOf('CLV-ACC-1', variant(BASE, change));
    expect(found.map((f) => f.resource)).toEqual(['Bucket']);
    expect(found[0].message).toMatch(message);
  });
});

describe('CLV-ACC-2 wildcard principals in resource and trust policies', () => {
  test('accepts the Deny with principal "*" that enforceSSL writes', () => {
    const { findings } = validateTemplate(fixture(BASE));
    expect(findings.filter((f) => f.rule === 'CLV-ACC-2' && f.resource === 'BucketPolicy')).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void]>([
    [
      'an Allow to "*" pinned with aws:SourceAccount',
      (t) =>
        Object.assign(statementsOf(t, 'TopicPolicy', 'PolicyDocument')[0], {
          Principal: '*',
          Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
    ],
    [
      'an Allow to {"AWS": "*"} pinned with aws:PrincipalAccount',
      (t) =>
        Object.assign(statementsOf(t, 'Key', 'KeyPolicy')[0], {
          Principal: { AWS: '*' },
          Condition: { StringEquals: { 'aws:PrincipalAccount': '111111111111' } },
        }),
    ],
    [
      'a Lambda permission to "*" with SourceAccount',
      (t) => (t.Resources.Permission.Properties.Principal = '*'),
    ],
  ])('accepts %s', (_name, change) => {
    expect(findingsOf('CLV-ACC-2', variant(BASE, change))).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void, string, RegExp]>([
    [
      'an Allow to "*" in a bucket policy',
      (t) => statementsOf(t, 'BucketPolicy', 'PolicyDocument').push(OPEN_READ),
      'BucketPolicy',
      /PolicyDocument statement 2/,
    ],
    [
      'an Allow to {"AWS": "*"} in a queue policy',
      (t) => {
        const s = statementsOf(t, 'QueuePolicy', 'PolicyDocument')[0];
        s.Principal = { AWS: '*' };
        delete s.Condition;
      },
      'QueuePolicy',
      /allows sqs:SendMessage to every principal/,
    ],
    [
      'an Allow to "*" in a topic policy conditioned only with IfExists',
      (t) =>
        Object.assign(statementsOf(t, 'TopicPolicy', 'PolicyDocument')[0], {
          Principal: '*',
          Condition: { StringEqualsIfExists: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
        }),
      'TopicPolicy',
      /sns:Publish/,
    ],
    [
      'an Allow to "*" in a key policy restricted only by aws:SourceIp',
      (t) =>
        Object.assign(statementsOf(t, 'Key', 'KeyPolicy')[0], {
          Principal: { AWS: ['*'] },
          Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } },
        }),
      'Key',
      /KeyPolicy statement 0 allows kms:\*/,
    ],
    [
      'an Allow to "*" with a wildcard-only aws:PrincipalAccount',
      (t) =>
        Object.assign(statementsOf(t, 'Key', 'KeyPolicy')[0], {
          Principal: '*',
          Condition: { StringLike: { 'aws:PrincipalAccount': '*' } },
        }),
      'Key',
      /every principal/,
    ],
    [
      'an Allow to "*" in a Secrets Manager resource policy',
      (t) => (statementsOf(t, 'SecretPolicy', 'ResourcePolicy')[0].Principal = { AWS: '*' }),
      'SecretPolicy',
      /secretsmanager:GetSecretValue/,
    ],
    [
      'an Allow to "*" in an ECR repository policy',
      (t) => (statementsOf(t, 'Repository', 'RepositoryPolicyText')[0].Principal = '*'),
      'Repository',
      /ecr:BatchGetImage/,
    ],
    [
      'an Allow with NotPrincipal',
      (t) => {
        const s = statementsOf(t, 'SecretPolicy', 'ResourcePolicy')[0];
        delete s.Principal;
        s.NotPrincipal = { AWS: ROOT };
      },
      'SecretPolicy',
      /everyone outside NotPrincipal/,
    ],
    [
      'a Lambda permission to "*" without SourceAccount or SourceArn',
      (t) =>
        (t.Resources.Permission.Properties = {
          FunctionName: 'clover-log-shipper',
          Action: 'lambda:InvokeFunction',
          Principal: '*',
        }),
      'Permission',
      /the permission allows lambda:InvokeFunction/,
    ],
    [
      'a trust policy that lets "*" assume the role',
      (t) => {
        const s = statementsOf(t, 'EmployeeRole', 'AssumeRolePolicyDocument')[0];
        s.Principal = { AWS: '*' };
      },
      'EmployeeRole',
      /^AssumeRolePolicyDocument statement 0 \("ApprovedEmployees"\) allows sts:AssumeRole, sts:TagSession to every principal/,
    ],
  ])('rejects %s', (_name, change, resource, message) => {
    const found = findingsOf('CLV-ACC-2', variant(BASE, change));
    expect(found.map((f) => f.resource)).toEqual([resource]);
    expect(found[0].message).toMatch(message);
  });
});

describe('CLV-ACC-3 permissions boundaries on human-assumable roles', () => {
  test('accepts a service role without a boundary and a human role with one', () => {
    const { findings } = validateTemplate(fixture(BASE));
    expect(findings.filter((f) => f.rule === 'CLV-ACC-3')).toEqual([]);
  });
  test.each<[string, (t: MutableTemplate) => void, RegExp]>([
    [
      'a human role without a boundary',
      (t) => delete t.Resources.EmployeeRole.Properties.PermissionsBoundary,
      /lets arn:aws:iam::111111111111:root assume/,
    ],
    [
      'a federated (SAML) role without a boundary',
      (t) => {
        delete t.Resources.EmployeeRole.Properties.PermissionsBoundary;
        Object.assign(statementsOf(t, 'EmployeeRole', 'AssumeRolePolicyDocument')[0], {
          Principal: { Federated: 'arn:aws:iam::111111111111:saml-provider/clover-idp' },
          Action: 'sts:AssumeRoleWithSAML',
        });
      },
      /saml-provider\/clover-idp/,
    ],
    [
      'a role trusting both a service and another role, without a boundary',
      (t) => {
        delete t.Resources.EmployeeRole.Properties.PermissionsBoundary;
        statementsOf(t, 'EmployeeRole', 'AssumeRolePolicyDocument')[0].Principal = {
          Service: 'lambda.amazonaws.com',
          AWS: { 'Fn::GetAtt': ['ServiceRole', 'Arn'] },
        };
      },
      /lets \$\{ServiceRole\.Arn\} assume/,
    ],
  ])('rejects %s', (_name, change, message) => {
    const found = findingsOf('CLV-ACC-3', variant(BASE, change));
    expect(found.map((f) => f.resource)).toEqual(['EmployeeRole']);
    expect(found[0].message).toMatch(message);
  });
  test('does not ask a service role for a boundary even with several service principals', () => {
    const t = variant(BASE, (t) => {
      statementsOf(t, 'ServiceRole', 'AssumeRolePolicyDocument')[0].Principal = {
        Service: ['lambda.amazonaws.com', 'states.amazonaws.com'],
      };
    });
    expect(findingsOf('CLV-ACC-3', t)).toEqual([]);
  });
});
