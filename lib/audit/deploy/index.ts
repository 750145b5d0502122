export { planDeployment } from './plan';
export type {
  DeployPlan,
  PlanBlocked,
  PlanCycle,
  PlanDependency,
  PlannedStack,
  PlannedStage,
  PlanPipeline,
  PlanStackInput,
  PlanWave,
} from './plan';
export type { Prerequisite } from './prerequisites';
export { planJson } from './json';
export type { PlanJson } from './json';
export { stackEnvironment } from './literals';
export { describePlanProblems } from './problems';
