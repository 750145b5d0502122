import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { approvedEmployeeRoleName } from '../../config/naming';
import { dataAccessStatements, EnclaveDataResources } from './permissions';
import { HumanTrustProps, humanTrustStatements, setTrust } from './trust';

export interface ApprovedEmployeeRoleProps extends Omit<HumanTrustProps, 'expires'> {
  readonly enclave: string;
  readonly data: EnclaveDataResources;
  readonly boundary: iam.IManagedPolicy;
  /**
   * Longest session.
   * @default 1 hour
   */
  readonly maxSessionDuration?: Duration;
}

/** The role approved employees from allowed jurisdictions assume to work with the enclave's data. */
export class ApprovedEmployeeRole extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ApprovedEmployeeRoleProps) {
    super(scope, id);
    this.role = new iam.Role(this, 'Role', {
      roleName: approvedEmployeeRoleName(props.enclave),
      description: `Clover ${props.enclave}: approved employees (MFA, clover:approved, allowed jurisdiction; regional STS only)`,
      assumedBy: new iam.AccountRootPrincipal(),
      permissionsBoundary: props.boundary,
      maxSessionDuration: props.maxSessionDuration ?? Duration.hours(1),
      inlinePolicies: {
        EnclaveData: new iam.PolicyDocument({ statements: dataAccessStatements(Stack.of(this), props.data) }),
      },
    });
    setTrust(this.role, humanTrustStatements(props));
  }
}
