/**
 * The branches a template can deploy: parameter values (defaults, the values
 * its conditions compare with, or "any other value"), the conditions they
 * decide, and so which side of every `Fn::If` and which conditional resources
 * exist. The default branch takes every parameter's default; each other
 * branch changes one parameter (or unknown pseudo parameter) and is kept only
 * when it decides some condition the resources use differently. Pure.
 */
import { findRegion } from '../config/regions';
import { resolveValue } from './intrinsics';
import type { CfnTemplate, StackContext } from './cfn-template';
import { isObject } from './values';

/** A parameter value that is unknown but differs from every literal the template compares it with. */
export const OTHER_VALUE = '(any other value)';

/** One deployable branch of a template. */
export interface TemplateBranch {
  /** Known values of parameters and pseudo parameters; a name without entry is unknown. */
  readonly variables: ReadonlyMap<string, unknown>;
  /** Value of every condition that could be decided. */
  readonly conditions: ReadonlyMap<string, boolean>;
  /** What differs from the default branch: `parameter KmsKeyArn = ""`; empty for the default branch. */
  readonly changes: readonly string[];
  /** True for the branch of the parameter defaults. */
  readonly isDefault: boolean;
}

/** Parameter types whose `Default` is the name of an SSM parameter, not the value CloudFormation uses. */
function isSsmParameterType(type: unknown): boolean {
  return typeof type === 'string' && type.startsWith('AWS::SSM::Parameter::Value');
}

function isListType(type: unknown): boolean {
  return typeof type === 'string' && (type === 'CommaDelimitedList' || type.startsWith('List<'));
}

/** The value a parameter takes from its default, as CloudFormation passes it (lists split on commas). */
function parameterValue(type: unknown, value: unknown): unknown {
  if (isListType(type) && typeof value === 'string') return value.split(',').map((item) => item.trim());
  return value;
}

/** Where a stack deploys, as far as it is known. */
export interface StackEnvironment {
  readonly region?: string;
  readonly account?: string;
}

/** Pseudo parameters the stack's environment decides. */
function pseudoVariables(context: StackEnvironment): Map<string, unknown> {
  const variables = new Map<string, unknown>();
  const region = context.region ? findRegion(context.region) : undefined;
  if (context.region) variables.set('AWS::Region', context.region);
  if (context.account) variables.set('AWS::AccountId', context.account);
  variables.set('AWS::Partition', region?.partition ?? 'aws');
  variables.set('AWS::URLSuffix', region?.dnsSuffix ?? 'amazonaws.com');
  return variables;
}

/** The variables of the default branch: pseudo parameters from the environment, parameters at their default. */
export function defaultVariables(
  template: Pick<CfnTemplate, 'Parameters'>,
  context: StackEnvironment,
): Map<string, unknown> {
  const variables = pseudoVariables(context);
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    if (!isObject(parameter) || parameter.Default === undefined || isSsmParameterType(parameter.Type))
      continue;
    variables.set(name, parameterValue(parameter.Type, parameter.Default));
  }
  return variables;
}

const UNDECIDED = Symbol('undecided');

/** Evaluates every condition of the template under the given variables; undecidable ones are left out. */
export function evaluateConditions(
  template: CfnTemplate,
  variables: ReadonlyMap<string, unknown>,
): Map<string, boolean> {
  const definitions = template.Conditions ?? {};
  const values = new Map<string, boolean | typeof UNDECIDED>();
  const env = { variables, mappings: template.Mappings };
  const evaluate = (expression: unknown, seen: ReadonlySet<string>): boolean | typeof UNDECIDED => {
    if (typeof expression === 'boolean') return expression;
    if (!isObject(expression)) return UNDECIDED;
    if (typeof expression.Condition === 'string') return named(expression.Condition, seen);
    const [operator] = Object.keys(expression);
    const args = expression[operator];
    if (!Array.isArray(args)) return UNDECIDED;
    switch (operator) {
      case 'Fn::Equals': {
        const [left, right] = args.map((arg) => resolveValue(arg, env));
        return comparable(left) && comparable(right) ? String(left) === String(right) : UNDECIDED;
      }
      case 'Fn::Not': {
        const inner = evaluate(args[0], seen);
        return inner === UNDECIDED ? UNDECIDED : !inner;
      }
      case 'Fn::And': {
        const parts = args.map((arg) => evaluate(arg, seen));
        if (parts.includes(false)) return false;
        return parts.includes(UNDECIDED) ? UNDECIDED : true;
      }
      case 'Fn::Or': {
        const parts = args.map((arg) => evaluate(arg, seen));
        if (parts.includes(true)) return true;
        return parts.includes(UNDECIDED) ? UNDECIDED : false;
      }
      case 'Fn::Contains': {
        const [list, item] = args.map((arg) => resolveValue(arg, env));
        return Array.isArray(list) && list.every(comparable) && comparable(item)
          ? list.map(String).includes(String(item))
          : UNDECIDED;
      }
    }
    return UNDECIDED;
  };
  const named = (name: string, seen: ReadonlySet<string>): boolean | typeof UNDECIDED => {
    if (values.has(name)) return values.get(name)!;
    if (seen.has(name) || !(name in definitions)) return UNDECIDED;
    const value = evaluate(definitions[name], new Set([...seen, name]));
    values.set(name, value);
    return value;
  };
  const out = new Map<string, boolean>();
  for (const name of Object.keys(definitions)) {
    const value = named(name, new Set());
    if (value !== UNDECIDED) out.set(name, value);
  }
  return out;
}

