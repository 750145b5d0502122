import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { CfnTemplate } from '../../lib/audit/template';
import {
  expandTransforms,
  IncompleteNote,
  needsExpansion,
  SAM_TRANSFORM,
  TemplateTransformError,
  TransformContext,
} from '../../lib/audit/transforms';
import { isObject } from '../../lib/audit/values';
import { jsonSyntaxFix } from '../../lib/config/json-syntax';
import { AuditInputError } from './errors';
import { parseCloudFormationYaml } from './yaml';

/** An input file and its digest, as listed in the report. */
export interface HashedFile {
  /** Path as the auditor named it (relative paths stay relative). */
  readonly path: string;
  readonly sha256: string;
}

export interface TemplateFile {
  readonly file: HashedFile;
  /** Bytes of the file: the template body CloudFormation receives (CLV-LIM-2 measures it). */
  readonly bytes: number;
  /** `json` or `yaml`, as parsed. */
  readonly format: 'json' | 'yaml';
  /** The template after its transforms, as CloudFormation would deploy it. */
  readonly template: CfnTemplate;
  /** The transforms the template declares, in order. */
  readonly transforms: readonly string[];
  /** What could not be expanded (unknown macros, loops over deploy-time values …), so is not judged. */
  readonly incomplete: readonly IncompleteNote[];
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
}

/** ASCII whitespace, as String.prototype.trim removes it. */
function isAsciiSpace(byte: number): boolean {
  return byte === 0x20 || (byte >= 0x09 && byte <= 0x0d);
}

/**
 * True when the content decodes to nothing but whitespace. Scans bytes: the
 * first ASCII non-space byte settles it without decoding the file; only a
 * non-ASCII byte (a byte-order mark, a no-break space …) needs the decoded text.
 */
function isBlank(content: Buffer): boolean {
  for (let i = 0; i < content.length; i++) {
    const byte = content[i];
    if (byte >= 0x80) return content.toString('utf8').trim() === '';
    if (!isAsciiSpace(byte)) return false;
  }
  return true;
}

/** Reads a file that must exist and be non-empty; throws AuditInputError otherwise. */
export function readInputFile(file: string, displayPath = file): Buffer {
  let content: Buffer;
  try {
    content = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new AuditInputError(`${displayPath} does not exist; give a cdk.out directory or a template file`);
    }
    if (code === 'EISDIR') throw new AuditInputError(`${displayPath} is a directory, not a file`);
    throw new AuditInputError(`${displayPath} cannot be read (${code ?? (error as Error).message})`);
  }
  if (isBlank(content)) {
    throw new AuditInputError(`${displayPath} is empty; give a CloudFormation template`);
  }
  return content;
}

/** JSON for `.json`, YAML for `.yaml`/`.yml`; otherwise JSON when the text starts with `{`. */
function formatOf(file: string, text: string): 'json' | 'yaml' {
  const extension = path.extname(file).toLowerCase();
  if (extension === '.json') return 'json';
  if (extension === '.yaml' || extension === '.yml') return 'yaml';
  return text.trimStart().startsWith('{') ? 'json' : 'yaml';
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Node 20 names the error with a snippet of the text (several lines, raw bytes): the place instead.
    throw new AuditInputError(`${file} is not valid JSON; ${jsonSyntaxFix(text)}`);
  }
}

/**
 * Checks the shape CloudFormation requires: an object whose `Resources` is a
 * map of objects with a string `Type`. `allowMissingResources` accepts an empty
 * CDK stack, whose synthesized template has no `Resources` section.
 */
