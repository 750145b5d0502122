import { describePlanProblems, DeployPlan, planJson, PlannedStage } from '../../lib/audit/deploy';

export const PLAN_FORMATS = ['text', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export interface RenderOptions {
  /** Where the plan came from: `cdk.out` or `the app (-c config=…)`. */
  readonly source: string;
  /** What to add to `npx cdk deploy '<stage>/*'` so it deploys these templates: `--app cdk.out` or the `-c` pairs. */
  readonly deployArguments: readonly string[];
}

function quote(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

function describeClover(stage: PlannedStage): string {
  const clover = stage.clover;
  if (!clover) return '';
  const parts = [clover.role];
  if (clover.production) parts.push('production');
  if (clover.interim)
    parts.push(
      `interim (phase ${clover.interim.phase ?? 'hosting'}) until ${clover.interim.sunset}, migrates into ${clover.interim.migrateTo}`,
    );
  return parts.join(', ');
}

function renderText(plan: DeployPlan, options: RenderOptions): string {
  const lines: string[] = [];
  const stackCount = plan.stages.reduce((sum, stage) => sum + stage.stacks.length, 0);
  lines.push(
    `Clover deploy plan of ${options.source}: ${plan.stages.length} stage(s), ${stackCount} stack(s), ${plan.waves.length} wave(s)`,
    '',
    'Stages:',
  );
  const width = Math.max(...plan.stages.map((stage) => stage.name.length));
  for (const stage of plan.stages) {
    const clover = describeClover(stage);
    lines.push(
      `  ${stage.name.padEnd(width)}  account ${stage.accounts.join(', ')}  ${stage.regions.join(', ')}  ${stage.jurisdictions.join(', ')}${clover ? `  (${clover})` : ''}`,
    );
  }
  for (const pipeline of plan.pipelines) {
    lines.push(
      `  pipeline stack ${pipeline.stack}: account ${pipeline.account ?? '?'}  ${pipeline.region ?? '?'}`,
    );
  }
  const problems = describePlanProblems(plan);
  if (problems !== undefined) {
    lines.push('', problems);
    return `${lines.join('\n')}\n`;
  }
  for (const wave of plan.waves) {
    lines.push(
      '',
      `Wave ${wave.index}${wave.manual !== undefined ? ` (by hand, not by the pipeline: ${wave.manual})` : ''}:`,
    );
    if (wave.stages.some((stage) => stage.clover?.production)) {
      lines.push('  manual approval first: it holds a production enclave');
    }
    for (const stage of wave.stages) {
      const stacks = stage.stacks.map((stack) => `${stack.name} (${stack.resources})`).join(', ');
      lines.push(`  ${stage.name}: ${stacks}`);
      for (const dependency of plan.dependencies.filter((d) => d.fromStage === stage.name)) {
        lines.push(
          `    after ${dependency.toStage}: ${dependency.from} → ${dependency.to}: ${dependency.reference}`,
        );
      }
    }
    const prerequisites = plan.prerequisites.filter((item) => item.wave === wave.index);
    if (prerequisites.length > 0) {
      lines.push('  before and around this wave:');
      for (const item of prerequisites) lines.push(`    - ${item.description}`);
    }
  }
  const suffix = options.deployArguments.map(quote).join(' ');
  lines.push(
    '',
    'By hand, wave after wave (credentials for each stage’s account; stages of one wave in parallel):',
  );
  for (const wave of plan.waves) {
    for (const stage of wave.stages) {
      lines.push(`  ${wave.index}. npx cdk deploy ${quote(stage.selector)}${suffix ? ` ${suffix}` : ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function renderPlan(plan: DeployPlan, format: PlanFormat, options: RenderOptions): string {
  if (format === 'json') return `${JSON.stringify(planJson(plan), null, 2)}\n`;
  return renderText(plan, options);
}
