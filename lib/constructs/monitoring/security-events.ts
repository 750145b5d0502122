import type { EventPattern } from 'aws-cdk-lib/aws-events';
import { approvedEmployeeRoleName, breakGlassRoleName } from '../../config/naming';
import { JURISDICTION_TAG } from '../access/naming';
import { replicationRoleName } from '../data-vault/naming';

/**
 * The security events that enclaves forward to the monitoring plane, as pure
 * EventBridge patterns. The same pattern selects an event twice: in the
 * enclave (default bus → monitoring bus) and on the monitoring bus (→ alert),
 * so what is forwarded is exactly what can alert.
 */

/** Alarm-name suffix of the enclave's S3 data-access anomaly alarm (`clover-<enclave>-s3-data-access-anomaly`). */
export const DATA_ACCESS_ANOMALY_ALARM_SUFFIX = 's3-data-access-anomaly';

/** `source` of the events an interim enclave puts on its default bus when its phase changes. */
export const INTERIM_PHASE_EVENT_SOURCE = 'clover.migration';
/** `detail-type` of those events. */
export const INTERIM_PHASE_EVENT_TYPE = 'Clover Interim Enclave Phase';
/** Alarm-name suffixes of the migration verifier's alarms (`clover-<interim enclave>-migration-missing`). */
export const MIGRATION_ALARM_SUFFIXES = ['migration-missing', 'migration-mismatched'] as const;

/** Alarm-name suffix of the alarm on management events from regions outside the allowed set (multi-region trail). */
export const OUT_OF_REGION_ALARM_SUFFIX = 'management-event-outside-allowed-regions';

/**
 * Every Clover alarm that the monitoring plane listens for is named `clover-<enclave>-<what>`; `what` is
 * typed so that an alarm and the pattern that forwards it cannot drift apart.
 */
export function cloverAlarmName(
  enclave: string,
  what: DeliveryAlarmSuffix | typeof DATA_ACCESS_ANOMALY_ALARM_SUFFIX | typeof OUT_OF_REGION_ALARM_SUFFIX,
): string {
  return `clover-${enclave}-${what}`;
}

/** What the patterns need to know about the enclaves to recognise their security events. */
export interface SecurityEventInputs {
  /**
   * Enclaves whose Clover roles the patterns name exactly: an enclave's own forwarding rules name its
   * own roles (and those of enclaves replicating into it), so a pattern stays the same size however many
   * enclaves there are.
   * @default every enclave: roles are matched by Clover's naming pattern (`clover-*-approved-employee`), as
   * the monitoring plane's bus does for the events all enclaves forward
   */
  readonly enclaves?: readonly string[];
  /** Jurisdictions (session-tag values) that are always denied. */
  readonly blockedJurisdictions: readonly string[];
}

/** Stands for any enclave name in a role name pattern. */
const ANY_ENCLAVE = '*';

/** A list of exact values, or for every enclave one EventBridge wildcard matcher per role name pattern. */
type NameMatchers = string[] | Array<{ wildcard: string }>;

/** The role names `nameOf` gives the enclaves of the inputs: exact, or one wildcard for every enclave. */
function roleNames(
  inputs: SecurityEventInputs,
  ...namesOf: Array<(enclave: string) => string>
): NameMatchers {
  if (inputs.enclaves === undefined) return namesOf.map((nameOf) => ({ wildcard: nameOf(ANY_ENCLAVE) }));
  const enclaves = inputs.enclaves;
  return enclaves.flatMap((enclave) => namesOf.map((nameOf) => nameOf(enclave)));
}

export interface SecurityEventCategory {
  /** Stable identifier, used in construct IDs and rule names. */
  readonly id: string;
  /** One line for the rule description and the alert. */
  readonly description: string;
  readonly pattern: EventPattern;
  /**
   * Whether the pattern matches read-only management events (KMS `Decrypt`, STS `AssumeRole`, reads
   * by a break-glass session): such events reach a rule on the default bus only when the rule's state
   * is `ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS`.
   */
  readonly readOnlyManagementEvents: boolean;
}

const API_CALL = 'AWS API Call via CloudTrail';
const CONSOLE_SIGN_IN = 'AWS Console Sign In via CloudTrail';
const ALARM_STATE_CHANGE = 'CloudWatch Alarm State Change';
const ASSUME_ROLE_CALLS = ['AssumeRole', 'AssumeRoleWithSAML', 'AssumeRoleWithWebIdentity'];

/**
 * Roles allowed to decrypt user data: the enclaves' approved-employee roles and their S3
 * replication roles. Workload roles of applications are not known to Clover; their decrypts
 * alert until they are named here.
 */
export function approvedDecryptRoleNames(inputs: SecurityEventInputs): NameMatchers {
  return roleNames(inputs, approvedEmployeeRoleName, replicationRoleName);
}