export function asTemplate(
  parsed: unknown,
  file: string,
  allowMissingResources = false,
  /**
   * False when part of the template was not expanded (a macro, `Fn::Transform`, a loop left as written):
   * what that part adds (resources, conditions) is unknown, so an empty `Resources` or an undefined
   * `Condition` may be its doing, not an error.
   */
  complete = true,
): CfnTemplate {
  if (!isObject(parsed)) {
    throw new AuditInputError(
      `${file} is not a CloudFormation template: expected an object with a Resources section`,
    );
  }
  if (parsed.Resources === undefined && allowMissingResources)
    return { ...parsed, Resources: {} } as CfnTemplate;
  if (!isObject(parsed.Resources)) {
    throw new AuditInputError(`${file} is not a CloudFormation template: it has no Resources section`);
  }
  if (Object.keys(parsed.Resources).length === 0 && !allowMissingResources && complete) {
    throw new AuditInputError(
      `${file}: its Resources section is empty, and CloudFormation rejects a template without a resource; add the resources it deploys`,
    );
  }
  const conditions = isObject(parsed.Conditions) ? parsed.Conditions : {};
  for (const [logicalId, resource] of Object.entries(parsed.Resources)) {
    const type = isObject(resource) ? resource.Type : undefined;
    const condition = isObject(resource) ? resource.Condition : undefined;
    const undefinedCondition =
      condition !== undefined && (typeof condition !== 'string' || !Object.hasOwn(conditions, condition));
    if (undefinedCondition && complete) {
      // CloudFormation rejects the template; judging the resource as if it always existed would guess.
      throw new AuditInputError(
        `${file}: Resources.${logicalId} has Condition ${JSON.stringify(condition)}, which the template's Conditions section does not define; define it there or remove the resource's Condition`,
      );
    }
    if (typeof type === 'string' && type.trim() !== '') continue;
    throw new AuditInputError(
      type === undefined || type === ''
        ? `${file}: Resources.${logicalId} has no Type; every resource needs a Type such as AWS::S3::Bucket`
        : `${file}: Resources.${logicalId} has Type ${JSON.stringify(type)}, which is not a resource type name; write a Type such as AWS::S3::Bucket`,
    );
  }
  return parsed as unknown as CfnTemplate;
}

/** The parsed file, if it is a template at all: an object with a `Resources` section (or, for CDK, none). */
export interface ParsedFile {
  readonly content: Buffer;
  readonly format: 'json' | 'yaml';
  readonly parsed: unknown;
  /** The JSON text parsed (for a JSON file): lets {@link needsExpansion} search it instead of re-serializing. */
  readonly text?: string;
}

/**
 * How deep values of a template may nest. Real templates stay far below it (16 levels in Clover's
 * largest); the audit's walks recurse, and a file nested thousands of levels deep would overflow them.
 */
export const MAX_TEMPLATE_NESTING = 512;

/**
 * Refuses what the audit's walks could not follow: values nested deeper than MAX_TEMPLATE_NESTING, and,
 * in YAML, an alias inside its own anchor (`a: &a [*a]`), which makes the parsed value contain itself.
 */
function checkStructure(parsed: unknown, file: string, format: 'json' | 'yaml'): void {
  // Only YAML can loop; shared (non-looping) aliases are fine and are walked once per place.
  const ancestors = format === 'yaml' ? new Set<object>() : undefined;
  const visit = (value: unknown, depth: number): void => {
    if (value === null || typeof value !== 'object') return;
    if (depth > MAX_TEMPLATE_NESTING) {
      throw new AuditInputError(
        `${file} nests values more than ${MAX_TEMPLATE_NESTING} levels deep, deeper than the audit can follow; fix: flatten the nesting (CloudFormation templates need a few dozen levels at most)`,
      );
    }
    if (ancestors?.has(value)) {
      throw new AuditInputError(
        `${file}: a YAML alias (*name) refers to the anchor (&name) that contains it, so the template contains itself; fix: point the alias at a value outside its own anchor, or write the value out`,
      );
    }
    ancestors?.add(value);
    if (Array.isArray(value)) for (const item of value) visit(item, depth + 1);
    else for (const key in value) visit((value as Record<string, unknown>)[key], depth + 1);
    ancestors?.delete(value);
  };
  visit(parsed, 1);
}

