import { UNAUTHENTICATED_ACCESS } from '../../../audit/coverage/exposure';
import { unauthenticatedAccess, UNAUTHENTICATED_TYPES } from '../../../audit/exposure';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Nothing may be callable, or hand out credentials, without authentication. */
export const UnauthenticatedAccess: CloverRule = {
  id: 'CLV-ACC-5',
  family: 'ACC',
  severity: 'error',
  resourceTypes: UNAUTHENTICATED_TYPES,
  coverage: UNAUTHENTICATED_ACCESS,
  info: 'Something answers, or hands out AWS credentials, without authentication: an identity pool with unauthenticated identities, a function URL with AuthType NONE, an API method, route or OpenAPI operation without authorization.',
  explanation:
    'An identity pool that allows unauthenticated identities gives every visitor AWS credentials of its unauthenticated role; a function URL with AuthType NONE, an API Gateway method or route with AuthorizationType NONE, and an operation of an API’s OpenAPI body without an authenticating security requirement (what AWS SAM writes for an Api or HttpApi event without Auth) run code on behalf of anyone who finds the address. No personal data of the enclave may be reachable that way. OPTIONS methods (CORS pre-flight) and PRIVATE REST APIs (reachable only through a VPC endpoint) are not judged.',
  fix: 'Set AllowUnauthenticatedIdentities: false; give function URLs AuthType AWS_IAM; give API methods, routes and OpenAPI operations an authorizer (AWS_IAM, COGNITO_USER_POOLS, CUSTOM or JWT; in SAM: Auth.DefaultAuthorizer or the event’s Auth.Authorizer), or make the REST API PRIVATE.',
  evaluate({ resource, index }: RuleTarget) {
    return violations(unauthenticatedAccess(resource, index));
  },
};
