import { runSimulation, Simulation } from '@cloud-copilot/iam-simulate';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { CfnTemplate } from '../../lib/audit/template';
import { approvedEmployeeRoleName, auditorRoleName, breakGlassRoleName } from '../../lib/config/naming';
import { auditorExternalId } from '../../lib/constructs/access/naming';
import { buildTestApp } from '../helpers/app';
import { CDK_JSON_CONTEXT } from '../stacks/cdk-json-context';
import { PolicyResolver } from './resolve';

/**
 * Policy simulation with @cloud-copilot/iam-simulate over the synthesized documents of the
 * default synth (dublin-1): the roles' trust policies, their inline policies, the permissions
 * boundary, and the data bucket and key policies.
 */
const ACCOUNT = '111111111111';
const REGION = 'eu-west-1';
const ENV = { account: ACCOUNT, region: REGION, partition: 'aws' };

function enclaveTemplates(context: Record<string, unknown> = {}) {
  const built = buildTestApp({ ...CDK_JSON_CONTEXT, ...context });
  const stage = built.enclaveStages.find((candidate) => candidate.enclave.name === 'dublin-1')!;
  const json = (stack: Stack) => Template.fromStack(stack).toJSON() as CfnTemplate;
  const data = json(stage.data);
  const access = json(stage.access!);
  return { data, access, resolver: new PolicyResolver(ENV, [data, access]) };
}

const defaults = enclaveTemplates();

interface Role {
  readonly arn: string;
  readonly trust: unknown;
  readonly policies: Array<{ name: string; policy: unknown }>;
  readonly boundary: unknown;
}

function role(name: string, templates = defaults): Role {
  const { access, resolver } = templates;
  const entry = Object.values(access.Resources).find(
    (resource) => resource.Type === 'AWS::IAM::Role' && resource.Properties?.RoleName === name,
  );
  if (!entry) throw new Error(`role ${name} is not in the Access template`);
  const props = entry.Properties!;
  const boundaryId = (props.PermissionsBoundary as { Ref: string }).Ref;
  return {
    arn: `arn:aws:iam::${ACCOUNT}:role/${name}`,
    trust: resolver.resolve(props.AssumeRolePolicyDocument, access),
    policies: (props.Policies as Array<{ PolicyName: string; PolicyDocument: unknown }>).map((policy) => ({
      name: policy.PolicyName,
      policy: resolver.resolve(policy.PolicyDocument, access),
    })),
    boundary: resolver.resolve(access.Resources[boundaryId].Properties!.PolicyDocument, access),
  };
}

/** The resolved resource policy (`PolicyDocument`/`KeyPolicy`) of the Data-stack resource matching `match`. */
function dataPolicy(
  type: string,
  property: string,
  match: (resource: Record<string, unknown>) => boolean,
): unknown {
  const { data, resolver } = defaults;
  const entry = Object.values(data.Resources).find(
    (resource) => resource.Type === type && match(resource.Properties ?? {}),
  );
  if (!entry) throw new Error(`no ${type} matches`);
  return resolver.resolve(entry.Properties![property], data);
}

type Context = Record<string, string | string[]>;

async function decide(simulation: Simulation): Promise<string> {
  const result = await runSimulation(simulation, {});
  if (result.resultType === 'error') throw new Error(`simulation rejected: ${JSON.stringify(result.errors)}`);
  return result.overallResult;
}

