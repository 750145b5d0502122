import { ENCLAVE_METADATA_KEY, type EnclaveMetadata, type InterimMetadata } from '../config/enclave-metadata';
import type { CfnResourceJson, CfnTemplate, StackContext } from './cfn-template';
import { branchEnvironment, defaultBranch, TemplateBranch, templateBranches } from './branches';
import { NO_VALUE, resolveValue } from './intrinsics';
import { collectReferences, foldPartitionIntrinsics, isObject } from './values';

export { ENCLAVE_METADATA_KEY, type EnclaveMetadata, type InterimMetadata };
export type { CfnResourceJson, CfnTemplate, StackContext };

export interface IndexedResource {
  readonly logicalId: string;
  readonly type: string;
  /** Properties as the judged branch deploys them: parameters, conditions and mappings evaluated. */
  readonly properties: Record<string, unknown>;
  readonly json: CfnResourceJson;
  /** Conditions that decided this resource in the judged branch (`Fn::If` and its `Condition`), with their value. */
  readonly branches?: ReadonlyMap<string, boolean>;
}

/**
 * A resource of an index, its properties resolved when first read: the runtime proof's worker thread
 * reads a few resources' properties through the index (it resolves across stacks itself), CloverChecks
 * nearly all. Resolving records the conditions it decides, so `branches` is complete once read.
 */
class ResolvedResource implements IndexedResource {
  public readonly type: string;
  private resolved?: Record<string, unknown>;

  constructor(
    public readonly logicalId: string,
    public readonly json: CfnResourceJson,
    private readonly template: CfnTemplate,
    private readonly branch: TemplateBranch,
    private readonly decided: Map<string, boolean>,
  ) {
    this.type = json.Type;
  }

  public get properties(): Record<string, unknown> {
    if (!this.resolved) {
      const { json } = this;
      const resolved = isObject(json.Properties)
        ? resolveValue(json.Properties, branchEnvironment(this.template, this.branch, this.decided))
        : {};
      // Partition-aware names (`lambda.${AWS::URLSuffix}`) are judged like their literal text.
      this.resolved =
        resolved === NO_VALUE || !isObject(resolved)
          ? {}
          : (foldPartitionIntrinsics(resolved) as Record<string, unknown>);
    }
    return this.resolved;
  }

  public get branches(): ReadonlyMap<string, boolean> {
    void this.properties;
    return this.decided;
  }
}

/** The other stacks audited together with one: a cdk.out, or several inputs given at once. */
export interface PeerStacks {
  /** Every stack of the audit, this one included. */
  readonly indexes: readonly TemplateIndex[];
  /** The stack that exports a name (`Outputs.*.Export.Name`), and the value it exports. */
  exported(name: string): { readonly index: TemplateIndex; readonly value: unknown } | undefined;
}

export interface TemplateIndexOptions {
  /** The branch to judge. @default the parameter defaults */
  readonly branch?: TemplateBranch;
}

/**
 * One typed index of a stack's template, built once and queried by every rule:
 * resources by type, and who references whom.
 */
export class TemplateIndex {
  public readonly context: StackContext;
  public readonly template: CfnTemplate;
  public readonly enclave?: EnclaveMetadata;
  /** The branch (parameter values, conditions) this index shows. */
  public readonly branch: TemplateBranch;
  private readonly byId = new Map<string, IndexedResource>();
  private parent?: TemplateIndex;
  private linked?: PeerStacks;
  private branchIndexes?: TemplateIndex[];
  private readonly byType = new Map<string, IndexedResource[]>();
  private referencesOut?: Map<string, Set<string>>;
  private referencesIn?: Map<string, Set<string>>;

  constructor(template: CfnTemplate, context: StackContext, options: TemplateIndexOptions = {}) {
    this.template = template;
    this.context = context;
    this.branch = options.branch ?? defaultBranch(template, context);
    const enclave = template.Metadata?.[ENCLAVE_METADATA_KEY];
    if (isObject(enclave) && typeof enclave.name === 'string')
      this.enclave = enclave as unknown as EnclaveMetadata;
    for (const [logicalId, json] of Object.entries(template.Resources ?? {})) {
      if (!isObject(json) || typeof json.Type !== 'string') continue;
      const branches = new Map<string, boolean>();
      if (typeof json.Condition === 'string') {
        const exists = this.branch.conditions.get(json.Condition);
        if (exists === false) continue;
        if (exists === true && json.Type !== 'AWS::CDK::Metadata') branches.set(json.Condition, true);
      }
      const resource = new ResolvedResource(logicalId, json, template, this.branch, branches);
      this.byId.set(logicalId, resource);
      const list = this.byType.get(json.Type) ?? [];
      list.push(resource);
      this.byType.set(json.Type, list);
    }
  }

  /**
   * This index and one index per other branch of the template (see
   * {@link templateBranches}); just this one when no condition decides anything.
   */
  public branchViews(): readonly TemplateIndex[] {
    if (this.parent) return this.parent.branchViews();
    if (!this.branchIndexes) {
      const [, ...others] = templateBranches(this.template, this.context);
      this.branchIndexes = [
        this,
        ...others.map((branch) => {
          const view = new TemplateIndex(this.template, this.context, { branch });
          view.parent = this;
          return view;
        }),
      ];
    }
    return this.branchIndexes;
  }

