import type { EventPattern } from 'aws-cdk-lib/aws-events';

/**
 * A small EventBridge pattern matcher for tests: exact values, prefix, suffix,
 * wildcard, anything-but (list, prefix or wildcards), exists, `$or`, and array
 * flattening as EventBridge documents them. It checks that Clover's patterns
 * mean what they say on sample CloudTrail events; it is not used at runtime.
 */
export function matches(pattern: EventPattern, event: Record<string, unknown>): boolean {
  const { detailType, ...rest } = pattern as EventPattern & Record<string, unknown>;
  return matchObject(detailType ? { ...rest, 'detail-type': detailType } : rest, event);
}

type Json = unknown;

function matchObject(pattern: Record<string, Json>, event: Json): boolean {
  return Object.entries(pattern).every(([key, sub]) => {
    if (key === '$or')
      return (sub as Record<string, Json>[]).some((alternative) => matchObject(alternative, event));
    return matchField(sub, valuesAt(event, key));
  });
}

/** Values of `key` in an object, or across the elements of an array of objects (EventBridge flattens arrays). */
function valuesAt(event: Json, key: string): Json[] {
  if (Array.isArray(event)) return event.flatMap((item) => valuesAt(item, key));
  if (event === null || typeof event !== 'object') return [];
  const value = (event as Record<string, Json>)[key];
  return value === undefined ? [] : [value];
}

function matchField(pattern: Json, values: Json[]): boolean {
  if (Array.isArray(pattern)) {
    const leaves = values.flatMap((value) => (Array.isArray(value) ? value : [value]));
    return pattern.some((matcher) => matchLeaf(matcher, leaves));
  }
  // A nested pattern over an absent field still matches when all it asks is `exists: false`.
  if (values.length === 0) return matchObject(pattern as Record<string, Json>, undefined);
  return values.some((value) => matchObject(pattern as Record<string, Json>, value));
}

function matchLeaf(matcher: Json, leaves: Json[]): boolean {
  if (matcher === null || typeof matcher !== 'object') return leaves.some((leaf) => leaf === matcher);
  const m = matcher as Record<string, Json>;
  if ('exists' in m) return m.exists ? leaves.length > 0 : leaves.length === 0;
  const strings = leaves.filter((leaf): leaf is string => typeof leaf === 'string');
  if ('prefix' in m) return strings.some((s) => s.startsWith(m.prefix as string));
  if ('suffix' in m) return strings.some((s) => s.endsWith(m.suffix as string));
  if ('wildcard' in m) return strings.some((s) => wildcard(m.wildcard as string).test(s));
  if ('anything-but' in m) {
    const but = m['anything-but'];
    if (but !== null && typeof but === 'object' && !Array.isArray(but)) {
      if ('wildcard' in but) {
        const patterns = [(but as { wildcard: string | string[] }).wildcard].flat().map(wildcard);
        return strings.length > 0 && strings.every((s) => patterns.every((p) => !p.test(s)));
      }
      const prefix = (but as { prefix: string }).prefix;
      return strings.length > 0 && strings.every((s) => !s.startsWith(prefix));
    }
    const excluded = [but].flat();
    return leaves.length > 0 && leaves.every((leaf) => !excluded.includes(leaf));
  }
  throw new Error(`test matcher does not know ${JSON.stringify(matcher)}`);
}

function wildcard(text: string): RegExp {
  return new RegExp(
    `^${text
      .split('*')
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}
