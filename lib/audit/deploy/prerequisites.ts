import { isObject } from '../values';
import { ownedIdentities } from './identities';
import { literalText, stackEnvironment } from './literals';
import type { PlanPipeline, PlanStackInput, PlanWave } from './plan-types';

/** Something that must exist or be done for a wave to deploy and work. */
export interface Prerequisite {
  /** The wave it belongs to. */
  readonly wave: number;
  readonly kind: 'pipeline' | 'bootstrap' | 'log-group' | 'secret' | 'quota';
  /** `aws://account/region` it concerns. */
  readonly environment?: string;
  readonly description: string;
}

/**
 * Default service quotas that a stage's resources count against, per account and Region (each
 * service's "quotas" page); what the account already holds counts too.
 */
const REGIONAL_QUOTAS: ReadonlyArray<{
  readonly type: string;
  readonly what: string;
  readonly quota: number;
}> = [
  { type: 'AWS::EC2::VPC', what: 'VPCs', quota: 5 },
  { type: 'AWS::EC2::InternetGateway', what: 'internet gateways', quota: 5 },
  { type: 'AWS::EC2::EIP', what: 'Elastic IP addresses', quota: 5 },
  { type: 'AWS::CloudTrail::Trail', what: 'trails', quota: 5 },
];
/** Lambda keeps this much of the account's concurrency unreserved. */
const UNRESERVED_CONCURRENCY = 100;
/** CodePipeline: actions per pipeline stage; each stack deploys with two (create and execute a change set). */
const PIPELINE_ACTIONS_PER_STAGE = 50;

function environmentOf(stack: PlanStackInput): string {
  return `aws://${stack.account ?? 'unknown-account'}/${stack.region ?? 'unknown-region'}`;
}

function resourcesOf(stack: PlanStackInput): Array<[string, Record<string, unknown>]> {
  return Object.entries(stack.template.Resources ?? {}).filter(
    (entry): entry is [string, Record<string, unknown>] => isObject(entry[1]),
  );
}

function propertiesOf(resource: Record<string, unknown>): Record<string, unknown> {
  return isObject(resource.Properties) ? resource.Properties : {};
}

/**
 * What must exist before each wave deploys, read from the templates and manifest: the bootstrap of
 * every new account and Region (trusting the pipeline's account for the waves a pipeline deploys),
 * log groups that subscriptions name but no stack creates, secrets whose description asks for
 * `put-secret-value` (their generated value is a placeholder), and the service quotas the wave's
 * resources count against.
 */
export function planPrerequisites(
  waves: readonly PlanWave[],
  pipelines: readonly PlanPipeline[],
  inputs: readonly PlanStackInput[],
): Prerequisite[] {
  const prerequisites: Prerequisite[] = [];
  const pipelineAccount = pipelines[0]?.account;
  const pipelineRegions = [
    ...new Set(
      waves
        .filter((wave) => wave.manual === undefined)
        .flatMap((wave) => wave.stages.flatMap((stage) => stage.regions)),
    ),
  ];
  for (const pipeline of pipelines) {
    const account = pipeline.account ?? 'unknown-account';
    const regions = [...new Set([pipeline.region ?? 'unknown-region', ...pipelineRegions])];
    prerequisites.push({
      wave: 1,
      kind: 'pipeline',
      environment: `aws://${account}/${regions[0]}`,
      description:
        `bootstrap the pipeline's account in its Region and in every Region it deploys to (CodePipeline keeps an artifact bucket in each): ` +
        `npx cdk bootstrap ${regions.map((region) => `aws://${account}/${region}`).join(' ')}; ` +
        `then deploy the pipeline stack ${pipeline.stack} once by hand (npx cdk deploy ${pipeline.stack} with the context that adds it, for Clover -c pipeline=true); from then on it deploys the pipeline waves and updates itself`,
    });
  }
  const bootstrapped = new Set<string>();
  const createdLogGroups = new Set(
    inputs.flatMap((stack) =>
      ownedIdentities(stack.template, stackEnvironment(stack.account, stack.region))
        .filter((identity) => identity.kind === 'log group')
        .map((identity) => `${environmentOf(stack)} ${identity.name}`),
    ),
  );
  for (const wave of waves) {
    const stacks = wave.stages.flatMap((stage) => stage.stacks.map((stack) => stack.input));
    for (const environment of new Set(stacks.map(environmentOf))) {
      if (bootstrapped.has(environment)) continue;
      bootstrapped.add(environment);
      const here = inputs.filter((stack) => environmentOf(stack) === environment);
      prerequisites.push(bootstrap(wave, environment, here, pipelineAccount));
      const quotas = quotaNeeds(here);
      if (quotas) prerequisites.push({ wave: wave.index, kind: 'quota', environment, description: quotas });
    }
    for (const stage of wave.stages) {
      for (const stack of stage.stacks) {
        prerequisites.push(...externalLogGroups(wave.index, stack.id, stack.input, createdLogGroups));
        prerequisites.push(...operatorSecrets(wave.index, stack.id, stack.input));
      }
    }
    const actions = stacks.length * 2;
    if (wave.manual === undefined && actions > PIPELINE_ACTIONS_PER_STAGE) {
      prerequisites.push({
        wave: wave.index,
        kind: 'quota',
        description: `a pipeline deploys this wave's ${stacks.length} stacks with ${actions} actions in one pipeline stage; CodePipeline allows ${PIPELINE_ACTIONS_PER_STAGE} per stage: request an increase (Service Quotas, CodePipeline) first`,
      });
    }
  }
  return prerequisites;
}

