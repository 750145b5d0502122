import {
  collectReferences,
  foldedString,
  isFalse,
  isTrue,
  referencedLogicalId,
} from '../../lib/audit/values';

describe('template value helpers', () => {
  test('reads booleans in both forms CloudFormation accepts', () => {
    expect([isTrue(true), isTrue('true'), isTrue('TRUE'), isTrue('yes')]).toEqual([true, true, true, false]);
    expect([isFalse(false), isFalse('false'), isFalse(0)]).toEqual([true, true, false]);
  });

  test('follows Ref and both Fn::GetAtt forms', () => {
    expect(referencedLogicalId({ Ref: 'Vpc' })).toBe('Vpc');
    expect(referencedLogicalId({ 'Fn::GetAtt': ['Subnet', 'AvailabilityZone'] })).toBe('Subnet');
    expect(referencedLogicalId({ 'Fn::GetAtt': 'Subnet.AvailabilityZone' })).toBe('Subnet');
  });

  test('collects references inside Fn::Sub, skipping pseudo parameters and local variables', () => {
    const refs = collectReferences({
      'Fn::Sub': ['${Bucket.Arn}/${AWS::Region}/${Local}', { Local: { Ref: 'Key' } }],
    });
    expect([...refs].sort()).toEqual(['Bucket', 'Key']);
  });

  test('folds a partition-aware service principal back to its name', () => {
    expect(foldedString({ 'Fn::Join': ['', ['lambda.', { Ref: 'AWS::URLSuffix' }]] })).toBe(
      'lambda.amazonaws.com',
    );
    expect(
      foldedString({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/X']] }),
    ).toBe('arn:aws:iam::aws:policy/X');
    expect(foldedString({ 'Fn::Join': ['', ['a', { Ref: 'Other' }]] })).toBeUndefined();
  });
});

describe('TemplateIndex', () => {
  test('shows rules partition-aware principals as their literal names', () => {
    const { TemplateIndex } = require('../../lib/audit/template');
    const index = new TemplateIndex(
      {
        Resources: {
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Statement: [
                  {
                    Effect: 'Allow',
                    Principal: { Service: { 'Fn::Join': ['', ['lambda.', { Ref: 'AWS::URLSuffix' }]] } },
                  },
                ],
              },
            },
          },
        },
      },
      { stackName: 'S', allowJurisdictions: ['EU'], today: '2026-11-23' },
    );
    expect(index.get('Role').properties.AssumeRolePolicyDocument.Statement[0].Principal.Service).toBe(
      'lambda.amazonaws.com',
    );
  });
});
