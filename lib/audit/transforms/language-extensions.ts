/**
 * The `AWS::LanguageExtensions` transform, as CloudFormation runs it before
 * anything else: every `Fn::ForEach::<Loop>` key in Resources, Outputs and
 * Conditions (at any depth, resource properties included) is replaced by one
 * copy of its fragment per collection value, and `Fn::Length` of a known list
 * becomes its length. In a copy, `${Id}` and `&{Id}` (the value without
 * non-alphanumeric characters) are replaced in keys and `Fn::Sub` strings,
 * and `Ref: Id` by the value; a `Fn::Sub` left without variables becomes its
 * text. `Fn::ToJsonString` and `Fn::FindInMap` defaults are evaluated with the
 * other intrinsics (lib/audit/intrinsics.ts). Pure.
 */
import { defaultVariables } from '../branches';
import { resolveValue } from '../intrinsics';
import { isObject } from '../values';
import {
  IncompleteNote,
  LANGUAGE_EXTENSIONS,
  TemplateJson,
  TemplateTransformError,
  TransformContext,
} from './types';

const FOR_EACH = /^Fn::ForEach::/;
/** The sections where CloudFormation accepts `Fn::ForEach`. */
const LOOP_SECTIONS = ['Conditions', 'Resources', 'Outputs'] as const;

type Bindings = ReadonlyMap<string, string>;

interface Expansion {
  readonly template: TemplateJson;
  readonly variables: ReadonlyMap<string, unknown>;
  readonly notes: IncompleteNote[];
}

/** True when some section of the template holds a `Fn::ForEach` loop. */
export function hasLoops(template: TemplateJson): boolean {
  const visit = (value: unknown): boolean =>
    Array.isArray(value)
      ? value.some(visit)
      : isObject(value) && Object.entries(value).some(([key, child]) => FOR_EACH.test(key) || visit(child));
  return LOOP_SECTIONS.some((section) => visit(template[section]));
}

/** The template with every loop unrolled; loops over values the template does not give are dropped and noted. */
export function expandLanguageExtensions(
  template: TemplateJson,
  context: TransformContext,
  notes: IncompleteNote[],
): TemplateJson {
  const parameters = isObject(template.Parameters) ? template.Parameters : {};
  const expansion: Expansion = {
    template,
    variables: defaultVariables({ Parameters: parameters as never }, context),
    notes,
  };
  const out: TemplateJson = { ...template };
  for (const section of LOOP_SECTIONS) {
    if (template[section] !== undefined)
      out[section] = walk(template[section], new Map(), section, expansion);
  }
  return out;
}

