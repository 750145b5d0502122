import { Duration, Stack, Tags } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { breakGlassRoleName } from '../../config/naming';
import { EnclaveKey } from '../data-vault/enclave-key';
import { BREAK_GLASS_EXPIRES_TAG } from './naming';
import { dataAccessStatements, EnclaveDataResources, keyRecoveryStatements } from './permissions';
import { HumanTrustProps, humanTrustStatements, setTrust } from './trust';

export interface BreakGlassAccessProps extends HumanTrustProps {
  /** Enclave name; names the role. */
  readonly enclave: string;
  /** The enclave's stores and keys, which the role's permissions name. */
  readonly data: EnclaveDataResources;
  /** Permissions boundary of the role (`HumanPermissionsBoundary`). */
  readonly boundary: iam.IManagedPolicy;
  /** Last day (`YYYY-MM-DD`, inclusive) the role may be assumed; IAM refuses it afterwards. */
  readonly expires: string;
  /**
   * HTTPS endpoint that receives every break-glass alarm (the independent monitor's alert URL).
   * @default no subscription
   */
  readonly alertUrl?: string;
}

/**
 * Time-boxed emergency access: a role with the approved-employee trust (MFA,
 * allowed jurisdiction), one-hour sessions, an expiry enforced by IAM, and the
 * right to recover the data keys. Every `AssumeRole` call on it, allowed or not,
 * raises an alarm on a KMS-encrypted SNS topic.
 */
export class BreakGlassAccess extends Construct {
  public readonly role: iam.Role;
  public readonly alarmTopic: sns.Topic;
  public readonly alarmKey: EnclaveKey;
  public readonly rule: events.Rule;

  constructor(scope: Construct, id: string, props: BreakGlassAccessProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.role = new iam.Role(this, 'Role', {
      roleName: breakGlassRoleName(props.enclave),
      description: `Clover ${props.enclave}: break-glass access until ${props.expires}; every use raises an alarm`,
      assumedBy: new iam.AccountRootPrincipal(),
      permissionsBoundary: props.boundary,
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        EmergencyAccess: new iam.PolicyDocument({
          statements: [...dataAccessStatements(stack, props.data), ...keyRecoveryStatements(props.data)],
        }),
      },
    });
    setTrust(this.role, humanTrustStatements(props));
    Tags.of(this.role).add(BREAK_GLASS_EXPIRES_TAG, props.expires);

    this.alarmKey = new EnclaveKey(this, 'AlarmKey', {
      enclave: props.enclave,
      aliasName: `alias/clover/${props.enclave}/break-glass-alarms`,
      description: `Clover ${props.enclave}: key of the break-glass alarm topic`,
      services: ['sns'],
    });
    this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
      displayName: `Clover ${props.enclave} break-glass alarms`,
      masterKey: this.alarmKey.key,
      enforceSSL: true,
    });
    if (props.alertUrl !== undefined) {
      this.alarmTopic.addSubscription(
        new subscriptions.UrlSubscription(props.alertUrl, { protocol: sns.SubscriptionProtocol.HTTPS }),
      );
    }
    // CloudTrail records the call in the region of the STS endpoint; the trust only admits the enclave region.
    this.rule = new events.Rule(this, 'AssumeRoleAlarm', {
      description: `Clover ${props.enclave}: alarm on every AssumeRole of the break-glass role`,
      eventPattern: {
        source: ['aws.sts'],
        detailType: ['AWS API Call via CloudTrail'],
        detail: { eventName: ['AssumeRole'], requestParameters: { roleArn: [this.role.roleArn] } },
      },
      targets: [new targets.SnsTopic(this.alarmTopic, { authorizeUsingRole: true })],
    });
  }
}
