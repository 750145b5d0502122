import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { ApprovedEmployeeRole } from '../constructs/access/approved-employee-role';
import { AuditorRole } from '../constructs/access/auditor-role';
import { HumanPermissionsBoundary } from '../constructs/access/boundary';
import { BreakGlassAccess } from '../constructs/access/break-glass';
import { dataResourcesOf } from '../constructs/access/permissions';
import { justifyIamWildcards, WildcardJustification } from '../constructs/access/wildcard-justifications';
import type { DataVault } from '../constructs/data-vault/data-vault';
import { auditorRoleName } from '../config/naming';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface AccessStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
  /** The enclave's data vault, whose ARNs the roles are granted (or, for the auditor, denied). */
  readonly data: DataVault;
}

/** Last day of the IAM wildcard justifications below: reviewed at least once a year. */
const REVIEWED_UNTIL = '2027-11-22';

/** Every IAM wildcard of the access roles and why it is acceptable (listed in docs/acknowledgments.md). */
export const ACCESS_WILDCARDS: readonly WildcardJustification[] = [
  {
    finding: /^Resource::\*$/,
    reason:
      'List/describe actions (CloudTrail, Config, EC2 Describe*, kms:ListKeys/ListAliases, logs:DescribeLogGroups/GetQueryResults, s3:ListAllMyBuckets) support no resource-level permissions; they show configuration, never user data',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:s3:::clover-[a-z0-9-]+\/\*$/,
    reason:
      'Objects of the enclave’s own data buckets (deterministic names from data-vault/naming.ts); object ARNs are always <bucket>/*',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:logs:[a-z0-9-]+:\d{12}:log-group:\/clover\/[a-z0-9-]+\/\*$/,
    reason:
      'The enclave’s Clover log groups (/clover/<enclave>/…: flow logs, gateway appliances, CloudTrail), read by the auditor as evidence',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:cloudformation:[a-z0-9-]+:\d{12}:stack\/[a-z0-9-]+-\*\/\*$/,
    reason:
      'Stack ARNs end in a generated stack ID; the name prefix pins the enclave’s own stacks (describe and get-template only)',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Resource::arn:<AWS::Partition>:iam::\d{12}:(role|policy)\/clover-[a-z0-9-]+-\*$/,
    reason:
      'Read-only Get/List on the enclave’s Clover roles and policies (clover-<enclave>-…), so the auditor can verify trust and boundaries',
    expires: REVIEWED_UNTIL,
  },
  {
    finding: /^Action::kms:GenerateDataKey\*$/,
    reason:
      'EventBridge publishes break-glass alarms to the KMS-encrypted alarm topic; CDK’s grantPublish grants kms:GenerateDataKey* on that one alarm key',
    expires: REVIEWED_UNTIL,
  },
];

/** Enclave approved-employee, auditor and break-glass roles. */
export class AccessStack extends CloverStack {
  public readonly boundary: HumanPermissionsBoundary;
  public readonly approvedEmployee: ApprovedEmployeeRole;
  public readonly auditor: AuditorRole;
  /** Present only while `access.breakGlass.expires` is today or later (config validation refuses a past date). */
  public readonly breakGlass?: BreakGlassAccess;

  constructor(scope: Construct, id: string, props: AccessStackProps) {
    super(scope, id, props);
    const enclave = props.enclaveConfig.name;
    const { config } = props;
    const data = dataResourcesOf(this, props.data);
    const trust = {
      allowedJurisdictions: config.residency.allowJurisdictions,
      blockedJurisdictions: config.residency.blockedJurisdictions,
      region: props.enclaveConfig.region,
      identitySource: config.access.identitySource,
    };
    this.boundary = new HumanPermissionsBoundary(this, 'HumanBoundary', {
      enclave,
      data,
      auditorRawLogs: config.access.auditorRawLogs,
    });
    const boundary = this.boundary.policy;
    this.approvedEmployee = new ApprovedEmployeeRole(this, 'ApprovedEmployee', {
      enclave,
      data,
      boundary,
      ...trust,
    });
    this.auditor = new AuditorRole(this, 'IndependentAuditor', {
      enclave,
      data,
      boundary,
      trustedRoleArn: `arn:${this.partition}:iam::${config.monitoring.account}:role/${auditorRoleName('monitoring')}`,
      rawLogs: config.access.auditorRawLogs,
    });
    justifyIamWildcards(this, ACCESS_WILDCARDS);
    const breakGlass = config.access.breakGlass;
    if (breakGlass) {
      this.breakGlass = new BreakGlassAccess(this, 'BreakGlass', {
        enclave,
        data,
        boundary,
        ...trust,
        expires: breakGlass.expires,
        alertUrl: config.monitoring.alertUrl,
      });
    }
  }
}
