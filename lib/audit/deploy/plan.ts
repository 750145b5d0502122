import { findRegion, isEuropean } from '../../config/regions';
import { ENCLAVE_METADATA_KEY, EnclaveMetadata } from '../template';
import { isObject } from '../values';
import type {
  PlanStackInput,
  PlannedStack,
  PlannedStage,
  PlanDependency,
  PlanWave,
  PlanCycle,
  PlanBlocked,
  PlanPipeline,
} from './plan-types';
import { cycles as findCycles, levels, Needs, reaches } from './graph';
import { stackEnvironment } from './literals';
import { planPrerequisites, Prerequisite } from './prerequisites';
import { crossStageReferences, ReferencingStack, StackReference } from './references';

export type {
  PlanStackInput,
  PlannedStack,
  PlannedStage,
  PlanDependency,
  PlanWave,
  PlanCycle,
  PlanBlocked,
  PlanPipeline,
};

export interface DeployPlan {
  readonly stages: readonly PlannedStage[];
  /** Empty when there is a cycle or a blocked stage. */
  readonly waves: readonly PlanWave[];
  readonly dependencies: readonly PlanDependency[];
  readonly cycles: readonly PlanCycle[];
  readonly blocked: readonly PlanBlocked[];
  readonly prerequisites: readonly Prerequisite[];
  readonly pipelines: readonly PlanPipeline[];
}

function stackId(input: PlanStackInput): string {
  return input.stage === '' ? input.name : `${input.stage}/${input.name}`;
}

function unitOf(input: PlanStackInput): string {
  return input.stage === '' ? input.name : input.stage;
}

function definesPipeline(input: PlanStackInput): boolean {
  return Object.values(input.template.Resources ?? {}).some(
    (resource) => isObject(resource) && resource.Type === 'AWS::CodePipeline::Pipeline',
  );
}

/**
 * Stacks that define a CodePipeline, with the top-level stacks they depend on (CodePipeline's
 * cross-region support stacks): deployed once by hand, then the pipeline deploys the waves.
 */
function pipelineStacks(inputs: readonly PlanStackInput[]): PlanStackInput[] {
  const found = inputs.filter(definesPipeline);
  for (let i = 0; i < found.length; i++) {
    const { stage, dependsOn } = found[i];
    for (const name of dependsOn) {
      const dependency = inputs.find((input) => input.stage === stage && input.name === name);
      if (dependency && !found.includes(dependency)) found.push(dependency);
    }
  }
  return found;
}

function unique(values: ReadonlyArray<string | undefined>): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}

function cloverMetadata(stacks: readonly PlanStackInput[]): EnclaveMetadata | undefined {
  for (const stack of stacks) {
    const metadata = stack.template.Metadata?.[ENCLAVE_METADATA_KEY];
    if (isObject(metadata) && typeof metadata.name === 'string')
      return metadata as unknown as EnclaveMetadata;
  }
  return undefined;
}

/**
 * Why a pipeline in a European tooling account cannot deploy a stage: CodePipeline keeps an artifact
 * bucket in every region it deploys to, and Clover keeps no artifact outside Europe.
 */
function manualReason(regions: readonly string[]): string | undefined {
  const outside = regions.filter((code) => {
    const region = findRegion(code);
    return region === undefined || !isEuropean(region);
  });
  if (outside.length === 0) return undefined;
  return `${outside.join(', ')} is outside Europe: a pipeline deploying there would keep an artifact bucket in that region, so it is deployed by hand`;
}

/** Stacks of one stage in deploy order: the manifest's dependencies first, else assembly order. */
function deployOrder(stacks: readonly PlanStackInput[]): PlanStackInput[] {
  const names = stacks.map((stack) => stack.name);
  const needs = new Map(stacks.map((stack) => [stack.name, new Set(stack.dependsOn)]));
  return levels(names, needs)
    .flat()
    .map((name) => stacks.find((stack) => stack.name === name)!);
}

