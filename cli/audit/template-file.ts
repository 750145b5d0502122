import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import type { CfnTemplate } from '../../lib/audit/template';
import { isObject } from '../../lib/audit/values';
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
  /** `json` or `yaml`, as parsed. */
  readonly format: 'json' | 'yaml';
  readonly template: CfnTemplate;
}

export function sha256(content: Buffer | string): string {
  return createHash('sha256').update(content).digest('hex');
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
  if (content.toString('utf8').trim() === '') {
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
  } catch (error) {
    throw new AuditInputError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}

/**
 * Checks the shape CloudFormation requires: an object whose `Resources` is a
 * map of objects with a string `Type`. `allowMissingResources` accepts an empty
 * CDK stack, whose synthesized template has no `Resources` section.
 */
export function asTemplate(parsed: unknown, file: string, allowMissingResources = false): CfnTemplate {
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
  for (const [logicalId, resource] of Object.entries(parsed.Resources)) {
    if (!isObject(resource) || typeof resource.Type !== 'string') {
      throw new AuditInputError(
        `${file}: Resources.${logicalId} has no Type; every resource needs a Type such as AWS::S3::Bucket`,
      );
    }
  }
  return parsed as unknown as CfnTemplate;
}

/**
 * Reads, hashes and parses a template file (JSON or YAML with CloudFormation
 * short-form tags). `displayPath` is the path shown in the report.
 */
export function readTemplateFile(
  file: string,
  displayPath = file,
  allowMissingResources = false,
): TemplateFile {
  const content = readInputFile(file, displayPath);
  // A byte-order mark is legal in both formats but JSON.parse rejects it.
  const text = content.toString('utf8').replace(/^\uFEFF/, '');
  const format = formatOf(file, text);
  const parsed =
    format === 'json' ? parseJson(text, displayPath) : parseCloudFormationYaml(text, displayPath);
  return {
    file: { path: displayPath, sha256: sha256(content) },
    format,
    template: asTemplate(parsed, displayPath, allowMissingResources),
  };
}