/** Reads and parses a JSON or YAML file (CloudFormation short-form tags included). */
export function parseTemplateFile(file: string, displayPath = file): ParsedFile {
  const content = readInputFile(file, displayPath);
  // A byte-order mark is legal in both formats but JSON.parse rejects it.
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  const format = formatOf(file, text);
  const parsed =
    format === 'json' ? parseJson(text, displayPath) : parseCloudFormationYaml(text, displayPath);
  checkStructure(parsed, displayPath, format);
  return { content, format, parsed, text: format === 'json' ? text : undefined };
}

/**
 * Expands a parsed template's transforms, then checks its shape. `context`
 * is where it deploys, as far as known (pseudo parameters in loops).
 */
export function templateOf(
  parsed: ParsedFile,
  displayPath: string,
  context: TransformContext = {},
  allowMissingResources = false,
  digest = true,
): TemplateFile {
  let template = parsed.parsed;
  let transforms: readonly string[] = [];
  let incomplete: readonly IncompleteNote[] = [];
  if (isObject(template) && needsExpansion(template, parsed.text)) {
    try {
      ({ template, transforms, incomplete } = expandTransforms(template, context));
    } catch (error) {
      if (error instanceof TemplateTransformError)
        throw new AuditInputError(`${displayPath}: ${error.message}`);
      throw error;
    }
  }
  // Notes from the transforms mean part of the template is not known: refuse only what is certainly wrong.
  const complete = incomplete.length === 0;
  const checked = asTemplate(template, displayPath, allowMissingResources, complete);
  if (complete && !transforms.includes(SAM_TRANSFORM)) refuseUndeclaredSam(checked, displayPath);
  const nested = nestedStackNotes(checked);
  return {
    file: { path: displayPath, sha256: digest ? sha256(parsed.content) : '' },
    bytes: parsed.content.length,
    format: parsed.format,
    template: checked,
    transforms,
    incomplete: nested.length > 0 ? [...incomplete, ...nested] : incomplete,
  };
}

/** SAM types without SAM's transform: CloudFormation rejects them, so judging them would guess. */
function refuseUndeclaredSam(template: CfnTemplate, file: string): void {
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (!resource.Type.startsWith('AWS::Serverless::')) continue;
    throw new AuditInputError(
      `${file}: Resources.${logicalId} is an ${resource.Type}, but the template declares no Transform: ${SAM_TRANSFORM}, without which CloudFormation rejects the type; fix: add Transform: ${SAM_TRANSFORM}`,
    );
  }
}

/**
 * Nested stacks (`AWS::CloudFormation::Stack`, whatever their condition): their resources live in
 * another template, which is judged only when it is audited too. Listed as not expanded, never silently
 * taken as compliant.
 */
function nestedStackNotes(template: CfnTemplate): IncompleteNote[] {
  const notes: IncompleteNote[] = [];
  for (const [logicalId, resource] of Object.entries(template.Resources)) {
    if (resource.Type !== 'AWS::CloudFormation::Stack') continue;
    const url = isObject(resource.Properties) ? resource.Properties.TemplateURL : undefined;
    const from = typeof url === 'string' ? `from ${url}` : 'whose TemplateURL is computed';
    notes.push({
      resource: logicalId,
      reason: `${logicalId} is an AWS::CloudFormation::Stack, a nested stack ${from}: its template is not part of this input, so its resources are not judged here; audit that template too`,
    });
  }
  return notes;
}

/**
 * Reads, hashes and parses a template file (JSON or YAML with CloudFormation
 * short-form tags) and expands its transforms. `displayPath` is the path shown in the report.
 */
export function readTemplateFile(
  file: string,
  displayPath = file,
  allowMissingResources = false,
  context: TransformContext = {},
  digest = true,
): TemplateFile {
  return templateOf(
    parseTemplateFile(file, displayPath),
    displayPath,
    context,
    allowMissingResources,
    digest,
  );
}
