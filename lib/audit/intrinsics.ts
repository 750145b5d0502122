/**
 * Evaluates CloudFormation intrinsic functions as far as a template alone
 * allows: parameter values (defaults, or the values of one judged branch),
 * pseudo parameters known from the stack's environment, `Fn::If` (one branch
 * per condition value), `Fn::FindInMap`, `Fn::Sub`, `Fn::Join`, `Fn::Select`,
 * `Fn::Split` and `Fn::ToJsonString`. What cannot be known (a resource
 * attribute, a parameter without a value) stays as written, so the analysers
 * can still tell a reference from a literal. Pure.
 */
import { isObject } from './values';

/** What `Ref AWS::NoValue` evaluates to: the property (or list item) is removed. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

export type Resolved = unknown;

export interface ResolveEnvironment {
  /** Known values of parameters and pseudo parameters (`AWS::Region`, …); absent means unknown. */
  readonly variables: ReadonlyMap<string, unknown>;
  /** The template's `Mappings`. */
  readonly mappings?: Readonly<Record<string, unknown>>;
  /** Values of the template's conditions in the branch being judged. */
  readonly conditions?: ReadonlyMap<string, boolean>;
  /** Called for every `Fn::If` decided, with the condition and the branch taken. */
  readonly onCondition?: (name: string, value: boolean) => void;
}

const MAX_DEPTH = 64;

/**
 * The value with every intrinsic that the environment decides replaced by its
 * result; {@link NO_VALUE} for `Ref AWS::NoValue` (also inside lists and
 * objects, where the item or key is dropped).
 */
export function resolveValue(value: unknown, env: ResolveEnvironment, depth = 0): Resolved | typeof NO_VALUE {
  if (depth > MAX_DEPTH) return value;
  if (Array.isArray(value)) {
    return value.map((item) => resolveValue(item, env, depth + 1)).filter((item) => item !== NO_VALUE);
  }
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [name] = keys;
    const argument = value[name];
    switch (name) {
      case 'Ref':
        return resolveRef(argument, env, value);
      case 'Fn::If':
        return resolveIf(argument, env, depth, value);
      case 'Fn::FindInMap':
        return resolveFindInMap(argument, env, depth, value);
      case 'Fn::Join':
        return resolveJoin(argument, env, depth);
      case 'Fn::Select':
        return resolveSelect(argument, env, depth);
      case 'Fn::Split':
        return resolveSplit(argument, env, depth);
      case 'Fn::Sub':
        return resolveSub(argument, env, depth);
      case 'Fn::ToJsonString':
        return resolveToJsonString(argument, env, depth);
      default:
        if (name.startsWith('Fn::') || name === 'Condition') {
          return { [name]: resolveValue(argument, env, depth + 1) };
        }
    }
  }
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const resolved = resolveValue(child, env, depth + 1);
    if (resolved !== NO_VALUE) out[key] = resolved;
  }
  return out;
}

/** True for a value with no intrinsic left: strings, numbers, booleans, and lists/objects of them. */
export function isLiteral(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(isLiteral);
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) return false;
    return Object.values(value).every(isLiteral);
  }
  return value !== NO_VALUE;
}

function resolveRef(argument: unknown, env: ResolveEnvironment, original: unknown): unknown {
  if (argument === 'AWS::NoValue') return NO_VALUE;
  if (typeof argument !== 'string') return original;
  return env.variables.has(argument) ? env.variables.get(argument) : original;
}

function resolveIf(argument: unknown, env: ResolveEnvironment, depth: number, original: unknown): unknown {
  if (!Array.isArray(argument) || argument.length !== 3 || typeof argument[0] !== 'string') return original;
  const condition = env.conditions?.get(argument[0]);
  if (condition === undefined) {
    return {
      'Fn::If': [argument[0], ...argument.slice(1).map((branch) => resolveValue(branch, env, depth + 1))],
    };
  }
  env.onCondition?.(argument[0], condition);
  return resolveValue(condition ? argument[1] : argument[2], env, depth + 1);
}

