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
  readonly enclave: string;
  readonly data: EnclaveDataResources;
  readonly boundary: iam.IManagedPolicy;
  /** Accounts of the independent provider (the monitoring account); no other account may assume the role. */
  readonly providerAccounts: readonly string[];
  /**
   * External ID the provider must pass.
   * @default auditorExternalId(enclave, account)
   */
  readonly externalId?: string;
}

/**
 * Read-only role of the independent auditor: assumable only from the provider's
 * accounts with the agreed external ID; reads configuration and Clover logs,
 * and is explicitly denied reading or decrypting user data.
 */
export class AuditorRole extends Construct {
  public readonly role: iam.Role;
  public readonly externalId: string;

  constructor(scope: Construct, id: string, props: AuditorRoleProps) {
    super(scope, id);
    if (props.providerAccounts.length === 0) {
      throw new Error(
        `AuditorRole at ${this.node.path}: providerAccounts is empty; name the monitoring account`,
      );
    }
    const stack = Stack.of(this);
    this.externalId = props.externalId ?? auditorExternalId(props.enclave, stack.account);
    this.role = new iam.Role(this, 'Role', {
      roleName: auditorRoleName(props.enclave),
      description: `Clover ${props.enclave}: read-only role of the independent auditor (external ID required)`,
      assumedBy: new iam.AccountRootPrincipal(),
      permissionsBoundary: props.boundary,
      maxSessionDuration: Duration.hours(1),
      inlinePolicies: {
        AuditEvidence: new iam.PolicyDocument({
          statements: auditorReadStatements(stack, props.enclave, props.data),
        }),
        NoUserData: new iam.PolicyDocument({ statements: auditorDenyStatements(props.data) }),
      },
    });
    setTrust(this.role, [
      new iam.PolicyStatement({
        sid: 'IndependentProviderWithExternalId',
        principals: props.providerAccounts.map((account) => new iam.AccountPrincipal(account)),
        actions: ['sts:AssumeRole'],
        conditions: { StringEquals: { 'sts:ExternalId': this.externalId } },
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
