/**
 * Value helpers for the route proof: parameter defaults, availability-zone
 * identities, CIDR comparison and short descriptions of CloudFormation values.
 * Nothing here guesses: a value that cannot be pinned down is reported as unknown.
 */
import type { TemplateIndex } from './template';
import { getAttAttribute, isObject, referencedLogicalId } from './values';

/** The name of the template parameter a value is a `Ref` to, else undefined. */
export function parameterRef(index: TemplateIndex, value: unknown): string | undefined {
  if (!isObject(value) || typeof value.Ref !== 'string') return undefined;
  return index.template.Parameters?.[value.Ref] !== undefined ? value.Ref : undefined;
}

/** The value with a `Ref` to a template parameter replaced by that parameter's `Default`, when it has one. */
export function withParameterDefault(index: TemplateIndex, value: unknown): unknown {
  const parameter = parameterRef(index, value);
  if (parameter === undefined) return value;
  const fallback = index.parameterDefault(parameter);
  return fallback === undefined ? value : fallback;
}

/** Short description of a CloudFormation value for messages: literals as written, intrinsics abbreviated. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === undefined || value === null) return '(none)';
  if (isObject(value)) {
    if (typeof value.Ref === 'string') return `Ref ${value.Ref}`;
    const target = referencedLogicalId(value);
    if (target !== undefined) return `${target}.${getAttAttribute(value)}`;
    const select = value['Fn::Select'];
    if (Array.isArray(select)) return `Fn::Select(${describeValue(select[0])}, ${describeValue(select[1])})`;
    const cidr = value['Fn::Cidr'];
    if (Array.isArray(cidr)) return `Fn::Cidr(${cidr.map(describeValue).join(', ')})`;
    if ('Fn::GetAZs' in value) {
      const region = value['Fn::GetAZs'];
      return region === '' ? 'Fn::GetAZs(stack region)' : `Fn::GetAZs(${describeValue(region)})`;
    }
    const [key] = Object.keys(value);
    if (key?.startsWith('Fn::')) return `${key}(…)`;
  }
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

/**
 * What is known about an availability zone: a concrete name (`eu-west-1a`), a
 * zone ID (`euw1-az1`), an index into `Fn::GetAZs` of a region, a template
 * parameter without a default, or nothing.
 */
export interface AzIdentity {
  readonly kind: 'name' | 'id' | 'index' | 'parameter' | 'unknown';
  /** Comparable key: two identities with the same key are the same AZ. */
  readonly key: string;
  /** For messages: `eu-west-1a`, `Fn::Select(1, Fn::GetAZs(stack region))`, `parameter AzA`, `AZ unknown (…)`. */
  readonly label: string;
}

export type AzComparison = 'same' | 'different' | 'unknown';

export function unknownAz(why: string): AzIdentity {
  return { kind: 'unknown', key: `unknown:${why}`, label: `AZ unknown (${why})` };
}

/**
 * Compares two AZ identities. Same key: same AZ. Two names, two zone IDs or two
 * indexes that differ: different AZs. Anything else (a name against an index,
 * two distinct parameters, an unknown): cannot be decided.
 */
export function compareAz(a: AzIdentity, b: AzIdentity): AzComparison {
  if (a.kind === 'unknown' || b.kind === 'unknown') return 'unknown';
  if (a.key === b.key) return 'same';
  if (a.kind === b.kind && a.kind !== 'parameter') return 'different';
  return 'unknown';
}

/**
 * Reads an AZ value (`AvailabilityZone` of a subnet and the like). `resourceAz`
 * resolves `Fn::GetAtt [X, AvailabilityZone]` to the AZ of resource X.
 */
