import * as fs from 'fs';
import * as path from 'path';
import { loadAwsServiceSpecSync } from '@aws-cdk/aws-service-spec';
import type { Property, PropertyType, Resource, SpecDatabase } from '@aws-cdk/service-spec-types';
import { DEDICATED_STORES, STORE_SPECS } from '../../lib/audit/coverage/at-rest';
import {
  CROSS_REGION_TARGETS,
  EDGE_SERVICES,
  MULTI_REGION_TYPES,
} from '../../lib/audit/coverage/cross-region';
import { PUBLIC_ENDPOINT_SETTINGS, PUBLIC_ENDPOINTS_ELSEWHERE } from '../../lib/audit/coverage/exposure';
import {
  TRANSIT_JUDGED_ELSEWHERE,
  TRANSIT_OUT_OF_SCOPE,
  TRANSIT_SETTINGS,
} from '../../lib/audit/coverage/in-transit';
import { AT_REST_OUT_OF_SCOPE } from '../../lib/audit/coverage/out-of-scope';
import { POLICY_OUT_OF_SCOPE, RESOURCE_POLICY_PATHS } from '../../lib/audit/coverage/resource-policies';
import { renderCoverageDoc } from '../../lib/nag/catalogue/coverage-doc';
import { ALL_RULES } from '../../lib/nag/rules';
import { RegistrySnapshot, scanRegistry } from '../../scripts/coverage/registry-scan';

const ROOT = path.join(__dirname, '..', '..');
const committed = JSON.parse(
  fs.readFileSync(path.join(ROOT, 'lib', 'audit', 'coverage', 'registry-snapshot.json'), 'utf8'),
) as RegistrySnapshot;

let db: SpecDatabase;
beforeAll(() => {
  db = loadAwsServiceSpecSync();
});

function resourceOf(type: string): Resource | undefined {
  return db.lookup('resource', 'cloudFormationType', 'equals', type)[0];
}

/** The definitions a property type refers to (objects), or `open` when it is JSON (any sub-path). */
function stepsInto(type: PropertyType): Array<Record<string, Property>> | 'open' {
  switch (type.type) {
    case 'json':
    case 'string':
      return 'open';
    case 'ref':
      return [db.get('typeDefinition', type.reference.$ref).properties];
    case 'array':
    case 'map':
      return stepsInto(type.element);
    case 'union': {
      const parts = type.types.map(stepsInto);
      return parts.includes('open') ? 'open' : (parts as Array<Array<Record<string, Property>>>).flat();
    }
    default:
      return [];
  }
}

/** True when the dotted path (`[]` for list items) names a property of the type in the registry. */
function registryHasPath(type: string, dotted: string): boolean {
  const resource = resourceOf(type);
  if (!resource) return false;
  let level: Array<Record<string, Property>> = [resource.properties];
  const steps = dotted.split('.').map((step) => step.replace(/\[\]$/, ''));
  for (const [i, step] of steps.entries()) {
    const found = level.map((properties) => properties[step]).filter((p): p is Property => p !== undefined);
    if (found.length === 0) return false;
    if (i === steps.length - 1) return true;
    const next = found.map((property) => stepsInto(property.type));
    if (next.includes('open')) return true;
    level = (next as Array<Array<Record<string, Property>>>).flat();
  }
  return true;
}

