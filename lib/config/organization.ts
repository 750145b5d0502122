/**
 * What the organisation settings (`guardrails.organization`) mean for the grants and the StackSet:
 * pure functions over a validated config, shared by the guardrails and the monitoring plane.
 */
import { allRegions, findRegion, isAllowedRegion } from './regions';
import type { CloverConfig, OrganizationConfig } from './types';

// `aws:PrincipalOrgPaths` patterns of the accounts under the enclave OUs, at any depth:
// o-a1b2c3d4e5/*/ou-ab12-cdef3456/* (for the root, o-a1b2c3d4e5/r-ab12/*).
export function enclaveOrgPathPatterns(organization: OrganizationConfig): string[] {
  return organization.enclaveOus.map((unit) =>
    unit.startsWith('r-') ? `${organization.id}/${unit}/*` : `${organization.id}/*/${unit}/*`,
  );
}

/** The organisation of the config, when it names one. */
export function organizationOf(config: CloverConfig): OrganizationConfig | undefined {
  return config.guardrails?.organization;
}

/** The partition of the organisation: that of the guardrails stack's region (the management account's home). */
export function organizationPartition(config: CloverConfig): string | undefined {
  return config.guardrails ? findRegion(config.guardrails.region)?.partition : undefined;
}

/**
 * Regions of the organisation baseline: each region of a permanent enclave inside the allowed
 * jurisdictions and the organisation's partition, once, in catalogue order. An aws-partition StackSet
 * cannot reach eusc-de-east-1; an opt-in region appears only where an enclave is configured; an interim
 * enclave's region outside the allowed jurisdictions never.
 */
export function baselineRegions(config: CloverConfig): string[] {
  const partition = organizationPartition(config);
  const wanted = new Set(
    config.enclaves
      .filter(
        (enclave) =>
          !enclave.interim &&
          findRegion(enclave.region)?.partition === partition &&
          isAllowedRegion(enclave.region, config.residency.allowJurisdictions),
      )
      .map((enclave) => enclave.region),
  );
  return allRegions()
    .map((region) => region.code)
    .filter((code) => wanted.has(code));
}