function describeStage(name: string, stacks: readonly PlanStackInput[]): PlannedStage {
  const regions = unique(stacks.map((stack) => stack.region));
  return {
    name,
    accounts: unique(stacks.map((stack) => stack.account)),
    regions,
    jurisdictions: regions.map((code) => describeJurisdiction(code)),
    clover: cloverMetadata(stacks),
    stacks: deployOrder(stacks).map((input) => ({
      name: input.name,
      id: stackId(input),
      stackName: input.stackName,
      resources: Object.keys(input.template.Resources ?? {}).length,
      account: input.account,
      region: input.region,
      input,
    })),
    manual: manualReason(regions),
    selector: stacks[0].stage === '' ? stacks[0].name : `${stacks[0].stage}/*`,
  };
}

function describeJurisdiction(code: string): string {
  const region = findRegion(code);
  if (!region) return 'unknown region';
  const where = `${region.city}, ${region.country}`;
  return isEuropean(region) ? `${region.jurisdiction} (${where})` : `outside Europe (${where})`;
}

/** One dependency per referring stack, owning stack and named identity; every place that names it. */
function dependenciesOf(
  references: readonly StackReference[],
  stageOf: Map<string, string>,
): PlanDependency[] {
  const grouped = new Map<string, StackReference[]>();
  for (const reference of references) {
    const key = [reference.from, reference.to, reference.identity.logicalId].join('\u0000');
    grouped.set(key, [...(grouped.get(key) ?? []), reference]);
  }
  return [...grouped.values()].map((group) => {
    const [first] = group;
    const places = unique(group.map(({ literal }) => `${literal.logicalId}.${literal.path}`));
    const more =
      places.length > 1 ? ` (and ${places.length - 1} more place${places.length > 2 ? 's' : ''})` : '';
    return {
      from: first.from,
      to: first.to,
      reference: `${places[0]} names ${first.identity.kind} ${first.identity.name}${more}`,
      fromStage: stageOf.get(first.from)!,
      toStage: stageOf.get(first.to)!,
      places,
    };
  });
}

/**
 * Stacks at the top level of an assembly are deploy units of their own; the dependencies CDK recorded
 * between them in the manifest (`addDependency`, resolved cross-stack references) order them too.
 */
function topLevelDependencies(inputs: readonly PlanStackInput[]): PlanDependency[] {
  return inputs
    .filter((input) => input.stage === '')
    .flatMap((input) =>
      input.dependsOn
        .filter((name) => inputs.some((other) => other.stage === '' && other.name === name))
        .map((name) => ({
          from: input.name,
          to: name,
          reference:
            'the manifest records a dependency (addDependency, or a cross-stack reference CDK resolved)',
          fromStage: input.name,
          toStage: name,
          places: [],
        })),
    );
}

function needsOf(
  units: readonly string[],
  dependencies: readonly PlanDependency[],
): Map<string, Set<string>> {
  const needs = new Map(units.map((unit) => [unit, new Set<string>()]));
  for (const dependency of dependencies) needs.get(dependency.fromStage)?.add(dependency.toStage);
  return needs;
}

/**
 * The two-step deploy that breaks a cycle, when leaving out the references of one stage to another
 * does: deploy the referring stage first without them, then the rest, then the referring stage again.
 */
function twoStepsFor(
  members: readonly string[],
  dependencies: readonly PlanDependency[],
): string | undefined {
  const pairs = unique(dependencies.map((d) => `${d.fromStage}\u0000${d.toStage}`)).map((pair) => {
    const [from, to] = pair.split('\u0000');
    return { from, to, references: dependencies.filter((d) => d.fromStage === from && d.toStage === to) };
  });
  pairs.sort(
    (a, b) => a.references.length - b.references.length || members.indexOf(b.from) - members.indexOf(a.from),
  );
  for (const pair of pairs) {
    const rest = dependencies.filter((d) => !(d.fromStage === pair.from && d.toStage === pair.to));
    if (findCycles(members, needsOf(members, rest)).length > 0) continue;
    const order = levels(members, needsOf(members, rest)).flat();
    const replication = pair.references.some((d) =>
      d.places.some((place) => /\.ReplicationConfiguration\b/.test(place)),
    )
      ? '; for S3 replication, leave that replication pair out of the config'
      : '';
    return (
      `deploy in two steps: first without ${pair.from}'s references to ${pair.to}` +
      ` (${pair.references.map((d) => d.reference).join('; ')}${replication}), which deploys ${order.join(' before ')};` +
      ` then with them, deploying ${pair.from} again`
    );
  }
  return undefined;
}

