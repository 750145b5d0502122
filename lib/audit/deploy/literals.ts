import { findRegion } from '../../config/regions';
import { isObject } from '../values';

/** Where a stack deploys: what `AWS::AccountId`, `AWS::Region` and `AWS::Partition` stand for in its template. */
export interface StackEnvironment {
  readonly account?: string;
  readonly region?: string;
  /** `aws`, `aws-eusc`, …; from the region catalogue. */
  readonly partition: string;
  /** DNS suffix of the partition (`amazonaws.com`). */
  readonly urlSuffix: string;
}

/** The pseudo parameter values of a stack in `account` and `region`, from the region catalogue. */
export function stackEnvironment(account: string | undefined, region: string | undefined): StackEnvironment {
  const info = region === undefined ? undefined : findRegion(region);
  return {
    account,
    region,
    partition: info?.partition ?? 'aws',
    urlSuffix: info?.dnsSuffix ?? 'amazonaws.com',
  };
}

/**
 * How a found string names something: the `whole` property value, the literal `prefix` of an
 * `Fn::Join`/`Fn::Sub` whose tail is only known at deploy time, or a name inside `Fn::ImportValue`
 * (`import`), an SSM dynamic reference or SSM-typed parameter (`ssm`), or a Secrets Manager dynamic
 * reference (`secret`).
 */
export type LiteralForm = 'whole' | 'prefix' | 'import' | 'ssm' | 'secret';

/** A literal string found in a template, and where: `LogicalId.Property.Path[0]`. */
export interface FoundLiteral {
  readonly text: string;
  readonly form: LiteralForm;
  /** Logical ID of the resource (or the parameter) holding it. */
  readonly logicalId: string;
  /** Property path below the resource, e.g. `ReplicationConfiguration.Rules[0].Destination.Bucket`. */
  readonly path: string;
  /** The resource type holding it, or `Parameters`. */
  readonly type: string;
}

/**
 * Properties whose strings are match patterns, labels or prose, never a reference to something that
 * must exist: a policy `Condition` compares request values (an `aws:PrincipalArn` there may name a role
 * that does not exist yet), event and log filter patterns match events, tags and descriptions are text.
 */
const NOT_REFERENCES = new Set(['Condition', 'EventPattern', 'FilterPattern', 'Tags', 'Description']);

/**
 * Identity policies (what a principal may do) name resources IAM never looks up: a role may be allowed
 * to assume a role that another stage creates later. Only the principals of resource and trust
 * policies, and properties a service checks, must exist first.
 */
const IDENTITY_POLICY_TYPES = new Set([
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::IAM::RolePolicy',
  'AWS::IAM::UserPolicy',
  'AWS::IAM::GroupPolicy',
]);

/** The properties of a resource whose literals can order deploys (its identity policies left out). */
function referenceProperties(type: string, properties: unknown): unknown {
  if (!isObject(properties)) return properties;
  const identity = IDENTITY_POLICY_TYPES.has(type)
    ? 'PolicyDocument'
    : ['AWS::IAM::Role', 'AWS::IAM::User', 'AWS::IAM::Group'].includes(type)
      ? 'Policies'
      : undefined;
  return identity
    ? Object.fromEntries(Object.entries(properties).filter(([key]) => key !== identity))
    : properties;
}

/**
 * The text of a value that is a literal once the stack's pseudo parameters are known: a string, a `Ref`
 * to `AWS::AccountId`/`AWS::Region`/`AWS::Partition`/`AWS::URLSuffix`, or an `Fn::Join`/`Fn::Sub` of
 * those. Undefined when any part depends on a resource, a parameter or an unknown environment.
 */
export function literalText(value: unknown, env: StackEnvironment): string | undefined {
  if (typeof value === 'string') return value;
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  if (keys.length !== 1) return undefined;
  if (typeof value.Ref === 'string') return pseudoValue(value.Ref, env);
  const join = value['Fn::Join'];
  if (Array.isArray(join) && typeof join[0] === 'string' && Array.isArray(join[1])) {
    const parts = join[1].map((part) => literalText(part, env));
    return parts.every((part): part is string => part !== undefined) ? parts.join(join[0]) : undefined;
  }
  const sub = subArguments(value['Fn::Sub']);
  if (sub === undefined) return undefined;
  const result = substitute(sub.template, sub.variables, env);
  return result.complete ? result.text : undefined;
}

function subArguments(
  argument: unknown,
): { readonly template: string; readonly variables: Record<string, unknown> } | undefined {
  if (typeof argument === 'string') return { template: argument, variables: {} };
  if (Array.isArray(argument) && typeof argument[0] === 'string') {
    return { template: argument[0], variables: isObject(argument[1]) ? argument[1] : {} };
  }
  return undefined;
}

function pseudoValue(name: string, env: StackEnvironment): string | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return env.account;
    case 'AWS::Region':
      return env.region;
    case 'AWS::Partition':
      return env.partition;
    case 'AWS::URLSuffix':
      return env.urlSuffix;
    default:
      return undefined;
  }
}

/**
 * `Fn::Sub` with the stack's pseudo parameters: the whole text when every variable is known, else
 * (`complete` false) the text before the first unknown variable.
 */