/** An employee's Identity Center session in the enclave account asks STS to assume `target`. */
function assume(
  target: Role,
  context: Context,
  caller = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Engineer_0123/alice`,
) {
  return decide({
    request: {
      principal: caller,
      action: 'sts:AssumeRole',
      resource: { resource: target.arn, accountId: ACCOUNT },
      contextVariables: context,
    },
    identityPolicies: [
      {
        name: 'may-assume',
        policy: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: target.arn }],
        },
      },
    ],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: target.trust,
  });
}

const APPROVED: Context = {
  'aws:MultiFactorAuthPresent': 'true',
  'aws:PrincipalTag/clover:approved': 'true',
  'aws:PrincipalTag/clover:employee-jurisdiction': 'EU',
  'aws:RequestedRegion': REGION,
};

function without(context: Context, key: string): Context {
  const copy = { ...context };
  delete copy[key];
  return copy;
}

describe('approved-employee role trust', () => {
  const employee = role(approvedEmployeeRoleName('dublin-1'));

  test('allows an approved session with MFA from an allowed jurisdiction', async () => {
    expect(await assume(employee, APPROVED)).toBe('Allowed');
    expect(
      await assume(employee, { ...APPROVED, 'aws:PrincipalTag/clover:employee-jurisdiction': 'EEA' }),
    ).toBe('Allowed');
  });

  test('denies a session tagged with a blocked jurisdiction, explicitly', async () => {
    for (const blocked of ['CN', 'RU', 'KP', 'IR']) {
      expect(
        await assume(employee, { ...APPROVED, 'aws:PrincipalTag/clover:employee-jurisdiction': blocked }),
      ).toBe('ExplicitlyDenied');
    }
  });

  test('denies an untagged session, explicitly', async () => {
    expect(await assume(employee, without(APPROVED, 'aws:PrincipalTag/clover:employee-jurisdiction'))).toBe(
      'ExplicitlyDenied',
    );
  });

  test('denies a session without MFA, explicitly, and one whose MFA is unknown', async () => {
    expect(await assume(employee, { ...APPROVED, 'aws:MultiFactorAuthPresent': 'false' })).toBe(
      'ExplicitlyDenied',
    );
    expect(await assume(employee, without(APPROVED, 'aws:MultiFactorAuthPresent'))).not.toBe('Allowed');
  });

  test('denies an employee who is not approved, and one from a jurisdiction that is neither allowed nor blocked', async () => {
    expect(await assume(employee, without(APPROVED, 'aws:PrincipalTag/clover:approved'))).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await assume(employee, { ...APPROVED, 'aws:PrincipalTag/clover:employee-jurisdiction': 'US' }),
    ).toBe('ImplicitlyDenied');
  });

  test('denies session tags that claim an allowed jurisdiction for a blocked identity', async () => {
    const claim = {
      ...APPROVED,
      'aws:PrincipalTag/clover:employee-jurisdiction': 'CN',
      'aws:RequestTag/clover:employee-jurisdiction': 'EU',
      'aws:TagKeys': ['clover:employee-jurisdiction'],
    };
    expect(await assume(employee, claim)).toBe('ExplicitlyDenied');
  });

  test('denies the global STS endpoint, whose CloudTrail event would land outside Europe', async () => {
    expect(await assume(employee, { ...APPROVED, 'aws:RequestedRegion': 'us-east-1' })).toBe(
      'ImplicitlyDenied',
    );
  });

  test('denies a principal of another account', async () => {
    expect(await assume(employee, APPROVED, 'arn:aws:iam::999999999999:user/mallory')).not.toBe('Allowed');
  });
});

describe('approved-employee permissions', () => {
  const employee = role(approvedEmployeeRoleName('dublin-1'));
  const bucketPolicy = dataPolicy('AWS::S3::BucketPolicy', 'PolicyDocument', (props) =>
    JSON.stringify(props.Bucket).includes('VaultBucketspersonal'),
  );
  const object = 'arn:aws:s3:::clover-dublin-1-personal-111111111111-eu-west-1/users/42.json';

  const getObject = (principalRole: Role, context: Context) =>
    decide({
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${principalRole.arn.split('/')[1]}/alice`,
        action: 's3:GetObject',
        resource: { resource: object, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: principalRole.policies,
      permissionBoundaryPolicies: [{ name: 'boundary', policy: principalRole.boundary }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: bucketPolicy,
    });

  test('reads a personal-data object over TLS 1.2 or later', async () => {
    expect(await getObject(employee, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' })).toBe(
      'Allowed',
    );
  });

  test('is refused the same object without TLS or below TLS 1.2, by the bucket policy', async () => {
    expect(await getObject(employee, { 'aws:SecureTransport': 'false', 's3:TlsVersion': '1.2' })).toBe(
      'ExplicitlyDenied',
    );
    expect(await getObject(employee, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.1' })).toBe(
      'ExplicitlyDenied',
    );
  });

  test('leaves the independent auditor unable to read user data, explicitly', async () => {
    const auditor = role(auditorRoleName('dublin-1'));
    expect(await getObject(auditor, { 'aws:SecureTransport': 'true', 's3:TlsVersion': '1.3' })).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('independent auditor', () => {
  const auditor = role(auditorRoleName('dublin-1'));
  const externalId = auditorExternalId('dublin-1', ACCOUNT);
  const assumeFrom = (caller: string, context: Context) =>
    decide({
      request: {
        principal: caller,
        action: 'sts:AssumeRole',
        resource: { resource: auditor.arn, accountId: ACCOUNT },
        contextVariables: context,
      },
      identityPolicies: [
        {
          name: 'provider',
          policy: {
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: auditor.arn }],
          },
        },
      ],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: auditor.trust,
    });

  test('is assumable by the monitoring auditor role with the external ID, and only then', async () => {
    const monitoring = 'arn:aws:iam::444444444444:role/clover-monitoring-independent-auditor';
    const session = (roleArn: string) => ({
      caller: roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/provider',
      context: (extra: Context) => ({ 'aws:PrincipalArn': roleArn, ...extra }),
    });
    const named = session(monitoring);
    expect(await assumeFrom(named.caller, named.context({ 'sts:ExternalId': externalId }))).toBe('Allowed');
    expect(await assumeFrom(named.caller, named.context({}))).toBe('ImplicitlyDenied');
    expect(await assumeFrom(named.caller, named.context({ 'sts:ExternalId': 'guess' }))).toBe(
      'ImplicitlyDenied',
    );
    // Any other principal of the monitoring account, even with the (not secret) external ID: refused.
    const other = session('arn:aws:iam::444444444444:role/monitor-auditor');
    expect(await assumeFrom(other.caller, other.context({ 'sts:ExternalId': externalId }))).toBe(
      'ImplicitlyDenied',
    );
    expect(await assumeFrom(`arn:aws:iam::${ACCOUNT}:user/insider`, { 'sts:ExternalId': externalId })).toBe(
      'ImplicitlyDenied',
    );
  });

  test('cannot decrypt with a data key, explicitly', async () => {
    const keyPolicy = dataPolicy('AWS::KMS::Key', 'KeyPolicy', (props) =>
      String(props.Description).includes('personal'),
    );
    const personalKey = (
      auditor.policies.find((p) => p.name === 'NoUserData')!.policy as {
        Statement: Array<{ Sid: string; Resource: string[] }>;
      }
    ).Statement.find((s) => s.Sid === 'DenyDecryptingUserData')!.Resource.find((arn) =>
      arn.includes('personal'),
    )!;
    expect(personalKey).toMatch(/^arn:aws:kms:eu-west-1:111111111111:key\/key-VaultKeyspersonalKey/);
    const result = await decide({
      request: {
        principal: `arn:aws:sts::${ACCOUNT}:assumed-role/${auditorRoleName('dublin-1')}/provider`,
        action: 'kms:Decrypt',
        resource: { resource: personalKey, accountId: ACCOUNT },
        contextVariables: { 'kms:ViaService': 's3.eu-west-1.amazonaws.com', 'kms:CallerAccount': ACCOUNT },
      },
      identityPolicies: auditor.policies,
      permissionBoundaryPolicies: [{ name: 'boundary', policy: auditor.boundary }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: keyPolicy,
    });
    expect(result).toBe('ExplicitlyDenied');
  });
});

describe('break-glass role trust', () => {
  const templates = enclaveTemplates({ config: 'test/fixtures/access/break-glass-guardrails.json' });
  const breakGlass = role(breakGlassRoleName('dublin-1'), templates);

  test('allows an approved session with MFA until the end of the expiry day', async () => {
    expect(await assume(breakGlass, { ...APPROVED, 'aws:CurrentTime': '2026-12-31T23:59:59Z' })).toBe(
      'Allowed',
    );
  });

  test('denies every session after the expiry day', async () => {
    expect(await assume(breakGlass, { ...APPROVED, 'aws:CurrentTime': '2027-01-01T00:00:00Z' })).toBe(
      'ImplicitlyDenied',
    );
  });

  test('denies blocked, untagged and MFA-less sessions like the approved-employee role', async () => {
    const now = { 'aws:CurrentTime': '2026-12-01T10:00:00Z' };
    expect(
      await assume(breakGlass, {
        ...APPROVED,
        ...now,
        'aws:PrincipalTag/clover:employee-jurisdiction': 'RU',
      }),
    ).toBe('ExplicitlyDenied');
    expect(
      await assume(breakGlass, {
        ...without(APPROVED, 'aws:PrincipalTag/clover:employee-jurisdiction'),
        ...now,
      }),
    ).toBe('ExplicitlyDenied');
    expect(await assume(breakGlass, { ...APPROVED, ...now, 'aws:MultiFactorAuthPresent': 'false' })).toBe(
      'ExplicitlyDenied',
    );
  });
});

describe('approved-employee role trust with access.identitySource identity-center', () => {
  const templates = enclaveTemplates({ config: 'test/fixtures/access/identity-center.json' });
  const employee = role(approvedEmployeeRoleName('dublin-1'), templates);
  const permissionSet = `arn:aws:iam::${ACCOUNT}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Engineer_0123abcd`;
  const session = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Engineer_0123abcd/alice@example.eu`;
  // Identity Center and SAML sessions carry no aws:MultiFactorAuthPresent: MFA is enforced at sign-in.
  const TAGGED: Context = {
    'aws:PrincipalArn': permissionSet,
    'aws:PrincipalTag/clover:approved': 'true',
    'aws:PrincipalTag/clover:employee-jurisdiction': 'EU',
    'aws:RequestedRegion': REGION,
  };

  test('allows a permission-set session with the approved-employee tags, without an MFA key', async () => {
    expect(await assume(employee, TAGGED, session)).toBe('Allowed');
  });

  test('denies an IAM role of the account with the same tags (not a permission set), explicitly', async () => {
    expect(
      await assume(
        employee,
        { ...TAGGED, 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:role/engineer` },
        `arn:aws:sts::${ACCOUNT}:assumed-role/engineer/alice`,
      ),
    ).toBe('ExplicitlyDenied');
  });

  test('denies a permission-set session without the tags, or from a blocked jurisdiction', async () => {
    expect(await assume(employee, without(TAGGED, 'aws:PrincipalTag/clover:approved'), session)).toBe(
      'ImplicitlyDenied',
    );
    expect(
      await assume(employee, { ...TAGGED, 'aws:PrincipalTag/clover:employee-jurisdiction': 'CN' }, session),
    ).toBe('ExplicitlyDenied');
  });

  test('with identitySource iam (the default) the same session without MFA is refused', async () => {
    const iamEmployee = role(approvedEmployeeRoleName('dublin-1'));
    expect(await assume(iamEmployee, TAGGED, session)).not.toBe('Allowed');
  });
});
