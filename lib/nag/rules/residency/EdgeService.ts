import { EDGE_SERVICES } from '../../../audit/coverage/cross-region';
import { edgeServing, EDGE_TYPES } from '../../../audit/cross-region';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** No edge or CDN service may serve enclave data from outside the allowed jurisdictions. */
export const EdgeService: CloverRule = {
  id: 'CLV-RES-8',
  family: 'RES',
  severity: 'error',
  resourceTypes: EDGE_TYPES,
  coverage: EDGE_SERVICES,
  info: 'A resource is served from edge locations worldwide: a CloudFront or Lightsail distribution, a Global Accelerator, an Amplify app, an edge-optimized API or domain, S3 Transfer Acceleration, a Cognito custom domain.',
  explanation:
    'Edge services terminate TLS, cache responses and carry requests in points of presence all over the world; no price class or setting confines them to Europe. Requests and cached responses with personal data would then be processed outside the allowed jurisdictions. Regional endpoints (REGIONAL or PRIVATE APIs, regional load balancers behind the security gateway) keep them in the enclave’s region.',
  fix: 'Serve from the enclave’s region: API Gateway EndpointConfiguration.Types REGIONAL or PRIVATE, no CloudFront/Lightsail distribution or Global Accelerator in front of enclave data, AccelerationStatus Suspended, a Cognito prefix domain instead of a custom one.',
  evaluate({ resource }: RuleTarget) {
    return violations(edgeServing(resource));
  },
};
