/**
 * Physical names shared between stacks of one enclave. Log groups have fixed
 * names so that the logging stack can subscribe to them without cross-stack
 * exports, and auditors can find them.
 */

/** VPC flow logs of the enclave VPC. */
export function flowLogGroupName(enclave: string): string {
  return `/clover/${enclave}/vpc-flow-logs`;
}

/** Flow log of the security-gateway appliances (one line per inner flow). */
export function applianceLogGroupName(enclave: string): string {
  return `/clover/${enclave}/gateway-appliance`;
}

/** The enclave's CloudTrail log group. */
export function trailLogGroupName(enclave: string): string {
  return `/clover/${enclave}/cloudtrail`;
}

/** Stack name within an enclave stage, e.g. `dublin-1-Network`. */
export function enclaveStackName(enclave: string, stack: string): string {
  return `${enclave}-${stack}`;
}
