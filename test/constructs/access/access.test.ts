import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { ApprovedEmployeeRole } from '../../../lib/constructs/access/approved-employee-role';
import { AuditorRole } from '../../../lib/constructs/access/auditor-role';
import { HumanPermissionsBoundary } from '../../../lib/constructs/access/boundary';
import { BreakGlassAccess } from '../../../lib/constructs/access/break-glass';
import { auditorExternalId } from '../../../lib/constructs/access/naming';
import { dataResourcesOf } from '../../../lib/constructs/access/permissions';
import { humanTrustStatements, nextDay } from '../../../lib/constructs/access/trust';
import { withPartitionToken } from '../../../lib/constructs/access/wildcard-justifications';

const MONITORING_AUDITOR = 'arn:aws:iam::444444444444:role/clover-monitoring-independent-auditor';
import { DataVault } from '../../../lib/constructs/data-vault/data-vault';

const TRUST = {
  allowedJurisdictions: ['EU', 'EEA'],
  blockedJurisdictions: ['CN', 'RU'],
  region: 'eu-west-1',
};

function accessStack(breakGlass?: { expires: string; alertUrl?: string }) {
  const app = new App();
  const stack = new Stack(app, 'Access', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vault = new DataVault(stack, 'Vault', {
    enclave: 'dublin-1',
    dataClasses: ['personal', 'telemetry'],
  });
  const data = dataResourcesOf(stack, vault);
  const boundary = new HumanPermissionsBoundary(stack, 'Boundary', { enclave: 'dublin-1', data }).policy;
  const employee = new ApprovedEmployeeRole(stack, 'Employee', {
    enclave: 'dublin-1',
    data,
    boundary,
    ...TRUST,
  });
  const auditor = new AuditorRole(stack, 'Auditor', {
    enclave: 'dublin-1',
    data,
    boundary,
    trustedRoleArn: MONITORING_AUDITOR,
  });
  const glass = breakGlass
    ? new BreakGlassAccess(stack, 'BreakGlass', {
        enclave: 'dublin-1',
        data,
        boundary,
        ...TRUST,
        ...breakGlass,
      })
    : undefined;
  return { stack, employee, auditor, glass, template: Template.fromStack(stack) };
}

function roleNamed(template: Template, name: string) {
  const roles = template.findResources('AWS::IAM::Role', { Properties: { RoleName: name } });
  expect(Object.keys(roles)).toHaveLength(1);
  return Object.values(roles)[0].Properties;
}

const statementsOf = (doc: { Statement: Array<Record<string, unknown>> }) => doc.Statement;

describe('human trust', () => {
  const statements = humanTrustStatements(TRUST).map((statement) => statement.toStatementJson());

  test('allows AssumeRole only with MFA, approval, an allowed jurisdiction and the regional STS endpoint', () => {
    expect(statements[0]).toMatchObject({
      Sid: 'ApprovedEmployeesWithMfa',
      Effect: 'Allow',
      Action: 'sts:AssumeRole',
      Condition: {
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        StringEquals: {
          'aws:PrincipalTag/clover:approved': 'true',
          'aws:PrincipalTag/clover:employee-jurisdiction': ['EU', 'EEA'],
          'aws:RequestedRegion': 'eu-west-1',
        },
      },
    });
  });

  test('allows session tags only when they repeat the identity’s own tags', () => {
    expect(statements[1]).toMatchObject({
      Sid: 'SessionTagsRepeatTheIdentity',
      Action: 'sts:TagSession',
      Condition: {
        StringEquals: {
          'aws:RequestTag/clover:approved': '${aws:PrincipalTag/clover:approved}',
          'aws:RequestTag/clover:employee-jurisdiction': '${aws:PrincipalTag/clover:employee-jurisdiction}',
        },
        'ForAllValues:StringEquals': { 'aws:TagKeys': ['clover:approved', 'clover:employee-jurisdiction'] },
      },
    });
  });

  test('denies blocked or missing jurisdictions and sessions without MFA, whoever asks', () => {
    const denies = statements.filter((statement) => statement.Effect === 'Deny');
    expect(denies.map((statement) => [statement.Sid, statement.Condition])).toEqual([
      [
        'DenyBlockedJurisdictions',
        { StringEquals: { 'aws:PrincipalTag/clover:employee-jurisdiction': ['CN', 'RU'] } },
      ],
      [
        'DenyBlockedJurisdictionSessionTags',
        { StringEquals: { 'aws:RequestTag/clover:employee-jurisdiction': ['CN', 'RU'] } },
      ],
      ['DenyMissingJurisdiction', { Null: { 'aws:PrincipalTag/clover:employee-jurisdiction': 'true' } }],
      ['DenyWithoutMfa', { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }],
    ]);
    for (const deny of denies) {
      expect(deny.Principal).toEqual({ AWS: '*' });
      expect(deny.Action).toEqual(['sts:AssumeRole', 'sts:TagSession']);
    }
  });

  test('ends at midnight UTC after the expiry day when one is given', () => {
    const [allow] = humanTrustStatements({ ...TRUST, expires: '2026-12-31' }).map((s) => s.toStatementJson());
    expect(allow.Condition.DateLessThan).toEqual({ 'aws:CurrentTime': '2027-01-01T00:00:00Z' });
    expect(statements[0].Condition.DateLessThan).toBeUndefined();
  });

  test('computes the next day across month and leap-year ends, and rejects a non-date', () => {
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2026-11-30')).toBe('2026-12-01');
    expect(() => nextDay('tomorrow')).toThrow(/"tomorrow" is not a date; write it as YYYY-MM-DD/);
  });
});

describe('approved-employee and auditor roles', () => {
  const { template, auditor } = accessStack();

  test('gives the approved-employee role exactly the human trust, one-hour sessions and the boundary', () => {
    const role = roleNamed(template, 'clover-dublin-1-approved-employee');
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.PermissionsBoundary).toEqual({ Ref: expect.stringMatching(/^BoundaryPolicy/) });
    const trust = statementsOf(role.AssumeRolePolicyDocument);
    expect(trust.map((statement) => statement.Sid)).toEqual([
      'ApprovedEmployeesWithMfa',
      'SessionTagsRepeatTheIdentity',
      'DenyBlockedJurisdictions',
      'DenyBlockedJurisdictionSessionTags',
      'DenyMissingJurisdiction',
      'DenyWithoutMfa',
    ]);
  });

  test('grants the approved employee the data stores by ARN, never "*"', () => {
    const role = roleNamed(template, 'clover-dublin-1-approved-employee');
    const statements = role.Policies[0].PolicyDocument.Statement as Array<Record<string, unknown>>;
    for (const statement of statements) {
      expect([statement.Resource].flat()).not.toContain('*');
      expect([statement.Action].flat().some((action) => String(action).endsWith(':*'))).toBe(false);
    }
    expect(statements.find((s) => s.Sid === 'DataObjects')?.Resource).toEqual(
      expect.arrayContaining([
        {
          'Fn::Join': [
            '',
            ['arn:', { Ref: 'AWS::Partition' }, ':s3:::clover-dublin-1-personal-111111111111-eu-west-1/*'],
          ],
        },
      ]),
    );
  });

  test('lets only the monitoring auditor role assume the auditor role, with the external ID', () => {
    const role = roleNamed(template, 'clover-dublin-1-independent-auditor');
    expect(statementsOf(role.AssumeRolePolicyDocument)).toEqual([
      {
        Sid: 'MonitoringAuditorWithExternalId',
        Effect: 'Allow',
        Principal: {
          AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::444444444444:root']] },
        },
        Action: 'sts:AssumeRole',
        // Not every principal of the monitoring account: the external ID is no secret.
        Condition: {
          ArnEquals: { 'aws:PrincipalArn': MONITORING_AUDITOR },
          StringEquals: { 'sts:ExternalId': 'clover-audit-dublin-1-111111111111' },
        },
      },
    ]);
    expect(auditor.externalId).toBe(auditorExternalId('dublin-1', '111111111111'));
    expect(role.PermissionsBoundary).toBeDefined();
  });

  test('never allows the auditor to decrypt or read user data, and denies it explicitly', () => {
    const role = roleNamed(template, 'clover-dublin-1-independent-auditor');
    const policies = role.Policies as Array<{
      PolicyName: string;
      PolicyDocument: { Statement: Array<Record<string, unknown>> };
    }>;
    const allowed = policies.flatMap((p) => p.PolicyDocument.Statement).filter((s) => s.Effect === 'Allow');
    const allowedActions = allowed.flatMap((s) => [s.Action].flat());
    for (const forbidden of [
      // Raw log events carry the personal data the shipper pseudonymises: evidence, not data.
      'logs:GetLogEvents',
      'logs:FilterLogEvents',
      'logs:StartQuery',
      'kms:Decrypt',
      's3:GetObject',
      'dynamodb:GetItem',
      'dynamodb:Scan',
      'sqs:ReceiveMessage',
    ]) {
      expect(allowedActions).not.toContain(forbidden);
    }
    const denies = policies.find((p) => p.PolicyName === 'NoUserData')!.PolicyDocument.Statement;
    expect(denies).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          Sid: 'DenyDecryptingUserData',
          Effect: 'Deny',
          Action: expect.arrayContaining(['kms:Decrypt']),
        }),
        expect.objectContaining({
          Sid: 'DenyReadingUserData',
          Effect: 'Deny',
          Action: ['s3:GetObject', 's3:GetObjectVersion'],
        }),
        expect.objectContaining({
          Sid: 'DenyReadingRawLogEvents',
          Effect: 'Deny',
          Action: ['logs:FilterLogEvents', 'logs:GetLogEvents', 'logs:StartQuery'],
        }),
      ]),
    );
    expect(denies.find((s) => s.Sid === 'DenyDecryptingUserData')!.Resource).toHaveLength(2);
  });

  test('creates no break-glass role unless asked', () => {
    expect(
      Object.keys(
        template.findResources('AWS::IAM::Role', { Properties: { RoleName: 'clover-dublin-1-break-glass' } }),
      ),
    ).toEqual([]);
  });

  test('bounds every human role with the one managed boundary policy', () => {
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'clover-dublin-1-human-boundary',
    });
  });

  test('refuses an auditor role whose trusted role names no account', () => {
    const stack = new Stack(new App(), 'Empty', { env: { account: '111111111111', region: 'eu-west-1' } });
    const vault = new DataVault(stack, 'Vault', { enclave: 'dublin-1', dataClasses: ['personal'] });
    const data = dataResourcesOf(stack, vault);
    const boundary = new iam.ManagedPolicy(stack, 'B', {
      statements: [new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: ['*'] })],
    });
    expect(
      () =>
        new AuditorRole(stack, 'Auditor', {
          enclave: 'dublin-1',
          data,
          boundary,
          trustedRoleArn: 'clover-monitoring-independent-auditor',
        }),
    ).toThrow(
      /trustedRoleArn "clover-monitoring-independent-auditor" names no account; give the monitoring auditor role's ARN/,
    );
  });
});

