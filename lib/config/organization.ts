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

/** The permanent enclaves of the organisation baseline: inside the allowed jurisdictions and the organisation's partition. */
function baselineEnclaves(config: CloverConfig) {
  const partition = organizationPartition(config);
  return config.enclaves.filter(
    (enclave) =>
      !enclave.interim &&
      findRegion(enclave.region)?.partition === partition &&
      isAllowedRegion(enclave.region, config.residency.allowJurisdictions),
  );
}

/**
 * Regions of the organisation baseline: each region of a permanent enclave inside the allowed
 * jurisdictions and the organisation's partition, once, in catalogue order. An aws-partition StackSet
 * cannot reach eusc-de-east-1; an opt-in region appears only where an enclave is configured; an interim
 * enclave's region outside the allowed jurisdictions never.
 */
export function baselineRegions(config: CloverConfig): string[] {
  const wanted = new Set(baselineEnclaves(config).map((enclave) => enclave.region));
  return allRegions()
    .map((region) => region.code)
    .filter((code) => wanted.has(code));
}

/** Where one group of the baseline's stack instances goes: regions, and the accounts when not all of the OUs. */
export interface BaselineTarget {
  readonly regions: readonly string[];
  /** Only these accounts of the enclave OUs; every account of them when undefined. */
  readonly accounts?: readonly string[];
}

/**
 * The baseline's stack instance groups. Regions enabled by default go to every account of the enclave OUs
 * (and to every account moved there later). An opt-in region (eu-south-1, eu-south-2, eu-central-2) is
 * enabled only in the accounts that turned it on: a stack instance in any other account fails, and with
 * it the whole operation (the StackSet tolerates no failure). So each opt-in region goes only to the
 * accounts of the enclaves configured there.
 */
export function baselineTargets(config: CloverConfig): BaselineTarget[] {
  const regions = baselineRegions(config);
  const enclaves = baselineEnclaves(config);
  const enabled = regions.filter((code) => !findRegion(code)?.optIn);
  const targets: BaselineTarget[] = enabled.length > 0 ? [{ regions: enabled }] : [];
  for (const region of regions.filter((code) => findRegion(code)?.optIn)) {
    const accounts = enclaves
      .filter((enclave) => enclave.region === region)
      .map((enclave) => enclave.account);
    targets.push({ regions: [region], accounts: [...new Set(accounts)] });
  }
  return targets;
}