function bootstrap(
  wave: PlanWave,
  environment: string,
  stacks: readonly PlanStackInput[],
  pipelineAccount: string | undefined,
): Prerequisite {
  const versions = stacks.map((stack) => stack.bootstrapVersion ?? 0);
  const version = Math.max(0, ...versions);
  const atLeast = version > 0 ? ` (bootstrap stack version ${version} or later)` : '';
  const description =
    wave.manual === undefined
      ? `bootstrap ${environment}${atLeast} trusting the pipeline account: npx cdk bootstrap ${environment} --trust ${pipelineAccount ?? '<pipeline account>'} --cloudformation-execution-policies <policy ARN>; for a deploy by hand, npx cdk bootstrap ${environment}`
      : `bootstrap ${environment}${atLeast}, deployed by hand: npx cdk bootstrap ${environment}`;
  return { wave: wave.index, kind: 'bootstrap', environment, description };
}

function quotaNeeds(stacks: readonly PlanStackInput[]): string | undefined {
  const parts: string[] = [];
  for (const { type, what, quota } of REGIONAL_QUOTAS) {
    const count = stacks.flatMap(resourcesOf).filter(([, resource]) => resource.Type === type).length;
    if (count === 0) continue;
    const over = count > quota ? ' (more than the default: request an increase first)' : '';
    parts.push(`${what} ${count} of ${quota}${over}`);
  }
  const reserved = stacks
    .flatMap(resourcesOf)
    .filter(([, resource]) => resource.Type === 'AWS::Lambda::Function')
    .map(([, resource]) => Number(propertiesOf(resource).ReservedConcurrentExecutions ?? 0))
    .filter((value) => Number.isFinite(value))
    .reduce((sum, value) => sum + value, 0);
  if (reserved > 0) {
    parts.push(
      `Lambda reserved concurrency ${reserved}, so the account's concurrent-executions quota must be at least ${reserved + UNRESERVED_CONCURRENCY} (${UNRESERVED_CONCURRENCY} stay unreserved; default 1000, new accounts may start lower)`,
    );
  }
  return parts.length > 0
    ? `service quotas (default per Region; what the account already has counts too): ${parts.join(', ')}`
    : undefined;
}

/** Log groups a subscription or metric filter names that no stack of the assembly creates in that account and Region. */
function externalLogGroups(
  wave: number,
  id: string,
  stack: PlanStackInput,
  created: ReadonlySet<string>,
): Prerequisite[] {
  const env = stackEnvironment(stack.account, stack.region);
  const environment = environmentOf(stack);
  return resourcesOf(stack)
    .filter(
      ([, resource]) =>
        resource.Type === 'AWS::Logs::SubscriptionFilter' || resource.Type === 'AWS::Logs::MetricFilter',
    )
    .flatMap(([logicalId, resource]) => {
      const name = literalText(propertiesOf(resource).LogGroupName, env);
      if (name === undefined || created.has(`${environment} ${name}`)) return [];
      return [
        {
          wave,
          kind: 'log-group' as const,
          environment,
          description: `log group ${name} must exist in ${environment} before ${id} deploys (${logicalId} filters it); no stack of this assembly creates it`,
        },
      ];
    });
}

/** Secrets created with a generated placeholder whose description asks an operator for the real value. */
function operatorSecrets(wave: number, id: string, stack: PlanStackInput): Prerequisite[] {
  const env = stackEnvironment(stack.account, stack.region);
  return resourcesOf(stack)
    .filter(([, resource]) => resource.Type === 'AWS::SecretsManager::Secret')
    .flatMap(([logicalId, resource]) => {
      const properties = propertiesOf(resource);
      const description = typeof properties.Description === 'string' ? properties.Description : '';
      if (!/put-secret-value/.test(description)) return [];
      const name = literalText(properties.Name, env) ?? logicalId;
      return [
        {
          wave,
          kind: 'secret' as const,
          environment: environmentOf(stack),
          description: `put the value of secret ${name} (${id}) once the wave has deployed: aws secretsmanager put-secret-value --secret-id ${name} --region ${stack.region ?? '<region>'} --secret-string <value>; the template says: ${description}`,
        },
      ];
    });
}
