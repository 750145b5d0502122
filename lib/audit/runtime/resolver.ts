import { findRegion } from '../../config/regions';
import { isObject } from '../values';
import type { IndexedResource } from '../template';
import { arnOf, attributeOf, refOf, StackEnvironment } from './resources';
import type { FlowStack } from './types';

/** Account used for a stack synthesized without one (an environment-agnostic template). */
export const UNKNOWN_ACCOUNT = '000000000000';

const NO_VALUE = Symbol('AWS::NoValue');
const MAX_DEPTH = 40;

/** Thrown when a value needs something the inputs do not hold (a parameter without default, an unknown export). */
export class UnresolvedValue extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnresolvedValue';
  }
}

/**
 * Turns template values of a set of stacks into the literal JSON AWS would see:
 * pseudo parameters from each stack's environment, `Ref`/`Fn::GetAtt` of
 * resources to their physical names and ARNs (stable stand-ins where
 * CloudFormation would generate them), parameter defaults, `Fn::Join`,
 * `Fn::Sub`, `Fn::Select`, `Fn::Split`, `Fn::If`, `Fn::FindInMap`,
 * `Fn::GetAZs` and `Fn::ImportValue` across the stacks. What cannot be known
 * becomes an ARN-shaped token that matches nothing but itself, and
 * {@link describeToken} says what it stands for.
 */
export class AssemblyResolver {
  public readonly stacks: readonly FlowStack[];
  private readonly environments = new Map<FlowStack, StackEnvironment>();
  private readonly exports = new Map<string, { stack: FlowStack; value: unknown }>();
  private readonly tokens: string[] = [];
  private readonly tokenIds = new Map<string, number>();
  private readonly cache = new Map<FlowStack, Map<unknown, unknown>>();
  private readonly conditionCache = new Map<string, boolean>();
  /** Resources whose name is being resolved: a name that refers back to itself is a token, not a loop. */
  private readonly naming = new Set<IndexedResource>();
  /** What `Ref` of each resource gives, once worked out from the top (as its name properties). */
  private readonly refs = new Map<IndexedResource, string>();
  /** Each resource's resolved properties, once asked from the top. */
  private readonly resolvedProperties = new Map<IndexedResource, Record<string, unknown>>();
  /** The resolved name properties of each resource, once worked out from the top. */
  private readonly names = new Map<IndexedResource, Record<string, unknown>>();

  constructor(stacks: readonly FlowStack[]) {
    this.stacks = stacks;
    for (const stack of stacks) {
      for (const output of Object.values(stack.index.template.Outputs ?? {})) {
        if (!isObject(output) || !isObject(output.Export)) continue;
        try {
          const name = this.text(stack, output.Export.Name);
          if (!this.exports.has(name)) this.exports.set(name, { stack, value: output.Value });
        } catch {
          // An export whose name cannot be resolved cannot be imported by name either.
        }
      }
    }
  }

  /** The stack's account, region, partition and URL suffix. */
  public environment(stack: FlowStack): StackEnvironment {
    let env = this.environments.get(stack);
    if (!env) {
      const region = stack.index.context.region ?? 'eu-west-1';
      const info = findRegion(region);
      env = {
        account: stack.index.context.account ?? UNKNOWN_ACCOUNT,
        region,
        partition: info?.partition ?? 'aws',
        urlSuffix: info?.dnsSuffix ?? 'amazonaws.com',
        stackName: stack.index.context.stackName,
      };
      this.environments.set(stack, env);
    }
    return env;
  }

  /** A token for something the inputs cannot tell; it names itself in messages through {@link describeToken}. */
  public token(stack: FlowStack, description: string): string {
    let id = this.tokenIds.get(description);
    if (id === undefined) {
      id = this.tokens.length;
      this.tokens.push(description);
      this.tokenIds.set(description, id);
    }
    return `arn:${this.environment(stack).partition}:unresolved:::${id}`;
  }

  /** True when a resolved text contains a token. */
  public isToken(text: string): boolean {
    return /:unresolved:::\d+/.test(text);
  }

  /** Replaces tokens inside a text by what they stand for. */
  public describeToken(text: string): string {
    return text.replace(
      /arn:[a-z-]+:unresolved:::(\d+)/g,
      (_match, id: string) => `<${this.tokens[Number(id)]}>`,
    );
  }

  /** The first unresolved description inside a resolved value, if any. */
  public unresolvedIn(value: unknown): string | undefined {
    const text = JSON.stringify(value) ?? '';
    const match = /arn:[a-z-]+:unresolved:::(\d+)/.exec(text);
    return match ? this.tokens[Number(match[1])] : undefined;
  }