describe('break-glass access', () => {
  const { template, glass, stack } = accessStack({
    expires: '2026-12-31',
    alertUrl: 'https://alerts.monitor.example.eu/v1/alerts',
  });

  test('is a one-hour role that IAM refuses after the expiry day, tagged with it', () => {
    const role = roleNamed(template, 'clover-dublin-1-break-glass');
    expect(role.MaxSessionDuration).toBe(3600);
    expect(role.Tags).toEqual(
      expect.arrayContaining([{ Key: 'clover:break-glass-expires', Value: '2026-12-31' }]),
    );
    const allow = statementsOf(role.AssumeRolePolicyDocument)[0];
    expect(allow.Condition).toMatchObject({
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
      DateLessThan: { 'aws:CurrentTime': '2027-01-01T00:00:00Z' },
    });
    expect(role.PermissionsBoundary).toBeDefined();
  });

  test('may recover the data keys', () => {
    const role = roleNamed(template, 'clover-dublin-1-break-glass');
    const statements = role.Policies[0].PolicyDocument.Statement as Array<Record<string, unknown>>;
    expect(statements.find((s) => s.Sid === 'DataKeyRecovery')?.Action).toEqual(
      expect.arrayContaining(['kms:EnableKey', 'kms:CancelKeyDeletion']),
    );
  });

  test('raises an alarm on every AssumeRole of the role, to a topic encrypted with a rotating enclave key', () => {
    const roleArn = stack.resolve(glass!.role.roleArn);
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.sts'],
        'detail-type': ['AWS API Call via CloudTrail'],
        detail: { eventName: ['AssumeRole'], requestParameters: { roleArn: [roleArn] } },
      },
      Targets: [
        Match.objectLike({
          Arn: { Ref: Match.stringLikeRegexp('BreakGlassAlarmTopic') },
          RoleArn: Match.anyValue(),
        }),
      ],
    });
    const topicKey = stack.resolve(glass!.alarmKey.key.keyArn);
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: topicKey });
    template.hasResourceProperties('AWS::KMS::Alias', {
      AliasName: 'alias/clover/dublin-1/break-glass-alarms',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'https',
      Endpoint: 'https://alerts.monitor.example.eu/v1/alerts',
    });
  });
});

describe('IAM wildcard findings', () => {
  test('matches findings whether cdk-nag renders the partition as a token or as its name', () => {
    expect(withPartitionToken('Resource::arn:aws-eusc:s3:::clover-x/*')).toBe(
      'Resource::arn:<AWS::Partition>:s3:::clover-x/*',
    );
    expect(withPartitionToken('Resource::arn:aws:iam::111111111111:role/clover-x-*')).toBe(
      'Resource::arn:<AWS::Partition>:iam::111111111111:role/clover-x-*',
    );
    expect(withPartitionToken('Resource::arn:<AWS::Partition>:s3:::x/*')).toBe(
      'Resource::arn:<AWS::Partition>:s3:::x/*',
    );
  });
});
