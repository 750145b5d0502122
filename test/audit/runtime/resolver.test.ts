import { AssemblyResolver } from '../../../lib/audit/runtime/resolver';
import { stackOf } from './support';

describe('AssemblyResolver: template values as AWS sees them', () => {
  const exporter = stackOf(
    {
      Resources: { Bus: { Type: 'AWS::Events::EventBus', Properties: { Name: 'security' } } },
      Outputs: { BusArn: { Value: { 'Fn::GetAtt': ['Bus', 'Arn'] }, Export: { Name: 'security-bus-arn' } } },
    },
    { name: 'Monitoring', account: '444444444444' },
  );
  const importer = stackOf(
    {
      Parameters: { Env: { Type: 'String', Default: 'prod' }, Secret: { Type: 'String' } },
      Mappings: { Regions: { 'eu-west-1': { Archive: 'archive-dublin' } } },
      Conditions: {
        IsProd: { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] },
        Unknown: { 'Fn::Equals': [{ Ref: 'Secret' }, 'x'] },
      },
      Resources: { Queue: { Type: 'AWS::SQS::Queue', Properties: {} } },
    },
    { name: 'Enclave' },
  );
  const resolver = new AssemblyResolver([exporter, importer]);

  test('resolves Fn::Sub with parameters and pseudo parameters, Fn::FindInMap with the stack region, Fn::If on a decidable condition', () => {
    expect(
      resolver.text(importer, { 'Fn::Sub': 'arn:${AWS::Partition}:s3:::${Env}-${AWS::AccountId}' }),
    ).toBe('arn:aws:s3:::prod-111111111111');
    expect(resolver.text(importer, { 'Fn::FindInMap': ['Regions', { Ref: 'AWS::Region' }, 'Archive'] })).toBe(
      'archive-dublin',
    );
    expect(resolver.text(importer, { 'Fn::If': ['IsProd', 'yes', 'no'] })).toBe('yes');
  });

  test('follows Fn::ImportValue to the exporting stack and resolves it there (its account, not the importer\u2019s)', () => {
    expect(resolver.text(importer, { 'Fn::ImportValue': 'security-bus-arn' })).toBe(
      'arn:aws:events:eu-west-1:444444444444:event-bus/security',
    );
  });

  test('gives a resource without a name a stable physical name, the same for Ref and GetAtt', () => {
    const url = resolver.text(importer, { Ref: 'Queue' });
    const arn = resolver.text(importer, { 'Fn::GetAtt': ['Queue', 'Arn'] });
    expect(url).toMatch(
      /^https:\/\/sqs\.eu-west-1\.amazonaws\.com\/111111111111\/Enclave-Queue-[0-9A-F]{12}$/,
    );
    expect(arn).toBe(`arn:aws:sqs:eu-west-1:111111111111:${url.split('/').pop()}`);
  });

  test('what cannot be known becomes a token that names it: a parameter without default, an undecidable condition, a missing export', () => {
    for (const value of [
      { Ref: 'Secret' },
      { 'Fn::If': ['Unknown', 'a', 'b'] },
      { 'Fn::ImportValue': 'nobody-exports-this' },
    ]) {
      const text = resolver.text(importer, value);
      expect(resolver.isToken(text)).toBe(true);
      expect(resolver.unresolvedIn([text])).toMatch(
        /parameter Secret of Enclave, which has no default|condition Unknown|export nobody-exports-this/,
      );
    }
  });
  test('a name built from other names resolves the same whichever resource is asked first', () => {
    const template = {
      Resources: {
        Logs: {
          Type: 'AWS::S3::Bucket',
          Properties: {
            BucketName: { 'Fn::Join': ['-', [{ 'Fn::GetAtt': ['Alerts', 'TopicName'] }, 'logs']] },
          },
        },
        Alerts: { Type: 'AWS::SNS::Topic', Properties: { TopicName: { 'Fn::Sub': '${Key}-alerts' } } },
        Key: { Type: 'AWS::KMS::Key', Properties: {} },
      },
    };
    const names = (order: readonly string[]) => {
      const stack = stackOf(template, { name: 'Chain' });
      const fresh = new AssemblyResolver([stack]);
      const asked = Object.fromEntries(order.map((id) => [id, fresh.text(stack, { Ref: id })]));
      return [asked.Logs, asked.Alerts, asked.Key];
    };
    const logsFirst = names(['Logs', 'Alerts', 'Key']);
    expect(logsFirst[0]).toBe(`${logsFirst[1].split(':').pop()}-logs`);
    expect(logsFirst[1]).toMatch(new RegExp(`:${logsFirst[2]}-alerts$`));
    expect(names(['Key', 'Alerts', 'Logs'])).toEqual(logsFirst);
    expect(names(['Alerts', 'Logs', 'Key'])).toEqual(logsFirst);
  });
});
