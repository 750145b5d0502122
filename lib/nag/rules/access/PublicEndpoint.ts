import { PUBLIC_ENDPOINT_SETTINGS, PUBLIC_ENDPOINTS_ELSEWHERE } from '../../../audit/coverage/exposure';
import { describeExposureSettings } from '../../../audit/coverage/describe';
import { PUBLIC_ENDPOINT_TYPES, publicEndpoints } from '../../../audit/exposure';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';

/** Data stores, clusters and services must not have public endpoints. */
export const PublicEndpoint: CloverRule = {
  id: 'CLV-ACC-4',
  family: 'ACC',
  severity: 'error',
  resourceTypes: PUBLIC_ENDPOINT_TYPES,
  coverage: {
    ...Object.fromEntries(
      Object.entries(PUBLIC_ENDPOINT_SETTINGS).map(([type, settings]) => [
        type,
        describeExposureSettings(settings),
      ]),
    ),
    ...PUBLIC_ENDPOINTS_ELSEWHERE,
  },
  info: 'A database, cluster, broker, notebook, search domain, load balancer or service endpoint is reachable from the internet (a public-endpoint flag on, or its public default).',
  explanation:
    'An enclave is reached only through approved, inspected paths. A public endpoint puts a data store or service on the internet, where the only barrier left is a password, a token or a resource policy — and its traffic bypasses the security gateway. Several services default to public (DMS replication instances, SageMaker notebooks and domains, App Runner services, Transfer Family servers, EKS API endpoints, load balancers), so an absent flag is judged by its documented default.',
  fix: 'Keep endpoints private: PubliclyAccessible: false; EKS ResourcesVpcConfig.EndpointPublicAccess: false (or PublicAccessCidrs of your own ranges); OpenSearch VPCOptions; MSK PublicAccess.Type DISABLED; SageMaker DirectInternetAccess Disabled and AppNetworkAccessType VpcOnly; App Runner IsPubliclyAccessible false; Transfer EndpointType VPC; load balancers Scheme internal; no AllowFromPublic in OpenSearch Serverless network policies.',
  evaluate({ resource, index }: RuleTarget) {
    return violations(publicEndpoints(resource, index));
  },
};