  /** The stacks audited with this one, when they were linked ({@link linkStacks}). */
  public get peers(): PeerStacks | undefined {
    return this.parent ? this.parent.peers : this.linked;
  }

  /** Links this stack with the others audited together (used by {@link linkStacks}). */
  public link(peers: PeerStacks): void {
    this.linked = peers;
  }

  /** Every resource, in template order. */
  public all(): IterableIterator<IndexedResource> {
    return this.byId.values();
  }

  public get size(): number {
    return this.byId.size;
  }

  /**
   * Logical IDs of resources no branch deploys: their condition holds only when several parameters
   * differ from their defaults at once (each other branch changes one), or never. No rule judges them.
   */
  public inNoBranch(): readonly string[] {
    const deployed = new Set<string>();
    for (const view of this.branchViews())
      for (const resource of view.all()) deployed.add(resource.logicalId);
    return Object.entries(this.template.Resources ?? {})
      .filter(
        ([logicalId, json]) =>
          isObject(json) &&
          typeof json.Type === 'string' &&
          // CDK's version report is no infrastructure.
          json.Type !== 'AWS::CDK::Metadata' &&
          !deployed.has(logicalId) &&
          // A condition no parameter decides (only the region, partition or account) is simply false here.
          typeof json.Condition === 'string' &&
          this.conditionReadsParameter(json.Condition, new Set()),
      )
      .map(([logicalId]) => logicalId);
  }

  /** Whether a condition depends, directly or through other conditions, on a template parameter. */
  private conditionReadsParameter(name: string, seen: Set<string>): boolean {
    if (seen.has(name)) return false;
    seen.add(name);
    const parameters = isObject(this.template.Parameters) ? this.template.Parameters : {};
    const conditions = isObject(this.template.Conditions) ? this.template.Conditions : {};
    const reads = (value: unknown): boolean => {
      if (Array.isArray(value)) return value.some(reads);
      if (!isObject(value)) return false;
      if (typeof value.Ref === 'string' && Object.hasOwn(parameters, value.Ref)) return true;
      if (typeof value.Condition === 'string' && this.conditionReadsParameter(value.Condition, seen))
        return true;
      return Object.values(value).some(reads);
    };
    return reads(conditions[name]);
  }

  /**
   * Resources this index does not show because their `Condition` is false in its branch, but that other
   * branches deploy (a parameter set otherwise): the rules judge them there, and reports must still
   * name them. Each once, in template order of the first branch that has it.
   */
  public onlyInOtherBranches(): readonly IndexedResource[] {
    const found: IndexedResource[] = [];
    const seen = new Set(this.byId.keys());
    for (const view of this.branchViews()) {
      if (view === this) continue;
      for (const resource of view.all()) {
        if (seen.has(resource.logicalId)) continue;
        seen.add(resource.logicalId);
        found.push(resource);
      }
    }
    return found;
  }

  public get(logicalId: string | undefined): IndexedResource | undefined {
    return logicalId === undefined ? undefined : this.byId.get(logicalId);
  }

  public ofType(...types: string[]): IndexedResource[] {
    return types.flatMap((type) => this.byType.get(type) ?? []);
  }

  /** The resource a `Ref`/`Fn::GetAtt` value points at, when it is in this template. */
  public resolve(value: unknown, type?: string): IndexedResource | undefined {
    const target = this.get(collectReferences(value).values().next().value as string | undefined);
    if (!target) return undefined;
    return type === undefined || target.type === type ? target : undefined;
  }

  /** Logical IDs this resource references (properties and DependsOn). */
  public referencesFrom(logicalId: string): ReadonlySet<string> {
    this.buildReferences();
    return this.referencesOut!.get(logicalId) ?? new Set();
  }

  /** Logical IDs of resources that reference this one. */
  public referencedBy(logicalId: string): ReadonlySet<string> {
    this.buildReferences();
    return this.referencesIn!.get(logicalId) ?? new Set();
  }

  /** Resources of `type` whose property `property` references `logicalId`. */
  public referrers(logicalId: string, type: string, property?: string): IndexedResource[] {
    return [...this.referencedBy(logicalId)]
      .map((id) => this.byId.get(id)!)
      .filter(
        (resource) =>
          resource.type === type &&
          (property === undefined || collectReferences(resource.properties[property]).has(logicalId)),
      );
  }

  /**
   * The value of a template parameter in the judged branch (its `Default` in
   * the default branch), for values given as `Ref` to a parameter; undefined
   * when the branch gives it no value.
   */
  public parameterDefault(name: string): unknown {
    return this.branch.variables.get(name);
  }

  private buildReferences(): void {
    if (this.referencesOut) return;
    this.referencesOut = new Map();
    this.referencesIn = new Map();
    for (const resource of this.byId.values()) {
      const out = collectReferences(resource.properties);
      for (const dependency of [resource.json.DependsOn ?? []].flat()) out.add(dependency);
      this.referencesOut.set(resource.logicalId, out);
      for (const target of out) {
        const incoming = this.referencesIn.get(target) ?? new Set<string>();
        incoming.add(resource.logicalId);
        this.referencesIn.set(target, incoming);
      }
    }
  }
}
