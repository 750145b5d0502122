/**
 * Reads the CloudFormation resource specification (`@aws-cdk/aws-service-spec`,
 * the database aws-cdk-lib is generated from) and lists, per resource type,
 * the properties that decide encryption at rest, encryption in transit, and
 * resource policies. The specification has no encryption marker, so the
 * candidates come from property names, KMS relationship references and the
 * spec's own policy markers; lib/audit/coverage holds the reviewed decision for
 * each. Run by `npm run docs:coverage` (writes lib/audit/coverage/registry-snapshot.json);
 * a test regenerates it from the pinned package and compares.
 */
import type { Property, PropertyType, Resource, SpecDatabase } from '@aws-cdk/service-spec-types';

export interface RegistrySnapshot {
  /** Package and version the snapshot was read from. */
  readonly source: string;
  /** Number of resource types in the specification. */
  readonly resourceTypes: number;
  /** Type → property paths naming a KMS key or an at-rest encryption flag, mode or options object. */
  readonly encryptionAtRest: Record<string, string[]>;
  /** Type → property paths that turn encryption in transit on or off. */
  readonly encryptionInTransit: Record<string, string[]>;
  /** Type → property paths holding a resource-based policy document. */
  readonly resourcePolicies: Record<string, string[]>;
}

const MAX_DEPTH = 6;

/** `KMSMasterKeyID` → `kms master key id`, `SSESpecification` → `sse specification`. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

const TRANSIT_WORDS = [
  'transit',
  'node',
  'tls',
  'ssl',
  'https',
  'broker',
  'endpoint',
  'traffic',
  'connection',
];
/** Encryption words that are about something other than stored data. */
const NOT_AT_REST = [
  'field',
  'context',
  'phase1',
  'phase2',
  'password',
  'algorithms',
  'rotate',
  'period',
  'reuse',
];

/** A property naming a KMS key: a relationship to AWS::KMS::Key/Alias, or a KMS/CMK or encryption key name. */
function isKeyProperty(name: string, property: Property, parentWords: readonly string[]): boolean {
  if ((property.relationshipRefs ?? []).some((ref) => ref.cloudFormationType.startsWith('AWS::KMS::')))
    return true;
  if (!isStringLike(property.type)) return false;
  const w = words(name);
  if (w.some((word) => ['role', 'context', 'uri', 'period', 'seconds', 'name'].includes(word))) return false;
  const last = w[w.length - 1];
  const keyish = ['key', 'arn', 'id', 'identifier'].includes(last);
  if (!keyish) return false;
  if (w.includes('kms') || w.includes('cmk') || w.includes('cmkey')) return true;
  if (w.includes('encryption') && w.includes('key')) return true;
  // `KeyId`, `KeyArn` inside an encryption object (Kinesis StreamEncryption.KeyId, EKS Provider.KeyArn).
  return w[0] === 'key' && parentWords.some((word) => word.startsWith('encrypt') || word === 'sse');
}

function isAtRestFlag(name: string): boolean {
  const w = words(name);
  if (!(w.includes('sse') || w.some((word) => word.startsWith('encrypt')))) return false;
  return !w.some((word) => TRANSIT_WORDS.includes(word) || NOT_AT_REST.includes(word));
}

function isTransitFlag(name: string): boolean {
  const w = words(name);
  const encryption = w.some((word) => word.startsWith('encrypt'));
  if (encryption && w.some((word) => ['transit', 'node', 'traffic', 'endpoint'].includes(word))) return true;
  if (encryption && w.includes('broker')) return true;
  return ['EnforceHTTPS', 'ClientBroker', 'InCluster', 'TLSEnabled', 'SslMode', 'RequireEncryption'].includes(
    name,
  );
}

