import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LogShipping } from '../../../lib/constructs/log-shipping/log-shipping';

const STUB_ENTRY = path.join(__dirname, '../../fixtures/logging/stub-handler.ts');

function shipperStack(customise: (shipping: LogShipping) => void = () => undefined) {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Shipper', { env: { account: '111111111111', region: 'eu-north-1' } });
  const shipping = new LogShipping(stack, 'Shipper', {
    enclave: 'hamar',
    ingestUrl: 'https://ingest.example.eu/v1/events',
    monitoringAccount: '444444444444',
    monitoringRegion: 'eu-west-1',
    encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    alarmTopic: new sns.Topic(stack, 'Alarms'),
    reservedConcurrency: 3,
    entry: STUB_ENTRY,
  });
  customise(shipping);
  return { stack, shipping, template: Template.fromStack(stack) };
}

describe('LogShipping', () => {
  const { template, stack } = shipperStack((shipping) => {
    shipping.subscribe('FlowLogs', '/clover/hamar/vpc-flow-logs');
    shipping.subscribe('Orders', '/app/orders/access');
  });
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  const idOf = (type: string) => Object.entries(resources).find(([, r]) => r.Type === type)![0];

  test('runs the shipper on arm64 Node.js with reserved concurrency, the contract’s environment and an OnFailure queue', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'clover-hamar-log-shipper',
      Architectures: ['arm64'],
      Runtime: Match.stringLikeRegexp('^nodejs(2[0-9])\\.x$'),
      ReservedConcurrentExecutions: 3,
      MemorySize: 1024,
      Timeout: 120,
      Environment: {
        Variables: {
          CLOVER_ENCLAVE: 'hamar',
          CLOVER_INGEST_URL: 'https://ingest.example.eu/v1/events',
          CLOVER_TOKEN_SECRET_ARN: { Ref: Match.stringLikeRegexp('MonitorToken') },
          CLOVER_HMAC_SECRET_ARN: { Ref: Match.stringLikeRegexp('PseudonymisationKey') },
          CLOVER_ARCHIVE_BUCKET: 'clover-archive-444444444444-eu-west-1',
          CLOVER_ARCHIVE_BUCKET_OWNER: '444444444444',
          CLOVER_DLQ_URL: { Ref: Match.stringLikeRegexp('DeadLetters') },
          CLOVER_MAX_REQUEST_BYTES: '5000000',
          CLOVER_REQUEST_TIMEOUT_MS: '10000',
          CLOVER_PSEUDONYMISATION: '[]',
          POWERTOOLS_METRICS_NAMESPACE: 'Clover/LogShipper',
          POWERTOOLS_SERVICE_NAME: 'log-shipper',
          NODE_OPTIONS: '--max-semi-space-size=2',
        },
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21600,
      DestinationConfig: {
        OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('FailedInvocations'), 'Arn'] } },
      },
    });
  });

  test('keeps its own log group encrypted with the CMK and with a retention', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/clover-hamar-log-shipper',
      KmsKeyId: { 'Fn::GetAtt': [idOf('AWS::KMS::Key'), 'Arn'] },
      RetentionInDays: 365,
    });
  });

  test('encrypts every queue with the CMK, and both dead-letter queues redrive into the parking queue', () => {
    const queues = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::SQS::Queue');
    expect(queues).toHaveLength(3);
    for (const [, queue] of queues) {
      expect(queue.Properties.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [idOf('AWS::KMS::Key'), 'Arn'] });
      expect(queue.Properties.MessageRetentionPeriod).toBe(1209600);
    }
    const parked = queues.find(([id]) => id.includes('Parked'))![0];
    const redriven = queues.filter(([, q]) =>
      JSON.stringify(q.Properties.RedrivePolicy ?? {}).includes(parked),
    );
    expect(redriven.map(([id]) => id.replace(/[0-9A-F]{8}$/, '')).sort()).toEqual([
      'ShipperDeadLetters',
      'ShipperFailedInvocations',
    ]);
  });

  test('holds the bearer token and a generated HMAC key of at least 32 bytes in CMK-encrypted secrets', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Name: 'clover/hamar/monitor-ingest-token',
      KmsKeyId: { 'Fn::GetAtt': [idOf('AWS::KMS::Key'), 'Arn'] },
    });
    const hmac = Object.values(resources).find(
      (r) => r.Properties?.Name === 'clover/hamar/pseudonymisation-hmac-key',
    )!;
    expect(hmac.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [idOf('AWS::KMS::Key'), 'Arn'] });
    expect(
      (hmac.Properties.GenerateSecretString as { PasswordLength: number }).PasswordLength,
    ).toBeGreaterThanOrEqual(32);
  });

  test('gives its role, named for the monitoring archive policies, exactly the contract’s permissions', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'clover-hamar-log-shipper',
      ManagedPolicyArns: Match.absent(),
    });
    const policies = Object.values(resources).filter((r) => r.Type === 'AWS::IAM::Policy');
    expect(policies).toHaveLength(1);
    const statements = (
      policies[0].Properties.PolicyDocument as { Statement: Array<Record<string, unknown>> }
    ).Statement;
    const bySid = Object.fromEntries(statements.map((s) => [s.Sid, s]));
    expect(Object.keys(bySid).sort()).toEqual(
      [
        'DeadLetterEvents',
        'DecryptSecrets',
        'EncryptArchive',
        'EncryptQueueMessages',
        'ReadSecrets',
        'WriteArchive',
        'WriteOwnLogs',
      ].sort(),
    );
    expect(bySid.ReadSecrets.Action).toBe('secretsmanager:GetSecretValue');
    expect(bySid.DeadLetterEvents.Action).toBe('sqs:SendMessage');
    expect(bySid.WriteArchive).toMatchObject({ Action: 's3:PutObject' });
    expect(JSON.stringify(bySid.WriteArchive.Resource)).toContain(
      ':s3:::clover-archive-444444444444-eu-west-1/archive/hamar/111111111111/*',
    );
    // Only what S3 asks for an SSE-KMS PutObject, as the archive key's policy grants.
    expect([bySid.EncryptArchive.Action].flat()).toEqual(['kms:GenerateDataKey']);
    expect(JSON.stringify(bySid.EncryptArchive.Resource)).toContain(':kms:eu-west-1:444444444444:key/*');
    expect(JSON.stringify(bySid.EncryptArchive.Condition)).toMatch(/kms:ViaService.*s3\.eu-west-1\./);
    // No '*' where the ARN is known: only the archive objects and the cross-account archive key use one.
    const wildcards = statements
      .flatMap((s) => [s.Resource].flat())
      .filter((r) => JSON.stringify(r).includes('*'));
    expect(wildcards.map((r) => JSON.stringify(r))).toEqual([
      expect.stringContaining('/archive/hamar/111111111111/*'),
      expect.stringContaining(':key/*'),
    ]);
  });

  test('subscribes by name, with a permission scoped to that log group and account', () => {
    template.hasResourceProperties('AWS::Logs::SubscriptionFilter', {
      LogGroupName: '/app/orders/access',
      FilterPattern: '',
      DestinationArn: { 'Fn::GetAtt': [idOf('AWS::Lambda::Function'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'logs.amazonaws.com',
      SourceAccount: '111111111111',
      SourceArn: {
        'Fn::Join': ['', Match.arrayWith([':logs:eu-north-1:111111111111:log-group:/app/orders/access:*'])],
      },
    });
    const filter = Object.entries(
      template.toJSON().Resources as Record<string, { Type: string; DependsOn?: string[] }>,
    ).find(([id, r]) => r.Type === 'AWS::Logs::SubscriptionFilter' && id.startsWith('ShipperOrders'))!;
    expect(filter[1].DependsOn).toEqual([expect.stringMatching(/^ShipperOrdersInvoke/)]);
    expect(stack.resolve(stack.account)).toBe('111111111111');
  });

  test('alarms on any dead-lettered event and on any failed invocation', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'clover-hamar-log-shipper-dead-lettered',
      Namespace: 'Clover/LogShipper',
      MetricName: 'DeadLettered',
      Dimensions: [{ Name: 'enclave', Value: 'hamar' }],
      Statistic: 'Sum',
      Period: 60,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      TreatMissingData: 'notBreaching',
      AlarmActions: [{ Ref: idOf('AWS::SNS::Topic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'clover-hamar-log-shipper-failed-invocations',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });

  test('refuses to subscribe the same log group twice', () => {
    expect(() =>
      shipperStack((shipping) => {
        shipping.subscribe('A', '/app/x');
        shipping.subscribe('B', '/app/x');
      }),
    ).toThrow(/log group \/app\/x is already subscribed as "A"/);
  });
});
