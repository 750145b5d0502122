import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { auditorRoleName, flowLogGroupName, trailLogGroupName } from '../../config/naming';
import { SELF_PRINCIPAL } from '../../config/flow-declaration';
import { declareFlows } from '../flows';
import { auditorExternalId } from './naming';
import { auditorDenyStatements, auditorReadStatements, EnclaveDataResources } from './permissions';
import { setTrust } from './trust';

export interface AuditorRoleProps {
  /** Enclave name; names the role. */
  readonly enclave: string;
  /** The enclave's stores and keys, which the role's permissions name. */
  readonly data: EnclaveDataResources;
  /** Permissions boundary of the role (`HumanPermissionsBoundary`). */
  readonly boundary: iam.IManagedPolicy;
  /**
   * The one principal that may assume the role: the monitoring plane's auditor role, which the
   * independent provider's named principals assume first. Named by ARN (it may not exist yet) and
   * admitted through its account with an `aws:PrincipalArn` condition.
   */
  readonly trustedRoleArn: string;
  /**
   * Whether the auditor may read the raw events of the enclave's log groups (personal data).
   * @default false
   */
  readonly rawLogs?: boolean;
  /**
   * External ID the provider must pass.
   * @default auditorExternalId(enclave, account)
   */
  readonly externalId?: string;
}

/**
 * Read-only role of the independent auditor: assumable only by the monitoring
 * plane's auditor role, with the agreed external ID; reads configuration and
 * findings (not raw log events, unless the config says so), and is explicitly
 * denied reading or decrypting user data.
 */
export class AuditorRole extends Construct {
  public readonly role: iam.Role;
  public readonly externalId: string;

  constructor(scope: Construct, id: string, props: AuditorRoleProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const trustedAccount = props.trustedRoleArn.split(':')[4];
    if (!/^\d{12}$/.test(trustedAccount ?? '')) {
      throw new Error(
        `AuditorRole at ${this.node.path}: trustedRoleArn "${props.trustedRoleArn}" names no account; give the monitoring auditor role's ARN`,
      );
    }
    this.externalId = props.externalId ?? auditorExternalId(props.enclave, stack.account);
    this.role = new iam.Role(this, 'Role', {
      roleName: auditorRoleName(props.enclave),
      description: `Clover ${props.enclave}: read-only role of the independent auditor (external ID required)`,
      assumedBy: new iam.AccountRootPrincipal(),
      permissionsBoundary: props.boundary,
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        AuditEvidence: new iam.PolicyDocument({
          statements: auditorReadStatements(stack, props.enclave, props.data, { rawLogs: props.rawLogs }),
        }),
        NoUserData: new iam.PolicyDocument({
          statements: auditorDenyStatements(stack, props.enclave, props.data, { rawLogs: props.rawLogs }),
        }),
      },
    });
    setTrust(this.role, [
      new iam.PolicyStatement({
        sid: 'MonitoringAuditorWithExternalId',
        principals: [new iam.AccountPrincipal(trustedAccount)],
        actions: ['sts:AssumeRole'],
        conditions: {
          ArnEquals: { 'aws:PrincipalArn': props.trustedRoleArn },
          StringEquals: { 'sts:ExternalId': this.externalId },
        },
      }),
    ]);
    // Evidence, not data: the raw flow-log and trail events carry the personal data the shipper pseudonymises.
    const logGroup = (group: string) =>
      `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:${group}`;
    // GetLogEvents names a stream; FilterLogEvents the group.
    const logResource = (group: string, action: string) =>
      action === 'logs:GetLogEvents' ? `${logGroup(group)}:log-stream:example` : logGroup(group);
    declareFlows(this.role.node.defaultChild as iam.CfnRole, [
      ...[flowLogGroupName(props.enclave), trailLogGroupName(props.enclave)].flatMap((group) =>
        ['logs:GetLogEvents', 'logs:FilterLogEvents'].map((action) => ({
          id: `raw-events:${group}:${action}`,
          kind: 'forbidden' as const,
          description: `the independent auditor of ${props.enclave} reads raw events of ${group}`,
          principal: SELF_PRINCIPAL,
          action,
          resource: logResource(group, action),
        })),
      ),
      ...props.data.buckets.map((bucket, position) => ({
        id: `user-data-${position}`,
        kind: 'forbidden' as const,
        description: `the independent auditor of ${props.enclave} reads user data in ${bucket.bucketName}`,
        principal: SELF_PRINCIPAL,
        action: 's3:GetObject',
        resource: bucket.arnForObjects('records/example.json'),
      })),
    ]);
  }
}
