// The shapes of a deploy plan, apart from the planning, so that the parts of
// the plan (prerequisites) read them without importing the planner.
import type { EnclaveMetadata } from '../../config/enclave-metadata';

/** One stack of a cloud assembly, as `clover plan` and the pipeline app read it. */
export interface PlanStackInput {
  /** The Stage it belongs to (a nested assembly's display name); empty for a stack at the top level. */
  readonly stage: string;
  /** Its name inside the stage (`Data`), or its display name at the top level. */
  readonly name: string;
  /** CloudFormation stack name. */
  readonly stackName: string;
  readonly account?: string;
  readonly region?: string;
  readonly template: {
    readonly Resources?: Record<string, unknown>;
    readonly Outputs?: Record<string, unknown>;
    readonly Parameters?: Record<string, unknown>;
    readonly Metadata?: Record<string, unknown>;
  };
  /** Names of the stacks of the same stage it depends on (the manifest's dependencies). */
  readonly dependsOn: readonly string[];
  /** The manifest's `requiresBootstrapStackVersion`. */
  readonly bootstrapVersion?: number;
}

export interface PlannedStack {
  /** Name inside its stage (`Data`). */
  readonly name: string;
  /** `stage/stack`, as dependencies name it. */
  readonly id: string;
  readonly stackName: string;
  readonly resources: number;
  readonly account?: string;
  readonly region?: string;
  readonly input: PlanStackInput;
}

/** A deploy unit: a Stage with its stacks in deploy order, or a stack at the top level. */
export interface PlannedStage {
  readonly name: string;
  /** Accounts of its stacks (one for a Clover stage). */
  readonly accounts: readonly string[];
  readonly regions: readonly string[];
  /** `EU (Dublin, IE)`, from the region catalogue. */
  readonly jurisdictions: readonly string[];
  /** What Clover recorded in the templates (`Clover::Enclave`): role, interim, production. */
  readonly clover?: EnclaveMetadata;
  readonly stacks: readonly PlannedStack[];
  /** Why a pipeline cannot deploy it (a region outside Europe); undefined when it can. */
  readonly manual?: string;
  /** The `cdk deploy` selector of its stacks. */
  readonly selector: string;
}

/** One stack's literal naming something another stage's stack creates. */
export interface PlanDependency {
  /** `stage/stack` holding the reference: it deploys after `to`. */
  readonly from: string;
  /** `stage/stack` creating the referenced resource. */
  readonly to: string;
  /** What is named, and where, e.g. `dublin-1/Data VaultBuckets….ReplicationConfiguration.Rules[0].Destination.Bucket names S3 bucket clover-…`. */
  readonly reference: string;
  readonly fromStage: string;
  readonly toStage: string;
  /** The property paths of every literal naming it (the first is in `reference`). */
  readonly places: readonly string[];
}

export interface PlanWave {
  readonly index: number;
  readonly stages: readonly PlannedStage[];
  /** Set for a wave deployed by hand, not by the pipeline: the reason. */
  readonly manual?: string;
}

/** Stages that need each other, so no order deploys them. */
export interface PlanCycle {
  readonly stages: readonly string[];
  /** The references that close the cycle. */
  readonly dependencies: readonly PlanDependency[];
  /** How to deploy it in two steps, when leaving out one stage's references breaks it. */
  readonly twoSteps?: string;
}

/** A stage the pipeline deploys that needs a stage deployed by hand: the pipeline cannot order them. */
export interface PlanBlocked {
  readonly stage: string;
  readonly manualStage: string;
  readonly dependencies: readonly PlanDependency[];
}

/** A stack that defines a CodePipeline: deployed once by hand, then it deploys the waves. */
export interface PlanPipeline {
  readonly stack: string;
  readonly account?: string;
  readonly region?: string;
}
