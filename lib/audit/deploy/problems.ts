import type { DeployPlan, PlanDependency } from './plan';

function needsLine(dependency: PlanDependency): string {
  return `    ${dependency.from} needs ${dependency.to}: ${dependency.reference}`;
}

/**
 * Why a plan has no waves, one readable block: every cycle with the references that close it and the
 * two-step deploy that breaks it, and every pipeline stage that needs a stage deployed by hand.
 * Undefined when the plan has waves.
 */
export function describePlanProblems(plan: DeployPlan): string | undefined {
  if (plan.cycles.length === 0 && plan.blocked.length === 0) return undefined;
  const lines: string[] = [];
  for (const cycle of plan.cycles) {
    lines.push(
      `Clover deploy order: stages ${cycle.stages.join(', ')} need each other, so no order deploys them (a cycle); the references that close it:`,
      ...cycle.dependencies.map(needsLine),
      cycle.twoSteps !== undefined
        ? `  fix: ${cycle.twoSteps}`
        : '  fix: remove references until these stages no longer need each other; no single stage’s references break this cycle',
    );
  }
  for (const blocked of plan.blocked) {
    lines.push(
      `Clover deploy order: ${blocked.stage} is deployed by the pipeline but needs ${blocked.manualStage}, which is deployed by hand; the references:`,
      ...blocked.dependencies.map(needsLine),
      `  fix: remove these references, or deploy ${blocked.stage} by hand after ${blocked.manualStage}`,
    );
  }
  return lines.join('\n');
}
