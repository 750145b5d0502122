import { evaluateConditions, OTHER_VALUE, templateBranches } from '../../lib/audit/branches';
import { NO_VALUE, resolveValue } from '../../lib/audit/intrinsics';
import type { CfnTemplate } from '../../lib/audit/template';
import { findingsOf, resource } from '../helpers/rules';

const env = (
  variables: Record<string, unknown>,
  conditions: Record<string, boolean> = {},
  mappings = {},
) => ({
  variables: new Map(Object.entries(variables)),
  conditions: new Map(Object.entries(conditions)),
  mappings,
});

describe('resolveValue', () => {
  test('replaces Ref to known parameters and pseudo parameters, and keeps the others', () => {
    const e = env({ Size: '10', 'AWS::Region': 'eu-west-1' });
    expect(resolveValue({ Ref: 'Size' }, e)).toBe('10');
    expect(resolveValue({ Ref: 'AWS::Region' }, e)).toBe('eu-west-1');
    expect(resolveValue({ Ref: 'Bucket' }, e)).toEqual({ Ref: 'Bucket' });
  });

  test('drops AWS::NoValue from objects and lists', () => {
    expect(resolveValue({ A: { Ref: 'AWS::NoValue' }, B: [1, { Ref: 'AWS::NoValue' }, 2] }, env({}))).toEqual(
      { B: [1, 2] },
    );
    expect(resolveValue({ Ref: 'AWS::NoValue' }, env({}))).toBe(NO_VALUE);
  });

  test('takes the branch of Fn::If its condition decides, and reports the condition', () => {
    const taken = new Map<string, boolean>();
    const e = {
      ...env({}, { UseKey: false }),
      onCondition: (name: string, value: boolean) => taken.set(name, value),
    };
    expect(
      resolveValue({ KmsKeyId: { 'Fn::If': ['UseKey', { Ref: 'Key' }, { Ref: 'AWS::NoValue' }] } }, e),
    ).toEqual({});
    expect([...taken]).toEqual([['UseKey', false]]);
    expect(resolveValue({ 'Fn::If': ['Unknown', 'a', 'b'] }, env({}))).toEqual({
      'Fn::If': ['Unknown', 'a', 'b'],
    });
  });

  test('reads Fn::FindInMap with the region, and its DefaultValue', () => {
    const mappings = { Regions: { 'eu-west-1': { Ami: 'ami-eu' } } };
    const e = env({ 'AWS::Region': 'eu-west-1' }, {}, mappings);
    expect(resolveValue({ 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Ami'] }, e)).toBe('ami-eu');
    expect(
      resolveValue({ 'Fn::FindInMap': ['Regions', 'eu-north-1', 'Ami', { DefaultValue: 'ami-default' }] }, e),
    ).toBe('ami-default');
  });

  test('substitutes what Fn::Sub can and keeps references to resources', () => {
    const e = env({ Env: 'prod', 'AWS::AccountId': '111111111111' });
    expect(resolveValue({ 'Fn::Sub': 'data-${Env}-${AWS::AccountId}' }, e)).toBe('data-prod-111111111111');
    expect(resolveValue({ 'Fn::Sub': ['${Bucket.Arn}/${Env}/${!Literal}', {}] }, e)).toEqual({
      'Fn::Sub': '${Bucket.Arn}/prod/${!Literal}',
    });
    expect(resolveValue({ 'Fn::Sub': ['${X}-${!Y}', { X: 'a' }] }, e)).toBe('a-${Y}');
  });

  test('evaluates Fn::Join, Fn::Select and Fn::Split of literals', () => {
    const e = env({ Azs: ['eu-west-1a', 'eu-west-1b'], Csv: 'a,b,c' });
    expect(resolveValue({ 'Fn::Join': ['-', ['x', { Ref: 'Csv' }]] }, e)).toBe('x-a,b,c');
    expect(resolveValue({ 'Fn::Select': [1, { Ref: 'Azs' }] }, e)).toBe('eu-west-1b');
    expect(resolveValue({ 'Fn::Select': [2, { 'Fn::Split': [',', { Ref: 'Csv' }] }] }, e)).toBe('c');
    expect(resolveValue({ 'Fn::Join': ['', ['arn:', { Ref: 'Unknown' }]] }, e)).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'Unknown' }]],
    });
  });
});

