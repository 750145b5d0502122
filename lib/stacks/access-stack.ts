import { Construct } from 'constructs';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import { ApprovedEmployeeRole } from '../constructs/access/approved-employee-role';
import { AuditorRole } from '../constructs/access/auditor-role';
import { HumanPermissionsBoundary } from '../constructs/access/boundary';
import { BreakGlassAccess } from '../constructs/access/break-glass';
import { dataResourcesOf } from '../constructs/access/permissions';
import { designDecision } from '../constructs/design-decision';
import type { DataVault } from '../constructs/data-vault/data-vault';
import { auditorRoleName } from '../config/naming';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface AccessStackProps extends CloverStackProps {
  readonly enclaveConfig: EnclaveConfig;
  readonly config: CloverConfig;
  /** The enclave's data vault, whose ARNs the roles are granted (or, for the auditor, denied). */
  readonly data: DataVault;
}

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
    designDecision(this, 'ACCESS_ROLE_WILDCARDS');
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