/** Every value but these: exact names, or names matching none of the wildcards. */
function anythingBut(names: NameMatchers): { 'anything-but': string[] | { wildcard: string[] } } {
  const wildcards = names.flatMap((name) => (typeof name === 'string' ? [] : [name.wildcard]));
  return {
    'anything-but': wildcards.length > 0 ? { wildcard: wildcards } : (names as string[]),
  };
}

/** Role ARNs end in `:role/<name>` (or `:role/<path>/<name>`); suffix matching keeps partitions out of the pattern. */
function roleArnSuffixes(names: NameMatchers): Array<{ suffix: string } | { wildcard: string }> {
  return names.map((name) =>
    typeof name === 'string' ? { suffix: `:role/${name}` } : { wildcard: `*:role/${name.wildcard}` },
  );
}

/** The five categories of issue 6: user-data decrypts, break-glass use, jurisdiction, control-plane changes, data-access anomalies. */
export function securityEventCategories(inputs: SecurityEventInputs): SecurityEventCategory[] {
  const approvedEmployees = roleNames(inputs, approvedEmployeeRoleName);
  const breakGlass = roleNames(inputs, breakGlassRoleName);
  return [
    {
      id: 'UserDataDecrypt',
      description:
        'KMS Decrypt/ReEncrypt for a Clover data store (an S3 bucket named clover-*, or any DynamoDB table of an enclave account) by a principal other than an approved-employee or replication role',
      readOnlyManagementEvents: true,
      pattern: {
        source: ['aws.kms'],
        detailType: [API_CALL],
        detail: {
          eventName: ['Decrypt', 'ReEncrypt'],
          requestParameters: {
            encryptionContext: {
              $or: [
                { 'aws:s3:arn': [{ wildcard: 'arn:*:s3:::clover-*' }] },
                // Enclave accounts hold only enclave data, so every table there is a user-data store.
                { 'aws:dynamodb:tableName': [{ exists: true }] },
              ],
            },
          },
          userIdentity: {
            $or: [
              {
                sessionContext: {
                  sessionIssuer: { userName: [anythingBut(approvedDecryptRoleNames(inputs))] },
                },
              },
              { type: ['IAMUser', 'Root', 'FederatedUser', 'AWSAccount'] },
            ],
          },
        },
      },
    },
    {
      id: 'BreakGlassUse',
      description: 'Any assumption of a break-glass role, and any call made by a break-glass session',
      readOnlyManagementEvents: true,
      pattern: {
        detailType: [API_CALL, CONSOLE_SIGN_IN],
        detail: {
          $or: [
            { eventName: ASSUME_ROLE_CALLS, requestParameters: { roleArn: roleArnSuffixes(breakGlass) } },
            { userIdentity: { sessionContext: { sessionIssuer: { userName: breakGlass } } } },
          ],
        },
      },
    },
    {
      id: 'JurisdictionViolation',
      description:
        'Access denied, or an approved-employee session requested with a blocked or missing jurisdiction session tag',
      readOnlyManagementEvents: true,
      pattern: {
        detailType: [API_CALL, CONSOLE_SIGN_IN],
        detail: {
          $or: [
            {
              errorCode: [
                { prefix: 'AccessDenied' },
                'Client.UnauthorizedOperation',
                'UnauthorizedOperation',
              ],
            },
            {
              eventName: ASSUME_ROLE_CALLS,
              requestParameters: {
                roleArn: roleArnSuffixes(approvedEmployees),
                tags: { key: [JURISDICTION_TAG], value: [...inputs.blockedJurisdictions] },
              },
            },
            {
              eventName: ASSUME_ROLE_CALLS,
              requestParameters: {
                roleArn: roleArnSuffixes(approvedEmployees),
                principalTags: { [JURISDICTION_TAG]: [...inputs.blockedJurisdictions] },
              },
            },
            {
              eventName: ['AssumeRole'],
              requestParameters: {
                roleArn: roleArnSuffixes(approvedEmployees),
                tags: { key: [{ exists: false }] },
              },
            },
          ],
        },
      },
    },
    {
      id: 'ControlPlaneChange',
      description:
        'A change to routes, gateways, flow logs, log subscriptions, trails, KMS keys or service control policies',
      readOnlyManagementEvents: false,
      pattern: {
        detailType: [API_CALL],
        detail: {
          $or: [
            { eventSource: [{ prefix: 'ec2.' }], eventName: [...EC2_CHANGES] },
            { eventSource: [{ prefix: 'elasticloadbalancing.' }], eventName: [...GWLB_CHANGES] },
            { eventSource: [{ prefix: 'cloudtrail.' }], eventName: [...TRAIL_CHANGES] },
            { eventSource: [{ prefix: 'logs.' }], eventName: [...LOG_CHANGES] },
            { eventSource: [{ prefix: 'kms.' }], eventName: [...KEY_CHANGES] },
            { eventSource: [{ prefix: 'organizations.' }], eventName: [...SCP_CHANGES] },
          ],
        },
      },
    },
    {
      id: 'DataAccessAnomaly',
      description: 'The volume of S3 data events in an enclave left its anomaly-detection band',
      readOnlyManagementEvents: false,
      pattern: {
        source: ['aws.cloudwatch'],
        detailType: [ALARM_STATE_CHANGE],
        detail: {
          alarmName: [{ wildcard: `clover-*-${DATA_ACCESS_ANOMALY_ALARM_SUFFIX}` }],
          state: { value: ['ALARM'] },
        },
      },
    },
    {
      id: 'OutOfRegionActivity',
      description: 'An enclave account made a management call in a region outside the allowed jurisdictions',
      readOnlyManagementEvents: false,
      pattern: {
        source: ['aws.cloudwatch'],
        detailType: [ALARM_STATE_CHANGE],
        detail: {
          alarmName: [{ wildcard: `clover-*-${OUT_OF_REGION_ALARM_SUFFIX}` }],
          state: { value: ['ALARM'] },
        },
      },
    },
    {
      id: 'InterimPhase',
      description:
        'An interim enclave changed phase (hosting, replicating, cutover, decommissioned): its stores start moving, freeze or are emptied',
      readOnlyManagementEvents: false,
      pattern: { source: [INTERIM_PHASE_EVENT_SOURCE], detailType: [INTERIM_PHASE_EVENT_TYPE] },
    },
    {
      id: 'MigrationIncomplete',
      description:
        'The migration verifier found records of an interim enclave missing or mismatched in its European target',
      readOnlyManagementEvents: false,
      pattern: {
        source: ['aws.cloudwatch'],
        detailType: [ALARM_STATE_CHANGE],
        detail: {
          alarmName: MIGRATION_ALARM_SUFFIXES.map((suffix) => ({ wildcard: `clover-*-${suffix}` })),
          state: { value: ['ALARM'] },
        },
      },
    },
    {
      id: 'DeliveryFailure',
      description:
        'A log shipper dead-lettered events or failed an invocation, or security events could not be forwarded',
      readOnlyManagementEvents: false,
      pattern: {
        source: ['aws.cloudwatch'],
        detailType: [ALARM_STATE_CHANGE],
        detail: {
          alarmName: DELIVERY_ALARM_SUFFIXES.map((suffix) => ({ wildcard: `clover-*-${suffix}` })),
          state: { value: ['ALARM'] },
        },
      },
    },
  ];
}

