import * as fs from 'fs';
import * as path from 'path';
import { CfnElement, Stack, Stage, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ACKNOWLEDGMENT_METADATA_TYPE, RecordedAcknowledgment } from '../audit/acknowledgments';
import { CfnTemplate, TemplateIndex } from '../audit/template';
import {
  expandTransforms,
  needsExpansion,
  TemplateJson,
  TemplateTransformError,
  TransformContext,
} from '../audit/transforms';

/** A CDK stack seen as its synthesized template, with construct paths per logical ID. */
export interface IndexedStack {
  readonly index: TemplateIndex;
  readonly pathOf: (logicalId: string) => string | undefined;
}

/**
 * The stack's template as synthesis wrote it into the cloud assembly, when it has been written (validation
 * plugins run after synthesis): reading it back is much cheaper than rendering the template again.
 */
function writtenTemplate(stack: Stack): { template: CfnTemplate; bytes: number } | undefined {
  const outdir = Stage.of(stack)?.outdir;
  if (outdir === undefined) return undefined;
  try {
    const text = fs.readFileSync(path.join(outdir, stack.templateFile), 'utf8');
    return { template: JSON.parse(text) as CfnTemplate, bytes: Buffer.byteLength(text) };
  } catch {
    return undefined;
  }
}

/** Builds the template index of a CDK stack from its resolved template (tokens become Ref/GetAtt). */
export function indexStack(
  stack: Stack,
  allowJurisdictions: readonly string[],
  today: string,
  auditLogRetentionDays?: number,
): IndexedStack {
  const written = writtenTemplate(stack);
  const synthesized =
    written?.template ??
    (stack.resolve(
      (stack as unknown as { _toCloudFormation(): CfnTemplate })._toCloudFormation(),
    ) as CfnTemplate);
  const environment = {
    account: Token.isUnresolved(stack.account) ? undefined : stack.account,
    region: Token.isUnresolved(stack.region) ? undefined : stack.region,
  };
  const template = expandedForSynth(synthesized, environment);
  const paths = new Map<string, string>();
  for (const child of stack.node.findAll()) {
    if (CfnElement.isCfnElement(child) && Stack.of(child) === stack) {
      paths.set(stack.resolve(child.logicalId), child.node.path);
    }
  }
  const index = new TemplateIndex(template, {
    stackName: stack.stackName,
    ...environment,
    allowJurisdictions,
    today,
    auditLogRetentionDays,
    templateBytes: written?.bytes,
  });
  return { index, pathOf: (logicalId) => paths.get(logicalId) };
}

/**
 * A stack with a transform (`stack.addTransform`, SAM constructs, CfnInclude of a SAM or
 * Fn::ForEach template) is judged as `clover audit` judges its template: expanded first. A
 * transform CloudFormation would reject is left as written; deploying it fails anyway.
 */
function expandedForSynth(template: CfnTemplate, environment: TransformContext): CfnTemplate {
  const json = template as unknown as TemplateJson;
  if (!needsExpansion(json)) return template;
  try {
    return expandTransforms(json, environment).template as unknown as CfnTemplate;
  } catch (error) {
    if (error instanceof TemplateTransformError) return template;
    throw error;
  }
}

/** Every Clover acknowledgment recorded in a construct tree, with the path it covers. */
export function collectAcknowledgments(root: IConstruct): RecordedAcknowledgment[] {
  const out: RecordedAcknowledgment[] = [];
  for (const construct of root.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type === ACKNOWLEDGMENT_METADATA_TYPE) {
        const data = entry.data as Omit<RecordedAcknowledgment, 'path'>;
        out.push({ ...data, path: construct.node.path });
      }
    }
  }
  return out;
}
