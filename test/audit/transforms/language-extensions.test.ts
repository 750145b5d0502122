import type { CfnTemplate } from '../../../lib/audit/template';
import { expandTransforms, TemplateTransformError } from '../../../lib/audit/transforms';
import { findingsOf } from '../../helpers/rules';

const TRANSFORM = 'AWS::LanguageExtensions';

/** A queue as a team might write it: encrypted with SQS-managed keys (CLV-ENC-3), or with a customer key. */
const queue = (name: unknown, key?: unknown) => ({
  Type: 'AWS::SQS::Queue',
  Properties: { QueueName: name, ...(key ? { KmsMasterKeyId: key } : { SqsManagedSseEnabled: true }) },
});

const expand = (template: Record<string, unknown>) => expandTransforms(template, { region: 'eu-west-1' });
const lines = (template: Record<string, unknown>) =>
  findingsOf(template as unknown as CfnTemplate)
    .map((finding) => `${finding.rule} ${finding.resource}: ${finding.message}`)
    .sort();

describe('Fn::ForEach (AWS::LanguageExtensions)', () => {
  test('a loop over resources is judged exactly like the resources written out', () => {
    const looped = {
      Transform: TRANSFORM,
      Resources: {
        'Fn::ForEach::Queues': [
          'Name',
          ['orders', 'invoices'],
          { 'Queue${Name}': queue({ 'Fn::Sub': 'app-${Name}' }) },
        ],
      },
    };
    const written = {
      Resources: { Queueorders: queue('app-orders'), Queueinvoices: queue('app-invoices') },
    };
    const { template, incomplete } = expand(looped);
    expect(template.Resources).toEqual(written.Resources);
    expect(incomplete).toEqual([]);
    expect(lines(template)).toEqual(lines(written));
    expect(lines(template).filter((line) => line.startsWith('CLV-ENC-3'))).toHaveLength(2);
  });

  test('nested loops, &{} keys and Ref to the identifier reach every copy', () => {
    const { template } = expand({
      Transform: TRANSFORM,
      Resources: {
        'Fn::ForEach::Tiers': [
          'Tier',
          ['hot', 'cold'],
          {
            'Fn::ForEach::Zones': [
              'Cidr',
              ['10.0.1.0/24', '10.0.2.0/24'],
              {
                'Subnet${Tier}&{Cidr}': {
                  Type: 'AWS::EC2::Subnet',
                  Properties: { CidrBlock: { Ref: 'Cidr' }, Tags: [{ Key: 'tier', Value: { Ref: 'Tier' } }] },
                },
              },
            ],
          },
        ],
      },
    });
    expect(Object.keys(template.Resources as object)).toEqual([
      'Subnethot1001024',
      'Subnethot1002024',
      'Subnetcold1001024',
      'Subnetcold1002024',
    ]);
    expect(
      (template.Resources as Record<string, { Properties: unknown }>).Subnetcold1002024.Properties,
    ).toEqual({
      CidrBlock: '10.0.2.0/24',
      Tags: [{ Key: 'tier', Value: 'cold' }],
    });
  });

  test('loops in Outputs and Conditions unroll too; Fn::Sub without variables left becomes text', () => {
    const { template } = expand({
      Transform: TRANSFORM,
      Conditions: {
        'Fn::ForEach::IsEnv': [
          'Env',
          ['prod', 'test'],
          { 'Is${Env}': { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] } },
        ],
      },
      Resources: { 'Fn::ForEach::Q': ['Name', ['a', 'b'], { 'Queue${Name}': queue('q') }] },
      Outputs: {
        'Fn::ForEach::Out': [
          'Name',
          ['a', 'b'],
          {
            'Fn::ForEach::Attribute': [
              'Attribute',
              ['Arn', 'QueueUrl'],
              {
                'Queue${Name}${Attribute}': {
                  Value: { 'Fn::GetAtt': [{ 'Fn::Sub': 'Queue${Name}' }, { Ref: 'Attribute' }] },
                },
              },
            ],
          },
        ],
      },
    });
    expect(template.Conditions).toEqual({
      Isprod: { 'Fn::Equals': ['prod', 'prod'] },
      Istest: { 'Fn::Equals': ['test', 'prod'] },
    });
    expect(template.Outputs).toEqual({
      QueueaArn: { Value: { 'Fn::GetAtt': ['Queuea', 'Arn'] } },
      QueueaQueueUrl: { Value: { 'Fn::GetAtt': ['Queuea', 'QueueUrl'] } },
      QueuebArn: { Value: { 'Fn::GetAtt': ['Queueb', 'Arn'] } },
      QueuebQueueUrl: { Value: { 'Fn::GetAtt': ['Queueb', 'QueueUrl'] } },
    });
  });

  test('a collection from a list parameter takes its default; without one the loop is noted as not judged', () => {
    const template = (parameter: Record<string, unknown>) => ({
      Transform: TRANSFORM,
      Parameters: { Names: { Type: 'CommaDelimitedList', ...parameter } },
      Resources: {
        Key: { Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } },
        'Fn::ForEach::Queues': ['Name', { Ref: 'Names' }, { 'Queue${Name}': queue('q', { Ref: 'Key' }) }],
        Count: {
          Type: 'AWS::SSM::Parameter',
          Properties: { Type: 'String', Value: { 'Fn::Length': { Ref: 'Names' } } },
        },
      },
    });
    const withDefault = expand(template({ Default: 'a, b,c' }));
    expect(Object.keys(withDefault.template.Resources as object)).toEqual([
      'Key',
      'Queuea',
      'Queueb',
      'Queuec',
      'Count',
    ]);
    expect(
      (withDefault.template.Resources as Record<string, { Properties: { Value: unknown } }>).Count.Properties
        .Value,
    ).toBe(3);
    const without = expand(template({}));
    expect(Object.keys(without.template.Resources as object)).toEqual(['Key', 'Count']);
    expect(without.incomplete).toEqual([
      expect.objectContaining({
        resource: 'Resources.Fn::ForEach::Queues',
        transform: TRANSFORM,
        reason: expect.stringMatching(/parameter Names, which has no default value, .* not judged/),
      }),
    ]);
  });

  test('refuses a malformed loop and copies that collide, naming the place and the fix', () => {
    expect(() =>
      expand({ Transform: TRANSFORM, Resources: { 'Fn::ForEach::Bad': ['Name', ['a']] } }),
    ).toThrow(
      /Resources\.Fn::ForEach::Bad must be a list of three: an identifier, a collection and a fragment/,
    );
    expect(() =>
      expand({
        Transform: TRANSFORM,
        Resources: { 'Fn::ForEach::Same': ['Name', ['a', 'b'], { Queue: queue('q') }] },
      }),
    ).toThrow(TemplateTransformError);
    expect(() =>
      expand({
        Transform: TRANSFORM,
        Resources: { Queuea: queue('q'), 'Fn::ForEach::Q': ['Name', ['a'], { 'Queue${Name}': queue('q') }] },
      }),
    ).toThrow(/Fn::ForEach produces Queuea more than once/);
  });
});

