import { RESOURCE_POLICY_PATHS } from '../../../audit/coverage/resource-policies';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { openGrants, RESOURCE_POLICY_TYPES } from '../../../audit/access';

/** Resource and trust policies must not allow every principal without pinning accounts or sources. */
export const WildcardPrincipal: CloverRule = {
  id: 'CLV-ACC-2',
  family: 'ACC',
  severity: 'error',
  resourceTypes: RESOURCE_POLICY_TYPES,
  coverage: {
    ...Object.fromEntries(
      Object.entries(RESOURCE_POLICY_PATHS).map(([type, paths]) => [type, paths.join(', ')]),
    ),
    'AWS::Lambda::Permission': 'Principal with SourceAccount, SourceArn, PrincipalOrgID',
    'AWS::Lambda::LayerVersionPermission': 'Principal with OrganizationId',
    'AWS::Events::EventBusPolicy': 'Statement, or Principal with Condition',
  },
  info: 'A resource policy or role trust policy has an Allow statement for every principal ("*", {"AWS": "*"} or NotPrincipal) with no condition pinning the caller’s account, organisation or source.',
  explanation:
    'Principal "*" in an Allow means any AWS account, and for some services anonymous callers: a bucket, queue, topic, key, secret, repository or function becomes reachable from outside the enclave, and a trust policy lets anyone assume the role. Clover accepts such a statement only when a condition pins who the caller is — aws:PrincipalAccount, aws:PrincipalOrgID(/Paths), aws:PrincipalArn, aws:SourceAccount, aws:SourceArn, aws:SourceOrgID(/Paths) or kms:CallerAccount, compared with StringEquals/StringLike/ArnEquals/ArnLike (no IfExists, no ForAllValues, no wildcard-only value or wildcard account) — because that is how AWS services and organisation-wide grants must be written, and AWS itself treats those statements as not public. Network conditions (aws:SourceIp, aws:SourceVpce) say where a request comes from, not who sends it, and do not count. A Deny with principal "*" (as enforceSSL writes) is correct and never reported. Lambda permissions and EventBridge bus policies are read the same way (their SourceAccount, SourceArn, PrincipalOrgID or OrganizationId count as conditions).',
  fix: 'Name the principals (account roots, roles, service principals), or add a condition such as { StringEquals: { "aws:PrincipalAccount": <enclave account> } } or { ArnLike: { "aws:SourceArn": <resource ARN> } } (CDK: grant to specific principals; lambda addPermission with sourceAccount/sourceArn).',
  evaluate({ resource, index }: RuleTarget) {
    return violations(openGrants(resource, index).map((grant) => grant.description));
  },
};