function resolveFindInMap(
  argument: unknown,
  env: ResolveEnvironment,
  depth: number,
  original: unknown,
): unknown {
  if (!Array.isArray(argument) || argument.length < 3) return original;
  const [map, first, second] = argument.slice(0, 3).map((part) => resolveValue(part, env, depth + 1));
  const fallback = isObject(argument[3]) ? argument[3].DefaultValue : undefined;
  if (typeof map === 'string' && typeof first === 'string' && typeof second === 'string') {
    const found = (env.mappings?.[map] as Record<string, Record<string, unknown>> | undefined)?.[first]?.[
      second
    ];
    if (found !== undefined) return resolveValue(found, env, depth + 1);
    if (fallback !== undefined) return resolveValue(fallback, env, depth + 1);
  }
  return { 'Fn::FindInMap': [map, first, second, ...argument.slice(3)] };
}

function resolveJoin(argument: unknown, env: ResolveEnvironment, depth: number): unknown {
  if (!Array.isArray(argument) || argument.length !== 2) return { 'Fn::Join': argument };
  const delimiter = resolveValue(argument[0], env, depth + 1);
  const list = resolveValue(argument[1], env, depth + 1);
  if (typeof delimiter === 'string' && Array.isArray(list) && list.every(isScalar)) {
    return list.map(String).join(delimiter);
  }
  return { 'Fn::Join': [delimiter, list] };
}

function resolveSelect(argument: unknown, env: ResolveEnvironment, depth: number): unknown {
  if (!Array.isArray(argument) || argument.length !== 2) return { 'Fn::Select': argument };
  const position = resolveValue(argument[0], env, depth + 1);
  const list = resolveValue(argument[1], env, depth + 1);
  const index = Number(position);
  if (Array.isArray(list) && Number.isInteger(index) && index >= 0 && index < list.length) return list[index];
  return { 'Fn::Select': [position, list] };
}

function resolveSplit(argument: unknown, env: ResolveEnvironment, depth: number): unknown {
  if (!Array.isArray(argument) || argument.length !== 2) return { 'Fn::Split': argument };
  const delimiter = resolveValue(argument[0], env, depth + 1);
  const text = resolveValue(argument[1], env, depth + 1);
  if (typeof delimiter === 'string' && delimiter !== '' && typeof text === 'string')
    return text.split(delimiter);
  return { 'Fn::Split': [delimiter, text] };
}

function resolveToJsonString(argument: unknown, env: ResolveEnvironment, depth: number): unknown {
  const resolved = resolveValue(argument, env, depth + 1);
  return isLiteral(resolved) ? JSON.stringify(resolved) : { 'Fn::ToJsonString': resolved };
}

/**
 * `Fn::Sub`: every `${Name}` the environment or the local variables decide is
 * substituted; the rest stays, so `${Bucket.Arn}` still names the bucket. A
 * fully substituted template becomes its text (with `${!Literal}` unescaped).
 */
function resolveSub(argument: unknown, env: ResolveEnvironment, depth: number): unknown {
  const template = Array.isArray(argument) ? argument[0] : argument;
  const rawLocals = Array.isArray(argument) && isObject(argument[1]) ? argument[1] : {};
  if (typeof template !== 'string') return { 'Fn::Sub': argument };
  const locals: Record<string, unknown> = {};
  for (const [name, local] of Object.entries(rawLocals)) locals[name] = resolveValue(local, env, depth + 1);
  let complete = true;
  const text = template.replace(/\$\{([^}]*)\}/g, (whole, inner: string) => {
    const name = inner.trim();
    if (name.startsWith('!')) return whole;
    const value =
      name in locals ? locals[name] : env.variables.has(name) ? env.variables.get(name) : undefined;
    if (isScalar(value)) return String(value);
    complete = false;
    return whole;
  });
  if (complete) return text.replace(/\$\{!([^}]*)\}/g, '${$1}');
  const remaining = Object.fromEntries(
    Object.entries(locals).filter(([name]) => text.includes(`\${${name}}`) || text.includes(`\${${name}.`)),
  );
  return { 'Fn::Sub': Object.keys(remaining).length ? [text, remaining] : text };
}

function isScalar(value: unknown): value is string | number | boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}
