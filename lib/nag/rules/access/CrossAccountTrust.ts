import { unconditionedCrossAccountTrust } from '../../../audit/exposure';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Roles that other accounts or identity providers may assume must pin who, with an external ID or a principal condition. */
export const CrossAccountTrust: CloverRule = {
  id: 'CLV-ACC-7',
  family: 'ACC',
  severity: 'error',
  resourceTypes: ['AWS::IAM::Role'],
  coverage: {
    'AWS::IAM::Role':
      'AssumeRolePolicyDocument: principals of other accounts and identity providers, with sts:ExternalId or a principal condition',
  },
  info: 'A role trusts another account (or an identity provider) with no sts:ExternalId and no condition naming the principal.',
  explanation:
    'Trusting another account’s root lets every principal that account’s administrators allow assume the role, and a third party that serves several customers can be tricked into using its access for someone else (the confused deputy). An sts:ExternalId shared with the third party, or a condition naming the principal (aws:PrincipalArn, aws:PrincipalOrgID, aws:PrincipalTag/…), pins who may assume the role. A web-identity trust needs a <provider>:sub condition (for Cognito identity pools: cognito-identity.amazonaws.com:aud), or every user of the provider may assume it. Principals of the stack’s own account are not judged here (CLV-ACC-3 bounds human roles).',
  fix: 'Add Condition { StringEquals: { "sts:ExternalId": <agreed value> } } for a third party, or { ArnEquals: { "aws:PrincipalArn": <role ARN> } } / { StringEquals: { "aws:PrincipalOrgID": <org> } }; for OIDC add StringEquals/StringLike on <provider>:sub (and :aud).',
  evaluate({ resource, index }: RuleTarget) {
    return violations(unconditionedCrossAccountTrust(resource, index));
  },
};
