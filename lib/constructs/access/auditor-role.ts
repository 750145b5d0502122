import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { auditorRoleName } from '../../config/naming';
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
  }
}
