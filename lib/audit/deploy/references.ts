import { findLiterals, FoundLiteral, StackEnvironment } from './literals';
import { OwnedIdentity, ownedIdentities } from './identities';

/** A stack as the reference analysis sees it: its template and where it deploys. */
export interface ReferencingStack {
  /** `stage/stack`, unique in the assembly. */
  readonly id: string;
  /** The stage (deploy unit) it belongs to. */
  readonly stage: string;
  readonly env: StackEnvironment;
  readonly template: {
    readonly Resources?: Record<string, unknown>;
    readonly Outputs?: Record<string, unknown>;
    readonly Parameters?: Record<string, unknown>;
  };
}

/** A literal in one stack that names an identity another stack creates. */
export interface StackReference {
  /** The stack holding the literal. */
  readonly from: string;
  /** The stack creating the named identity. */
  readonly to: string;
  readonly identity: OwnedIdentity;
  readonly literal: FoundLiteral;
}

interface Owned {
  readonly stack: ReferencingStack;
  readonly identity: OwnedIdentity;
}

/** Separators after which a literal may continue past an owned ARN (objects, log streams, secret suffixes). */
const CUT_POINTS = /[/:\-*?]/g;

/**
 * Index of every identity the stacks of an assembly create, by ARN, alias and bare name, and
 * the matching of literals against it.
 */
export class OwnershipIndex {
  private readonly byArn = new Map<string, Owned[]>();
  private readonly byName = new Map<string, Owned[]>();

  constructor(stacks: readonly ReferencingStack[]) {
    for (const stack of stacks) {
      for (const identity of ownedIdentities(stack.template, stack.env)) {
        const owned = { stack, identity };
        for (const key of [identity.arn, ...identity.aliases]) if (key) push(this.byArn, key, owned);
        push(this.byName, identity.name, owned);
      }
    }
  }

  /** The identities a literal found in `stack` names, with the stacks that create them. */
  public match(literal: FoundLiteral, stack: ReferencingStack): Owned[] {
    switch (literal.form) {
      case 'import':
      case 'ssm':
        return this.named(literal.text, stack).filter(
          (owned) => owned.identity.referencedAs === literal.form,
        );
      case 'secret':
        return literal.text.startsWith('arn:')
          ? this.byArnPrefix(literal.text)
          : this.named(literal.text, stack).filter((owned) => owned.identity.referencedAs === 'secret');
      case 'prefix':
        // Only the literal head is known: it names a resource when an ARN is followed by a separator.
        return this.byArnPrefix(literal.text);
      case 'whole':
        return [
          ...(this.byArn.get(literal.text) ?? []),
          ...this.byArnPrefix(literal.text),
          ...this.named(literal.text, stack).filter((owned) => owned.identity.referencedAs !== 'import'),
        ];
    }
  }

  /** Identities whose bare name is `name` and whose name scope includes the referring stack. */
  private named(name: string, stack: ReferencingStack): Owned[] {
    return (this.byName.get(name) ?? []).filter(({ stack: owner, identity }) => {
      if (identity.scope === 'global') return true;
      const sameAccount = owner.env.account !== undefined && owner.env.account === stack.env.account;
      if (identity.scope === 'account') return sameAccount;
      return sameAccount && owner.env.region !== undefined && owner.env.region === stack.env.region;
    });
  }

  /** Identities whose ARN the text starts with, continued by what the identity allows inside it. */
  private byArnPrefix(text: string): Owned[] {
    if (!text.startsWith('arn:')) return [];
    const found: Owned[] = [];
    for (const cut of text.matchAll(CUT_POINTS)) {
      const head = text.slice(0, cut.index);
      const rest = text.slice(cut.index);
      for (const owned of this.byArn.get(head) ?? []) {
        if (owned.identity.within?.test(rest)) found.push(owned);
      }
    }
    return found;
  }
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/**
 * Every reference from a stack to an identity created by a stack of another stage. A literal that an
 * identity of the referring stack's own stage also matches is satisfied inside the stage and ignored.
 */
export function crossStageReferences(stacks: readonly ReferencingStack[]): StackReference[] {
  const index = new OwnershipIndex(stacks);
  const references: StackReference[] = [];
  for (const stack of stacks) {
    for (const literal of findLiterals(stack.template, stack.env)) {
      const owners = index.match(literal, stack);
      if (owners.length === 0 || owners.some((owned) => owned.stack.stage === stack.stage)) continue;
      const seen = new Set<string>();
      for (const owned of owners) {
        const key = `${owned.stack.id}\u0000${owned.identity.logicalId}`;
        if (seen.has(key)) continue;
        seen.add(key);
        references.push({ from: stack.id, to: owned.stack.id, identity: owned.identity, literal });
      }
    }
  }
  return references;
}
