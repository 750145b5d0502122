import * as path from 'path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import {
  applianceLogGroupName,
  flowLogGroupName,
  shipperRoleName,
  trailLogGroupName,
} from '../../lib/config/naming';
import type { CfnTemplate } from '../../lib/audit/template';
import { buildTestApp } from '../helpers/app';

type Resource = { Type: string; Properties?: Record<string, unknown> };
const resourcesOf = (template: Template) =>
  (template.toJSON() as CfnTemplate).Resources as Record<string, Resource>;
const ofType = (template: Template, type: string) =>
  Object.entries(resourcesOf(template)).filter(([, resource]) => resource.Type === type);

/** The literal log group name a template value means: a literal, or a Ref to a log group of the template. */
function logGroupNameOf(template: Template, value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  const ref = (value as { Ref?: string } | undefined)?.Ref;
  const target = ref ? resourcesOf(template)[ref] : undefined;
  return target?.Type === 'AWS::Logs::LogGroup' ? (target.Properties?.LogGroupName as string) : undefined;
}

/** Names of the log groups that receive flow logs, appliance logs and trails, read from the templates themselves. */
function userFlowLogGroups(network: Template, logging: Template, enclave: string): string[] {
  const flowDestinations = ofType(network, 'AWS::EC2::FlowLog').map(([, flowLog]) =>
    logGroupNameOf(network, flowLog.Properties?.LogGroupName),
  );
  const trailDestinations = ofType(logging, 'AWS::CloudTrail::Trail').map(([, trail]) => {
    const [logicalId] = (trail.Properties?.CloudWatchLogsLogGroupArn as { 'Fn::GetAtt': [string] })[
      'Fn::GetAtt'
    ];
    return resourcesOf(logging)[logicalId].Properties?.LogGroupName as string;
  });
  const appliance = ofType(network, 'AWS::Logs::LogGroup')
    .map(([, group]) => group.Properties?.LogGroupName as string)
    .filter((name) => name === applianceLogGroupName(enclave));
  const names = [...flowDestinations, ...appliance, ...trailDestinations].filter(
    (name): name is string => !!name,
  );
  return [...new Set(names)];
}

/** Log group names the enclave's shipper (by function name) is subscribed to in the Logging template, with a scoped permission. */
function shippedLogGroups(logging: Template, enclave: string): string[] {
  const [shipperId] = ofType(logging, 'AWS::Lambda::Function').find(
    ([, fn]) => fn.Properties?.FunctionName === `clover-${enclave}-log-shipper`,
  )!;
  const permissions = ofType(logging, 'AWS::Lambda::Permission').map(([, p]) => JSON.stringify(p.Properties));
  return ofType(logging, 'AWS::Logs::SubscriptionFilter')
    .filter(
      ([, filter]) =>
        JSON.stringify(filter.Properties?.DestinationArn) ===
        JSON.stringify({ 'Fn::GetAtt': [shipperId, 'Arn'] }),
    )
    .map(([, filter]) => logGroupNameOf(logging, filter.Properties?.LogGroupName)!)
    .filter((name) =>
      permissions.some((p) => p.includes(`:log-group:${name}:*`) && p.includes('"SourceAccount"')),
    );
}