function comparable(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** Conditions that decide something about the resources: `Fn::If` in properties, and resource `Condition`s. */
export function usedConditions(template: CfnTemplate): Set<string> {
  const used = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      const branch = value['Fn::If'];
      if (Array.isArray(branch) && typeof branch[0] === 'string') used.add(branch[0]);
      Object.values(value).forEach(visit);
    }
  };
  for (const resource of Object.values(template.Resources ?? {})) {
    // CDK's own metadata resource is conditional on the region; it holds nothing to judge.
    if (!isObject(resource) || resource.Type === 'AWS::CDK::Metadata') continue;
    if (typeof resource.Condition === 'string') used.add(resource.Condition);
    visit(resource.Properties);
  }
  return used;
}

/** Names (parameters, pseudo parameters) that conditions read, with the literals compared against each. */
function conditionInputs(template: CfnTemplate): Map<string, Set<string>> {
  const inputs = new Map<string, Set<string>>();
  const add = (name: string, literal?: unknown) => {
    const set = inputs.get(name) ?? new Set<string>();
    if (comparable(literal)) set.add(String(literal));
    inputs.set(name, set);
  };
  const refName = (value: unknown): string | undefined =>
    isObject(value) && typeof value.Ref === 'string' ? value.Ref : undefined;
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      const equals = value['Fn::Equals'];
      if (Array.isArray(equals) && equals.length === 2) {
        const [left, right] = equals;
        if (refName(left)) add(refName(left)!, right);
        if (refName(right)) add(refName(right)!, left);
      }
      const ref = refName(value);
      if (ref) add(ref);
      Object.values(value).forEach(visit);
    }
  };
  visit(template.Conditions ?? {});
  return inputs;
}

/** The branch of the parameter defaults. */
export function defaultBranch(template: CfnTemplate, context: StackContext): TemplateBranch {
  const variables = defaultVariables(template, context);
  const conditions = evaluateConditions(template, withOthers(variables, template));
  return { variables, conditions, changes: [], isDefault: true };
}

/** At most this many branches are judged per template (the default one included). */
export const MAX_BRANCHES = 32;

/**
 * The default branch, then one branch per alternative value of each parameter
 * (or unknown pseudo parameter) the conditions read — its allowed values, the
 * literals it is compared with, and any other value — that decides the
 * resources' conditions differently from every branch before it.
 */
export function templateBranches(template: CfnTemplate, context: StackContext): TemplateBranch[] {
  const base = defaultBranch(template, context);
  const { variables, conditions } = base;
  const used = [...usedConditions(template)].sort();
  if (used.length === 0 || !template.Conditions) return [base];
  const key = (values: ReadonlyMap<string, boolean>) => used.map((name) => values.get(name) ?? '?').join(',');
  const seen = new Set([key(conditions)]);
  const branches = [base];
  for (const [name, literals] of conditionInputs(template)) {
    if (name.startsWith('AWS::') && variables.has(name)) continue;
    const parameter = template.Parameters?.[name];
    if (!name.startsWith('AWS::') && !isObject(parameter)) continue;
    const allowed =
      isObject(parameter) && Array.isArray(parameter.AllowedValues) ? parameter.AllowedValues : [];
    const candidates = [...new Set([...allowed.map(String), ...literals])];
    const current = variables.get(name);
    for (const candidate of [...candidates, OTHER_VALUE]) {
      if (current !== undefined && String(current) === candidate) continue;
      const changed = new Map(variables);
      if (candidate === OTHER_VALUE) changed.delete(name);
      else changed.set(name, parameterValue(isObject(parameter) ? parameter.Type : undefined, candidate));
      const values = evaluateConditions(template, withOthers(changed, template));
      const k = key(values);
      if (seen.has(k)) continue;
      seen.add(k);
      const label = name.startsWith('AWS::') ? name : `parameter ${name}`;
      branches.push({
        variables: changed,
        conditions: values,
        changes: [
          candidate === OTHER_VALUE ? `${label} = ${OTHER_VALUE}` : `${label} = ${JSON.stringify(candidate)}`,
        ],
        isDefault: false,
      });
      if (branches.length >= MAX_BRANCHES) return branches;
    }
  }
  return branches;
}

/**
 * For condition evaluation only: a parameter or pseudo parameter without a
 * value compares unequal to every literal (a value was given, and it is none
 * of the special ones), so conditions on it are decided.
 */
function withOthers(variables: ReadonlyMap<string, unknown>, template: CfnTemplate): Map<string, unknown> {
  const out = new Map(variables);
  for (const name of [
    ...Object.keys(template.Parameters ?? {}),
    'AWS::Region',
    'AWS::AccountId',
    'AWS::StackName',
  ]) {
    if (!out.has(name)) out.set(name, `\u0000${name}`);
  }
  return out;
}

/** The resolution environment of a branch, recording the `Fn::If` branches taken into `taken`. */
export function branchEnvironment(
  template: CfnTemplate,
  branch: TemplateBranch,
  taken?: Map<string, boolean>,
) {
  return {
    variables: branch.variables,
    mappings: template.Mappings,
    conditions: branch.conditions,
    onCondition: taken ? (name: string, value: boolean) => taken.set(name, value) : undefined,
  };
}
