import { Stack, Stage, StageProps, Tags, Token } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ENCLAVE_METADATA_KEY, EnclaveMetadata } from '../config/enclave-metadata';
import type { EvidenceRecord } from '../config/migration';
import { describeRegion, findRegion } from '../config/regions';
import type { CloverConfig, EnclaveConfig } from '../config/types';
import type { DataVault } from '../constructs/data-vault/data-vault';
import type { EnclaveNetwork } from '../constructs/enclave-network/enclave-network';
import { AccessStack } from '../stacks/access-stack';
import { CloverStack } from '../stacks/clover-stack';
import { DataStack } from '../stacks/data-stack';
import { LoggingStack } from '../stacks/logging-stack';
import { NetworkStack } from '../stacks/network-stack';

export interface EnclaveStageProps extends StageProps {
  /** The enclave, from the validated config: its account and region place every stack of the stage. */
  readonly enclave: EnclaveConfig;
  /** The whole validated config (`loadConfig`): monitoring, residency, access and the other enclaves. */
  readonly config: CloverConfig;
  /**
   * Migration evidence the cut-over gate matched to this (interim) enclave's stores; recorded in its templates.
   * @default none
   */
  readonly migrationEvidence?: readonly EvidenceRecord[];
}

/** A workload stack that cannot join its enclave; the message names each problem and its fix. */
export class WorkloadError extends Error {
  public readonly name = 'WorkloadError';
}

/** What a workload stack gets from its enclave (docs/workloads.md). */
export interface EnclaveResources {
  /** The enclave's validated config: name, account, region, data classes. */
  readonly config: EnclaveConfig;
  /**
   * The enclave's network. `network.vpc` is an `ec2.IVpc` whose private subnets (isolated without
   * `egress`) are the workload subnets: every non-local route goes through the same-AZ gateway endpoint.
   */
  readonly network: EnclaveNetwork;
  /** The enclave's stores and keys: `vault.keys[dataClass]` is the customer-managed KMS key of a data class. */
  readonly vault: DataVault;
}

/** Builds a workload stack in `scope` (the enclave's stage) from the enclave's resources. */
export type WorkloadFactory<T extends Stack> = (scope: Construct, enclave: EnclaveResources) => T;

/**
 * One enclave: its stacks, all in the enclave's own account and region. A decommissioned interim
 * enclave shrinks to what empties and removes its stores (Data) and what keeps the monitor told (Logging).
 */
export class EnclaveStage extends Stage {
  public readonly enclave: EnclaveConfig;
  /** Absent once the enclave is decommissioned. */
  public readonly network?: NetworkStack;
  public readonly data: DataStack;
  /** Absent once the enclave is decommissioned. */
  public readonly access?: AccessStack;
  public readonly logging: LoggingStack;
  /** Every Clover stack of the enclave (workload stacks are in `workloads`). */
  public readonly stacks: readonly CloverStack[];
  private readonly metadata: EnclaveMetadata;
  private readonly workloadStacks: Stack[] = [];

  constructor(scope: Construct, id: string, props: EnclaveStageProps) {
    const env = { account: props.enclave.account, region: props.enclave.region };
    super(scope, id, { ...props, env });
    this.enclave = props.enclave;
    const organization = props.config.guardrails?.organization;
    const common = {
      env,
      enclave: {
        name: props.enclave.name,
        role: 'enclave',
        interim: props.enclave.interim && {
          ...props.enclave.interim,
          ...(props.migrationEvidence ? { evidence: props.migrationEvidence } : {}),
        },
        // Recorded only when set, so that templates of other enclaves stay as they were.
        ...(props.enclave.production ? { production: true } : {}),
        ...(organization
          ? { organization: { id: organization.id, enclaveOus: organization.enclaveOus } }
          : {}),
      },
      dataClassification: props.enclave.dataClassification,
      enclaveConfig: props.enclave,
      config: props.config,
    };
    this.metadata = common.enclave;
    const name = props.enclave.name;
    const decommissioned = props.enclave.interim?.phase === 'decommissioned';
    if (!decommissioned) {
      this.network = new NetworkStack(this, 'Network', {
        ...common,
        description: `Clover enclave ${name}: segregated VPC, GWLB security gateway, flow logs`,
      });
    }
    this.data = new DataStack(this, 'Data', {
      ...common,
      description: decommissioned
        ? `Clover interim enclave ${name} (decommissioned): empties and removes its stores`
        : `Clover enclave ${name}: customer-managed keys and resident data stores`,
    });
    if (!decommissioned) {
      this.access = new AccessStack(this, 'Access', {
        ...common,
        data: this.data.vault,
        description: `Clover enclave ${name}: approved-employee, auditor and break-glass roles`,
      });
      this.access.addStackDependency(this.data);
    }
    this.logging = new LoggingStack(this, 'Logging', {
      ...common,
      network: this.network?.network,
      description: `Clover enclave ${name}: CloudTrail and the log shipper to the independent monitor`,
    });
    if (this.network) this.logging.addStackDependency(this.network);
    this.logging.addStackDependency(this.data);
    const stacks: Array<CloverStack | undefined> = [this.network, this.data, this.access, this.logging];
    this.stacks = stacks.filter((stack): stack is CloverStack => stack !== undefined);
  }

