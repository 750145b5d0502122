/**
 * Encryption in transit: the settings of a resource that accept or send data
 * in clear — plaintext client protocols, transit encryption switched off,
 * HTTP listeners that serve instead of redirecting, distributions that allow
 * HTTP. Table-driven (lib/audit/coverage/in-transit.ts) plus the few types
 * whose rule spans several properties. Pure.
 */
import { TRANSIT_JUDGED_ELSEWHERE, TRANSIT_SETTINGS, TransitSetting } from './coverage/in-transit';
import { describeValue } from './iam';
import type { IndexedResource, TemplateIndex } from './template';
import { asArray, getPath, isObject, objectsAt, valueAt } from './values';

/** Every type CLV-ENC-9 judges. */
export const TRANSIT_TYPES: readonly string[] = [
  ...Object.keys(TRANSIT_SETTINGS),
  ...Object.keys(TRANSIT_JUDGED_ELSEWHERE),
];

/** One sentence per way the resource lets data travel in clear; empty when none. */
export function plaintextPaths(resource: IndexedResource, index: TemplateIndex): string[] {
  switch (resource.type) {
    case 'AWS::ElasticLoadBalancingV2::Listener':
      return httpListener(resource);
    case 'AWS::ElasticLoadBalancingV2::ListenerRule':
      return httpListenerRule(resource, index);
    case 'AWS::CloudFront::Distribution':
      return distribution(resource);
    case 'AWS::RDS::DBParameterGroup':
    case 'AWS::RDS::DBClusterParameterGroup':
    case 'AWS::DocDB::DBClusterParameterGroup':
    case 'AWS::Redshift::ClusterParameterGroup':
      return parameterGroup(resource);
  }
  return (TRANSIT_SETTINGS[resource.type] ?? []).flatMap((setting) => judgeSetting(resource, setting));
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
    ? String(value).toLowerCase()
    : undefined;
}

function judgeSetting(resource: IndexedResource, setting: TransitSetting): string[] {
  const p = resource.properties;
  if (setting.onlyWhen) {
    const value = text(valueAt(p, setting.onlyWhen.property));
    if (value === undefined || !setting.onlyWhen.values.includes(value)) return [];
  }
  const parts = setting.at ? objectsAt(p, setting.at) : [{ value: p as unknown, path: '' }];
  const targets =
    parts.length === 0 && (setting.whenAbsent ?? 'judge') === 'judge'
      ? [{ value: {} as unknown, path: setting.at! }]
      : parts;
  return targets.flatMap(({ value, path }) => {
    const where = path ? `${path}.${setting.property}` : setting.property;
    const raw = valueAt(value, setting.property);
    if (raw === undefined) {
      return setting.default !== undefined && setting.plaintext.includes(setting.default)
        ? [`${where} is not set (default ${setting.default}): ${setting.what} can travel in clear`]
        : [];
    }
    const values = Array.isArray(raw) ? raw.map(text) : [text(raw)];
    if (values.some((v) => v === undefined)) {
      return [
        `${where} is ${describeValue(raw)}, which cannot be proven to refuse plaintext ${setting.what}`,
      ];
    }
    const found = values.filter((v) => setting.plaintext.includes(v!));
    return found.length ? [`${where} is ${describeValue(raw)}: ${setting.what} can travel in clear`] : [];
  });
}

/** True for an action that answers without passing the request on: a redirect to HTTPS, or a fixed response. */
function refusesPlaintext(action: unknown): boolean {
  const type = text(getPath(action, ['Type']));
  if (type === 'fixed-response') return true;
  return type === 'redirect' && text(getPath(action, ['RedirectConfig', 'Protocol'])) === 'https';
}

function httpListener(listener: IndexedResource): string[] {
  if (text(listener.properties.Protocol) !== 'http') return [];
  const serving = asArray(listener.properties.DefaultActions).filter((action) => !refusesPlaintext(action));
  if (serving.length === 0) return [];
  const types = serving.map((action) => describeValue(getPath(action, ['Type']))).join(', ');
  return [
    `listener ${listener.logicalId} accepts HTTP and its default action is ${types}, not a redirect to HTTPS: requests and responses travel in clear`,
  ];
}

function httpListenerRule(rule: IndexedResource, index: TemplateIndex): string[] {
  const listener = index.resolve(rule.properties.ListenerArn, 'AWS::ElasticLoadBalancingV2::Listener');
  if (!listener || text(listener.properties.Protocol) !== 'http') return [];
  const serving = asArray(rule.properties.Actions).filter((action) => !refusesPlaintext(action));
  if (serving.length === 0) return [];
  return [
    `listener rule ${rule.logicalId} on HTTP listener ${listener.logicalId} answers with ${serving.map((a) => describeValue(getPath(a, ['Type']))).join(', ')}: those requests travel in clear`,
  ];
}

/** Database parameters that switch TLS off, when a parameter group sets them explicitly. */
const PLAINTEXT_PARAMETERS: Readonly<Record<string, readonly string[]>> = {
  'rds.force_ssl': ['0', 'false', 'off'],
  require_secure_transport: ['0', 'off', 'false'],
  tls: ['disabled'],
  require_ssl: ['false', '0', 'off'],
};

function parameterGroup(resource: IndexedResource): string[] {
  const raw = resource.properties.Parameters;
  // RDS and DocumentDB take a map; Redshift a list of { ParameterName, ParameterValue }.
  const entries: Array<[string, unknown]> = Array.isArray(raw)
    ? raw.flatMap((item) =>
        isObject(item) && typeof item.ParameterName === 'string'
          ? [[item.ParameterName, item.ParameterValue] as [string, unknown]]
          : [],
      )
    : isObject(raw)
      ? Object.entries(raw)
      : [];
  return entries.flatMap(([name, value]) => {
    const off = PLAINTEXT_PARAMETERS[name.toLowerCase()];
    const setting = text(value);
    return off && setting !== undefined && off.includes(setting)
      ? [`parameter ${name} is ${describeValue(value)}: database clients may connect without TLS`]
      : [];
  });
}

function distribution(resource: IndexedResource): string[] {
  const config = resource.properties.DistributionConfig;
  if (!isObject(config)) return [];
  const found: string[] = [];
  const behaviors = [
    { path: 'DefaultCacheBehavior', value: config.DefaultCacheBehavior },
    ...asArray(config.CacheBehaviors).map((value, i) => ({ path: `CacheBehaviors[${i}]`, value })),
  ];
  for (const { path, value } of behaviors) {
    if (text(getPath(value, ['ViewerProtocolPolicy'])) === 'allow-all') {
      found.push(`DistributionConfig.${path}.ViewerProtocolPolicy is allow-all: viewers may use plain HTTP`);
    }
  }
  asArray(config.Origins).forEach((origin, i) => {
    if (text(getPath(origin, ['CustomOriginConfig', 'OriginProtocolPolicy'])) === 'http-only') {
      found.push(
        `DistributionConfig.Origins[${i}].CustomOriginConfig.OriginProtocolPolicy is http-only: requests to the origin travel in clear`,
      );
    }
  });
  return found;
}