describe('LoggingStack on the default app', () => {
  const built = buildTestApp();
  const stages = built.enclaveStages.map((stage) => ({
    stage,
    network: Template.fromStack(stage.network!),
    logging: Template.fromStack(stage.logging),
  }));

  test.each(stages.map((s) => [s.stage.enclave.name, s] as const))(
    'every %s log group with user flows (VPC flow logs, appliance, trail) is subscribed to that enclave’s shipper',
    (name, { network, logging }) => {
      const expected = userFlowLogGroups(network, logging, name);
      expect(expected.sort()).toEqual(
        [applianceLogGroupName(name), trailLogGroupName(name), flowLogGroupName(name)].sort(),
      );
      expect(shippedLogGroups(logging, name).sort()).toEqual(expected.sort());
    },
  );

  test.each(stages.map((s) => [s.stage.enclave.name, s] as const))(
    'the %s shipper has an OnFailure queue, no reserved concurrency (it fails to deploy in a new account), its named role and a KMS-encrypted log group with retention',
    (name, { logging }) => {
      const [fnId, fn] = ofType(logging, 'AWS::Lambda::Function').find(
        ([, f]) => f.Properties?.FunctionName === `clover-${name}-log-shipper`,
      )!;
      expect(fn.Properties?.ReservedConcurrentExecutions).toBeUndefined();
      expect(fn.Properties).toMatchObject({
        MemorySize: 1024,
        Timeout: 120,
        Architectures: ['arm64'],
        Runtime: expect.stringMatching(/^nodejs(2[0-9])\.x$/),
      });
      logging.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fnId },
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
      });
      const config = ofType(logging, 'AWS::Lambda::EventInvokeConfig')[0][1];
      const queueId = (
        config.Properties as { DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [string] } } } }
      ).DestinationConfig.OnFailure.Destination['Fn::GetAtt'][0];
      expect(resourcesOf(logging)[queueId]).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { KmsMasterKeyId: expect.anything() },
      });
      const logGroupRef = (fn.Properties?.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resourcesOf(logging)[logGroupRef].Properties).toMatchObject({
        KmsKeyId: { 'Fn::GetAtt': [expect.any(String), 'Arn'] },
        RetentionInDays: 365,
      });
      const roleId = (fn.Properties?.Role as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
      expect(resourcesOf(logging)[roleId].Properties?.RoleName).toBe(shipperRoleName(name));
    },
  );

  test('the enclave trail validates log files, is KMS-encrypted, records management and data events, and writes to its log group', () => {
    const { logging } = stages[0];
    logging.hasResourceProperties('AWS::CloudTrail::Trail', {
      EnableLogFileValidation: true,
      // Activity in any region is recorded (and an alarm raised outside the allowed ones).
      IsMultiRegionTrail: true,
      IncludeGlobalServiceEvents: true,
      KMSKeyId: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      CloudWatchLogsLogGroupArn: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] },
      AdvancedEventSelectors: [
        { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
        Match.objectLike({
          FieldSelectors: Match.arrayWith([
            { Field: 'resources.type', Equals: ['AWS::S3::Object'] },
            Match.objectLike({ Field: 'resources.ARN', StartsWith: Match.anyValue() }),
          ]),
        }),
        Match.objectLike({
          FieldSelectors: Match.arrayWith([{ Field: 'resources.type', Equals: ['AWS::DynamoDB::Table'] }]),
        }),
      ],
    });
    expect(JSON.stringify(logging.toJSON())).toContain(
      ':s3:::clover-dublin-1-personal-111111111111-eu-west-1/',
    );
  });

  test('forwards security events from the default bus to the monitoring bus in the monitoring account and region', () => {
    const { logging } = stages[2]; // hamar, eu-north-1 → eu-west-1
    const rules = ofType(logging, 'AWS::Events::Rule');
    expect(rules.length).toBeGreaterThanOrEqual(5);
    for (const [, rule] of rules) {
      const target = (rule.Properties?.Targets as Array<Record<string, unknown>>)[0];
      expect(JSON.stringify(target.Arn)).toContain(
        ':events:eu-west-1:444444444444:event-bus/clover-security-events',
      );
      expect(target.RoleArn).toBeDefined();
      expect(target.DeadLetterConfig).toBeDefined();
    }
    logging.hasResourceProperties('AWS::Events::Rule', {
      State: 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS',
      EventPattern: Match.objectLike({ source: ['aws.kms'] }),
    });
  });

  test('raises an anomaly-detection alarm on the volume of S3 data events', () => {
    const { logging } = stages[0];
    logging.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: Match.stringLikeRegexp('eventCategory.*Data.*eventSource.*s3'),
    });
    logging.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'clover-dublin-1-s3-data-access-anomaly',
      ComparisonOperator: 'GreaterThanUpperThreshold',
      ThresholdMetricId: Match.anyValue(),
    });
  });
});

describe('LoggingStack with application log groups, shipper sizing and the organisation trail', () => {
  const built = buildTestApp({ config: path.join(__dirname, '../fixtures/logging/app-logs.json') });
  const logging = (name: string) =>
    Template.fromStack(built.enclaveStages.find((s) => s.enclave.name === name)!.logging);

  test('subscribes the configured application access log groups', () => {
    expect(shippedLogGroups(logging('dublin-1'), 'dublin-1')).toEqual(
      expect.arrayContaining(['/app/orders/access', '/app/payments/access']),
    );
    expect(shippedLogGroups(logging('dublin-2'), 'dublin-2')).not.toContain('/app/orders/access');
  });

  test('reads the organisation trail only in the enclave of the account and European region its ARN names', () => {
    expect(shippedLogGroups(logging('dublin-2'), 'dublin-2')).toContain('aws-controltower/CloudTrailLogs');
    expect(shippedLogGroups(logging('dublin-1'), 'dublin-1')).not.toContain(
      'aws-controltower/CloudTrailLogs',
    );
    expect(shippedLogGroups(logging('hamar'), 'hamar')).not.toContain('aws-controltower/CloudTrailLogs');
  });

  test('sizes the shipper from config', () => {
    logging('hamar').hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'clover-hamar-log-shipper',
      MemorySize: 1536,
      Timeout: 300,
      ReservedConcurrentExecutions: 7,
    });
  });
});

describe('LoggingStack of an interim enclave outside Europe', () => {
  const built = buildTestApp({ config: path.join(__dirname, '../../examples/interim-us.json') });
  const interim = built.enclaveStages.find((stage) => stage.enclave.name === 'interim-us')!;

  test('sends its security events to the EU bus and archives in the EU; the EU bus accepts its account', () => {
    const logging = JSON.stringify(Template.fromStack(interim.logging).toJSON());
    expect(logging).toContain(':events:eu-west-1:444444444444:event-bus/clover-security-events');
    expect(logging).toContain('clover-archive-444444444444-eu-west-1');
    const monitoring = Template.fromStack(built.monitoringStage.monitoring);
    monitoring.hasResourceProperties('AWS::Events::EventBusPolicy', {
      Statement: Match.objectLike({
        Principal: {
          AWS: Match.arrayWith([
            Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':iam::555555555555:root'])] }),
          ]),
        },
      }),
    });
  });
});
