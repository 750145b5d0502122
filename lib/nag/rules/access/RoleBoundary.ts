import { CloverRule, NOT_APPLICABLE, RuleTarget, violations } from '../../../audit/rule';
import { roleAccess } from '../../../audit/access';

/** Roles that people can assume must carry a permissions boundary; service roles need none. */
export const RoleBoundary: CloverRule = {
  id: 'CLV-ACC-3',
  family: 'ACC',
  severity: 'error',
  resourceTypes: ['AWS::IAM::Role'],
  coverage: {
    'AWS::IAM::Role':
      'PermissionsBoundary of roles that accounts, users, roles, federated identities or * may assume',
  },
  info: 'A human-assumable IAM role (trusting an account, role, user, federated identity or "*") has no permissions boundary.',
  explanation:
    'People reach the enclave through roles that trust accounts, users, roles or identity providers. A permissions boundary caps what such a role can ever do, whatever policies are attached later (by a pipeline, by hand, by a compromised administrator): no leaving the allowed regions, no disabling logs or keys, no creating new paths out. Roles trusted only by AWS service principals (lambda.amazonaws.com, …) are bounded by what the service does with them and need no boundary.',
  fix: 'Set PermissionsBoundary to the enclave’s boundary policy (CDK: permissionsBoundary: <ManagedPolicy>, or PermissionsBoundary.of(scope).apply(policy) for a whole stack).',
  evaluate({ resource, index }: RuleTarget) {
    const role = roleAccess(index, resource.logicalId);
    if (!role || !role.humanAssumable) return NOT_APPLICABLE;
    if (role.permissionsBoundary !== undefined) return violations([]);
    const who = role.grants
      .flatMap((grant) => grant.principals.filter((p) => p.kind !== 'service').map((p) => p.text))
      .join(', ');
    return violations([`trust policy lets ${who} assume the role, and PermissionsBoundary is not set`]);
  },
};
