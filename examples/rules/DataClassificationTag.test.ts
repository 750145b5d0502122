import { judge } from '../../lib/rules-api';
import { loadUserRules } from '../../lib/nag/user-rules';
import { DataClassificationTag } from './DataClassificationTag';

const bucket = (tags?: unknown) => ({
  Resources: { Data: { Type: 'AWS::S3::Bucket', Properties: tags === undefined ? {} : { Tags: tags } } },
});

describe('EXAMPLE-TAG-1 data stores carry clover:data-classification', () => {
  test('accepts a bucket tagged with a classification, or with one given at deploy time', () => {
    expect(
      judge(bucket([{ Key: 'clover:data-classification', Value: 'personal' }]), [DataClassificationTag]),
    ).toEqual([]);
    expect(
      judge(bucket([{ Key: 'clover:data-classification', Value: { Ref: 'Class' } }]), [
        DataClassificationTag,
      ]),
    ).toEqual([]);
  });

  test('rejects a bucket without the tag, or with an empty one', () => {
    expect(judge(bucket(), [DataClassificationTag])).toEqual([
      expect.objectContaining({
        rule: 'EXAMPLE-TAG-1',
        resource: 'Data',
        message: expect.stringMatching(/^Tags has no clover:data-classification/),
      }),
    ]);
    expect(
      judge(bucket([{ Key: 'clover:data-classification', Value: ' ' }]), [DataClassificationTag]),
    ).toHaveLength(1);
  });

  test('leaves resources that hold no data alone', () => {
    expect(
      judge({ Resources: { Role: { Type: 'AWS::IAM::Role', Properties: {} } } }, [DataClassificationTag]),
    ).toEqual([]);
  });

  test('loads as a rule module, the way --rules and the app load it', () => {
    expect(loadUserRules(['examples/rules/DataClassificationTag.ts'])).toEqual([DataClassificationTag]);
  });
});
