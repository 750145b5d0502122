import {
  bucketPolicyStatements,
  bucketPublicAccessProblems,
  isOpenGrant,
  openGrants,
  principalRestriction,
  roleAccess,
  roleAccessOf,
} from '../../lib/audit/access';
import { statements } from '../../lib/audit/iam';
import { fixture, MutableTemplate, variant } from '../fixtures/encryption';
import { indexOf } from '../helpers/nag';

const BASE = 'access/compliant-access.json';
const trust = (t: MutableTemplate, role: string) =>
  t.Resources[role].Properties.AssumeRolePolicyDocument.Statement;

/** The first statement of a one-statement document. */
function statement(raw: Record<string, unknown>) {
  return statements({ Statement: raw })[0];
}

describe('roleAccessOf (access matrix)', () => {
  test('describes a service role: service principal only, not human-assumable, no boundary', () => {
    expect(roleAccess(indexOf(fixture(BASE)), 'ServiceRole')).toMatchObject({
      humanAssumable: false,
      permissionsBoundary: undefined,
      grants: [{ effect: 'Allow', principals: [{ kind: 'service', text: 'lambda.amazonaws.com' }] }],
    });
  });
  test('describes the employee role: account principal rendered, MFA, session tags, boundary', () => {
    const role = roleAccess(indexOf(fixture(BASE)), 'EmployeeRole')!;
    expect(role).toMatchObject({
      humanAssumable: true,
      permissionsBoundary: '${Boundary}',
      mfaRequired: true,
      externalIdRequired: false,
      sessionTags: ['clover:approved'],
    });
    expect(role.grants[0]).toMatchObject({
      sid: 'ApprovedEmployees',
      principals: [{ kind: 'aws', text: 'arn:aws:iam::111111111111:root', account: '111111111111' }],
      actions: ['sts:AssumeRole', 'sts:TagSession'],
      requires: { mfa: true, externalId: false, sessionTags: ['clover:approved'], sourceRestriction: false },
    });
  });
  test('lists one row per role and caches them per index', () => {
    const index = indexOf(fixture(BASE));
    expect([...roleAccessOf(index).keys()]).toEqual(['ServiceRole', 'EmployeeRole']);
    expect(roleAccessOf(index)).toBe(roleAccessOf(index));
  });
  test('sees an external ID on an auditor role trusted by another account', () => {
    const t = variant(BASE, (t) => {
      trust(t, 'EmployeeRole')[0] = {
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::444444444444:root' },
        Action: 'sts:AssumeRole',
        Condition: { StringEquals: { 'sts:ExternalId': 'clover-audit' } },
      };
    });
    const role = roleAccess(indexOf(t), 'EmployeeRole')!;
    expect(role).toMatchObject({ humanAssumable: true, externalIdRequired: true, mfaRequired: false });
    expect(role.grants[0].principals[0].account).toBe('444444444444');
  });
  test('counts a Deny of sessions without MFA as requiring MFA', () => {
    const t = variant(BASE, (t) => {
      delete trust(t, 'EmployeeRole')[0].Condition.Bool;
      trust(t, 'EmployeeRole').push({
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: 'sts:AssumeRole',
        Condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } },
      });
    });
    const role = roleAccess(indexOf(t), 'EmployeeRole')!;
    expect(role.mfaRequired).toBe(true);
    expect(role.denials).toHaveLength(1);
  });
  test('does not count MFA when only some human grants require it', () => {
    const t = variant(BASE, (t) => {
      trust(t, 'EmployeeRole').push({
        Effect: 'Allow',
        Principal: { AWS: '222222222222' },
        Action: 'sts:AssumeRole',
      });
    });
    expect(roleAccess(indexOf(t), 'EmployeeRole')!.mfaRequired).toBe(false);
  });
  test('gives the logical ID of a role principal that is in the template', () => {
    const t = variant(
      BASE,
      (t) => (trust(t, 'EmployeeRole')[0].Principal = { AWS: { 'Fn::GetAtt': ['ServiceRole', 'Arn'] } }),
    );
    expect(roleAccess(indexOf(t), 'EmployeeRole')!.grants[0].principals[0]).toEqual({
      kind: 'aws',
      text: '${ServiceRole.Arn}',
      account: undefined,
      ref: 'ServiceRole',
    });
  });
  test('treats a federated principal as human-assumable', () => {
    const t = variant(BASE, (t) => {
      trust(t, 'ServiceRole')[0] = {
        Effect: 'Allow',
        Principal: { Federated: 'arn:aws:iam::111111111111:saml-provider/idp' },
        Action: 'sts:AssumeRoleWithSAML',
      };
    });
    expect(roleAccess(indexOf(t), 'ServiceRole')!.humanAssumable).toBe(true);
  });
  test('ignores statements that are not about assuming the role', () => {
    const t = variant(BASE, (t) =>
      trust(t, 'ServiceRole').push({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' }),
    );
    expect(roleAccess(indexOf(t), 'ServiceRole')!.humanAssumable).toBe(false);
  });
});

