import type { DeployPlan, PlanDependency } from './plan';
import type { Prerequisite } from './prerequisites';

/** `clover plan --format json`: the waves, the dependencies that order them, the prerequisites. */
export interface PlanJson {
  readonly waves: ReadonlyArray<{
    readonly index: number;
    readonly stages: ReadonlyArray<{
      readonly name: string;
      readonly account: string;
      readonly region: string;
      readonly stacks: ReadonlyArray<{ readonly name: string; readonly resources: number }>;
    }>;
    /** Only on a wave deployed by hand: why the pipeline does not deploy it. */
    readonly manual?: string;
  }>;
  readonly dependencies: ReadonlyArray<{
    readonly from: string;
    readonly to: string;
    readonly reference: string;
  }>;
  readonly prerequisites: readonly Prerequisite[];
  /** Only when no order exists: the stages that need each other, and the references that close the loop. */
  readonly cycles?: ReadonlyArray<{
    readonly stages: readonly string[];
    readonly dependencies: ReadonlyArray<{
      readonly from: string;
      readonly to: string;
      readonly reference: string;
    }>;
    readonly twoSteps?: string;
  }>;
  /** Only when a stage the pipeline deploys needs a stage deployed by hand. */
  readonly blocked?: ReadonlyArray<{ readonly stage: string; readonly needs: string }>;
}

function dependencyJson(dependency: PlanDependency) {
  return { from: dependency.from, to: dependency.to, reference: dependency.reference };
}

export function planJson(plan: DeployPlan): PlanJson {
  return {
    waves: plan.waves.map((wave) => ({
      index: wave.index,
      stages: wave.stages.map((stage) => ({
        name: stage.name,
        account: stage.accounts.join(', '),
        region: stage.regions.join(', '),
        stacks: stage.stacks.map((stack) => ({ name: stack.name, resources: stack.resources })),
      })),
      ...(wave.manual !== undefined ? { manual: wave.manual } : {}),
    })),
    dependencies: plan.dependencies.map(dependencyJson),
    prerequisites: plan.prerequisites,
    ...(plan.cycles.length > 0
      ? {
          cycles: plan.cycles.map((cycle) => ({
            stages: cycle.stages,
            dependencies: cycle.dependencies.map(dependencyJson),
            ...(cycle.twoSteps !== undefined ? { twoSteps: cycle.twoSteps } : {}),
          })),
        }
      : {}),
    ...(plan.blocked.length > 0
      ? { blocked: plan.blocked.map((item) => ({ stage: item.stage, needs: item.manualStage })) }
      : {}),
  };
}
