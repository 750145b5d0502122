import * as path from 'path';
import { App, Stage } from 'aws-cdk-lib';
import { describePlanProblems, DeployPlan, planDeployment } from '../audit/deploy';
import { ConfigError } from '../config/errors';
import type { LoadedConfig } from '../config/load';
import { PipelineStack } from '../stacks/pipeline-stack';
import { stackInputs } from './assembly-plan';

/** Context key that adds the pipeline: `npx cdk synth -c pipeline=true`. */
export const PIPELINE_CONTEXT_KEY = 'pipeline';
/** Construct ID (and display name) of the pipeline stack. */
export const PIPELINE_STACK_ID = 'CloverPipeline';

/** No order deploys the app's stages: a cycle, or a pipeline stage waiting on one deployed by hand. */
export class DeployOrderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployOrderError';
  }
}

/** Whether `-c pipeline=…` asks for the pipeline; any value but true or false is a config error. */
export function pipelineRequested(value: unknown): boolean {
  if (value === undefined || value === false || value === 'false') return false;
  if (value === true || value === 'true') return true;
  throw new ConfigError(
    [
      {
        path: '-c pipeline',
        value,
        problem: 'is neither true nor false',
        fix: 'write -c pipeline=true, or leave it out',
      },
    ],
    '-c pipeline',
  );
}

export interface CloverPipelineProps {
  readonly loaded: LoadedConfig;
  /** The app's stages, in the order the app created them. */
  readonly stages: readonly Stage[];
  /** `-c config` as given, when the config is a file. */
  readonly configPath?: string;
  /** `-c migrationEvidence` as given: the pipeline's synth passes the same path. */
  readonly migrationEvidencePath?: string;
  /** CDK CLI version the pipeline's self-mutation runs (the repository's pinned aws-cdk). */
  readonly cliVersion: string;
}

export interface CloverPipeline {
  readonly stack: PipelineStack;
  /** The plan its waves follow. */
  readonly plan: DeployPlan;
}

/**
 * Adds the CDK Pipelines stack to the app. The app's own Stage objects go into the pipeline, so it
 * deploys what `cdk synth` builds, and the waves come from the same analysis as `clover plan`: each
 * stage is synthesized (as CDK Pipelines does when a stage is added) and its templates are read.
 * Stages outside Europe stay out (deployed by hand); a production enclave's wave waits for approval.
 */
export function addCloverPipeline(app: App, props: CloverPipelineProps): CloverPipeline {
  const { config } = props.loaded;
  if (!config.pipeline) {
    throw new ConfigError(
      [
        {
          path: 'pipeline',
          value: undefined,
          problem: 'is required with -c pipeline=true',
          fix: 'add a pipeline section {account, region, source} (docs/config.md; the embedded default has an example)',
        },
      ],
      props.loaded.source,
    );
  }
  const synthCommand = ['npx cdk synth', `-c ${PIPELINE_CONTEXT_KEY}=true`];
  if (props.configPath !== undefined)
    synthCommand.push(`-c config=${repositoryPath('-c config', props.configPath)}`);
  if (props.migrationEvidencePath !== undefined)
    synthCommand.push(
      `-c migrationEvidence=${repositoryPath('-c migrationEvidence', props.migrationEvidencePath)}`,
    );

  const byName = new Map(props.stages.map((stage) => [stage.node.path, stage]));
  const plan = planDeployment(
    // The same synth options as CDK Pipelines' own, so the stage assemblies are the ones it deploys.
    props.stages.flatMap((stage) => stackInputs(stage.synth({ validateOnSynthesis: true }), stage.node.path)),
  );
  const problems = describePlanProblems(plan);
  if (problems !== undefined) throw new DeployOrderError(problems);

  const production = new Set(
    config.enclaves.filter((enclave) => enclave.production).map((enclave) => enclave.name),
  );
  const stack = new PipelineStack(app, PIPELINE_STACK_ID, {
    env: { account: config.pipeline.account, region: config.pipeline.region },
    enclave: { name: 'pipeline', role: 'pipeline' },
    dataClassification: 'deployment-tooling',
    description:
      'Clover CDK Pipelines: tests and synthesizes behind the policy gate, then deploys the waves of clover plan',
    pipeline: config.pipeline,
    cliVersion: props.cliVersion,
    synthCommands: [
      'npm ci',
      'npm test',
      // Exits non-zero on any error-level finding (CloverChecks, AwsSolutions, cfn-lint) or a deploy-order cycle.
      synthCommand.join(' '),
      // Control Tower's proactive controls (cfn-guard) on every template, the pipeline's own included.
      'npx clover audit cdk.out --with control-tower',
    ],
    waves: plan.waves
      .filter((wave) => wave.manual === undefined)
      .flatMap((wave) =>
        pipelineStages(wave.stages).map((stages, part) => {
          const approve = stages.map((stage) => stage.name).filter((name) => production.has(name));
          const id = part === 0 ? `Wave${wave.index}` : `Wave${wave.index}Part${part + 1}`;
          return {
            id,
            stages: stages.map((stage) => byName.get(stage.name)!),
            approval:
              approve.length > 0
                ? `Wave ${wave.index} deploys production enclave(s) ${approve.join(', ')}: review the change sets, then approve.`
                : undefined,
          };
        }),
      ),
  });
  return { stack, plan };
}

/** CodePipeline's limit of actions in one pipeline stage (CodePipeline quotas). */
export const PIPELINE_STAGE_ACTIONS = 50;

/**
 * A deploy wave split into pipeline stages of at most {@link PIPELINE_STAGE_ACTIONS} actions: CDK
 * Pipelines deploys each stack with two (create and execute a change set), and an approval is one more.
 * Stages of one wave need nothing of each other, so deploying them in several pipeline stages, one after
 * the other, keeps the order. A single stage over the limit stays alone (CLV-LIM-1 reports it).
 */
export function pipelineStages<S extends { readonly stacks: readonly unknown[] }>(
  stages: readonly S[],
): S[][] {
  const parts: S[][] = [];
  let current: S[] = [];
  let actions = 1; // room for the manual approval a production enclave adds
  for (const stage of stages) {
    const needs = 2 * stage.stacks.length;
    if (current.length > 0 && actions + needs > PIPELINE_STAGE_ACTIONS) {
      parts.push(current);
      current = [];
      actions = 1;
    }
    current.push(stage);
    actions += needs;
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** A file's path inside the repository (the config, the evidence), which the pipeline's synth step checks out. */
function repositoryPath(option: string, configPath: string): string {
  const relative = path.relative(process.cwd(), path.resolve(configPath));
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new ConfigError(
      [
        {
          path: option,
          value: configPath,
          problem: 'is outside the project, but the pipeline synthesizes from the repository in CodeBuild',
          fix: 'keep it in the repository and give its path from the project directory',
        },
      ],
      configPath,
    );
  }
  return relative.split(path.sep).join('/');
}