  /** A value with every intrinsic resolved; `AWS::NoValue` removes the key or element. */
  public resolve(stack: FlowStack, value: unknown): unknown {
    const resolved = this.walk(stack, value, 0);
    return resolved === NO_VALUE ? undefined : resolved;
  }

  /** A value that must resolve to text; tokens stand in for what cannot be known. */
  public text(stack: FlowStack, value: unknown): string {
    return this.asText(stack, this.resolve(stack, value), value);
  }

  /** A resolved value as text, or a token that says what `value` resolved to instead. */
  private asText(stack: FlowStack, resolved: unknown, value: unknown): string {
    if (typeof resolved === 'string') return resolved;
    if (typeof resolved === 'number' || typeof resolved === 'boolean') return String(resolved);
    return this.token(stack, `a value that is not text: ${shortJson(value)}`);
  }

  /** Resolved text of each element of a list value (a single value counts as a list of one). */
  public texts(stack: FlowStack, value: unknown): string[] {
    const resolved = this.resolve(stack, value);
    if (resolved === undefined || resolved === null) return [];
    return (Array.isArray(resolved) ? resolved : [resolved]).map((item) =>
      typeof item === 'string' ? item : this.token(stack, `a value that is not text: ${shortJson(item)}`),
    );
  }

  /** A resource's properties with every intrinsic resolved: worked out once per resource (never changed by readers). */
  public properties(stack: FlowStack, resource: IndexedResource): Record<string, unknown> {
    const known = this.resolvedProperties.get(resource);
    if (known) return known;
    const resolved = this.resolve(stack, resource.json.Properties ?? {});
    const properties = isObject(resolved) ? resolved : {};
    if (this.naming.size === 0) this.resolvedProperties.set(resource, properties);
    return properties;
  }

  /** `Ref` of a resource of the stack (as `text(stack, { Ref: logicalId })`, without a new object to resolve). */
  public refOf(stack: FlowStack, logicalId: string): string {
    const resolved = this.ref(stack, logicalId);
    return this.asText(stack, resolved === NO_VALUE ? undefined : resolved, { Ref: logicalId });
  }

  /** The ARN of a resource, when its type is modelled. */
  public arnOf(stack: FlowStack, resource: IndexedResource): string | undefined {
    return arnOf(
      this.environment(stack),
      resource.type,
      resource.logicalId,
      this.nameProperties(stack, resource),
    );
  }

  private walk(stack: FlowStack, value: unknown, depth: number): unknown {
    if (depth > MAX_DEPTH) return this.token(stack, 'a value nested too deeply');
    if (Array.isArray(value)) {
      return value.map((item) => this.walk(stack, item, depth + 1)).filter((item) => item !== NO_VALUE);
    }
    if (!isObject(value)) return value;
    const keys = Object.keys(value);
    if (keys.length === 1 && (keys[0] === 'Ref' || keys[0].startsWith('Fn::'))) {
      let memo = this.cache.get(stack);
      if (!memo) this.cache.set(stack, (memo = new Map()));
      // Intrinsics are pure within a stack: memoise by identity of the (template-owned) object.
      if (memo.has(value)) return memo.get(value);
      const result = this.intrinsic(stack, keys[0], value[keys[0]], depth);
      memo.set(value, result);
      return result;
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const item = this.walk(stack, value[key], depth + 1);
      if (item !== NO_VALUE) out[key] = item;
    }
    return out;
  }

