/**
 * Helpers over CloudFormation property values as they appear in a template:
 * literals, or intrinsic functions (`Ref`, `Fn::GetAtt`, `Fn::Sub`, …).
 * Nothing here guesses: a value that is not a literal is reported as such.
 */

export type CfnValue = unknown;

/** The logical ID a `Ref` or `Fn::GetAtt` points at, else undefined. */
export function referencedLogicalId(value: CfnValue): string | undefined {
  if (!isObject(value)) return undefined;
  const ref = value.Ref;
  if (typeof ref === 'string') return ref;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof getAtt === 'string') return getAtt.split('.')[0];
  return undefined;
}

/** The attribute name of a `Fn::GetAtt`, else undefined. */
export function getAttAttribute(value: CfnValue): string | undefined {
  if (!isObject(value)) return undefined;
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[1] === 'string') return getAtt[1];
  if (typeof getAtt === 'string') return getAtt.split('.').slice(1).join('.');
  return undefined;
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** True for `true` and the string `"true"` (any case), as CloudFormation reads booleans. */
export function isTrue(value: CfnValue): boolean {
  return value === true || (typeof value === 'string' && value.toLowerCase() === 'true');
}

/** True for `false` and the string `"false"` (any case). */
export function isFalse(value: CfnValue): boolean {
  return value === false || (typeof value === 'string' && value.toLowerCase() === 'false');
}

/** The value as an array: arrays as they are, a single value wrapped, undefined as empty. */
export function asArray(value: CfnValue): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** A literal string, or undefined for intrinsics and other types. */
export function literalString(value: CfnValue): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Reads a nested property by path; undefined when any step is missing. */
export function getPath(value: CfnValue, path: readonly (string | number)[]): unknown {
  let current: unknown = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

/**
 * Reads a dotted path (`EncryptionConfiguration.KmsKeyId`). A step that is a
 * JSON document written as a string (policy and configuration properties some
 * types take as text) is parsed first.
 */
export function valueAt(value: CfnValue, path: string): unknown {
  let current: unknown = value;
  for (const key of path.split('.')) {
    current = parsedJson(current);
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Text that starts (after white space) with `{` or `[`: the only text {@link jsonText} parses. */
const JSON_START = /^\s*[{[]/;

/** The object or list a JSON text holds (policies, definitions written as strings); undefined for any other value. */
export function jsonText(value: unknown): unknown {
  if (typeof value !== 'string' || !JSON_START.test(value)) return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** A JSON object written as a string, parsed; anything else as it is. */
function parsedJson(value: unknown): unknown {
  const parsed = jsonText(value);
  return isObject(parsed) ? parsed : value;
}

/**
 * Every object at a path whose `[]` steps go into each item of a list
 * (`BlockDeviceMappings[].Ebs`), with the concrete path of each
 * (`BlockDeviceMappings[1].Ebs`). Missing steps and non-objects yield nothing.
 */
export function objectsAt(value: CfnValue, path: string): Array<{ value: unknown; path: string }> {
  return valuesAt(value, path).filter((entry) => isObject(entry.value));
}

/** Every value at a path whose `[]` steps go into each item of a list, with its concrete path; JSON text is parsed. */
export function valuesAt(value: CfnValue, path: string): Array<{ value: unknown; path: string }> {
  let current: Array<{ value: unknown; path: string }> = [{ value, path: '' }];
  for (const step of path.split('.')) {
    const list = step.endsWith('[]');
    const key = list ? step.slice(0, -2) : step;
    current = current.flatMap(({ value: item, path: at }) => {
      const parent = parsedJson(item);
      const child = isObject(parent) ? parsedJson(parent[key]) : undefined;
      const here = at ? `${at}.${key}` : key;
      if (child === undefined || child === null) return [];
      if (!list) return [{ value: child, path: here }];
      return asArray(child).map((element, i) => ({ value: parsedJson(element), path: `${here}[${i}]` }));
    });
  }
  return current;
}

/** Visits every string leaf (including strings inside intrinsics) with its path. */
export function visitStrings(
  value: CfnValue,
  visit: (text: string, path: readonly (string | number)[]) => void,
  path: (string | number)[] = [],
): void {
  if (typeof value === 'string') {
    visit(value, path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => visitStrings(item, visit, [...path, index]));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) visitStrings(item, visit, [...path, key]);
  }
}

/** Every logical ID referenced anywhere inside a value (`Ref`, `Fn::GetAtt`, `${X}` in `Fn::Sub`). */
export function collectReferences(value: CfnValue, into: Set<string> = new Set()): Set<string> {
  if (Array.isArray(value)) {
    for (const item of value) collectReferences(item, into);
  } else if (isObject(value)) {
    const target = referencedLogicalId(value);
    if (target !== undefined && !target.startsWith('AWS::')) into.add(target);
    const sub = value['Fn::Sub'];
    const template = typeof sub === 'string' ? sub : Array.isArray(sub) ? sub[0] : undefined;
    if (typeof template === 'string') {
      const locals = Array.isArray(sub) && isObject(sub[1]) ? Object.keys(sub[1]) : [];
      for (const match of template.matchAll(/\$\{([^!}][^}]*)\}/g)) {
        const name = match[1].split('.')[0];
        if (!name.startsWith('AWS::') && !locals.includes(name)) into.add(name);
      }
    }
    for (const item of Object.values(value)) collectReferences(item, into);
  }
  return into;
}

/** Values that pseudo parameters stand for when a rule needs to read a partition-aware name. */
const PSEUDO_VALUES: Record<string, string> = { 'AWS::URLSuffix': 'amazonaws.com', 'AWS::Partition': 'aws' };

/**
 * A string, or an `Fn::Join` of literals and the `AWS::URLSuffix` / `AWS::Partition`
 * pseudo parameters folded to its `aws`-partition text (Clover writes service
 * principals as `lambda.${AWS::URLSuffix}`); undefined for anything else.
 */
export function foldedString(value: CfnValue): string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  const join = value['Fn::Join'];
  if (!Array.isArray(join) || typeof join[0] !== 'string' || !Array.isArray(join[1])) return undefined;
  const parts: string[] = [];
  for (const part of join[1]) {
    if (typeof part === 'string') parts.push(part);
    else if (isObject(part) && typeof part.Ref === 'string' && PSEUDO_VALUES[part.Ref] !== undefined)
      parts.push(PSEUDO_VALUES[part.Ref]);
    else return undefined;
  }
  return parts.join(join[0]);
}

/**
 * Returns a copy of a value with every `Fn::Join` that {@link foldedString} can
 * read replaced by its text, so rules judge `lambda.${AWS::URLSuffix}` exactly
 * like the literal `lambda.amazonaws.com`.
 */
export function foldPartitionIntrinsics(value: CfnValue): unknown {
  if (Array.isArray(value)) return value.map(foldPartitionIntrinsics);
  if (!isObject(value)) return value;
  if ('Fn::Join' in value) {
    const folded = foldedString(value);
    if (folded !== undefined) return folded;
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) out[key] = foldPartitionIntrinsics(child);
  return out;
}