function walk(value: unknown, bindings: Bindings, where: string, expansion: Expansion): unknown {
  if (Array.isArray(value)) return value.map((item, i) => walk(item, bindings, `${where}[${i}]`, expansion));
  if (!isObject(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [name] = keys;
    const argument = value[name];
    if (name === 'Ref' && typeof argument === 'string' && bindings.has(argument))
      return bindings.get(argument);
    if (name === 'Fn::Sub') return substitute(argument, bindings, where, expansion);
    if (name === 'Fn::Length') return length(walk(argument, bindings, where, expansion), expansion);
  }
  const out: Record<string, unknown> = {};
  const put = (key: string, child: unknown) => {
    if (key in out) {
      throw new TemplateTransformError(
        `${where}: Fn::ForEach produces ${key} more than once; make the fragment's key unique per value (include \${Identifier} or &{Identifier})`,
      );
    }
    out[key] = child;
  };
  for (const [key, child] of Object.entries(value)) {
    if (FOR_EACH.test(key)) {
      for (const [copyKey, copy] of Object.entries(unroll(child, bindings, `${where}.${key}`, expansion)))
        put(copyKey, copy);
    } else {
      const name = replaceVariables(key, bindings);
      put(name, walk(child, bindings, `${where}.${name}`, expansion));
    }
  }
  return out;
}

/** One copy of the loop's fragment per value, merged into one object (nested loops unrolled too). */
function unroll(
  loop: unknown,
  bindings: Bindings,
  where: string,
  expansion: Expansion,
): Record<string, unknown> {
  if (!Array.isArray(loop) || loop.length !== 3 || typeof loop[0] !== 'string' || !isObject(loop[2])) {
    throw new TemplateTransformError(
      `${where} must be a list of three: an identifier, a collection and a fragment object ({ "Key\${Identifier}": … }); see Fn::ForEach in the CloudFormation template reference`,
    );
  }
  const [identifier, rawCollection, fragment] = loop as [string, unknown, Record<string, unknown>];
  const collection = collectionValues(walk(rawCollection, bindings, where, expansion), expansion);
  if (typeof collection === 'string') {
    expansion.notes.push({
      resource: where,
      transform: LANGUAGE_EXTENSIONS,
      reason: `${where} loops over ${collection}, which the template alone does not give, so the loop's copies are not judged`,
    });
    return {};
  }
  if (collection.length === 0) return {};
  if (
    !Object.keys(fragment).some(
      (name) =>
        name.includes(`\${${identifier}}`) || name.includes(`&{${identifier}}`) || FOR_EACH.test(name),
    )
  ) {
    throw new TemplateTransformError(
      `${where}: the fragment's keys must contain \${${identifier}} or &{${identifier}}, or every copy gets the same name`,
    );
  }
  const merged: Record<string, unknown> = {};
  for (const item of collection) {
    const copy = walk(fragment, new Map([...bindings, [identifier, item]]), where, expansion) as Record<
      string,
      unknown
    >;
    for (const [name, child] of Object.entries(copy)) {
      if (name in merged) {
        throw new TemplateTransformError(
          `${where}: the value "${item}" gives ${name} a second time; make the collection's values unique`,
        );
      }
      merged[name] = child;
    }
  }
  return merged;
}

/**
 * The values a collection stands for: a list of scalars, or a parameter,
 * mapping or split that the parameter defaults decide. Otherwise a short
 * description of what is missing (`parameter Names, which has no default`).
 */
function collectionValues(collection: unknown, expansion: Expansion): string[] | string {
  const resolved = resolveValue(collection, {
    variables: expansion.variables,
    mappings: isObject(expansion.template.Mappings) ? expansion.template.Mappings : undefined,
  });
  if (Array.isArray(resolved)) {
    if (resolved.every((item) => ['string', 'number', 'boolean'].includes(typeof item)))
      return resolved.map(String);
    return `${describe(collection)} (a list with values only known at deploy time)`;
  }
  if (isObject(collection) && typeof collection.Ref === 'string') {
    const parameters = isObject(expansion.template.Parameters) ? expansion.template.Parameters : {};
    return collection.Ref in parameters
      ? `parameter ${collection.Ref}, which has no default value`
      : `${collection.Ref}, which is not a parameter of the template`;
  }
  if (isObject(collection) || typeof resolved === 'string') return describe(collection);
  throw new TemplateTransformError(
    `a Fn::ForEach collection must be a list or a Ref to a list parameter, not ${JSON.stringify(collection)}`,
  );
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** `Fn::Sub` in a loop copy: variables of the loop replaced; without variables left, the text itself. */
function substitute(argument: unknown, bindings: Bindings, where: string, expansion: Expansion): unknown {
  const [text, locals] = Array.isArray(argument) ? [argument[0], argument[1]] : [argument, undefined];
  if (typeof text !== 'string') return { 'Fn::Sub': walk(argument, bindings, where, expansion) };
  const replaced = bindings.size > 0 ? replaceVariables(text, bindings) : text;
  const walkedLocals = locals === undefined ? undefined : walk(locals, bindings, where, expansion);
  if (bindings.size > 0 && !/\$\{[^!]/.test(replaced)) return replaced.replace(/\$\{!/g, '${');
  return { 'Fn::Sub': walkedLocals === undefined ? replaced : [replaced, walkedLocals] };
}

/** `${Id}` and `&{Id}` of every bound identifier replaced in one string. */
function replaceVariables(text: string, bindings: Bindings): string {
  if (bindings.size === 0 || (!text.includes('${') && !text.includes('&{'))) return text;
  let out = text;
  for (const [identifier, value] of bindings) {
    out = out
      .split(`\${${identifier}}`)
      .join(value)
      .split(`&{${identifier}}`)
      .join(value.replace(/[^0-9A-Za-z]/g, ''));
  }
  return out;
}

/** `Fn::Length` of a list the template decides; otherwise left for deploy time. */
function length(argument: unknown, expansion: Expansion): unknown {
  const resolved = resolveValue(argument, {
    variables: expansion.variables,
    mappings: isObject(expansion.template.Mappings) ? expansion.template.Mappings : undefined,
  });
  return Array.isArray(resolved) ? resolved.length : { 'Fn::Length': argument };
}