  private intrinsic(stack: FlowStack, name: string, argument: unknown, depth: number): unknown {
    const env = this.environment(stack);
    switch (name) {
      case 'Ref':
        return typeof argument === 'string'
          ? this.ref(stack, argument)
          : this.token(stack, `Ref ${shortJson(argument)}`);
      case 'Fn::GetAtt': {
        const [logicalId, attribute] = Array.isArray(argument)
          ? [String(argument[0]), String(argument[1])]
          : String(argument).split(/\.(.*)/s);
        return this.getAtt(stack, logicalId, attribute);
      }
      case 'Fn::Join': {
        if (!Array.isArray(argument) || typeof argument[0] !== 'string')
          return this.token(stack, `Fn::Join ${shortJson(argument)}`);
        const parts = this.walk(stack, argument[1], depth + 1);
        if (!Array.isArray(parts)) return this.token(stack, `Fn::Join of ${shortJson(argument[1])}`);
        return parts
          .map((part) =>
            typeof part === 'string' || typeof part === 'number'
              ? String(part)
              : this.token(stack, shortJson(part)),
          )
          .join(argument[0]);
      }
      case 'Fn::Sub':
        return this.sub(stack, argument, depth);
      case 'Fn::Select': {
        if (!Array.isArray(argument)) return this.token(stack, `Fn::Select ${shortJson(argument)}`);
        const position = Number(this.walk(stack, argument[0], depth + 1));
        const list = this.walk(stack, argument[1], depth + 1);
        return Array.isArray(list) && Number.isInteger(position) && position >= 0 && position < list.length
          ? list[position]
          : this.token(stack, `Fn::Select ${shortJson(argument)}`);
      }
      case 'Fn::Split': {
        if (!Array.isArray(argument) || typeof argument[0] !== 'string')
          return this.token(stack, `Fn::Split ${shortJson(argument)}`);
        const source = this.walk(stack, argument[1], depth + 1);
        return typeof source === 'string'
          ? source.split(argument[0])
          : this.token(stack, `Fn::Split ${shortJson(argument)}`);
      }
      case 'Fn::If': {
        if (!Array.isArray(argument) || typeof argument[0] !== 'string')
          return this.token(stack, `Fn::If ${shortJson(argument)}`);
        const holds = this.condition(stack, argument[0]);
        if (holds === undefined)
          return this.token(stack, `Fn::If on condition ${argument[0]}, which cannot be decided`);
        return this.walk(stack, holds ? argument[1] : argument[2], depth + 1);
      }
      case 'Fn::FindInMap': {
        if (!Array.isArray(argument)) return this.token(stack, `Fn::FindInMap ${shortJson(argument)}`);
        const [map, top, second] = argument.map((part) => this.walk(stack, part, depth + 1));
        const found = (
          stack.index.template.Mappings as Record<string, Record<string, Record<string, unknown>>> | undefined
        )?.[String(map)]?.[String(top)]?.[String(second)];
        return found !== undefined
          ? this.walk(stack, found, depth + 1)
          : this.token(stack, `Fn::FindInMap ${shortJson(argument)}`);
      }
      case 'Fn::GetAZs':
        return [...(findRegion(env.region)?.azs ?? [])];
      case 'Fn::ImportValue': {
        const exportName = this.walk(stack, argument, depth + 1);
        const found = typeof exportName === 'string' ? this.exports.get(exportName) : undefined;
        return found
          ? this.walk(found.stack, found.value, depth + 1)
          : this.token(
              stack,
              `export ${typeof exportName === 'string' ? exportName : shortJson(argument)}, which no audited stack defines`,
            );
      }
      case 'Fn::Base64': {
        const text = this.walk(stack, argument, depth + 1);
        return typeof text === 'string'
          ? Buffer.from(text).toString('base64')
          : this.token(stack, 'Fn::Base64');
      }
      default:
        return this.token(stack, `${name} ${shortJson(argument)}`);
    }
  }

  private ref(stack: FlowStack, name: string): unknown {
    const env = this.environment(stack);
    switch (name) {
      case 'AWS::AccountId':
        return env.account;
      case 'AWS::Region':
        return env.region;
      case 'AWS::Partition':
        return env.partition;
      case 'AWS::URLSuffix':
        return env.urlSuffix;
      case 'AWS::StackName':
        return env.stackName;
      case 'AWS::StackId':
        return `arn:${env.partition}:cloudformation:${env.region}:${env.account}:stack/${env.stackName}/00000000-0000-4000-8000-000000000000`;
      case 'AWS::NoValue':
        return NO_VALUE;
      case 'AWS::NotificationARNs':
        return [];
    }
    const resource = stack.index.get(name);
    if (resource) {
      const known = this.refs.get(resource);
      if (known !== undefined) return known;
      const outermost = this.naming.size === 0;
      const value = refOf(env, resource.type, resource.logicalId, this.nameProperties(stack, resource));
      if (outermost) this.refs.set(resource, value);
      return value;
    }
    const parameter = stack.index.template.Parameters?.[name];
    if (parameter) {
      const type = String(parameter.Type ?? '');
      if (parameter.Default !== undefined && !type.startsWith('AWS::SSM::Parameter::Value')) {
        return type.startsWith('List<') || type === 'CommaDelimitedList'
          ? String(parameter.Default)
              .split(',')
              .map((item) => item.trim())
          : parameter.Default;
      }
      return this.token(stack, `parameter ${name} of ${env.stackName}, which has no default`);
    }
    return this.token(stack, `Ref ${name}, which ${env.stackName} does not define`);
  }

  private getAtt(stack: FlowStack, logicalId: string, attribute: string): unknown {
    const resource = stack.index.get(logicalId);
    if (!resource)
      return this.token(
        stack,
        `Fn::GetAtt ${logicalId}.${attribute}, which ${stack.index.context.stackName} does not define`,
      );
    const env = this.environment(stack);
    const value = attributeOf(env, resource.type, logicalId, this.nameProperties(stack, resource), attribute);
    // Unmodelled attributes stay consistent: the same attribute of the same resource is the same text.
    return value ?? `arn:${env.partition}:clover-attribute:::${env.stackName}/${logicalId}.${attribute}`;
  }