describe('other transforms and macros', () => {
  test('an unknown macro is noted as not judged; the template’s own resources are still judged', () => {
    const { template, incomplete } = expand({
      Transform: ['AWS::LanguageExtensions', 'Acme::Expand'],
      Resources: { Queue: queue('q') },
    });
    expect(incomplete).toEqual([
      expect.objectContaining({ transform: 'Acme::Expand', reason: expect.stringMatching(/not judged/) }),
    ]);
    expect(lines(template).some((line) => line.startsWith('CLV-ENC-3 Queue'))).toBe(true);
  });

  test('AWS::Include in Resources and Fn::Transform inside a resource are noted; the section key is removed', () => {
    const include = { Name: 'AWS::Include', Parameters: { Location: 's3://bucket/snippet.yaml' } };
    const { template, incomplete } = expand({
      Resources: {
        'Fn::Transform': include,
        Queue: { Type: 'AWS::SQS::Queue', Properties: { 'Fn::Transform': { Name: 'Acme::Tags' } } },
      },
    });
    expect(Object.keys(template.Resources as object)).toEqual(['Queue']);
    expect(incomplete.map((note) => [note.resource, note.transform])).toEqual([
      ['Resources', 'AWS::Include'],
      ['Queue', 'Acme::Tags'],
    ]);
  });

  test('Fn::Transform as a list of macros is noted by their names', () => {
    const { incomplete } = expand({
      Resources: {
        Queue: {
          Type: 'AWS::SQS::Queue',
          Properties: { 'Fn::Transform': [{ Name: 'DatetimeNow' }, { Name: 'Acme::Tags' }] },
        },
      },
    });
    expect(incomplete.map((note) => [note.resource, note.transform])).toEqual([
      ['Queue', 'DatetimeNow, Acme::Tags'],
    ]);
  });
});
