import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { humanBoundaryPolicyName } from './naming';
import {
  auditorReadStatements,
  dataAccessStatements,
  EnclaveDataResources,
  keyRecoveryStatements,
} from './permissions';

export interface HumanPermissionsBoundaryProps {
  readonly enclave: string;
  readonly data: EnclaveDataResources;
  /**
   * Whether the auditor may read raw log events (the boundary then allows them).
   * @default false
   */
  readonly auditorRawLogs?: boolean;
}

/**
 * The permissions boundary of every human-assumable role of an enclave: the most any
 * such role can ever do is work with the enclave's own data stores, read audit
 * evidence, and (break-glass) recover the data keys. Nothing in IAM, nothing
 * outside the enclave's resources.
 */
export class HumanPermissionsBoundary extends Construct {
  public readonly policy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: HumanPermissionsBoundaryProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      managedPolicyName: humanBoundaryPolicyName(props.enclave),
      description: `Clover ${props.enclave}: permissions boundary of approved-employee, auditor and break-glass roles`,
      statements: [
        ...dataAccessStatements(stack, props.data),
        ...auditorReadStatements(stack, props.enclave, props.data, { rawLogs: props.auditorRawLogs }),
        ...keyRecoveryStatements(props.data),
      ],
    });
  }
}
