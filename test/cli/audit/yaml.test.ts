import { AuditInputError } from '../../../cli/audit/errors';
import { parseCloudFormationYaml } from '../../../cli/audit/yaml';

const parse = (text: string) => parseCloudFormationYaml(text, 'template.yaml') as Record<string, unknown>;

describe('CloudFormation YAML', () => {
  test.each([
    ['!Ref Bucket', { Ref: 'Bucket' }],
    ['!Condition IsProd', { Condition: 'IsProd' }],
    ['!GetAtt Bucket.Arn', { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
    ['!GetAtt Database.Endpoint.Address', { 'Fn::GetAtt': ['Database', 'Endpoint.Address'] }],
    ['!GetAtt [Bucket, Arn]', { 'Fn::GetAtt': ['Bucket', 'Arn'] }],
    ['!Sub "arn:${AWS::Partition}:s3:::${Bucket}"', { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Bucket}' }],
    ['!Sub ["${A}-x", {A: !Ref B}]', { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] }],
    ['!Join ["", [a, !Ref B]]', { 'Fn::Join': ['', ['a', { Ref: 'B' }]] }],
    ['!Select [0, !GetAZs ""]', { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] }],
    ['!Split [",", !ImportValue list]', { 'Fn::Split': [',', { 'Fn::ImportValue': 'list' }] }],
    [
      '!If [IsProd, !Base64 x, !Ref AWS::NoValue]',
      { 'Fn::If': ['IsProd', { 'Fn::Base64': 'x' }, { Ref: 'AWS::NoValue' }] },
    ],
    ['!Equals [!Ref Env, prod]', { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] }],
    [
      '!And [!Condition A, !Or [!Condition B, !Not [!Condition C]]]',
      {
        'Fn::And': [
          { Condition: 'A' },
          { 'Fn::Or': [{ Condition: 'B' }, { 'Fn::Not': [{ Condition: 'C' }] }] },
        ],
      },
    ],
    [
      '!FindInMap [Regions, !Ref AWS::Region, Ami]',
      { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Ami'] },
    ],
    ['!Cidr [10.0.0.0/16, 4, 8]', { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }],
    [
      '!Transform {Name: AWS::Include, Parameters: {Location: s3://b/k}}',
      {
        'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } },
      },
    ],
  ])('reads %s as its long form', (short, long) => {
    expect(parse(`Value: ${short}\n`).Value).toEqual(long);
  });

  test('keeps unquoted dates, versions and yes/no as the strings CloudFormation reads', () => {
    const parsed = parse(
      'Version: 2012-10-17\nWhen: 2026-11-23\nAnswer: yes\nZone: eu-west-1a\nCount: 3\nOn: true\n',
    );
    expect(parsed).toEqual({
      Version: '2012-10-17',
      When: '2026-11-23',
      Answer: 'yes',
      Zone: 'eu-west-1a',
      Count: 3,
      On: true,
    });
  });

  test('resolves tags inside anchors and aliases', () => {
    const parsed = parse('A: &arn !GetAtt Key.Arn\nB: *arn\nC: &list [!Ref X]\nD: *list\n');
    expect(parsed.B).toEqual({ 'Fn::GetAtt': ['Key', 'Arn'] });
    expect(parsed.D).toEqual([{ Ref: 'X' }]);
  });

  test('rejects an unknown tag, naming it, its line and the known short forms', () => {
    expect(() => parse('Resources:\n  A:\n    Type: !Reff X\n')).toThrow(AuditInputError);
    expect(() => parse('Resources:\n  A:\n    Type: !Reff X\n')).toThrow(
      /template\.yaml: unknown tag: !Reff at line 3, column 11; CloudFormation short forms are !Ref, /,
    );
  });

  test('rejects invalid YAML and duplicate keys with the line', () => {
    expect(() => parse('A: [1, 2\n')).toThrow(/template\.yaml is not valid YAML: .*line/);
    expect(() => parse('A: 1\nA: 2\n')).toThrow(
      /template\.yaml is not valid YAML: Map keys must be unique at line 2/,
    );
  });
});
