import * as fs from 'fs';
import type { PlanStackInput } from '../../lib/audit/deploy';
import { isObject } from '../../lib/audit/values';
import { AuditInputError } from '../audit/errors';
import { AssemblyStack, readCloudAssembly } from '../audit/manifest';

function readTemplate(stack: AssemblyStack): PlanStackInput['template'] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(stack.templateFile, 'utf8'));
  } catch (error) {
    throw new AuditInputError(
      `${stack.templateDisplayPath} cannot be read as a JSON template (${(error as Error).message}); synthesize again`,
    );
  }
  if (!isObject(parsed))
    throw new AuditInputError(`${stack.templateDisplayPath} is not a CloudFormation template`);
  return parsed as PlanStackInput['template'];
}

/** `dublin-1/Data` in stage `dublin-1` → `Data`; a top-level stack keeps its display name. */
function nameInStage(stack: AssemblyStack): string {
  const prefix = stack.stage === undefined ? undefined : `${stack.stage}/`;
  return prefix !== undefined && stack.displayName.startsWith(prefix)
    ? stack.displayName.slice(prefix.length)
    : stack.displayName;
}

/** Every stack of a cdk.out directory (Stages included) as the deploy plan reads it. */
export function readPlanInputs(directory: string, displayDirectory = directory): PlanStackInput[] {
  const { stacks } = readCloudAssembly(directory, displayDirectory);
  return stacks.map((stack) => {
    const siblings = stacks.filter((other) => other.stage === stack.stage);
    return {
      stage: stack.stage ?? '',
      name: nameInStage(stack),
      stackName: stack.stackName,
      account: stack.account,
      region: stack.region,
      template: readTemplate(stack),
      dependsOn: stack.dependencies
        .map((id) => siblings.find((other) => other.artifactId === id))
        .filter((other): other is AssemblyStack => other !== undefined)
        .map(nameInStage),
      bootstrapVersion: stack.requiresBootstrapStackVersion,
    };
  });
}