function substitute(
  template: string,
  variables: Record<string, unknown>,
  env: StackEnvironment,
): { readonly text: string; readonly complete: boolean } {
  let text = '';
  let last = 0;
  for (const match of template.matchAll(/\$\{([^}]*)\}/g)) {
    text += template.slice(last, match.index);
    last = match.index + match[0].length;
    const name = match[1];
    if (name.startsWith('!')) {
      text += `\${${name.slice(1)}}`;
      continue;
    }
    const value = name in variables ? literalText(variables[name], env) : pseudoValue(name, env);
    if (value === undefined) return { text, complete: false };
    text += value;
  }
  return { text: text + template.slice(last), complete: true };
}

/** `{{resolve:ssm:/a/b:3}}` → `ssm` and `/a/b:3`; also `ssm-secure` and `secretsmanager`. */
const DYNAMIC_REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]+)\}\}/g;

/**
 * Every literal string of a template's resource properties and SSM-typed parameter defaults that can
 * name something another stack owns, skipping the patterns and prose of {@link NOT_REFERENCES}. Names
 * inside dynamic references (`{{resolve:ssm:…}}`) and `Fn::ImportValue` are reported on their own.
 */
export function findLiterals(
  template: {
    readonly Resources?: Record<string, unknown>;
    readonly Parameters?: Record<string, unknown>;
  },
  env: StackEnvironment,
): FoundLiteral[] {
  const found: FoundLiteral[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources ?? {})) {
    if (!isObject(resource) || typeof resource.Type !== 'string') continue;
    walk(referenceProperties(resource.Type, resource.Properties), '', {
      logicalId,
      type: resource.Type,
      env,
      found,
    });
  }
  for (const [name, parameter] of Object.entries(template.Parameters ?? {})) {
    // `AWS::SSM::Parameter::Value<…>` parameters read the parameter their default names.
    if (!isObject(parameter) || typeof parameter.Type !== 'string') continue;
    if (!parameter.Type.startsWith('AWS::SSM::Parameter::Value<') || typeof parameter.Default !== 'string')
      continue;
    found.push({
      text: parameter.Default,
      form: 'ssm',
      logicalId: name,
      path: 'Default',
      type: 'Parameters',
    });
  }
  return found;
}

interface WalkContext {
  readonly logicalId: string;
  readonly type: string;
  readonly env: StackEnvironment;
  readonly found: FoundLiteral[];
}

function walk(value: unknown, path: string, context: WalkContext): void {
  const text = literalText(value, context.env);
  if (text !== undefined) {
    add(context, path, text, 'whole');
    for (const match of text.matchAll(DYNAMIC_REFERENCE)) {
      const secret = match[1] === 'secretsmanager';
      add(
        context,
        path,
        secret ? secretIdOf(match[2]) : match[2].replace(/:\d+$/, ''),
        secret ? 'secret' : 'ssm',
      );
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, `${path}[${index}]`, context));
    return;
  }
  if (!isObject(value)) return;
  const keys = Object.keys(value);
  const intrinsic =
    keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::')) ? keys[0] : undefined;
  if (intrinsic === undefined) {
    for (const [key, child] of Object.entries(value)) {
      if (!NOT_REFERENCES.has(key)) walk(child, path === '' ? key : `${path}.${key}`, context);
    }
    return;
  }
  const argument = value[intrinsic];
  switch (intrinsic) {
    case 'Fn::ImportValue': {
      const name = literalText(argument, context.env);
      if (name !== undefined) add(context, path, name, 'import');
      return;
    }
    case 'Fn::Join': {
      if (!Array.isArray(argument) || typeof argument[0] !== 'string' || !Array.isArray(argument[1])) return;
      const prefix = literalPrefix(argument[1], argument[0], context.env);
      if (prefix) add(context, path, prefix, 'prefix');
      for (const part of argument[1]) if (typeof part !== 'string') walk(part, path, context);
      return;
    }
    case 'Fn::Sub': {
      const sub = subArguments(argument);
      const prefix = sub === undefined ? '' : substitute(sub.template, sub.variables, context.env).text;
      if (prefix) add(context, path, prefix, 'prefix');
      return;
    }
    case 'Fn::If':
      if (Array.isArray(argument)) argument.slice(1).forEach((branch) => walk(branch, path, context));
      return;
    case 'Fn::Select':
      if (Array.isArray(argument)) walk(argument[1], path, context);
      return;
    default:
      // Ref and Fn::GetAtt name logical IDs; Fn::FindInMap, Fn::GetAZs, … name no resource of another stack.
      return;
  }
}

/** The literal text before the first part of a join that is only known at deploy time. */
function literalPrefix(parts: readonly unknown[], separator: string, env: StackEnvironment): string {
  const texts: string[] = [];
  for (const part of parts) {
    const text = literalText(part, env);
    if (text === undefined) return texts.length === 0 ? '' : texts.join(separator) + separator;
    texts.push(text);
  }
  return texts.join(separator);
}

function add(context: WalkContext, path: string, text: string, form: LiteralForm): void {
  context.found.push({ text, form, logicalId: context.logicalId, type: context.type, path });
}

/** The secret ID of `{{resolve:secretsmanager:<id>:SecretString:<key>:…}}`: a name, or an ARN with its own colons. */
function secretIdOf(rest: string): string {
  if (rest.startsWith('arn:')) return rest.split(':').slice(0, 7).join(':');
  return rest.split(':')[0];
}
