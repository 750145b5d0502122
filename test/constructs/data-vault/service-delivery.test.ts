import { App, ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Template } from 'aws-cdk-lib/assertions';
import { proveRuntimeFlows } from '../../../lib/audit/runtime/prove';
import { CfnTemplate, TemplateIndex } from '../../../lib/audit/template';
import { DataVault } from '../../../lib/constructs/data-vault/data-vault';

/**
 * The wiring docs/workloads.md tells teams to use on an enclave's vault — an alarm and an event rule
 * notifying a vault topic, the topic delivering to the vault queue — must work with the enclave keys,
 * which otherwise admit only principals calling through the enclave's services (kms:ViaService).
 */
function wiredVault() {
  const app = new App();
  const stack = new Stack(app, 'Workload', { env: { account: '111111111111', region: 'eu-west-1' } });
  const vault = new DataVault(stack, 'Vault', { enclave: 'dublin-1', dataClasses: ['personal'] });
  const topic = vault.topics['data-events'];
  const fromThisAccount = (source: string) => ({
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: {
      'aws:SourceArn': stack.formatArn({
        service: source,
        resource: source === 'cloudwatch' ? 'alarm' : 'rule',
        resourceName: '*',
        arnFormat: source === 'cloudwatch' ? ArnFormat.COLON_RESOURCE_NAME : ArnFormat.SLASH_RESOURCE_NAME,
      }),
    },
  });
  for (const service of ['cloudwatch', 'events']) {
    topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`${service}.amazonaws.com`)],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: fromThisAccount(service),
      }),
    );
  }
  new cloudwatch.Alarm(stack, 'Backlog', {
    alarmName: 'orders-backlog',
    metric: vault.queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5) }),
    threshold: 100,
    evaluationPeriods: 1,
  }).addAlarmAction(new actions.SnsAction(topic));
  const rule = new events.Rule(stack, 'Changes', { eventPattern: { source: ['orders'] } });
  // A target that grants nothing itself (the topic policy above is scoped to this account's rules).
  rule.addTarget({ bind: () => ({ arn: topic.topicArn }) });
  // The subscription without CDK's SqsSubscription, whose key grant to SNS names no source (or, scoped,
  // refers to the topic from the key that encrypts it: a cycle); the enclave key already admits SNS for its queues.
  new sns.Subscription(stack, 'ToQueue', {
    topic,
    endpoint: vault.queue.queueArn,
    protocol: sns.SubscriptionProtocol.SQS,
  });
  vault.queue.addToResourcePolicy(
    new iam.PolicyStatement({
      principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
      actions: ['sqs:SendMessage'],
      resources: [vault.queue.queueArn],
      conditions: { ArnEquals: { 'aws:SourceArn': topic.topicArn } },
    }),
  );
  return Template.fromStack(stack).toJSON() as CfnTemplate;
}

describe('enclave keys and the AWS services that deliver to the vault', () => {
  test('an alarm, an event rule and an SNS subscription reach the vault topic and queue through the enclave key', async () => {
    const template = wiredVault();
    const proof = await proveRuntimeFlows(
      [
        {
          index: new TemplateIndex(template, {
            stackName: 'Workload',
            account: '111111111111',
            region: 'eu-west-1',
            allowJurisdictions: ['EU', 'EEA'],
            today: '2026-12-03',
          }),
          pathOf: () => undefined,
          acknowledgments: [],
        },
      ],
      { today: '2026-12-03' },
    );
    const required = proof.results.filter(
      (result) => result.flow.kind === 'required' && /→ .*(VaultTopics|WorkQueue)/.test(result.flow.title),
    );
    expect(required.map((result) => result.flow.title)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^alarm orders-backlog → topic /),
        expect.stringMatching(/^event rule .* → /),
        expect.stringMatching(/^topic .* → .*WorkQueue/),
      ]),
    );
    // Each flow's KMS request is judged on the key policy: allowed, scoped to this account's topics and queues.
    for (const result of required) {
      expect({
        flow: result.flow.title,
        status: result.status,
        reason: result.deciding?.reason,
      }).toMatchObject({ status: 'allowed' });
      expect(result.verdicts.some((verdict) => verdict.request.action.startsWith('kms:'))).toBe(true);
    }
    // And another account's services are refused by the same statements.
    expect(proof.findings).toEqual([]);
  });
});
