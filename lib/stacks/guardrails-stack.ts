import { Construct } from 'constructs';
import { auditorRoleName, configBucketName, CONFIG_KEY_ALIAS } from '../config/naming';
import { baselineTargets, enclaveOrgPathPatterns } from '../config/organization';
import { allowedRegionCodes } from '../config/regions';
import type { CloverConfig } from '../config/types';
import { EnclaveBaseline } from '../constructs/guardrails/enclave-baseline';
import { OrganizationGuardrails } from '../constructs/guardrails/organization-guardrails';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface GuardrailsStackProps extends CloverStackProps {
  readonly config: CloverConfig;
}

/**
 * Organisation guardrails, deployed in the management account named by `guardrails.managementAccount`:
 * the SCPs, and with `guardrails.organization` their attachment to the enclave OUs and the
 * service-managed StackSet that rolls the baseline out to every enclave account.
 */
export class GuardrailsStack extends CloverStack {
  public readonly guardrails: OrganizationGuardrails;
  /** Present only when the config names an organisation. */
  public readonly baseline?: EnclaveBaseline;

  constructor(scope: Construct, id: string, props: GuardrailsStackProps) {
    super(scope, id, props);
    const { config } = props;
    const organization = config.guardrails?.organization;
    const targets = [...(config.guardrails?.targetIds ?? []), ...(organization?.enclaveOus ?? [])];
    this.guardrails = new OrganizationGuardrails(this, 'Guardrails', {
      allowedRegions: allowedRegionCodes(config.residency.allowJurisdictions),
      enclaveAccounts: config.enclaves.map((enclave) => enclave.account),
      enclaveOrgPaths: organization ? enclaveOrgPathPatterns(organization) : undefined,
      interim: config.enclaves.flatMap((enclave) =>
        enclave.interim
          ? [
              {
                enclave: enclave.name,
                account: enclave.account,
                region: enclave.region,
                sunset: enclave.interim.sunset,
              },
            ]
          : [],
      ),
      targetIds: [...new Set(targets)],
    });
    if (organization) {
      const { account, region } = config.monitoring;
      this.baseline = new EnclaveBaseline(this, 'Baseline', {
        enclaveOus: organization.enclaveOus,
        targets: baselineTargets(config),
        configRecorder: organization.configRecorder,
        parameters: {
          ConfigBucketName: configBucketName(account, region),
          ConfigKeyAlias: CONFIG_KEY_ALIAS,
          MonitoringAccount: account,
          MonitoringRegion: region,
          MonitoringAuditorRoleArn: `arn:${this.partition}:iam::${account}:role/${auditorRoleName('monitoring')}`,
        },
      });
    }
  }
}
