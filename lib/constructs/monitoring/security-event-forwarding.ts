import { Duration, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { securityEventForwarderRoleName } from '../../config/naming';
import { designDecision } from '../design-decision';
import { alarmOnQueueDepth } from './alarms';
import { cloverAlarmName, SecurityEventCategory } from './security-events';
import { allowRulesToDeadLetter } from './service-grants';

export interface SecurityEventForwardingProps {
  /** Enclave name, for alarm names. */
  readonly enclave: string;
  /** ARN of the monitoring plane's security event bus (another account, and possibly another European region). */
  readonly targetBusArn: string;
  /** One forwarding rule per category, on this account's default bus. */
  readonly categories: readonly SecurityEventCategory[];
  /** Key of the dead-letter queue; EventBridge gets a statement scoped to that queue. */
  readonly encryptionKey: kms.Key;
  /** Topic that the "undelivered" alarm notifies. */
  readonly alarmTopic: sns.ITopic;
}

/**
 * Forwards the enclave's security events from its default bus to the
 * monitoring plane's bus: one rule per category, all through one role that
 * may only put events on that bus, with a KMS-encrypted dead-letter queue
 * and an alarm when anything lands in it.
 */
export class SecurityEventForwarding extends Construct {
  public readonly role: iam.Role;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly rules: Readonly<Record<string, events.Rule>>;

  constructor(scope: Construct, id: string, props: SecurityEventForwardingProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: securityEventForwarderRoleName(props.enclave),
      // EventBridge assumes the role for this account's rules only (aws:SourceAccount, aws:SourceArn).
      assumedBy: new iam.ServicePrincipal('events.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({ service: 'events', resource: 'rule', resourceName: '*' }),
        },
      }),
      description: 'Clover: forwards security events to the monitoring plane',
    });
    this.deadLetterQueue = new sqs.Queue(this, 'Undelivered', {
      queueName: `clover-${props.enclave}-security-events-undelivered`,
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.encryptionKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    allowRulesToDeadLetter(this.deadLetterQueue, props.encryptionKey);
    designDecision(this.deadLetterQueue, 'TERMINAL_QUEUE', 'EVENT_RULE_DEAD_LETTER_QUEUE');
    alarmOnQueueDepth(this, 'UndeliveredAlarm', {
      alarmName: cloverAlarmName(props.enclave, 'security-events-undelivered'),
      description: `Security events of enclave ${props.enclave} could not be forwarded to the monitoring plane`,
      queue: this.deadLetterQueue,
      topic: props.alarmTopic,
    });
    const bus = events.EventBus.fromEventBusArn(this, 'MonitoringBus', props.targetBusArn);
    const rules: Record<string, events.Rule> = {};
    for (const category of props.categories) {
      const rule = new events.Rule(this, category.id, {
        description: `Clover: forward to the monitoring plane: ${category.description}`.slice(0, 512),
        eventPattern: category.pattern,
      });
      rule.addTarget(new targets.EventBus(bus, { role: this.role, deadLetterQueue: this.deadLetterQueue }));
      if (category.readOnlyManagementEvents) {
        (rule.node.defaultChild as events.CfnRule).state = 'ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS';
      }
      rules[category.id] = rule;
    }
    this.rules = rules;
  }
}
