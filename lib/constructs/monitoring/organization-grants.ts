import * as iam from 'aws-cdk-lib/aws-iam';

/**
 * Grants to the roles of an organisation's enclave accounts, written without listing any account: the
 * caller is a principal of the organisation (`aws:PrincipalOrgID`), of an account under the enclave OUs
 * (`aws:PrincipalOrgPaths`), and a role with a Clover name (`aws:PrincipalArn`). These keys describe the
 * calling principal, so they fit roles only: an AWS service principal carries no `aws:PrincipalOrgID`.
 * A policy written this way stays the same size for 1 or 1,000 enclaves.
 */
export interface OrganizationPrincipals {
  /** Organisation ID (`o-…`). */
  readonly id: string;
  /** `aws:PrincipalOrgPaths` patterns of the enclave OUs. */
  readonly paths: readonly string[];
}

/** Conditions that admit a role named like `rolePattern` (ARN pattern) of an enclave account of the organisation. */
export function organizationRoleConditions(
  organization: OrganizationPrincipals,
  rolePattern: string,
): Record<string, Record<string, unknown>> {
  return {
    StringEquals: { 'aws:PrincipalOrgID': organization.id },
    'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [...organization.paths] },
    ArnLike: { 'aws:PrincipalArn': rolePattern },
  };
}

/** An Allow for such roles (principal `*`, pinned by the conditions). */
export function organizationRoleStatement(
  organization: OrganizationPrincipals,
  props: {
    readonly sid: string;
    readonly rolePattern: string;
    readonly actions: string[];
    readonly resources: string[];
    /** Further conditions, merged operator by operator. */
    readonly conditions?: Record<string, Record<string, unknown>>;
  },
): iam.PolicyStatement {
  const conditions: Record<string, Record<string, unknown>> = organizationRoleConditions(
    organization,
    props.rolePattern,
  );
  for (const [operator, block] of Object.entries(props.conditions ?? {}))
    conditions[operator] = { ...conditions[operator], ...block };
  return new iam.PolicyStatement({
    sid: props.sid,
    principals: [new iam.AnyPrincipal()],
    actions: props.actions,
    resources: props.resources,
    conditions,
  });
}

/**
 * Denies principals outside the enclave OUs: `ForAllValues:StringNotLike` is true when the caller's
 * paths match none of the patterns, and when the caller has no path at all (outside the organisation).
 */
export function outsideEnclaveOusCondition(
  organization: OrganizationPrincipals,
): Record<string, Record<string, unknown>> {
  return { 'ForAllValues:StringNotLike': { 'aws:PrincipalOrgPaths': [...organization.paths] } };
}
