import type { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import { describePlanProblems, planDeployment, PlanStackInput } from '../audit/deploy';

/** The stacks of one cloud assembly (not its nested ones) as the deploy plan reads them. */
export function stackInputs(assembly: CloudAssembly, stage: string): PlanStackInput[] {
  // The manifest's display name is the construct path (`dublin-1/Data`); cx-api's adds the stack name.
  const nameOf = (artifact: CloudFormationStackArtifact): string =>
    stage !== '' && artifact.hierarchicalId.startsWith(`${stage}/`)
      ? artifact.hierarchicalId.slice(stage.length + 1)
      : artifact.hierarchicalId;
  // cx-api sorts artifacts by dependency; the plan keeps the manifest's order (the app's), as cdk.out readers see it.
  const order = Object.keys(assembly.manifest.artifacts ?? {});
  const stacks = [...assembly.stacks].sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return stacks.map((artifact) => ({
    stage,
    name: nameOf(artifact),
    stackName: artifact.stackName,
    account: known(artifact.environment.account, 'unknown-account'),
    region: known(artifact.environment.region, 'unknown-region'),
    template: artifact.template,
    dependsOn: artifact.dependencies
      .filter((dependency): dependency is CloudFormationStackArtifact =>
        stacks.includes(dependency as CloudFormationStackArtifact),
      )
      .map(nameOf),
    bootstrapVersion: artifact.requiresBootstrapStackVersion,
  }));
}

/** Every stack of an assembly and of its Stages' nested assemblies. */
export function planInputsOf(assembly: CloudAssembly, stage = ''): PlanStackInput[] {
  return [
    ...stackInputs(assembly, stage),
    ...assembly.nestedAssemblies.flatMap((nested) => planInputsOf(nested.nestedAssembly, nested.displayName)),
  ];
}

function known(value: string, placeholder: string): string | undefined {
  return value === placeholder || value === '' ? undefined : value;
}

/** Why no order deploys an assembly's stages (a cycle, named by its references); undefined when one does. */
export function deployOrderProblems(assembly: CloudAssembly): string | undefined {
  return describePlanProblems(planDeployment(planInputsOf(assembly)));
}
