/** Identity/session tag that marks an employee approved for enclave access (value `true`). */
export const APPROVED_TAG = 'clover:approved';

/** Identity/session tag with the employee's jurisdiction (`EU`, `EEA`, `CH`, `UK`, or an ISO country code). */
export const JURISDICTION_TAG = 'clover:employee-jurisdiction';

/** Role tag holding the last day (inclusive) on which the break-glass role may be assumed. */
export const BREAK_GLASS_EXPIRES_TAG = 'clover:break-glass-expires';

/** Customer-managed policy that bounds every human-assumable role of an enclave. */
export function humanBoundaryPolicyName(enclave: string): string {
  return `clover-${enclave}-human-boundary`;
}

/**
 * External ID that the independent provider passes when it assumes the auditor role. It names the
 * enclave and its account, so the provider's tooling cannot be tricked into acting on the wrong
 * enclave (confused deputy); it is not a secret.
 */
export function auditorExternalId(enclave: string, account: string): string {
  return `clover-audit-${enclave}-${account}`;
}
