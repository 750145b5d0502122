import * as fs from 'fs';
import * as path from 'path';
import type { RecordedAcknowledgment } from '../../lib/audit/acknowledgments';
import type { CfnTemplate } from '../../lib/audit/template';
import { asArray, isObject } from '../../lib/audit/values';
import { findRegion } from '../../lib/config/regions';
import { AuditInputError } from './errors';
import { readCloudAssembly } from './manifest';
import { HashedFile, readInputFile, readTemplateFile, sha256 } from './template-file';

/** How the region of a stack was established. */
export type RegionSource = 'manifest' | 'option' | 'inferred' | 'unknown';

/** One stack to audit, from a cdk.out or a bare template. */
export interface AuditedStack {
  /** Stack name (the CloudFormation stack name, or the template's file name). */
  readonly name: string;
  /** `dublin-1/Network` for a cdk.out stack; the file path for a bare template. */
  readonly displayName: string;
  /** The input (as named on the command line) the stack came from. */
  readonly input: string;
  /** Absolute path of the template file. */
  readonly templateFile: string;
  /** Template path as shown in the report. */
  readonly templatePath: string;
  readonly format: 'json' | 'yaml';
  readonly template: CfnTemplate;
  readonly account?: string;
  readonly region?: string;
  readonly regionSource: RegionSource;
  /** Logical ID → construct path; empty for a bare template. */
  readonly paths: ReadonlyMap<string, string>;
  readonly acknowledgments: readonly RecordedAcknowledgment[];
}

export interface AuditInput {
  /** The path as named on the command line. */
  readonly path: string;
  readonly kind: 'cloud-assembly' | 'template';
  /** Every file read (for a directory: manifests, metadata and every template file), sorted. */
  readonly files: readonly HashedFile[];
  readonly stacks: readonly AuditedStack[];
}

export interface InputOptions {
  /** Region for bare templates and environment-agnostic stacks. */
  readonly region?: string;
}

const AVAILABILITY_ZONE_PATTERN = /^([a-z]{2}(?:-[a-z]+)+-\d+)[a-z]$/;

/**
 * The region a bare template must deploy to, read from the literal
 * availability zones of its resources (`AvailabilityZone`,
 * `AvailabilityZones`): CloudFormation rejects an AZ outside the stack's
 * region, so those names pin it. Other region names (in ARNs, endpoints)
 * prove nothing about where the stack itself deploys and are not used.
 */
export function inferRegion(template: CfnTemplate): { regions: string[]; zones: string[] } {
  const zones = new Set<string>();
  for (const resource of Object.values(template.Resources)) {
    const properties = isObject(resource.Properties) ? resource.Properties : {};
    for (const value of [properties.AvailabilityZone, ...asArray(properties.AvailabilityZones)]) {
      if (typeof value === 'string' && AVAILABILITY_ZONE_PATTERN.test(value)) zones.add(value);
    }
  }
  const regions = new Set<string>();
  for (const zone of zones) {
    const region = AVAILABILITY_ZONE_PATTERN.exec(zone)![1];
    if (findRegion(region)) regions.add(region);
  }
  return { regions: [...regions].sort(), zones: [...zones].sort() };
}

function templateRegion(
  template: CfnTemplate,
  file: string,
  options: InputOptions,
): { region: string; source: RegionSource } {
  if (options.region !== undefined) return { region: options.region, source: 'option' };
  const { regions } = inferRegion(template);
  if (regions.length === 1) return { region: regions[0], source: 'inferred' };
  if (regions.length > 1) {
    throw new AuditInputError(
      `${file} places resources in availability zones of several regions (${regions.join(', ')}); pass --region`,
    );
  }
  throw new AuditInputError(
    `cannot tell which region ${file} deploys to (it names no availability zone); pass --region`,
  );
}

/** Every `*.template.json|yaml|yml` below a directory (nested stack templates included), as relative paths. */
function templateFilesBelow(directory: string, relative = ''): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(path.join(directory, relative), { withFileTypes: true })) {
    const child = path.join(relative, entry.name);
    if (entry.isDirectory()) found.push(...templateFilesBelow(directory, child));
    else if (entry.isFile() && /\.template\.(json|ya?ml)$/.test(entry.name)) found.push(child);
  }
  return found;
}

function loadCloudAssembly(input: string, options: InputOptions): AuditInput {
  const assembly = readCloudAssembly(input, input);
  const stacks = assembly.stacks.map((stack): AuditedStack => {
    const { template, format } = readTemplateFile(stack.templateFile, stack.templateDisplayPath, true);
    const region = stack.region ?? options.region;
    return {
      name: stack.stackName,
      displayName: stack.displayName,
      input,
      templateFile: stack.templateFile,
      templatePath: stack.templateDisplayPath,
      format,
      template,
      account: stack.account,
      region,
      regionSource: stack.region !== undefined ? 'manifest' : region !== undefined ? 'option' : 'unknown',
      paths: stack.paths,
      acknowledgments: stack.acknowledgments,
    };
  });
  const hashed = new Map<string, HashedFile>();
  const hash = (file: string, displayPath: string) => {
    if (!hashed.has(displayPath))
      hashed.set(displayPath, { path: displayPath, sha256: sha256(readInputFile(file, displayPath)) });
  };
  for (const { file, displayPath } of assembly.files) hash(file, displayPath);
  for (const relative of templateFilesBelow(input))
    hash(path.join(input, relative), path.join(input, relative));
  const files = [...hashed.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { path: input, kind: 'cloud-assembly', files, stacks };
}

function loadTemplate(input: string, options: InputOptions): AuditInput {
  const { template, format, file } = readTemplateFile(input, input);
  const { region, source } = templateRegion(template, input, options);
  const name = path.basename(input).replace(/(\.template)?\.(json|ya?ml|template)$/i, '');
  const stack: AuditedStack = {
    name,
    displayName: input,
    input,
    templateFile: path.resolve(input),
    templatePath: input,
    format,
    template,
    region,
    regionSource: source,
    paths: new Map(),
    acknowledgments: [],
  };
  return { path: input, kind: 'template', files: [file], stacks: [stack] };
}

/** Gives stacks that share a name (two `template.json` inputs) their template path as name. */
function uniqueNames(inputs: AuditInput[]): AuditInput[] {
  const counts = new Map<string, number>();
  for (const stack of inputs.flatMap((input) => input.stacks))
    counts.set(stack.name, (counts.get(stack.name) ?? 0) + 1);
  return inputs.map((input) => ({
    ...input,
    stacks: input.stacks.map((stack) =>
      (counts.get(stack.name) ?? 0) > 1 ? { ...stack, name: stack.templatePath } : stack,
    ),
  }));
}

/**
 * Loads every input: a cdk.out directory (manifest, nested Stage assemblies,
 * templates, metadata) or a template file (JSON or YAML). Bad input throws an
 * AuditInputError with one line naming the path and the fix.
 */
export function loadInputs(paths: readonly string[], options: InputOptions = {}): AuditInput[] {
  const inputs = paths.map((input) => {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new AuditInputError(`${input} does not exist; give a cdk.out directory or a template file`);
    }
    return stat.isDirectory() ? loadCloudAssembly(input, options) : loadTemplate(input, options);
  });
  return uniqueNames(inputs);
}
