/**
 * Expands the transforms a template declares, in their order, into the
 * CloudFormation resources they would create, so the rules judge what
 * deploys: `AWS::LanguageExtensions` and the AWS SAM transform. Any other
 * transform or macro (a template-level `Transform`, or `Fn::Transform`
 * inside the template, `AWS::Include` among them) runs code the audit does
 * not have: it is noted as incomplete, and its output is not judged. Pure.
 */
import { isObject } from '../values';
import { expandLanguageExtensions, hasLoops } from './language-extensions';
import { expandSam } from './sam';
import {
  IncompleteNote,
  LANGUAGE_EXTENSIONS,
  SAM_TRANSFORM,
  TemplateJson,
  TemplateTransformError,
  TransformContext,
} from './types';

export { LANGUAGE_EXTENSIONS, SAM_TRANSFORM, TemplateTransformError } from './types';
export type { IncompleteNote, TemplateJson, TransformContext } from './types';

export interface ExpandedTemplate {
  readonly template: TemplateJson;
  /** The transforms the template declares, in order. */
  readonly transforms: readonly string[];
  /** What could not be expanded, so is not judged. */
  readonly incomplete: readonly IncompleteNote[];
}

/** The transforms' names: `Transform: Name`, a list of names, or `{ Name, Parameters }` entries. */
export function declaredTransforms(transform: unknown): string[] {
  if (transform === undefined || transform === null) return [];
  const entries = Array.isArray(transform) ? transform : [transform];
  return entries.map((entry) => {
    if (typeof entry === 'string') return entry;
    if (isObject(entry) && typeof entry.Name === 'string') return entry.Name;
    throw new TemplateTransformError(
      `Transform ${JSON.stringify(entry)} is neither a transform name nor { Name, Parameters }`,
    );
  });
}

const mentionsExpansion = (text: string) =>
  text.includes('"Fn::ForEach::') || text.includes('"Fn::Length"') || text.includes('"Fn::Transform"');

/**
 * True when the template needs expanding: a transform, a loop, `Fn::Length` or a macro snippet.
 * `jsonText`, the JSON text the template was parsed from, is searched instead of serializing the
 * template again. Without `\u` escapes, every string of the text is written as JSON.stringify
 * writes it (but for `\/`, which no searched name holds), so a name missing from the text is
 * missing from the template; a name found in the text only (a duplicate key JSON.parse dropped)
 * costs an expansion that changes nothing. Text with `\u` escapes is not searched.
 */
export function needsExpansion(template: TemplateJson, jsonText?: string): boolean {
  if (template.Transform !== undefined) return true;
  if (jsonText !== undefined && !jsonText.includes('\\u') && !mentionsExpansion(jsonText)) return false;
  return mentionsExpansion(JSON.stringify(template));
}

/**
 * The template as CloudFormation would deploy it after its transforms, as far
 * as the template alone decides. Throws TemplateTransformError for a
 * transform used in a way CloudFormation rejects.
 */
export function expandTransforms(template: TemplateJson, context: TransformContext = {}): ExpandedTemplate {
  const transforms = declaredTransforms(template.Transform);
  const incomplete: IncompleteNote[] = [];
  let current = template;
  for (const name of transforms) {
    if (name === LANGUAGE_EXTENSIONS) current = expandLanguageExtensions(current, context, incomplete);
    else if (name === SAM_TRANSFORM) current = expandSam(current, context, incomplete);
    else {
      incomplete.push({
        transform: name,
        reason: `transform ${name} is a macro whose code the audit does not run: the resources it adds or changes are not judged (the template's own resources are judged as written)`,
      });
    }
  }
  // Loops without the transform declared would fail to deploy; unrolled anyway, they are judged as meant.
  if (!transforms.includes(LANGUAGE_EXTENSIONS) && hasLoops(current))
    current = expandLanguageExtensions(current, context, incomplete);
  current = withoutSnippetMacros(current, incomplete);
  return { template: current, transforms, incomplete };
}

/** `Fn::Transform` (a macro over one snippet, AWS::Include among them): noted, and removed where it stands for resources. */
function withoutSnippetMacros(template: TemplateJson, incomplete: IncompleteNote[]): TemplateJson {
  if (!JSON.stringify(template).includes('"Fn::Transform"')) return template;
  const macroName = (value: unknown): string => {
    // The object form, or a list of them (macros applied in turn).
    if (Array.isArray(value)) {
      const names = value.map(macroName).filter((name) => name !== 'an unnamed macro');
      return names.length > 0 ? names.join(', ') : 'an unnamed macro';
    }
    return isObject(value) && typeof value.Name === 'string' ? value.Name : 'an unnamed macro';
  };
  const resources = isObject(template.Resources) ? { ...template.Resources } : template.Resources;
  if (isObject(resources) && resources['Fn::Transform'] !== undefined) {
    const name = macroName(resources['Fn::Transform']);
    incomplete.push({
      resource: 'Resources',
      transform: name,
      reason: `Fn::Transform ${name} adds resources the audit cannot see (the snippet is fetched or generated at deploy time): they are not judged`,
    });
    delete resources['Fn::Transform'];
  }
  if (isObject(resources)) {
    for (const [logicalId, resource] of Object.entries(resources)) {
      const found = new Set<string>();
      visitTransforms(resource, (value) => found.add(macroName(value)));
      for (const name of found) {
        incomplete.push({
          resource: logicalId,
          transform: name,
          reason: `${logicalId} holds Fn::Transform ${name}: the part it generates at deploy time is not judged`,
        });
      }
    }
  }
  return { ...template, Resources: resources };
}

function visitTransforms(value: unknown, found: (argument: unknown) => void): void {
  if (Array.isArray(value)) value.forEach((item) => visitTransforms(item, found));
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'Fn::Transform') found(child);
      else visitTransforms(child, found);
    }
  }
}
