import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { SECURITY_EVENT_BUS_NAME } from '../../config/naming';
import { designDecision } from '../design-decision';
import { OrganizationPrincipals, organizationRoleStatement } from './organization-grants';
import { SecurityEventCategory } from './security-events';
import { allowRulesToDeadLetter, allowRulesToPublish } from './service-grants';

export interface SecurityEventBusProps {
  /** Roles allowed to put events on the bus (the enclaves' forwarding roles, by ARN); nobody else may. */
  readonly senderRoleArns: readonly string[];
  /**
   * Admit the senders by organisation instead: roles named like `senderRolePattern` (an ARN pattern) of
   * any account under the enclave OUs. `senderRoleArns` is then not listed in the policy.
   * @default the senders' accounts, narrowed to their role ARNs
   */
  readonly organization?: OrganizationPrincipals & { readonly senderRolePattern: string };
  /** One alert rule per category. */
  readonly categories: readonly SecurityEventCategory[];
  /** Key of the bus, the alert topic and the dead-letter queue; EventBridge gets statements scoped to each. */
  readonly encryptionKey: kms.Key;
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
    const senders = [...new Set(props.senderRoleArns)];
    if (senders.length === 0) throw new Error('SecurityEventBus needs at least one sender role');
    // The accounts of the sender roles, when the ARNs are literal (a token names no account the synth can read).
    const accounts = [...new Set(senders.map((arn) => arn.split(':')[4]))];
    this.bus = new events.EventBus(this, 'Bus', {
      eventBusName: props.eventBusName ?? SECURITY_EVENT_BUS_NAME,
      kmsKey: props.encryptionKey,
      description: 'Clover: security events forwarded by the enclaves',
    });
    // Named by account (the roles may not exist yet) and narrowed to the forwarding roles by aws:PrincipalArn;
    // or, for an organisation, by its enclave OUs and the forwarding roles' name.
    this.bus.addToResourcePolicy(
      props.organization
        ? organizationRoleStatement(props.organization, {
            sid: 'EnclaveForwardersPutEvents',
            rolePattern: props.organization.senderRolePattern,
            actions: ['events:PutEvents'],
            resources: [this.bus.eventBusArn],
          })
        : new iam.PolicyStatement({
            sid: 'EnclaveForwardersPutEvents',
            principals: accounts.map((account) => new iam.AccountPrincipal(account)),
            actions: ['events:PutEvents'],
            resources: [this.bus.eventBusArn],
            conditions: { ArnEquals: { 'aws:PrincipalArn': senders } },
          }),
    );
    this.alertTopic = new sns.Topic(this, 'Alerts', {
      topicName: 'clover-security-alerts',
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
      queueName: 'clover-security-alerts-undelivered',
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    designDecision(this.deadLetterQueue, 'TERMINAL_QUEUE', 'EVENT_RULE_DEAD_LETTER_QUEUE');
    allowRulesToPublish(this.alertTopic, props.encryptionKey);
    allowRulesToDeadLetter(this.deadLetterQueue, props.encryptionKey);
    const rules: Record<string, events.Rule> = {};
    for (const category of props.categories) {
      const rule = new events.Rule(this, category.id, {
        eventBus: this.bus,
        description: `Clover alert: ${category.description}`.slice(0, 512),
        eventPattern: category.pattern,
      });
      rule.addTarget(
        new ScopedTopicTarget(this.alertTopic, {
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

/**
 * A rule target that delivers to an SNS topic without granting anything: CDK's SnsTopic target
 * lets EventBridge publish (and use the topic key) for any account. The topic and key grants,
 * scoped to this account's rules, are made once by the bus; the dead-letter queue admits each
 * rule by its ARN.
 */
class ScopedTopicTarget implements events.IRuleTarget {
  constructor(
    private readonly topic: sns.ITopic,
    private readonly props: {
      readonly deadLetterQueue: sqs.Queue;
      readonly retryAttempts: number;
      readonly maxEventAge: Duration;
    },
  ) {}

  public bind(rule: events.IRule): events.RuleTargetConfig {
    this.props.deadLetterQueue.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: `DeadLettersOf${rule.node.id}`,
        principals: [new iam.ServicePrincipal('events.amazonaws.com')],
        actions: ['sqs:SendMessage'],
        resources: [this.props.deadLetterQueue.queueArn],
        conditions: { ArnEquals: { 'aws:SourceArn': rule.ruleArn } },
      }),
    );
    return {
      arn: this.topic.topicArn,
      deadLetterConfig: { arn: this.props.deadLetterQueue.queueArn },
      retryPolicy: {
        maximumRetryAttempts: this.props.retryAttempts,
        maximumEventAgeInSeconds: this.props.maxEventAge.toSeconds(),
      },
    };
  }
}