/** A policy document: marked as one by the spec, or a JSON (or policy-text) property named like a policy. */
function isPolicyProperty(name: string, property: Property): boolean {
  if (property.scrutinizable === 'InlineResourcePolicy') return true;
  const w = words(name);
  if (!(w.includes('policy') || w.includes('policies'))) return false;
  if (
    w.some((word) =>
      ['managed', 'arns', 'arn', 'name', 'names', 'boundary', 'id', 'ids', 'type'].includes(word),
    )
  )
    return false;
  if (hasJson(property.type)) return true;
  return isStringLike(property.type) && w.some((word) => ['document', 'text', 'json'].includes(word));
}

function hasJson(type: PropertyType): boolean {
  if (type.type === 'json') return true;
  return type.type === 'union' && type.types.some(hasJson);
}

function isStringLike(type: PropertyType): boolean {
  if (type.type === 'string') return true;
  return type.type === 'union' && type.types.some(isStringLike);
}

function isJsonLike(type: PropertyType): boolean {
  if (type.type === 'json' || type.type === 'string') return true;
  return type.type === 'union' && type.types.some(isJsonLike);
}

interface Found {
  readonly atRest: Set<string>;
  readonly transit: Set<string>;
  readonly policies: Set<string>;
}

function definitionsOf(type: PropertyType): Array<{ id: string; list: boolean }> {
  switch (type.type) {
    case 'ref':
      return [{ id: type.reference.$ref, list: false }];
    case 'array':
    case 'map':
      return definitionsOf(type.element).map((d) => ({ ...d, list: true }));
    case 'union':
      return type.types.flatMap(definitionsOf);
    default:
      return [];
  }
}

function walk(
  db: SpecDatabase,
  properties: Record<string, Property>,
  path: readonly string[],
  parentWords: readonly string[],
  seen: ReadonlySet<string>,
  found: Found,
): void {
  for (const [name, property] of Object.entries(properties)) {
    if (property.deprecated === 'IGNORE') continue;
    const here = [...path, name];
    const text = here.join('.');
    if (isKeyProperty(name, property, parentWords) || isAtRestFlag(name)) found.atRest.add(text);
    if (isTransitFlag(name)) found.transit.add(text);
    if (isPolicyProperty(name, property)) found.policies.add(text);
    if (here.length >= MAX_DEPTH) continue;
    for (const { id, list } of definitionsOf(property.type)) {
      if (seen.has(id)) continue;
      const definition = db.get('typeDefinition', id);
      const step = list ? [...path, `${name}[]`] : here;
      walk(db, definition.properties, step, [...parentWords, ...words(name)], new Set([...seen, id]), found);
    }
  }
}

function sortedRecord(map: Map<string, Set<string>>): Record<string, string[]> {
  return Object.fromEntries(
    [...map]
      .filter(([, paths]) => paths.size > 0)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([type, paths]) => [type, [...paths].sort()]),
  );
}

/** The snapshot of one specification database. */
export function scanRegistry(db: SpecDatabase, source: string): RegistrySnapshot {
  const atRest = new Map<string, Set<string>>();
  const transit = new Map<string, Set<string>>();
  const policies = new Map<string, Set<string>>();
  const resources = db.all('resource') as Resource[];
  for (const resource of resources) {
    const found: Found = { atRest: new Set(), transit: new Set(), policies: new Set() };
    walk(db, resource.properties, [], [], new Set(), found);
    // A resource the spec marks as a resource policy holds its document in a policy-named property.
    if (resource.scrutinizable === 'ResourcePolicyResource' && found.policies.size === 0) {
      for (const [name, property] of Object.entries(resource.properties)) {
        if (isJsonLike(property.type) && words(name).some((word) => word.startsWith('polic')))
          found.policies.add(name);
      }
    }
    atRest.set(resource.cloudFormationType, found.atRest);
    transit.set(resource.cloudFormationType, found.transit);
    policies.set(resource.cloudFormationType, found.policies);
  }
  return {
    source,
    resourceTypes: resources.length,
    encryptionAtRest: sortedRecord(atRest),
    encryptionInTransit: sortedRecord(transit),
    resourcePolicies: sortedRecord(policies),
  };
}