  /** The workload stacks added with `addWorkload`, in order. */
  public get workloads(): readonly Stack[] {
    return [...this.workloadStacks];
  }

  /**
   * Adds a stack of your own to the enclave: `factory` builds it in this stage (so it deploys to the
   * enclave's account and region) from the enclave's VPC and keys. The stack gets the three Clover
   * tags and the enclave's metadata, so CloverChecks and the runtime flow proof judge it like the
   * enclave's own stacks. Throws when the enclave is decommissioned (it has no network), when the
   * factory builds its stack outside this stage, or in another account or region.
   */
  public addWorkload<T extends Stack>(id: string, factory: WorkloadFactory<T>): T {
    const enclave = this.enclave;
    if (!this.network)
      throw new WorkloadError(
        `enclave "${enclave.name}" is decommissioned: it has no network for workload "${id}"; add the workload to the enclave it migrated to (${enclave.interim?.migrateTo})`,
      );
    const stack = factory(this, { config: enclave, network: this.network.network, vault: this.data.vault });
    const problems = workloadStackProblems(this, stack, id, enclave);
    if (problems.length) throw new WorkloadError(`addWorkload("${id}"):\n  ${problems.join('\n  ')}`);
    stack.templateOptions.metadata = {
      ...stack.templateOptions.metadata,
      [ENCLAVE_METADATA_KEY]: { ...this.metadata, role: 'workload' },
    };
    Tags.of(stack).add('clover:enclave', enclave.name);
    Tags.of(stack).add(
      'clover:jurisdiction',
      findRegion(enclave.region)?.jurisdiction ?? describeRegion(enclave.region),
    );
    Tags.of(stack).add('clover:data-classification', enclave.dataClassification);
    // Workloads start once the network's routes and the stores' keys exist.
    stack.addStackDependency(this.network);
    stack.addStackDependency(this.data);
    this.workloadStacks.push(stack);
    return stack;
  }
}

/** Why `stack` cannot be a workload of this enclave: one line per problem, each with its fix. */
function workloadStackProblems(stage: Stage, stack: Stack, id: string, enclave: EnclaveConfig): string[] {
  const problems: string[] = [];
  // Stack.isStack, not instanceof: an app may load a second copy of aws-cdk-lib.
  if (!Stack.isStack(stack))
    return [`the factory returned ${String(stack)}, not a Stack; return the stack it builds`];
  if (Stage.of(stack) !== stage)
    problems.push(
      `stack ${stack.node.path} is not in stage ${stage.node.path}; build it in the scope the factory is given`,
    );
  if (stack.node.id !== id)
    problems.push(
      `stack id "${stack.node.id}" differs from the workload id "${id}"; give the stack the id "${id}"`,
    );
  const where = { account: stack.account, region: stack.region };
  for (const [key, expected] of Object.entries({ account: enclave.account, region: enclave.region })) {
    const actual = where[key as keyof typeof where];
    if (Token.isUnresolved(actual) || actual !== expected)
      problems.push(
        `stack ${stack.node.path} ${key} ${Token.isUnresolved(actual) ? 'is unresolved' : `"${actual}"`}, not the enclave's "${expected}"; leave env unset (the stage sets it) or use the enclave's`,
      );
  }
  return problems;
}
