import { Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { approvedEmployeeRoleName } from '../../config/naming';
import { SELF_PRINCIPAL } from '../../config/flow-declaration';
import { declareFlows } from '../flows';
import { APPROVED_TAG, JURISDICTION_TAG } from './naming';
import { dataAccessStatements, EnclaveDataResources } from './permissions';
import { HumanTrustProps, humanTrustStatements, setTrust } from './trust';

export interface ApprovedEmployeeRoleProps extends Omit<HumanTrustProps, 'expires'> {
  /** Enclave name; names the role. */
  readonly enclave: string;
  /** The enclave's stores and keys, which the role's permissions name. */
  readonly data: EnclaveDataResources;
  /** Permissions boundary of the role (`HumanPermissionsBoundary`). */
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
    const jurisdiction = props.allowedJurisdictions[0];
    declareFlows(
      this.role.node.defaultChild as iam.CfnRole,
      props.data.buckets.map((bucket, position) => ({
        id: `read-data-${position}`,
        kind: 'required' as const,
        description: `an approved employee of ${props.enclave} (MFA, ${APPROVED_TAG}, jurisdiction ${jurisdiction}) reads an object of ${bucket.bucketName}`,
        principal: SELF_PRINCIPAL,
        action: 's3:GetObject',
        resource: bucket.arnForObjects('records/example.json'),
        context: {
          'aws:MultiFactorAuthPresent': 'true',
          [`aws:PrincipalTag/${APPROVED_TAG}`]: 'true',
          [`aws:PrincipalTag/${JURISDICTION_TAG}`]: jurisdiction,
        },
      })),
    );
  }
}