export function azOfValue(
  index: TemplateIndex,
  raw: unknown,
  resourceAz: (logicalId: string) => AzIdentity | undefined,
): AzIdentity {
  const value = withParameterDefault(index, raw);
  if (typeof value === 'string') {
    return value === ''
      ? unknownAz('empty AvailabilityZone')
      : { kind: 'name', key: `name:${value}`, label: value };
  }
  const parameter = parameterRef(index, value);
  if (parameter !== undefined)
    return { kind: 'parameter', key: `parameter:${parameter}`, label: `parameter ${parameter}` };
  if (isObject(value)) {
    const target = referencedLogicalId(value);
    if (target !== undefined && 'Fn::GetAtt' in value && getAttAttribute(value) === 'AvailabilityZone') {
      return resourceAz(target) ?? unknownAz(`${target}.AvailabilityZone is not a resource of this template`);
    }
    const select = value['Fn::Select'];
    if (Array.isArray(select) && select.length === 2) return azOfSelect(index, select[0], select[1]);
  }
  return unknownAz(`${describeValue(raw)} is not a literal`);
}

function azOfSelect(index: TemplateIndex, rawPosition: unknown, list: unknown): AzIdentity {
  const position = Number(withParameterDefault(index, rawPosition));
  const label = `Fn::Select(${describeValue(rawPosition)}, ${describeValue(list)})`;
  if (!Number.isInteger(position) || position < 0) return unknownAz(`${label} has no literal index`);
  if (isObject(list) && 'Fn::GetAZs' in list) {
    const region = list['Fn::GetAZs'];
    const regionKey =
      region === '' || (isObject(region) && region.Ref === 'AWS::Region')
        ? (index.context.region ?? 'stack')
        : region;
    if (typeof regionKey !== 'string')
      return unknownAz(`${label} selects from a region that is not a literal`);
    return { kind: 'index', key: `index:${regionKey}:${position}`, label };
  }
  const parameter = parameterRef(index, list);
  if (parameter !== undefined) {
    const fallback = index.parameterDefault(parameter);
    const names = Array.isArray(fallback)
      ? fallback
      : typeof fallback === 'string'
        ? fallback.split(',')
        : undefined;
    const name = names?.[position];
    if (typeof name === 'string' && name.trim() !== '') {
      return { kind: 'name', key: `name:${name.trim()}`, label: name.trim() };
    }
    return {
      kind: 'parameter',
      key: `parameter:${parameter}[${position}]`,
      label: `parameter ${parameter}[${position}]`,
    };
  }
  return unknownAz(`${label} is not an AZ list this proof can read`);
}

/** A CIDR as the proof compares it: a literal, or a canonical form of the expression that computes it. */
export interface CidrValue {
  /** Two CIDRs with equal keys are equal. */
  readonly key: string;
  readonly label: string;
  /** Parsed range for literal IPv4 CIDRs. */
  readonly range?: readonly [number, number];
}

export function cidrOfValue(index: TemplateIndex, raw: unknown): CidrValue | undefined {
  if (raw === undefined) return undefined;
  const value = withParameterDefault(index, raw);
  if (typeof value === 'string') return { key: value.toLowerCase(), label: value, range: ipv4Range(value) };
  return { key: JSON.stringify(value), label: describeValue(raw) };
}

/** True when the two CIDRs are equal or (both literal IPv4) share any address. */
export function cidrsOverlap(a: CidrValue, b: CidrValue): boolean {
  if (a.key === b.key) return true;
  if (!a.range || !b.range) return false;
  return a.range[0] <= b.range[1] && b.range[0] <= a.range[1];
}

/** True when `outer` covers all of `inner` (equal, or both literal IPv4 and nested). */
export function cidrCovers(outer: CidrValue, inner: CidrValue): boolean {
  if (outer.key === inner.key) return true;
  if (!outer.range || !inner.range) return false;
  return outer.range[0] <= inner.range[0] && inner.range[1] <= outer.range[1];
}

function ipv4Range(cidr: string): [number, number] | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const length = Number(match[5]);
  if (octets.some((octet) => octet > 255) || length > 32) return undefined;
  const address = octets.reduce((sum, octet) => sum * 256 + octet, 0);
  const size = 2 ** (32 - length);
  const start = Math.floor(address / size) * size;
  return [start, start + size - 1];
}
