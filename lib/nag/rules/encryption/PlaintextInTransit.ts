import { describeTransitSettings } from '../../../audit/coverage/describe';
import { TRANSIT_JUDGED_ELSEWHERE, TRANSIT_SETTINGS } from '../../../audit/coverage/in-transit';
import { CloverRule, RuleTarget, violations } from '../../../audit/rule';
import { plaintextPaths, TRANSIT_TYPES } from '../../../audit/transit';

/** Listeners, endpoints and cluster settings must not accept or send data in clear. */
export const PlaintextInTransit: CloverRule = {
  id: 'CLV-ENC-9',
  family: 'ENC',
  severity: 'error',
  resourceTypes: TRANSIT_TYPES,
  coverage: {
    ...Object.fromEntries(
      Object.entries(TRANSIT_SETTINGS).map(([type, settings]) => [type, describeTransitSettings(settings)]),
    ),
    ...TRANSIT_JUDGED_ELSEWHERE,
  },
  info: 'A listener, endpoint or cluster setting accepts or sends data in clear: an HTTP listener that serves instead of redirecting to HTTPS, a plaintext broker or client protocol, transit encryption off.',
  explanation:
    'Personal data that crosses a network in clear can be read by anyone on the path — inside a VPC too, where a compromised host, a mirrored interface or a misrouted subnet sees it. Clover requires TLS on every hop it can prove from the template: listeners (HTTP only to redirect to HTTPS), caches and in-memory databases (transit encryption on and required), streaming clusters (TLS between clients and brokers and between brokers), search domains (HTTPS enforced, node-to-node encryption), EFS volumes of tasks and jobs, database migration endpoints, distributions and origins, file-transfer protocols and notification endpoints. The settings come from the CloudFormation resource specification, reviewed per type (docs/coverage.md); an absent setting is judged by its documented default.',
  fix: 'Turn transit encryption on and make it required (TransitEncryptionEnabled: true with TransitEncryptionMode required, TLSEnabled: true, ClusterEndpointEncryptionType: TLS, EncryptionInTransit ClientBroker: TLS and InCluster: true, NodeToNodeEncryptionOptions.Enabled and DomainEndpointOptions.EnforceHTTPS: true, TransitEncryption: ENABLED, SslMode: require or verify-full); give HTTP listeners a single redirect action to HTTPS (CDK: ApplicationLoadBalancer.addRedirect()); use redirect-to-https or https-only viewer policies and https-only origins; SFTP/FTPS instead of FTP; https endpoints for subscriptions.',
  evaluate({ resource, index }: RuleTarget) {
    return violations(plaintextPaths(resource, index));
  },
};
