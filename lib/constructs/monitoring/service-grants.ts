import { ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';

/**
 * The grants that let an AWS service deliver to an encrypted topic or queue
 * of this account, and only for this account: each resource statement pins
 * the source account and the source ARNs, each key statement the resource
 * (encryption context) and, where the service sends them, the source too.
 * One place, so every topic and queue Clover wires gets the same grants.
 *
 * A key statement cannot refer to its topic or queue (the resource depends on
 * the key): the resource must have a physical name, from which its ARN is built.
 */

function namedArn(resource: sns.ITopic | sqs.IQueue, service: 'sns' | 'sqs', name: unknown): string {
  if (typeof name !== 'string' || Token.isUnresolved(name)) {
    throw new Error(
      `${resource.node.path}: give the ${service === 'sns' ? 'topic' : 'queue'} a literal name: its key policy names it, and a reference would be circular`,
    );
  }
  return Stack.of(resource).formatArn({ service, resource: name });
}

function topicArnOf(topic: sns.Topic): string {
  return namedArn(topic, 'sns', (topic.node.defaultChild as sns.CfnTopic).topicName);
}

function queueArnOf(queue: sqs.Queue): string {
  return namedArn(queue, 'sqs', (queue.node.defaultChild as sqs.CfnQueue).queueName);
}

function alarmArns(stack: Stack): string {
  return stack.formatArn({
    service: 'cloudwatch',
    resource: 'alarm',
    resourceName: '*',
    arnFormat: ArnFormat.COLON_RESOURCE_NAME,
  });
}

/** Rules of this account on any bus (`rule/<name>` on the default bus, `rule/<bus>/<name>` on others). */
function ruleArns(stack: Stack): string {
  return stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' });
}

/**
 * CloudWatch alarms of this account publish to `topic`, encrypted with `key`. CloudWatch sends
 * `aws:SourceAccount` and `aws:SourceArn` to SNS and to KMS (SNS developer guide, "Key management").
 */
export function allowAlarmsToPublish(topic: sns.Topic, key: kms.Key): void {
  const stack = Stack.of(topic);
  const source = {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': alarmArns(stack) },
  };
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccount',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: source,
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `CloudWatchAlarmsTo${topic.node.id}`,
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: {
        ...source,
        StringEquals: { ...source.StringEquals, 'kms:EncryptionContext:aws:sns:topicArn': topicArnOf(topic) },
      },
    }),
  );
}

/**
 * EventBridge rules of this account publish to `topic`, encrypted with `key`. EventBridge sends no
 * source keys to KMS for an encrypted topic (AWS documents them as unsupported there), so the key
 * statement is scoped to the topic by encryption context; the topic statement to the rules.
 */
export function allowRulesToPublish(topic: sns.Topic, key: kms.Key): void {
  const stack = Stack.of(topic);
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'EventRulesOfThisAccount',
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': ruleArns(stack) },
      },
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `EventRulesTo${topic.node.id}`,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sns:topicArn': topicArnOf(topic) } },
    }),
  );
}

/**
 * EventBridge puts undeliverable events on `queue`, encrypted with `key` (the queue policy, scoped
 * to the rule, is CDK's): the key statement is scoped to the queue by encryption context.
 */
export function allowRulesToDeadLetter(queue: sqs.Queue, key: kms.Key): void {
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `EventRulesTo${queue.node.id}`,
      principals: [new iam.ServicePrincipal('events.amazonaws.com')],
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      resources: ['*'],
      conditions: { StringEquals: { 'kms:EncryptionContext:aws:sqs:arn': queueArnOf(queue) } },
    }),
  );
}
