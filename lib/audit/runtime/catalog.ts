import { parseArn } from '../iam';
import type { IndexedResource } from '../template';
import { isObject, referencedLogicalId } from '../values';
import { AssemblyResolver } from './resolver';
import { hasArn } from './resources';
import type { FlowStack } from './types';

/** A resource of the audited stacks, with its resolved ARN. */
export interface Located {
  readonly stack: FlowStack;
  readonly resource: IndexedResource;
  readonly arn: string;
}

/** `stack/LogicalId`, how messages name a resource. */
export function describeLocated(located: {
  readonly stack: FlowStack;
  readonly resource: IndexedResource;
}): string {
  return `${located.resource.logicalId} (${located.stack.index.context.stackName})`;
}

/**
 * Every resource of the audited stacks by its ARN (and by what `Ref` returns),
 * so that a flow found in one stack reaches the resource it names in another,
 * whether it names it by reference, by literal ARN or by a sub-resource ARN
 * (an S3 object, a log stream, a key alias, a function version).
 */
export class AssemblyCatalog {
  public readonly resolver: AssemblyResolver;
  private readonly byArn = new Map<string, Located>();
  private readonly byRef = new Map<string, Located>();
  /** Secrets by their ARN without the six-character random suffix (what a partial ARN names). */
  private readonly secretsByPartialArn = new Map<string, Located>();
  /** `ofType` lists, built once per type list. */
  private readonly typeLists = new Map<string, readonly Located[]>();

  constructor(resolver: AssemblyResolver) {
    this.resolver = resolver;
    for (const stack of resolver.stacks) {
      for (const resource of stack.index.all()) {
        const ref = resolver.refOf(stack, resource.logicalId);
        const arn = hasArn(resource.type) ? resolver.arnOf(stack, resource) : undefined;
        const located: Located = { stack, resource, arn: arn ?? ref };
        if (arn && !this.byArn.has(arn)) this.byArn.set(arn, located);
        if (!this.byRef.has(ref)) this.byRef.set(ref, located);
        if (arn && resource.type === 'AWS::SecretsManager::Secret' && /-[A-Za-z0-9]{6}$/.test(arn)) {
          const partial = arn.slice(0, -7);
          if (!this.secretsByPartialArn.has(partial)) this.secretsByPartialArn.set(partial, located);
        }
      }
    }
  }

  /** The resource a template value names: a local `Ref`/`Fn::GetAtt`, else its resolved text. */
  public locate(stack: FlowStack, value: unknown): Located | undefined {
    const local = referencedLogicalId(value);
    const resource =
      local !== undefined && isObject(value) && Object.keys(value).length === 1
        ? stack.index.get(local)
        : undefined;
    if (resource) {
      const arn = hasArn(resource.type) ? this.resolver.arnOf(stack, resource) : undefined;
      return { stack, resource, arn: arn ?? this.resolver.refOf(stack, resource.logicalId) };
    }
    return this.find(this.resolver.text(stack, value));
  }

  /** The resource an ARN (or `Ref` value) names, following sub-resource ARNs to their owner. */
  public find(text: string): Located | undefined {
    const direct = this.byArn.get(text) ?? this.byRef.get(text);
    if (direct) return direct;
    const arn = parseArn(text);
    if (!arn) return undefined;
    const prefix = `arn:${arn.partition}:${arn.service}:${arn.region}:${arn.account}:`;
    switch (arn.service) {
      case 's3':
        return this.byArn.get(`arn:${arn.partition}:s3:::${arn.resource.split('/')[0]}`);
      case 'logs': {
        const match = /^log-group:(.+?)(?::\*|:log-stream:.*)?$/.exec(arn.resource);
        return match ? this.byArn.get(`${prefix}log-group:${match[1]}:*`) : undefined;
      }
      case 'lambda': {
        const [kind, name] = arn.resource.split(':');
        return kind === 'function' ? this.byArn.get(`${prefix}function:${name}`) : undefined;
      }
      case 'dynamodb':
        return this.byArn.get(`${prefix}${arn.resource.split('/').slice(0, 2).join('/')}`);
      case 'kms':
        return arn.resource.startsWith('alias/') ? this.aliasTarget(text) : undefined;
      case 'events': {
        // A rule on a custom bus is authorised by that bus's policy.
        const parts = arn.resource.split('/');
        return parts[0] === 'rule' && parts.length === 3
          ? this.byArn.get(`${prefix}event-bus/${parts[1]}`)
          : undefined;
      }
      case 'secretsmanager': {
        // A partial ARN names the secret without its random suffix.
        const name = arn.resource.replace(/^secret:/, '');
        return this.secretsByPartialArn.get(`${prefix}secret:${name}`);
      }
      default:
        return undefined;
    }
  }

  /** The key an alias ARN points at (through the alias resource's `TargetKeyId`). */
  private aliasTarget(aliasArn: string): Located | undefined {
    const alias = this.byArn.get(aliasArn);
    if (!alias || alias.resource.type !== 'AWS::KMS::Alias') return undefined;
    return this.locate(alias.stack, alias.resource.json.Properties?.TargetKeyId);
  }

  /** The key of a KMS key value (key ID, key ARN, alias name or alias ARN) given in `stack`. */
  public key(stack: FlowStack, value: unknown): Located | undefined {
    const located = this.locate(stack, value);
    if (located?.resource.type === 'AWS::KMS::Key') return located;
    if (located?.resource.type === 'AWS::KMS::Alias')
      return this.locate(located.stack, located.resource.json.Properties?.TargetKeyId);
    const text = this.resolver.text(stack, value);
    const env = this.resolver.environment(stack);
    if (text.startsWith('alias/'))
      return this.find(`arn:${env.partition}:kms:${env.region}:${env.account}:${text}`);
    if (/^[0-9a-f-]{36}$/.test(text))
      return this.find(`arn:${env.partition}:kms:${env.region}:${env.account}:key/${text}`);
    return undefined;
  }

  /** Resources of some types across every stack, in stack order (the list is built once). */
  public ofType(...types: string[]): readonly Located[] {
    const key = types.join(',');
    let list = this.typeLists.get(key);
    if (!list) {
      const found: Located[] = [];
      for (const stack of this.resolver.stacks) {
        for (const resource of stack.index.ofType(...types)) {
          const arn = hasArn(resource.type) ? this.resolver.arnOf(stack, resource) : undefined;
          found.push({ stack, resource, arn: arn ?? this.resolver.refOf(stack, resource.logicalId) });
        }
      }
      this.typeLists.set(key, (list = found));
    }
    return list;
  }

  /** Region and account of a located resource's stack. */
  public placeOf(located: Located): { readonly account: string; readonly region: string } {
    const env = this.resolver.environment(located.stack);
    return { account: env.account, region: env.region };
  }
}
