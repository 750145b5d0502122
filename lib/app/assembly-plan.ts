import type { CloudAssembly, CloudFormationStackArtifact } from 'aws-cdk-lib/cx-api';
import type { PlanStackInput } from '../audit/deploy';

/** The stacks of one cloud assembly (not its nested ones) as the deploy plan reads them. */
export function stackInputs(assembly: CloudAssembly, stage: string): PlanStackInput[] {
  const nameOf = (artifact: CloudFormationStackArtifact): string =>
    stage !== '' && artifact.displayName.startsWith(`${stage}/`)
      ? artifact.displayName.slice(stage.length + 1)
      : artifact.displayName;
  return assembly.stacks.map((artifact) => ({
    stage,
    name: nameOf(artifact),
    stackName: artifact.stackName,
    account: known(artifact.environment.account, 'unknown-account'),
    region: known(artifact.environment.region, 'unknown-region'),
    template: artifact.template,
    dependsOn: artifact.dependencies
      .filter((dependency): dependency is CloudFormationStackArtifact =>
        assembly.stacks.includes(dependency as CloudFormationStackArtifact),
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
