/**
 * Cross-region features and edge services: where replicas, copies and peers
 * of the data go, resource types that span regions the template cannot show,
 * and services that serve from edge locations worldwide. Shared by CLV-RES-7
 * and CLV-RES-8. Pure.
 */
import { findRegion, REGION_CODE_PATTERN } from '../config/regions';
import { CROSS_REGION_TARGETS, EDGE_SERVICES, MULTI_REGION_TYPES } from './coverage/cross-region';
import { describeValue, parseArn, renderContextOf, renderString } from './iam';
import { residencyOf } from './residency';
import type { IndexedResource, TemplateIndex } from './template';
import { asArray, isObject, valueAt, valuesAt } from './values';

export const CROSS_REGION_TYPES: readonly string[] = [
  ...new Set([...Object.keys(CROSS_REGION_TARGETS), ...Object.keys(MULTI_REGION_TYPES)]),
];
export const EDGE_TYPES: readonly string[] = Object.keys(EDGE_SERVICES);

/** Top-level properties CLV-RES-7 judges per type (CLV-RES-2 leaves them alone: one fact, one finding). */
export const CROSS_REGION_PROPERTIES: Readonly<Record<string, readonly string[]>> = Object.fromEntries(
  Object.entries(CROSS_REGION_TARGETS).map(([type, targets]) => [
    type,
    [...new Set(targets.map((target) => target.path.split('.')[0].replace('[]', '')))],
  ]),
);

/** The region a value names: a region code, or the region of an ARN; undefined when it names none it can prove. */
function regionOf(text: string, kind: 'region' | 'arn'): string | undefined {
  if (findRegion(text)) return text;
  if (kind === 'arn') {
    const arn = parseArn(text);
    if (arn?.region && findRegion(arn.region)) return arn.region;
  }
  return undefined;
}

/** One sentence per replica, copy or peer in a region outside the allowed jurisdictions, or in an unprovable one. */
export function crossRegionTargets(resource: IndexedResource, index: TemplateIndex): string[] {
  const policy = residencyOf(index);
  const context = renderContextOf(index);
  const found: string[] = [];
  const everywhere = MULTI_REGION_TYPES[resource.type];
  if (everywhere) {
    found.push(`${everywhere}, which this template does not show, so their residency cannot be proven`);
  }
  for (const target of CROSS_REGION_TARGETS[resource.type] ?? []) {
    for (const { value, path } of valuesAt(resource.properties, target.path)) {
      const text = renderString(value, context);
      const region = text === undefined || text.includes('${') ? undefined : regionOf(text, target.kind);
      if (region === undefined) {
        const named = text !== undefined ? [...text.matchAll(REGION_CODE_PATTERN)].map((m) => m[1]) : [];
        const outside = named.filter((code) => !policy.allows(code));
        found.push(
          outside.length
            ? `${path} sends ${target.what} to ${outside.map((code) => policy.describe(code)).join(', ')}`
            : `${path} is ${describeValue(value, context)}: the region of ${target.what} cannot be proven`,
        );
      } else if (!policy.allows(region)) {
        found.push(`${path} sends ${target.what} to ${policy.describe(region)}`);
      }
    }
  }
  return found;
}

/** One sentence per way the resource serves from edge locations outside the allowed jurisdictions. */
export function edgeServing(resource: IndexedResource): string[] {
  const p = resource.properties;
  switch (resource.type) {
    case 'AWS::CloudFront::Distribution':
    case 'AWS::GlobalAccelerator::Accelerator':
    case 'AWS::Lightsail::Distribution':
    case 'AWS::Amplify::App':
      return [
        `${resource.type}: ${EDGE_SERVICES[resource.type].replace(/^always: /, '')}, outside the allowed jurisdictions`,
      ];
    case 'AWS::ApiGateway::RestApi':
    case 'AWS::ApiGateway::DomainName': {
      const types = asArray(valueAt(p, 'EndpointConfiguration.Types')).map((type) =>
        String(type).toUpperCase(),
      );
      if (types.length > 0 && !types.includes('EDGE')) return [];
      return [
        `EndpointConfiguration.Types is ${types.length ? types.join(', ') : 'not set (default EDGE)'}: an edge-optimized endpoint takes requests at CloudFront edge locations worldwide; use REGIONAL or PRIVATE`,
      ];
    }
    case 'AWS::S3::Bucket': {
      const status = valueAt(p, 'AccelerateConfiguration.AccelerationStatus');
      return typeof status === 'string' && status.toLowerCase() === 'enabled'
        ? [
            'AccelerateConfiguration.AccelerationStatus is Enabled: Transfer Acceleration moves objects through edge locations worldwide',
          ]
        : [];
    }
    case 'AWS::Cognito::UserPoolDomain':
      return isObject(p.CustomDomainConfig)
        ? [
            'CustomDomainConfig is set: the custom sign-in domain (where users type personal data) is served through CloudFront edge locations worldwide',
          ]
        : [];
  }
  return [];
}