/** Suffixes of the enclave alarms that mean "an event may not have reached the monitor". */
export const DELIVERY_ALARM_SUFFIXES = [
  'log-shipper-dead-lettered',
  'log-shipper-failed-invocations',
  'log-shipper-parked',
  'security-events-undelivered',
] as const;

export type DeliveryAlarmSuffix = (typeof DELIVERY_ALARM_SUFFIXES)[number];

const EC2_CHANGES = [
  'CreateRoute',
  'ReplaceRoute',
  'DeleteRoute',
  'CreateRouteTable',
  'DeleteRouteTable',
  'AssociateRouteTable',
  'DisassociateRouteTable',
  'ReplaceRouteTableAssociation',
  'CreateInternetGateway',
  'AttachInternetGateway',
  'DetachInternetGateway',
  'DeleteInternetGateway',
  'CreateEgressOnlyInternetGateway',
  'CreateNatGateway',
  'DeleteNatGateway',
  'CreateVpcEndpoint',
  'ModifyVpcEndpoint',
  'DeleteVpcEndpoints',
  'CreateVpcPeeringConnection',
  'AcceptVpcPeeringConnection',
  'CreateTransitGatewayVpcAttachment',
  'CreateFlowLogs',
  'DeleteFlowLogs',
  'ModifyVpcEndpointServicePermissions',
  'AcceptVpcEndpointConnections',
];

const GWLB_CHANGES = [
  'DeleteLoadBalancer',
  'CreateListener',
  'ModifyListener',
  'DeleteListener',
  'DeregisterTargets',
  'ModifyTargetGroup',
  'DeleteTargetGroup',
];

const TRAIL_CHANGES = [
  'StopLogging',
  'DeleteTrail',
  'UpdateTrail',
  'PutEventSelectors',
  'PutInsightSelectors',
];

const LOG_CHANGES = [
  'DeleteSubscriptionFilter',
  'PutSubscriptionFilter',
  'DeleteLogGroup',
  'PutRetentionPolicy',
  'DisassociateKmsKey',
];

const KEY_CHANGES = [
  'DisableKey',
  'ScheduleKeyDeletion',
  'PutKeyPolicy',
  'DisableKeyRotation',
  'ImportKeyMaterial',
  'DeleteImportedKeyMaterial',
];

const SCP_CHANGES = [
  'CreatePolicy',
  'UpdatePolicy',
  'DeletePolicy',
  'AttachPolicy',
  'DetachPolicy',
  'DisablePolicyType',
  'EnablePolicyType',
];
