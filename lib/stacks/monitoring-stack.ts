import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { CloverConfig } from '../config/types';
import { SELF_PRINCIPAL } from '../config/flow-declaration';
import { auditorRoleName, securityEventForwarderRoleName, TRAIL_CHECK_ROLE_PREFIX } from '../config/naming';
import { enclaveOrgPathPatterns } from '../config/organization';
import { auditorExternalId } from '../constructs/access/naming';
import { declareFlows } from '../constructs/flows';
import { archivePrefix, EvidenceArchive } from '../constructs/monitoring/evidence-archive';
import { migrationTargets } from '../config/migration';
import { migrationVerifierRoleName } from '../constructs/migration/naming';
import { ConfigDelivery } from '../constructs/monitoring/config-delivery';
import type { OrganizationPrincipals } from '../constructs/monitoring/organization-grants';
import { SecurityEventBus } from '../constructs/monitoring/security-event-bus';
import { securityEventCategories } from '../constructs/monitoring/security-events';
import { ServiceKey } from '../constructs/monitoring/service-key';
import { designDecision } from '../constructs/design-decision';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface MonitoringStackProps extends CloverStackProps {
  readonly config: CloverConfig;
}

/** Name under which the monitoring account's auditor role is created (`clover-monitoring-independent-auditor`). */
export const MONITORING_AUDITOR_ROLE_NAME = auditorRoleName('monitoring');

/**
 * The monitoring plane: the evidence archive (Object Lock, compliance mode),
 * the auditor role that alone reads it, and the cross-account security event
 * bus with its alert rules and topic. Every enclave sends here, including
 * interim enclaves outside Europe: events flow into the EU, never out.
 */
export class MonitoringStack extends CloverStack {
  public readonly archive: EvidenceArchive;
  public readonly auditorRole: iam.Role;
  public readonly alertKey: ServiceKey;
  public readonly securityEvents: SecurityEventBus;
  /** Present only when the config names an organisation (its baseline's Config recorders deliver here). */
  public readonly configDelivery?: ConfigDelivery;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config } = props;
    const enclaves = config.enclaves;
    // With an organisation, every grant to the enclaves names its enclave OUs, not their accounts.
    const organization = config.guardrails?.organization;
    const byOrganization: OrganizationPrincipals | undefined = organization
      ? { id: organization.id, paths: enclaveOrgPathPatterns(organization) }
      : undefined;
    const anyAccountRole = (name: string) => `arn:${this.partition}:iam::*:role/${name}`;

    this.archive = new EvidenceArchive(this, 'Archive', {
      writers: [
        ...enclaves.map((enclave) => ({ name: enclave.name, account: enclave.account })),
        // The migration verifier of each enclave that interim enclaves migrate into writes its evidence.
        ...migrationTargets(config).map((target) => ({
          name: target.name,
          account: target.account,
          roleName: migrationVerifierRoleName(target.name),
          prefix: `${archivePrefix(target.name)}migration/`,
        })),
      ],
      retention: Duration.days(config.monitoring.archiveRetentionDays),
      readerRoleName: MONITORING_AUDITOR_ROLE_NAME,
      organization: byOrganization,
    });

    const boundary = new iam.ManagedPolicy(this, 'AuditorBoundary', {
      managedPolicyName: 'clover-monitoring-auditor-boundary',
      description: 'Permissions boundary of the monitoring auditor: read the evidence archive, nothing else',
    });
    this.auditorRole = new iam.Role(this, 'AuditorRole', {
      roleName: MONITORING_AUDITOR_ROLE_NAME,
      description: 'Independent auditor: reads the evidence archive of the monitoring plane',
      // The provider's named principals only (aws:PrincipalArn), signed in with MFA: not every principal of its accounts.
      assumedBy: new iam.CompositePrincipal(
        ...config.monitoring.providerAccounts.map((account) => new iam.AccountPrincipal(account)),
      ).withConditions({
        Bool: { 'aws:MultiFactorAuthPresent': 'true' },
        ArnEquals: { 'aws:PrincipalArn': [...config.monitoring.auditorPrincipals] },
      }),
      permissionsBoundary: boundary,
    });
    this.archive.grantRead(this.auditorRole);
    boundary.addStatements(...this.archive.readStatements());
    // From here the auditor reaches each enclave's auditor role (evidence of that enclave, never its data),
    // and with an organisation the baseline's trail-check roles; those roles' trust admits this role alone.
    // A decommissioned interim enclave has no roles left.
    const audited = enclaves.filter((enclave) => enclave.interim?.phase !== 'decommissioned');
    const enclaveAuditors = new iam.PolicyStatement({
      sid: 'AssumeEnclaveAuditorRoles',
      actions: ['sts:AssumeRole'],
      resources: byOrganization
        ? [anyAccountRole(auditorRoleName('*')), anyAccountRole(`${TRAIL_CHECK_ROLE_PREFIX}*`)]
        : audited.map(
            (enclave) =>
              `arn:${this.partition}:iam::${enclave.account}:role/${auditorRoleName(enclave.name)}`,
          ),
    });
    this.auditorRole.addToPrincipalPolicy(enclaveAuditors);
    boundary.addStatements(enclaveAuditors);
    if (byOrganization) {
      this.configDelivery = new ConfigDelivery(this, 'ConfigDelivery', {
        organization: byOrganization,
        retentionDays: config.monitoring.archiveRetentionDays,
      });
      const reads = this.configDelivery.readStatements();
      for (const statement of reads) this.auditorRole.addToPrincipalPolicy(statement);
      boundary.addStatements(...reads);
    }
    declareFlows(
      this.auditorRole.node.defaultChild as iam.CfnRole,
      audited.map((enclave) => ({
        id: `assume-${enclave.name}-auditor`,
        kind: 'required' as const,
        description: `the monitoring auditor assumes the independent auditor role of ${enclave.name}`,
        principal: SELF_PRINCIPAL,
        action: 'sts:AssumeRole',
        resource: `arn:${this.partition}:iam::${enclave.account}:role/${auditorRoleName(enclave.name)}`,
        context: { 'sts:ExternalId': auditorExternalId(enclave.name, enclave.account) },
      })),
    );
    designDecision(this.auditorRole, 'MONITORING_AUDITOR_WILDCARDS');
    designDecision(boundary, 'MONITORING_AUDITOR_WILDCARDS');

    this.alertKey = new ServiceKey(this, 'AlertKey', {
      alias: 'clover-monitoring-alerts',
      description: 'Clover monitoring plane: security event bus, alert topic and its dead-letter queue',
      // The bus and the SNS target add their own EventBridge statements to this key.
    });
    this.securityEvents = new SecurityEventBus(this, 'SecurityEvents', {
      senderRoleArns: enclaves.map(
        (enclave) =>
          `arn:${this.partition}:iam::${enclave.account}:role/${securityEventForwarderRoleName(enclave.name)}`,
      ),
      // Every enclave's events arrive here: roles are matched by Clover's naming pattern, not listed.
      categories: securityEventCategories({ blockedJurisdictions: config.residency.blockedJurisdictions }),
      encryptionKey: this.alertKey.key,
      alertUrl: config.monitoring.alertUrl,
      organization: byOrganization && {
        ...byOrganization,
        senderRolePattern: anyAccountRole(securityEventForwarderRoleName('*')),
      },
    });
  }
}