describe('principalRestriction', () => {
  test.each<[string, Record<string, unknown>, boolean]>([
    ['aws:PrincipalOrgID', { StringEquals: { 'aws:PrincipalOrgID': 'o-abc' } }, true],
    ['aws:SourceArn with ArnLike', { ArnLike: { 'aws:SourceArn': 'arn:aws:s3:::bucket' } }, true],
    [
      'aws:SourceAccount as a Ref',
      { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
      true,
    ],
    ['key names in any case', { StringEquals: { 'AWS:PRINCIPALACCOUNT': '111111111111' } }, true],
    [
      'ForAnyValue on aws:PrincipalOrgPaths',
      { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-abc/r-1/*' } },
      true,
    ],
    ['an IfExists operator', { StringEqualsIfExists: { 'aws:PrincipalAccount': '111111111111' } }, false],
    ['ForAllValues', { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc' } }, false],
    ['a negated operator', { StringNotEquals: { 'aws:PrincipalAccount': '111111111111' } }, false],
    ['a wildcard-only value', { StringLike: { 'aws:PrincipalAccount': '*' } }, false],
    [
      'an ARN with a wildcard account',
      { ArnLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/Admin' } },
      false,
    ],
    ['aws:SourceIp', { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, false],
    ['aws:SourceVpce', { StringEquals: { 'aws:SourceVpce': 'vpce-123' } }, false],
  ])('%s → %s', (_name, condition, restricted) => {
    expect(
      principalRestriction(statement({ Effect: 'Allow', Principal: '*', Condition: condition })) !==
        undefined,
    ).toBe(restricted);
  });
  test('a Deny to "*" is never an open grant', () => {
    expect(isOpenGrant(statement({ Effect: 'Deny', Principal: '*', Action: 's3:*' }))).toBe(false);
  });
});

describe('openGrants', () => {
  test('reads a policy given as JSON text (AWS::Logs::ResourcePolicy)', () => {
    const index = indexOf({
      Resources: {
        Policy: {
          Type: 'AWS::Logs::ResourcePolicy',
          Properties: {
            PolicyName: 'p',
            PolicyDocument: JSON.stringify({
              Statement: [{ Effect: 'Allow', Principal: '*', Action: 'logs:PutLogEvents' }],
            }),
          },
        },
      },
    });
    expect(openGrants(index.get('Policy')!, index).map((g) => g.property)).toEqual(['PolicyDocument']);
  });
  test('reads an EventBridge bus policy with the legacy Principal "*" and an organisation condition', () => {
    const bus = (properties: Record<string, unknown>) => {
      const index = indexOf({
        Resources: { Policy: { Type: 'AWS::Events::EventBusPolicy', Properties: properties } },
      });
      return openGrants(index.get('Policy')!, index);
    };
    expect(bus({ StatementId: 's', Action: 'events:PutEvents', Principal: '*' })).toHaveLength(1);
    expect(
      bus({
        StatementId: 's',
        Action: 'events:PutEvents',
        Principal: '*',
        Condition: { Type: 'StringEquals', Key: 'aws:PrincipalOrgID', Value: 'o-abc' },
      }),
    ).toEqual([]);
  });
  test('reads a Lambda permission’s SourceArn as a restriction', () => {
    const index = indexOf({
      Resources: {
        Permission: {
          Type: 'AWS::Lambda::Permission',
          Properties: {
            FunctionName: 'f',
            Action: 'lambda:InvokeFunction',
            Principal: '*',
            SourceArn: 'arn:aws:s3:::bucket',
          },
        },
      },
    });
    expect(openGrants(index.get('Permission')!, index)).toEqual([]);
  });
});

describe('buckets', () => {
  test('finds bucket policies by Ref and by the bucket’s literal name, and no others', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Bucket.Properties.BucketName = 'clover-data';
      t.Resources.ByName = {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: 'clover-data',
          PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*' }] },
        },
      };
      t.Resources.Elsewhere = {
        Type: 'AWS::S3::BucketPolicy',
        Properties: {
          Bucket: 'another-bucket',
          PolicyDocument: { Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:*' }] },
        },
      };
    });
    const found = bucketPolicyStatements(indexOf(t), 'Bucket').map(
      ({ policy, statement }) => `${policy.logicalId}#${statement.position}`,
    );
    expect(found).toEqual(['BucketPolicy#0', 'BucketPolicy#1', 'ByName#0']);
  });
  test('reports Block Public Access, canned ACL and policy problems together', () => {
    const t = variant(BASE, (t) => {
      t.Resources.Bucket.Properties.PublicAccessBlockConfiguration = {
        BlockPublicAcls: 'true',
        IgnorePublicAcls: 'false',
      };
      t.Resources.Bucket.Properties.AccessControl = 'public-read-write';
      t.Resources.BucketPolicy.Properties.PolicyDocument.Statement.push({
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:PutObject',
      });
    });
    expect(bucketPublicAccessProblems(indexOf(t), 'Bucket')).toEqual([
      'PublicAccessBlockConfiguration leaves BlockPublicPolicy, IgnorePublicAcls, RestrictPublicBuckets off',
      'AccessControl is public-read-write, a canned ACL that grants access beyond the owner',
      expect.stringMatching(
        /^bucket policy BucketPolicy: PolicyDocument statement 2 allows s3:PutObject to every principal/,
      ),
    ]);
  });
});
