import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SECURITY_EVENT_BUS_NAME } from '../../config/naming';
import { acknowledge } from '../../nag/acknowledge';
import { SecurityEventCategory } from './security-events';

export interface SecurityEventBusProps {
  /** Accounts allowed to put events on the bus (the enclave accounts); nobody else may. */
  readonly senderAccounts: readonly string[];
  /** One alert rule per category. */
  readonly categories: readonly SecurityEventCategory[];
  /** Key of the bus, the alert topic and the dead-letter queue (the bus and the topic target add EventBridge's key statements). */
  readonly encryptionKey: kms.IKey;
  /**
   * HTTPS endpoint of the independent provider that receives alerts.
   * @default no subscription
   */
  readonly alertUrl?: string;
  /**
   * Bus name.
   * @default SECURITY_EVENT_BUS_NAME
   */
  readonly eventBusName?: string;
}

/**
 * The monitoring plane's cross-account EventBridge bus: a resource policy that
 * lets exactly the enclave accounts put events, one rule per security-event
 * category, and alerts to a KMS-encrypted SNS topic with an HTTPS
 * subscription for the independent provider.
 */
export class SecurityEventBus extends Construct {
  public readonly bus: events.EventBus;
  public readonly alertTopic: sns.Topic;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly rules: Readonly<Record<string, events.Rule>>;

  constructor(scope: Construct, id: string, props: SecurityEventBusProps) {
    super(scope, id);
    const senders = [...new Set(props.senderAccounts)];
    if (senders.length === 0) throw new Error('SecurityEventBus needs at least one sender account');
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? SECURITY_EVENT_BUS_NAME,
      kmsKey: props.encryptionKey,
      description: 'Clover: security events forwarded by the enclaves',
    });
    this.bus.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'EnclaveAccountsPutEvents',
        principals: senders.map((account) => new iam.AccountPrincipal(account)),
        actions: ['events:PutEvents'],
        resources: [this.bus.eventBusArn],
      }),
    );
    this.alertTopic = new sns.Topic(this, 'Alerts', {
      displayName: 'Clover security alerts',
      masterKey: props.encryptionKey,
      enforceSSL: true,
    });
    if (props.alertUrl !== undefined) {
      this.alertTopic.addSubscription(
        new subscriptions.UrlSubscription(props.alertUrl, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }
    this.deadLetterQueue = new sqs.Queue(this, 'UndeliveredAlerts', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    acknowledge(this.deadLetterQueue, {
      rule: 'AwsSolutions-SQS3',
      reason:
        'This queue is itself the dead-letter queue of the alert rules (EventBridge → SNS); operators read it, nothing consumes it automatically.',
      expires: '2027-11-01',
    });
    const rules: Record<string, events.Rule> = {};
    for (const category of props.categories) {
      const rule = new events.Rule(this, category.id, {
        eventBus: this.bus,
        description: `Clover alert: ${category.description}`.slice(0, 512),
        eventPattern: category.pattern,
      });
      rule.addTarget(
        new targets.SnsTopic(this.alertTopic, {
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: 185,
          maxEventAge: Duration.hours(24),
        }),
      );
      rules[category.id] = rule;
    }
    this.rules = rules;
  }
}