  /**
   * Only the properties that name the resource, resolved (never the whole property tree: no cycles). Kept
   * when worked out from the top, not inside another resource's naming, where a name that refers back
   * sees that resource's as empty.
   */
  private nameProperties(stack: FlowStack, resource: IndexedResource): Record<string, unknown> {
    const known = this.names.get(resource);
    if (known) return known;
    const props = resource.json.Properties ?? {};
    const out: Record<string, unknown> = {};
    if (this.naming.has(resource)) return out;
    const outermost = this.naming.size === 0;
    this.naming.add(resource);
    try {
      this.collectNames(stack, props, out);
    } finally {
      this.naming.delete(resource);
    }
    if (outermost) this.names.set(resource, out);
    return out;
  }

  private collectNames(stack: FlowStack, props: Record<string, unknown>, out: Record<string, unknown>): void {
    for (const key of [
      'BucketName',
      'AliasName',
      'TopicName',
      'QueueName',
      'FunctionName',
      'RoleName',
      'Path',
      'ManagedPolicyName',
      'InstanceProfileName',
      'UserName',
      'LogGroupName',
      'DestinationName',
      'Name',
      'EventBusName',
      'TrailName',
      'AlarmName',
      'TableName',
      'DeliveryStreamName',
      'StateMachineName',
    ]) {
      if (props[key] === undefined) continue;
      const value = this.walk(stack, props[key], 1);
      if (value !== NO_VALUE) out[key] = value;
    }
  }

  private sub(stack: FlowStack, argument: unknown, depth: number): string {
    const template: unknown = Array.isArray(argument) ? argument[0] : argument;
    const locals: Record<string, unknown> =
      Array.isArray(argument) && isObject(argument[1]) ? argument[1] : {};
    if (typeof template !== 'string') return this.token(stack, `Fn::Sub ${shortJson(argument)}`);
    return template.replace(/\$\{([^}]*)\}/g, (_whole, raw: string) => {
      const name = raw.trim();
      if (name.startsWith('!')) return `\${${name.slice(1)}}`;
      let value: unknown;
      if (name in locals) value = this.walk(stack, locals[name], depth + 1);
      else if (name.includes('.') && !name.startsWith('AWS::')) {
        const dot = name.indexOf('.');
        value = this.getAtt(stack, name.slice(0, dot), name.slice(dot + 1));
      } else value = this.ref(stack, name);
      return typeof value === 'string' || typeof value === 'number'
        ? String(value)
        : this.token(stack, `\${${name}}`);
    });
  }

  /** A template condition's value, or undefined when it depends on something unknown. */
  public condition(stack: FlowStack, name: string, depth = 0): boolean | undefined {
    const key = `${stack.index.context.stackName}\u0000${name}`;
    if (this.conditionCache.has(key)) return this.conditionCache.get(key);
    const expression = stack.index.template.Conditions?.[name];
    const value =
      expression === undefined || depth > MAX_DEPTH
        ? undefined
        : this.evaluateCondition(stack, expression, depth + 1);
    if (value !== undefined) this.conditionCache.set(key, value);
    return value;
  }

  private evaluateCondition(stack: FlowStack, expression: unknown, depth: number): boolean | undefined {
    if (!isObject(expression)) return typeof expression === 'boolean' ? expression : undefined;
    if (typeof expression.Condition === 'string') return this.condition(stack, expression.Condition, depth);
    const args =
      expression['Fn::Equals'] ?? expression['Fn::And'] ?? expression['Fn::Or'] ?? expression['Fn::Not'];
    if (!Array.isArray(args)) return undefined;
    if ('Fn::Equals' in expression) {
      const [left, right] = args.map((arg) => this.walk(stack, arg, depth + 1));
      const known = (side: unknown) => !(typeof side === 'string' && this.isToken(side));
      return known(left) && known(right) ? JSON.stringify(left) === JSON.stringify(right) : undefined;
    }
    const values = args.map((arg) => this.evaluateCondition(stack, arg, depth + 1));
    if ('Fn::Not' in expression) return values[0] === undefined ? undefined : !values[0];
    if ('Fn::And' in expression) {
      if (values.includes(false)) return false;
      return values.includes(undefined) ? undefined : true;
    }
    if (values.includes(true)) return true;
    return values.includes(undefined) ? undefined : false;
  }
}

function shortJson(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