describe('template branches', () => {
  const context = {
    stackName: 'T',
    region: 'eu-west-1',
    account: '111111111111',
    allowJurisdictions: ['EU'],
    today: '2026-11-23',
  };

  test('evaluates conditions with parameter defaults, and leaves undecidable ones out', () => {
    const template: CfnTemplate = {
      Parameters: { Key: { Type: 'String', Default: '' } },
      Conditions: {
        HasKey: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Key' }, ''] }] },
        InEurope: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
        Both: { 'Fn::And': [{ Condition: 'HasKey' }, { Condition: 'InEurope' }] },
      },
      Resources: {},
    };
    const values = evaluateConditions(
      template,
      new Map<string, unknown>([
        ['Key', ''],
        ['AWS::Region', 'eu-west-1'],
      ]),
    );
    expect(Object.fromEntries(values)).toEqual({ HasKey: false, InEurope: true, Both: false });
  });

  test('has one branch per parameter value that decides a used condition differently, never one for a fixed region', () => {
    const template: CfnTemplate = {
      Parameters: { Key: { Type: 'String', Default: '' } },
      Conditions: {
        HasKey: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'Key' }, ''] }] },
        IsUs: { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'us-east-1'] },
      },
      Resources: {
        Bucket: resource('AWS::SQS::Queue', {
          KmsMasterKeyId: { 'Fn::If': ['HasKey', { Ref: 'Key' }, { Ref: 'AWS::NoValue' }] },
          DelaySeconds: { 'Fn::If': ['IsUs', 1, 0] },
        }),
      },
    };
    const branches = templateBranches(template, context);
    expect(branches.map((b) => [b.changes, Object.fromEntries(b.conditions)])).toEqual([
      [[], { HasKey: false, IsUs: false }],
      [[`parameter Key = ${OTHER_VALUE}`], { HasKey: true, IsUs: false }],
    ]);
  });
});

describe('findings of a branch name its condition', () => {
  const withKeyParameter = (fallback: string): CfnTemplate => ({
    Parameters: { KmsKeyArn: { Type: 'String', Default: fallback } },
    Conditions: { HasKey: { 'Fn::Not': [{ 'Fn::Equals': [{ Ref: 'KmsKeyArn' }, ''] }] } },
    Resources: {
      Secret: resource('AWS::SecretsManager::Secret', {
        KmsKeyId: { 'Fn::If': ['HasKey', { Ref: 'KmsKeyArn' }, { Ref: 'AWS::NoValue' }] },
      }),
    },
  });
  const enc = (template: CfnTemplate) =>
    findingsOf(template)
      .filter((f) => f.rule.startsWith('CLV-ENC-'))
      .map((f) => `${f.rule} ${f.message}`);

  test('Fn::If [cond, Ref Param, AWS::NoValue] with an empty default is not a customer-managed key', () => {
    expect(enc(withKeyParameter(''))).toEqual([
      'CLV-ENC-8 KmsKeyId is not set: an AWS-managed key (alias/aws/…), whose key policy the account cannot restrict or revoke [when condition HasKey is false (parameter defaults)]',
      expect.stringMatching(
        /^CLV-ENC-10 the key parameter KmsKeyArn \(its value is given at deploy time\) is outside the audited templates.* \[when condition HasKey is true \(parameter KmsKeyArn = \(any other value\)\)\]$/,
      ),
    ]);
  });

  test('… nor with an AWS-managed default', () => {
    expect(enc(withKeyParameter('alias/aws/secretsmanager'))).toEqual([
      expect.stringMatching(
        /^CLV-ENC-8 KmsKeyId names a key: an AWS-managed key .*\[when condition HasKey is true \(parameter defaults\)\]$/,
      ),
      expect.stringMatching(
        /^CLV-ENC-8 KmsKeyId is not set: .*\[when condition HasKey is false \(parameter KmsKeyArn = ""\)\]$/,
      ),
    ]);
  });

  test('a resource that exists only in one branch is judged in it, and its findings say so', () => {
    const template: CfnTemplate = {
      Parameters: { Trail: { Type: 'String', Default: 'no', AllowedValues: ['yes', 'no'] } },
      Conditions: { WithTrail: { 'Fn::Equals': [{ Ref: 'Trail' }, 'yes'] } },
      Resources: {
        Trail: {
          ...resource('AWS::CloudTrail::Trail', {
            IsLogging: false,
            S3BucketName: 'b',
            IsMultiRegionTrail: true,
          }),
          Condition: 'WithTrail',
        },
      },
    };
    expect(
      findingsOf(template)
        .filter((f) => f.rule === 'CLV-LOG-6')
        .map((f) => f.message),
    ).toEqual([
      'IsLogging is false: the trail records nothing [when condition WithTrail is true (parameter Trail = "yes")]',
    ]);
  });

  test('a finding of every branch is reported once, without a label', () => {
    const template: CfnTemplate = {
      Parameters: { Mode: { Type: 'String', Default: 'a', AllowedValues: ['a', 'b'] } },
      Conditions: { IsA: { 'Fn::Equals': [{ Ref: 'Mode' }, 'a'] } },
      Resources: { Queue: resource('AWS::SQS::Queue', { DelaySeconds: { 'Fn::If': ['IsA', 1, 2] } }) },
    };
    expect(
      findingsOf(template)
        .filter((f) => f.rule === 'CLV-ENC-3')
        .map((f) => f.message),
    ).toEqual([
      'no KmsMasterKeyId, so SQS applies its default SSE-SQS: a key AWS owns, which the account can neither see, audit nor revoke',
    ]);
  });
});