/**
 * The deploy plan of a cloud assembly: which stage must deploy before which (every literal naming a
 * bucket, key alias, log group, bus, role, secret, parameter or export that another stage creates),
 * the waves (stages of one wave do not need each other), what must exist before each wave, and the
 * cycles or blocked stages that leave no order. Pure: it reads the templates it is given.
 */
export function planDeployment(inputs: readonly PlanStackInput[]): DeployPlan {
  const pipelineInputs = pipelineStacks(inputs);
  const deployInputs = inputs.filter((input) => !pipelineInputs.includes(input));
  const units = unique(deployInputs.map(unitOf));
  const stages = units.map((unit) =>
    describeStage(
      unit,
      deployInputs.filter((input) => unitOf(input) === unit),
    ),
  );
  const referencing: ReferencingStack[] = deployInputs.map((input) => ({
    id: stackId(input),
    stage: unitOf(input),
    env: stackEnvironment(input.account, input.region),
    template: input.template,
  }));
  const stageOf = new Map(referencing.map((stack) => [stack.id, stack.stage]));
  const dependencies = [
    ...dependenciesOf(crossStageReferences(referencing), stageOf),
    ...topLevelDependencies(deployInputs),
  ];
  const needs: Needs = needsOf(units, dependencies);

  const cycles: PlanCycle[] = findCycles(units, needs).map((members) => {
    const closing = dependencies.filter((d) => members.includes(d.fromStage) && members.includes(d.toStage));
    return { stages: members, dependencies: closing, twoSteps: twoStepsFor(members, closing) };
  });
  const manual = new Set(stages.filter((stage) => stage.manual !== undefined).map((stage) => stage.name));
  const blocked: PlanBlocked[] =
    cycles.length > 0
      ? []
      : units
          .filter((unit) => !manual.has(unit))
          .flatMap((unit) =>
            [...manual]
              .filter((other) => reaches(unit, other, needs))
              .map((other) => ({
                stage: unit,
                manualStage: other,
                dependencies: dependencies.filter(
                  (d) => d.fromStage === unit && (d.toStage === other || reaches(d.toStage, other, needs)),
                ),
              })),
          );
  const pipelines = pipelineInputs.filter(definesPipeline).map((input) => ({
    stack: stackId(input),
    account: input.account,
    region: input.region,
  }));
  if (cycles.length > 0 || blocked.length > 0) {
    return { stages, waves: [], dependencies, cycles, blocked, prerequisites: [], pipelines };
  }

  const byName = new Map(stages.map((stage) => [stage.name, stage]));
  const automatic = levels(
    units.filter((unit) => !manual.has(unit)),
    needs,
  );
  const byHand = levels(
    units.filter((unit) => manual.has(unit)),
    needs,
  );
  const waves: PlanWave[] = [
    ...automatic.map((wave) => ({ stages: wave.map((name) => byName.get(name)!) })),
    ...byHand.map((wave) => {
      const waveStages = wave.map((name) => byName.get(name)!);
      return { stages: waveStages, manual: unique(waveStages.map((stage) => stage.manual)).join('; ') };
    }),
  ].map((wave, position) => ({ index: position + 1, ...wave }));
  const prerequisites = planPrerequisites(waves, pipelines, inputs);
  return { stages, waves, dependencies, cycles, blocked, prerequisites, pipelines };
}