describe('coverage from the CloudFormation registry', () => {
  test('the committed registry snapshot is what the pinned @aws-cdk/aws-service-spec gives (regenerate with `npm run docs:coverage`)', () => {
    const version = (require('@aws-cdk/aws-service-spec/package.json') as { version: string }).version;
    expect(scanRegistry(db, `@aws-cdk/aws-service-spec ${version}`)).toEqual(committed);
  });

  test('docs/coverage.md is current (regenerate with `npm run docs:coverage`)', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'coverage.md'), 'utf8');
    expect(doc).toBe(renderCoverageDoc(ALL_RULES, committed));
  });

  test('every registry type with a KMS key or encryption property is judged or consciously out of scope, never both', () => {
    const undecided = Object.keys(committed.encryptionAtRest).filter(
      (type) => !STORE_SPECS[type] && !DEDICATED_STORES[type] && !AT_REST_OUT_OF_SCOPE[type],
    );
    expect(undecided).toEqual([]);
    const both = Object.keys(AT_REST_OUT_OF_SCOPE).filter(
      (type) => STORE_SPECS[type] || DEDICATED_STORES[type],
    );
    expect(both).toEqual([]);
    const stale = Object.keys(AT_REST_OUT_OF_SCOPE).filter((type) => !committed.encryptionAtRest[type]);
    expect(stale).toEqual([]);
  });

  test('every registry type with an in-transit encryption property is judged or consciously out of scope', () => {
    const judged = (type: string) => TRANSIT_SETTINGS[type] ?? TRANSIT_JUDGED_ELSEWHERE[type];
    expect(
      Object.keys(committed.encryptionInTransit).filter((t) => !judged(t) && !TRANSIT_OUT_OF_SCOPE[t]),
    ).toEqual([]);
    expect(
      Object.keys(TRANSIT_OUT_OF_SCOPE).filter((t) => judged(t) || !committed.encryptionInTransit[t]),
    ).toEqual([]);
  });

  test('every registry policy property is read as a resource policy or consciously out of scope', () => {
    const undecided = Object.entries(committed.resourcePolicies).flatMap(([type, paths]) =>
      paths
        .filter(
          (p) =>
            !(RESOURCE_POLICY_PATHS[type] ?? []).includes(p) &&
            POLICY_OUT_OF_SCOPE[type] === undefined &&
            POLICY_OUT_OF_SCOPE[`${type}.${p}`] === undefined,
        )
        .map((p) => `${type}.${p}`),
    );
    expect(undecided).toEqual([]);
  });

  test('every property the tables read exists in the registry for its type', () => {
    const paths: string[] = [
      ...Object.entries(STORE_SPECS).flatMap(([type, specs]) =>
        specs.flatMap((spec) => {
          const at = (p: string) => `${type}.${spec.at ? `${spec.at}.` : ''}${p}`;
          return [
            ...[spec.key, spec.flag, spec.onlyWhen, spec.mode?.property, spec.regionAt]
              .filter(Boolean)
              .map((p) => at(p!)),
            ...(spec.delegatedTo ? [`${type}.${spec.delegatedTo.property}`] : []),
            ...(spec.whereRoot ? [`${type}.${spec.whereRoot.property}`] : []),
          ];
        }),
      ),
      ...Object.entries(DEDICATED_STORES).map(([type, p]) => `${type}.${p}`),
      ...Object.entries(TRANSIT_SETTINGS).flatMap(([type, settings]) =>
        settings.map((s) => `${type}.${s.at ? `${s.at}.` : ''}${s.property}`),
      ),
      ...Object.entries(RESOURCE_POLICY_PATHS).flatMap(([type, list]) => list.map((p) => `${type}.${p}`)),
      ...Object.entries(PUBLIC_ENDPOINT_SETTINGS).flatMap(([type, settings]) =>
        settings.map((s) => `${type}.${s.property}`),
      ),
      ...Object.entries(CROSS_REGION_TARGETS).flatMap(([type, targets]) =>
        targets.map((t) => `${type}.${t.path}`),
      ),
    ];
    const missing = paths.filter((full) => {
      const [service, family, name, ...rest] = full.split(/::|\./);
      return !registryHasPath(`${service}::${family}::${name}`, rest.join('.'));
    });
    expect(missing).toEqual([]);
  });

  test('every type a rule names exists in the registry', () => {
    const types = new Set([
      ...ALL_RULES.flatMap((rule) => [...(rule.resourceTypes ?? []), ...(rule.reads ?? [])]),
      ...Object.keys(PUBLIC_ENDPOINTS_ELSEWHERE),
      ...Object.keys(MULTI_REGION_TYPES),
      ...Object.keys(EDGE_SERVICES),
    ]);
    expect([...types].filter((type) => !type.startsWith('Custom::') && !resourceOf(type))).toEqual([]);
  });

  test('every rule says what it judges of each type it names', () => {
    const missing = ALL_RULES.flatMap((rule) =>
      (rule.resourceTypes ?? []).filter((type) => !rule.coverage?.[type]).map((type) => `${rule.id} ${type}`),
    );
    expect(missing).toEqual([]);
  });
});
