import { Construct } from 'constructs';
import { allowedRegionCodes } from '../config/regions';
import type { CloverConfig } from '../config/types';
import { OrganizationGuardrails } from '../constructs/guardrails/organization-guardrails';
import { CloverStack, CloverStackProps } from './clover-stack';

export interface GuardrailsStackProps extends CloverStackProps {
  readonly config: CloverConfig;
}

/** Organisation guardrails (SCPs), deployed in the management account named by `guardrails.managementAccount`. */
export class GuardrailsStack extends CloverStack {
  public readonly guardrails: OrganizationGuardrails;

  constructor(scope: Construct, id: string, props: GuardrailsStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.guardrails = new OrganizationGuardrails(this, 'Guardrails', {
      allowedRegions: allowedRegionCodes(config.residency.allowJurisdictions),
      enclaveAccounts: config.enclaves.map((enclave) => enclave.account),
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
      targetIds: config.guardrails?.targetIds,
    });
  }
}
