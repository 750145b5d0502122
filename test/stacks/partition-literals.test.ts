import { partitionAware, partitionAwareString } from '../../lib/stacks/partition-literals';

describe('partition-aware literals', () => {
  test('rewrites a service principal to the partition URL suffix', () => {
    expect(partitionAwareString('logs.amazonaws.com')).toEqual({
      'Fn::Join': ['', ['logs.', { Ref: 'AWS::URLSuffix' }]],
    });
    expect(partitionAwareString('logging.s3.amazonaws.com')).toEqual({
      'Fn::Join': ['', ['logging.s3.', { Ref: 'AWS::URLSuffix' }]],
    });
  });

  test('rewrites a literal ARN to the stack partition', () => {
    expect(partitionAwareString('arn:aws:iam::aws:policy/ReadOnlyAccess')).toEqual({
      'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/ReadOnlyAccess']],
    });
  });

  test('leaves other strings, Fn::Sub templates and metadata alone', () => {
    expect(partitionAwareString('com.amazonaws.eu-west-1.logs')).toBe('com.amazonaws.eu-west-1.logs');
    const fragment = {
      A: { 'Fn::Sub': 'arn:aws:s3:::x' },
      Metadata: { note: 'arn:aws:x' },
      B: ['sqs.amazonaws.com'],
    };
    expect(partitionAware(fragment)).toEqual({
      A: { 'Fn::Sub': 'arn:aws:s3:::x' },
      Metadata: { note: 'arn:aws:x' },
      B: [{ 'Fn::Join': ['', ['sqs.', { Ref: 'AWS::URLSuffix' }]] }],
    });
  });
});
